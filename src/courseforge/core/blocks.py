"""Split a lesson body into the top-level blocks the preview may end between.

A block is everything that must stay together: a paragraph, a whole list (loose items
included), a table, a fenced code block or diagram, a `///` block, an indented admonition
body, an HTML block. Each block keeps its exact source lines, so an edition's Markdown is
the author's own text, never a re-joined copy. Footnote, link-reference and abbreviation
definitions are kept apart as `definition` blocks only when the site enables the extension
that gives them meaning; otherwise they are ordinary text where they stand.

This splitter only proposes boundaries: `cut.py` checks each one against Python-Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from itertools import islice

from . import syntax
from .readtime import count_images, count_words


class Kind(Enum):
    TEXT = "text"
    HEADING = "heading"
    DIAGRAM = "diagram"
    MARKER = "marker"
    PLACEMENT = "placement"
    DEFINITION = "definition"
    PART = "part"


@dataclass(frozen=True)
class Block:
    kind: Kind
    text: str
    line: int               # line of the first source line, in the file
    start: int = 0          # index of the first source line in the body
    end: int = 0            # index after the last source line in the body
    level: int = 0          # heading level
    title: str = ""         # heading text without attribute list
    anchor: str = ""        # explicit heading id ({#id}), if any
    key: str = ""           # definition key, or placement kind:ref
    words: int = 0          # reading weight, counted once when the block is made
    images: int = 0


ALL_DEFINITIONS = frozenset(syntax.DEFINITIONS)
LIST_MARKS = frozenset("*+-0123456789")  # a list item's first character: most lines skip the pattern
# Definitions Markdown reads from one line (a link's title may take the next): never a container.
ONE_LINE_DEFINITIONS = frozenset(("link", "abbreviation"))


def split_blocks(body: str, first_line: int = 1, definitions: frozenset[str] = ALL_DEFINITIONS,
                 origins: list[int] | None = None) -> list[Block]:
    """Top-level blocks of a Markdown body, in order; `definitions` are the kinds the site knows.

    `origins`: the (1-based) line in the file's own body of each line of `body`, when includes
    were expanded into it; a block's `line` is then where it stands in the file.
    """
    lines = body.split("\n")  # as the include expansion counts lines (splitlines also breaks on \x0c)
    return [_classify(lines[start:end], first_line + _origin(origins, start) - 1, start, end, definitions)
            for start, end in _chunks(lines, definitions)]


def _origin(origins: list[int] | None, index: int) -> int:
    if origins is None:
        return index + 1
    return origins[index] if index < len(origins) else origins[-1]


def shallow_nested_items(body: str) -> list[tuple[int, int]]:
    """(line index, extra indent) of list items indented 1 to 3 spaces more than the list above.

    CommonMark would nest them; Python-Markdown nests only under 4 spaces, so such an item
    joins the list above it ("4 steps" numbered 1 to 8): a likely mistake worth a warning.
    """
    found: list[tuple[int, int]] = []
    root: int | None = None  # indent of the list's own items, while a list is open
    after_blank, fences = True, _Scanner()
    for index, line in enumerate(body.split("\n")):
        if fences.feed_fence(line):
            continue
        text = line.lstrip(" ")
        if not text.strip():
            after_blank = True
            continue
        indent = len(line) - len(text)
        if text[0] in LIST_MARKS and syntax.LIST_ITEM.match(line) and not syntax.THEMATIC_BREAK.match(line):
            if root is not None and indent > root:
                found.append((index, indent - root))
            else:
                root = indent
        elif root is not None and indent < 4 and text[0] != "\t" and (
                after_blank or (text[0] == "#" and syntax.ATX_HEADING.match(line))):
            root = None  # a paragraph or heading after the list ends it
        after_blank = False
    return found


def _chunks(lines: list[str], definitions: frozenset[str]):
    """Yield (start, end) line ranges that must stay together."""
    start: int | None = None
    scanner = _Scanner()
    for index, line in enumerate(lines):
        if start is None:
            if not line.strip():
                continue
            start = index
        elif not scanner.is_open() and _starts_new_block(lines, start, index, definitions):
            yield start, _trimmed_end(lines, start, index)
            start = None if not line.strip() else index
            if start is None:
                continue
        scanner.feed(line)
        if _stands_alone(line) and not scanner.is_open():
            yield start, index + 1
            start = None
    if start is not None:
        yield start, _trimmed_end(lines, start, len(lines))


def _starts_new_block(lines: list[str], start: int, index: int, definitions: frozenset[str]) -> bool:
    line, first = lines[index], lines[start]
    if _stands_alone(line) or _stands_alone(first) or _definition_kind(line, definitions):
        return True
    first_kind = _definition_kind(first, definitions)
    one_line = first_kind in ONE_LINE_DEFINITIONS
    if line.strip():
        if first_kind == "link" and _continues_link(lines, start, index):
            return False
        if syntax.is_indented(line):
            return one_line  # indented text after a one-line definition is code of its own
        # A definition ends with its line; a fence or `///` opener interrupts a paragraph.
        return bool(first_kind or syntax.FENCE_OPEN.match(line) or syntax.SLASH_BLOCK_OPEN.match(line))
    following = next((later for later in islice(lines, index + 1, None) if later.strip()), None)
    if following is None:
        return True
    if syntax.is_indented(following):
        return one_line  # indented continuation (list item, admonition body, footnote), not of a link
    in_list = bool(syntax.LIST_ITEM.match(first))
    return not (in_list and syntax.LIST_ITEM.match(following))


def _continues_link(lines: list[str], start: int, index: int) -> bool:
    """Whether a line belongs to the link definition above, as Python-Markdown's reference pattern
    reads one: the URL on the next line when the first has none, then a title on the line after it."""
    url_below = syntax.LINK_WITHOUT_URL.match(lines[start]) is not None
    if url_below and index == start + 1:
        return True
    return index == start + 1 + url_below and syntax.LINK_TITLE_LINE.match(lines[index]) is not None


def _stands_alone(line: str) -> bool:
    # Most lines start with neither: skip the three patterns (a tenth of `courseforge check`).
    if not line.lstrip().startswith(("#", "<!--")):
        return False
    return bool(syntax.ATX_HEADING.match(line) or syntax.MARKER.match(line) or syntax.PLACEMENT.match(line))


def _definition_kind(line: str, definitions: frozenset[str]) -> str:
    if "]:" not in line:
        return ""
    return next((kind for kind in definitions if syntax.DEFINITIONS[kind].match(line)), "")


def _trimmed_end(lines: list[str], start: int, end: int) -> int:
    while end > start and not lines[end - 1].strip():
        end -= 1
    return end


class _Scanner:
    """Tracks constructs that may contain blank lines: fences, `///` blocks, HTML blocks."""

    def __init__(self) -> None:
        self.fence = ""
        self.blocks: list[int] = []
        self.html_depth = 0
        self.in_comment = False

    def is_open(self) -> bool:
        return bool(self.fence or self.blocks or self.html_depth > 0 or self.in_comment)

    def feed(self, line: str) -> None:
        if self.feed_fence(line):
            return
        if line.lstrip().startswith("///") and self._feed_slashes(line.strip()):
            return
        if self.in_comment or "<" in line:  # most lines: no HTML to follow
            self._feed_html(syntax.without_code_spans(line))

    def _feed_slashes(self, stripped: str) -> bool:
        """Follow `///` blocks; True when the line opens or closes one."""
        if (match := syntax.SLASH_BLOCK_CLOSE.match(stripped)) and len(match.group("slashes")) in self.blocks:
            while self.blocks and self.blocks.pop() != len(match.group("slashes")):
                pass
            return True
        if match := syntax.SLASH_BLOCK_OPEN.match(stripped):
            self.blocks.append(len(match.group("slashes")))
            return True
        return False

    def feed_fence(self, line: str) -> bool:
        """Follow fenced code only; True when the line opens, is inside or closes a fence."""
        if self.fence:
            stripped = line.strip()
            if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
                self.fence = ""
            return True
        if ("```" in line or "~~~" in line) and (match := syntax.FENCE_OPEN.match(line)):
            self.fence = match.group("fence")
            return True
        return False

    def _feed_html(self, line: str) -> None:
        if self.in_comment:
            self.in_comment = "-->" not in line
            return
        if "<!--" in line and "-->" not in line.rsplit("<!--", 1)[1]:
            self.in_comment = True
        # Only a tag that starts a line opens an HTML block; inside one, every tag counts.
        if "<" in line and (self.html_depth > 0 or syntax.HTML_BLOCK_START.match(line)):
            self.html_depth = max(0, self.html_depth + len(syntax.HTML_OPEN.findall(line))
                                  - len(syntax.HTML_CLOSE.findall(line)))


def _classify(lines: list[str], line_number: int, start: int, end: int, definitions: frozenset[str]) -> Block:
    text = "\n".join(lines)
    first = lines[0]
    span = {"line": line_number, "start": start, "end": end, "words": count_words(text), "images": count_images(text)}
    if syntax.MARKER.match(first) and len(lines) == 1:
        return Block(Kind.MARKER, text, **span)
    if (match := syntax.PLACEMENT.match(first)) and len(lines) == 1:
        return Block(Kind.PLACEMENT, text, key=f"{match['kind']}:{match['ref']}", **span)
    if match := syntax.ATX_HEADING.match(first):
        return _heading(text, span, len(match.group("hashes")), match.group("text") or "")
    if len(lines) == 2 and syntax.SETEXT_UNDERLINE.match(lines[1]) and not syntax.LIST_ITEM.match(first):
        return _heading(text, span, 1 if "=" in lines[1] else 2, first.strip())
    if kind := _definition_kind(first, definitions):
        label = syntax.DEFINITIONS[kind].match(first).group("label")
        return Block(Kind.DEFINITION, text, key=syntax.definition_key(kind, label), **span)
    if (match := syntax.FENCE_OPEN.match(first)) and match.group("info").strip().split(" ")[0].lower() == "mermaid":
        return Block(Kind.DIAGRAM, text, **span)
    return Block(Kind.TEXT, text, **span)


def _heading(text: str, span: dict, level: int, raw_title: str) -> Block:
    anchor_match = syntax.HEADING_ID.search(raw_title)
    title = syntax.ATTR_LIST.sub("", raw_title).strip()
    anchor = anchor_match.group("id") if anchor_match else ""
    return Block(Kind.HEADING, text, level=level, title=title, anchor=anchor, **span)
