"""Where a pro lesson's public preview ends, proven against Python-Markdown.

The splitter proposes a boundary: the `<!-- pro -->` marker, the first `pro_sections`
heading, or the last block that fits in the preview minutes. The boundary is accepted only
when the preview, rendered with the site's own extensions, is exactly the first top-level
elements of the whole lesson; otherwise the preview ends one block earlier, down to an
empty preview. So a construct the splitter misreads costs preview length, never locked text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from . import syntax
from .blocks import Block, Kind
from .compose import without_markers
from .model import Lesson, Segment
from .problems import Problem
from .readtime import seconds
from .rendering import Heading, Renderer, Rendering, is_prefix, visible_words

# A preview the minute limit sets may read this much longer, rendered, than the limit (see _too_long).
RENDERED_MARGIN, RENDERED_EXTRA_SECONDS = 1.25, 10

# Markdown of a preview: the first segments, then the definitions they use.
PreviewWriter = Callable[[list[Segment], list[Block]], str]


@dataclass(frozen=True)
class Cut:
    index: int                      # lesson.segments[:index] are public
    definitions: tuple[Block, ...]  # definitions the preview uses, appended to it
    locked_headings: tuple[Heading, ...]


@dataclass
class Cutter:
    renderer: Renderer
    words_per_minute: int

    def cut(self, lesson: Lesson, limit_minutes: float, whole: Rendering, write: PreviewWriter) -> Cut:
        segments = lesson.segments
        wanted = {syntax.normalise(title) for title in lesson.pro_sections}
        proposal, timed = self._proposal(lesson, limit_minutes, wanted)
        index = _backtrack_headings(segments, proposal)
        while index > 0:
            definitions, preview = self._preview(without_markers(segments[:index]), lesson.definitions, write)
            if (is_prefix(preview, whole) and not any(is_wanted(h, wanted) for h in preview.headings)
                    and not (timed and self._too_long(preview, segments[:index], limit_minutes))):
                return Cut(index, tuple(definitions), whole.headings[len(preview.headings):])
            index = _backtrack_headings(segments, index - 1)
        return Cut(0, (), whole.headings)

    def _proposal(self, lesson: Lesson, limit_minutes: float, wanted: set[str]) -> tuple[int, bool]:
        """The splitter's boundary (marker, first `pro_sections` heading, or the minute limit), and
        whether the minute limit set it."""
        words = images = 0
        for index, segment in enumerate(lesson.segments):
            if segment.kind is Kind.MARKER or (segment.kind is Kind.HEADING and self._is_pro_heading(segment, wanted)):
                return index, False
            words += segment.words
            images += segment.images
            if seconds(words, images, self.words_per_minute) > limit_minutes * 60:
                return index, True  # the limit falls inside this block: the preview ends before it
        return len(lesson.segments), True

    def _too_long(self, preview: Rendering, shown: list[Segment], limit_minutes: float) -> bool:
        """Whether the preview, read as Markdown rendered it, is clearly past the minute limit.

        The splitter times the source; text it misjudges (a construct it glued to a definition,
        markup it took for a tag) or leaves out (link titles, the footnotes the preview takes
        along) must not ride along uncounted. Both counts differ a little (the labels of parts,
        entities), hence the margin.
        """
        images = sum(segment.images for segment in shown)
        read = seconds(visible_words([preview.html]), images, self.words_per_minute)  # its footnotes too
        return read > limit_minutes * 60 * RENDERED_MARGIN + RENDERED_EXTRA_SECONDS

    def _is_pro_heading(self, heading: Block, wanted: set[str]) -> bool:
        if not wanted:
            return False
        if syntax.normalise(heading.title) in wanted or syntax.normalise(heading.anchor) in wanted:
            return True
        # The title as the toc shows it (emoji, code and links rendered), asked of Markdown itself.
        rendered = self.renderer.render(heading.text).headings
        return any(is_wanted(h, wanted) for h in rendered)

    def _preview(self, shown: list[Segment], definitions: Iterable[Block],
                 write: PreviewWriter) -> tuple[list[Block], Rendering]:
        """The preview with the definitions it uses, as Python-Markdown finds them (a reference in a
        code span or a comment is none; a collapsed `[label][]` is one): rendered with every one,
        then without those it left unused, until it uses all it has. An unused footnote would still
        print its text, and a footnote dropped may have been the only user of another definition."""
        definitions = list(definitions)
        while True:
            preview = self.renderer.render(write(shown, definitions))
            used = [definition for definition in definitions if definition.key in preview.used]
            if len(used) == len(definitions):
                return definitions, preview
            definitions = used

    def marker_problems(self, lesson: Lesson, path: str, whole: Rendering) -> list[Problem]:
        """Every `<!-- pro -->` line must be a top-level block, for the splitter and for Markdown alike."""
        if not lesson.marker_lines:
            return []
        top_level = lesson.markers
        rendered_top_level = sum(1 for chunk in whole.chunks if syntax.MARKER_HTML.fullmatch(chunk))
        # A marker line inside fenced code renders escaped: an example, not a marker. One that
        # renders as a comment nested in some element is a marker inside a construct.
        nested = len(syntax.MARKER_HTML.findall(whole.html)) - rendered_top_level
        if rendered_top_level == len(top_level) and nested == 0:
            return []
        top_level_lines = {lesson.body_line + s.start for s in top_level}
        lines = [line for line in lesson.marker_lines if line not in top_level_lines] or list(lesson.marker_lines)
        # Markdown took every marker line for a top-level comment: the line reader misread a construct.
        misread = nested == 0 and rendered_top_level == len(lesson.marker_lines)
        return [Problem(path, line, "<!-- pro -->", _nested_marker_message(_block_around(lesson, line), misread))
                for line in lines]


def _block_around(lesson: Lesson, line: int) -> Block | None:
    """The last block of the body that starts before a file line: the one holding it, as the line
    reader split the lesson, or the one Markdown continues into it (an indented line after a list
    item). Not a section heading courseforge adds for the parts (it has no line of the file)."""
    before = [s for s in lesson.segments if isinstance(s, Block) and s.kind is not Kind.MARKER
              and s.start >= 0 and s.line < line]
    return before[-1] if before else None


def _nested_marker_message(block: Block | None, misread: bool) -> str:
    where = "a construct (a list, blockquote, admonition, tab, block or HTML element)"
    if block is not None:
        opening = block.text.split("\n", 1)[0].strip()
        where = f"the construct that starts on line {block.line} ({opening[:40]}{'…' if len(opening) > 40 else ''})"
    if misread:
        return (f"courseforge reads this marker as inside {where}, though Markdown ends that construct "
                "before it; end the construct plainly (a fence closed by its own line, a blank line after "
                "an HTML block) or move the marker")
    return (f"the marker is inside {where}; put it on a line of its own between top-level blocks, with a "
            "blank line before and after")


def is_wanted(heading: Heading, wanted: set[str]) -> bool:
    """Whether a rendered heading is one `pro_sections` names (normalised text, or its id)."""
    return syntax.normalise(heading.text) in wanted or heading.id.casefold() in wanted


def _backtrack_headings(segments: list[Segment], index: int) -> int:
    """A preview never ends on a bare heading: trailing headings go with their section.

    A lesson that ends with a heading and fits in its preview is not cut at all.
    """
    if index >= len(segments):
        return len(segments)
    while index > 0 and segments[index - 1].kind in (Kind.HEADING, Kind.MARKER):
        index -= 1
    return index
