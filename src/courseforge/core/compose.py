"""The Markdown an edition hands to the site generator, made of the author's own lines.

Blocks keep their exact source text and the blank lines the author put between them, so
the pro edition renders exactly as the source does; a block an edition leaves out leaves a
blank line, so its neighbours cannot merge. Structured parts are written by a `PartWriter`
(the adapter's overridable templates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .blocks import Block, Kind
from .model import Lesson, Part, PartBlock, Segment

PartWriter = Callable[[Part, Lesson], str]


def compose(lesson: Lesson, shown: Iterable[Segment], write_part: PartWriter,
            moved: Iterable[Block] | None = None, note: tuple[int, str] | None = None) -> str:
    """Markdown of the `shown` segments, in body order.

    Definitions stay where the author put them, unless `moved` is given: then every
    definition leaves its place and only the `moved` ones follow the text (a preview takes
    just the definitions it uses). `note` = (number of shown segments before it, Markdown)
    inserts an author note there.
    """
    shown = list(shown)
    visible = {id(segment) for segment in shown}
    if moved is None:
        visible |= {id(definition) for definition in lesson.definitions}
    body = sorted((s for s in [*lesson.segments, *lesson.definitions] if s.start >= 0), key=lambda s: s.start)
    appended = [s for s in lesson.segments if s.start < 0]
    lines: list[str] = []
    count = 0
    for index, segment in enumerate([*body, *appended]):
        if note and count == note[0] and id(segment) in visible:
            _paragraph(lines, note[1])
            note = None
        if id(segment) not in visible:
            _blank(lines)
            continue
        count += 1
        if isinstance(segment, PartBlock):
            _paragraph(lines, write_part(segment.part, lesson))
            continue
        if segment.start < 0:  # a section heading courseforge adds for appended parts
            _paragraph(lines, segment.text)
            continue
        lines.extend(lesson.body_lines[segment.start:segment.end])
        following = body[index + 1].start if index + 1 < len(body) else segment.end
        lines.extend(lesson.body_lines[segment.end:following])  # the author's blank lines
    if note:
        _paragraph(lines, note[1])
    for definition in moved or ():
        _paragraph(lines, definition.text)
    return "\n".join(lines).strip("\n") + "\n"


def _blank(lines: list[str]) -> None:
    if lines and lines[-1].strip():
        lines.append("")


def _paragraph(lines: list[str], text: str) -> None:
    _blank(lines)
    lines.extend([text, ""])


def without_markers(segments: Iterable[Segment]) -> list[Segment]:
    return [s for s in segments if s.kind is not Kind.MARKER]
