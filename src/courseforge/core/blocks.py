"""Split a lesson body into top-level Markdown blocks.

The preview may only end between two top-level blocks, so a block here is everything that
must stay together: a paragraph, a whole list (loose items included), a table, a fenced
code block or diagram, a `///` block, an indented admonition body, an HTML block.
Footnote, link-reference and abbreviation definitions are kept apart as `definition`
blocks, because they belong to whichever part references them, not to where they sit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from itertools import islice

FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
BLOCK_OPEN = re.compile(r"^(?P<slashes>/{3,})\s*[\w-]")
BLOCK_CLOSE = re.compile(r"^(?P<slashes>/{3,})\s*$")
ATX_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t#]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")
DEFINITION = re.compile(r"^ {0,3}(?:\[\^(?P<footnote>[^\]]+)\]|\[(?P<link>[^\]^][^\]]*)\]|\*\[(?P<abbr>[^\]]+)\]):")
HTML_OPEN = re.compile(r"<(div|details|figure|section|aside|table|blockquote)\b", re.IGNORECASE)
HTML_CLOSE = re.compile(r"</(div|details|figure|section|aside|table|blockquote)\s*>", re.IGNORECASE)
MARKER = re.compile(r"^\s*<!--\s*pro\s*-->\s*$", re.IGNORECASE)
PLACEMENT = re.compile(r"^\s*<!--\s*(?P<kind>exercise|example|visual|download|quiz)\s*:\s*(?P<ref>.+?)\s*-->\s*$")
HEADING_ID = re.compile(r"\s*\{:?\s*[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")


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
    line: int
    level: int = 0          # heading level
    title: str = ""         # heading text without attribute list
    anchor: str = ""        # explicit heading id ({#id}), if any
    key: str = ""           # definition label, or placement kind:ref


def split_blocks(body: str, first_line: int = 1) -> list[Block]:
    """Top-level blocks of a Markdown body, in order."""
    return [_classify(lines, first_line + start) for start, lines in _chunks(body.splitlines())]


def _chunks(lines: list[str]):
    """Yield (line index, lines) groups that must stay together."""
    chunk: list[str] = []
    start = 0
    scanner = _Scanner()
    for index, line in enumerate(lines):
        if not chunk:
            if not line.strip():
                continue
            start = index
        elif scanner.is_open():
            pass
        elif _starts_new_block(chunk, line, lines, index):
            yield start, _trim(chunk)
            chunk, start = [], index
            if not line.strip():
                continue
        chunk.append(line)
        scanner.feed(line)
        if _stands_alone(line) and not scanner.is_open():
            yield start, chunk
            chunk = []
    if chunk:
        yield start, _trim(chunk)


def _starts_new_block(chunk: list[str], line: str, lines: list[str], index: int) -> bool:
    if _stands_alone(line) or _stands_alone(chunk[0]) or DEFINITION.match(line):
        return True
    if line.strip():
        if _is_indented(line):
            return False
        # A definition ends with its line; a fence or `///` opener interrupts a paragraph.
        return bool(DEFINITION.match(chunk[0]) or FENCE_OPEN.match(line) or BLOCK_OPEN.match(line))
    following = next((later for later in islice(lines, index + 1, None) if later.strip()), None)
    if following is None:
        return True
    if _is_indented(following):
        return False  # indented continuation: list item, admonition body, footnote
    in_list = bool(LIST_ITEM.match(chunk[0]))
    return not (in_list and LIST_ITEM.match(following))


def _stands_alone(line: str) -> bool:
    # Most lines start with neither: skip the three patterns (a tenth of `courseforge check`).
    if not line.lstrip().startswith(("#", "<!--")):
        return False
    return bool(ATX_HEADING.match(line) or MARKER.match(line) or PLACEMENT.match(line))


def _is_indented(line: str) -> bool:
    return line.startswith(("    ", "\t"))


def _trim(chunk: list[str]) -> list[str]:
    while chunk and not chunk[-1].strip():
        chunk.pop()
    return chunk


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
        stripped = line.strip()
        if self.fence:
            if stripped.startswith(self.fence) and not stripped.strip(self.fence[0]):
                self.fence = ""
            return
        if match := FENCE_OPEN.match(line):
            self.fence = match.group("fence")
            return
        if (match := BLOCK_CLOSE.match(stripped)) and len(match.group("slashes")) in self.blocks:
            while self.blocks and self.blocks.pop() != len(match.group("slashes")):
                pass
            return
        if match := BLOCK_OPEN.match(stripped):
            self.blocks.append(len(match.group("slashes")))
            return
        self._feed_html(line)

    def _feed_html(self, line: str) -> None:
        if self.in_comment:
            self.in_comment = "-->" not in line
            return
        if "<!--" in line and "-->" not in line.rsplit("<!--", 1)[1]:
            self.in_comment = True
        if "<" in line:
            self.html_depth += len(HTML_OPEN.findall(line)) - len(HTML_CLOSE.findall(line))


def _classify(lines: list[str], line_number: int) -> Block:
    text = "\n".join(lines)
    first = lines[0]
    if MARKER.match(first) and len(lines) == 1:
        return Block(Kind.MARKER, text, line_number)
    if (match := PLACEMENT.match(first)) and len(lines) == 1:
        return Block(Kind.PLACEMENT, text, line_number, key=f"{match['kind']}:{match['ref']}")
    if match := ATX_HEADING.match(first):
        return _heading(text, line_number, len(match.group("hashes")), match.group("text") or "")
    if len(lines) == 2 and SETEXT_UNDERLINE.match(lines[1]) and not LIST_ITEM.match(first):
        return _heading(text, line_number, 1 if "=" in lines[1] else 2, first.strip())
    if match := DEFINITION.match(first):
        label = match.group("footnote") or match.group("link") or match.group("abbr")
        prefix = "^" if match.group("footnote") else ("*" if match.group("abbr") else "")
        return Block(Kind.DEFINITION, text, line_number, key=prefix + label.strip().lower())
    if (match := FENCE_OPEN.match(first)) and match.group("info").strip().split(" ")[0].lower() == "mermaid":
        return Block(Kind.DIAGRAM, text, line_number)
    return Block(Kind.TEXT, text, line_number)


def _heading(text: str, line_number: int, level: int, raw_title: str) -> Block:
    anchor_match = HEADING_ID.search(raw_title)
    title = ATTR_LIST.sub("", raw_title).strip()
    anchor = anchor_match.group("id") if anchor_match else ""
    return Block(Kind.HEADING, text, line_number, level=level, title=title, anchor=anchor)


FOOTNOTE_REF = re.compile(r"\[\^([^\]]+)\](?!:)")
LINK_REF = re.compile(r"\]\s?\[([^\]^]*)\]|\[([^\]^][^\]]*)\](?![\[(:])")
ABBREVIATION_WORD = re.compile(r"[\w-]+")


def references(text: str) -> set[str]:
    """Definition keys that a Markdown text may use (footnotes, link references, abbreviations)."""
    keys = {"^" + label.strip().lower() for label in FOOTNOTE_REF.findall(text)}
    for full, collapsed in LINK_REF.findall(text):
        keys.add((full or collapsed).strip().lower())
    keys.update("*" + word.lower() for word in ABBREVIATION_WORD.findall(text))
    return keys
