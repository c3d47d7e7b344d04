"""Python-Markdown with the site's own extensions: the authority on how a lesson renders.

courseforge's block splitter proposes where a preview may end; this module decides whether
that cut is sound, by rendering the preview and the whole lesson and requiring the preview's
top-level HTML elements to be exactly the first elements of the whole lesson's. It also reads
the real table of contents (ids and plain text as the `toc` extension makes them).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown
from markdown.extensions.footnotes import FootnoteExtension

from . import syntax
from .cache import stable
from .readtime import count_plain_words

VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
FOOTNOTE_NUMBER = re.compile(r'(<a class="footnote-ref" href="#fn:[^"]*">)\d+(</a>)')
FOOTNOTES_DIV = '<div class="footnote">'
ABBREVIATION = re.compile(r"<abbr\b[^>]*>(.*?)</abbr>", re.DOTALL)


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str        # plain text, as the pro page's table of contents shows it


@dataclass(frozen=True)
class Rendering:
    html: str
    chunks: tuple[str, ...]       # top-level elements, footnotes left out
    headings: tuple[Heading, ...]
    balanced: bool                # False when raw HTML left an element open
    used: frozenset[str] = frozenset()  # keys of the definitions the text used, as Markdown found them


class _Lookups(dict):
    """Python-Markdown's link references, noting which ones a document looked up."""

    def __init__(self) -> None:
        super().__init__()
        self.used: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.used.add(key)
        return super().__getitem__(key)

    def clear(self) -> None:  # Markdown.reset() clears it between documents
        super().clear()
        self.used = set()


class Renderer:
    """One Markdown instance, reset between documents (building one per page is slow)."""

    def __init__(self, extensions: Sequence[Any], configs: dict[str, dict]) -> None:
        self.md = markdown.Markdown(extensions=list(extensions), extension_configs=configs)
        self.md.references = self.references = _Lookups()
        self.footnotes = next((e for e in self.md.registeredExtensions if isinstance(e, FootnoteExtension)), None)
        self.enabled = {e if isinstance(e, str) else type(e).__module__ for e in extensions}
        # What a stored result of this renderer depends on (see cache.py).
        self.fingerprint = json.dumps(stable([list(extensions), configs]))

    def has(self, extension: str) -> bool:
        """Whether the site enables a Markdown extension (by its short or module name)."""
        return any(name in (extension, f"markdown.extensions.{extension}") for name in self.enabled)

    def definition_kinds(self) -> frozenset[str]:
        """The kinds of definitions (footnotes, abbreviations, link references) this site gives meaning."""
        return frozenset(kind for kind, extension in syntax.DEFINITION_EXTENSIONS.items()
                         if extension is None or self.has(extension))

    def render(self, text: str) -> Rendering:
        self.md.reset()
        output = self.md.convert(text)
        chunks, balanced = top_level_chunks(output)
        tokens = getattr(self.md, "toc_tokens", [])
        return Rendering(output, tuple(c for c in chunks if not c.startswith(FOOTNOTES_DIV)),
                         tuple(_flatten(tokens)), balanced, self._used_definitions(output))

    def _used_definitions(self, output: str) -> frozenset[str]:
        """The definitions the last document used: the footnotes it referenced, the link references it
        looked up, the abbreviations marked in its HTML (an unused one prints nothing)."""
        used = {syntax.definition_key("link", label) for label in self.references.used}
        # (A Python-Markdown without footnote_order: no footnote counts as used, and the preview is shorter.)
        used |= {syntax.definition_key("footnote", label) for label in getattr(self.footnotes, "footnote_order", ())}
        used |= {syntax.definition_key("abbreviation", html.unescape(term)) for term in ABBREVIATION.findall(output)}
        return frozenset(used)


def is_prefix(preview: Rendering, whole: Rendering) -> bool:
    """Whether the preview renders as exactly the first top-level elements of the whole lesson.

    Footnote numbers may differ (the preview holds fewer footnotes); nothing else may.
    """
    if not preview.balanced or len(preview.chunks) > len(whole.chunks):
        return False
    return all(_comparable(a) == _comparable(b) for a, b in zip(preview.chunks, whole.chunks, strict=False))


def _comparable(chunk: str) -> str:
    return FOOTNOTE_NUMBER.sub(r"\1\2", chunk) if "footnote-ref" in chunk else chunk


def visible_words(fragments: Iterable[str]) -> int:
    """Words a learner reads in HTML fragments: their text and the `title` and `alt` of their links
    and images (tooltips, image descriptions), without scripts, styles and diagram sources (a
    diagram is timed as an image)."""
    reader = _VisibleText()
    for fragment in fragments:
        reader.feed(fragment)
    reader.close()
    return count_plain_words(" ".join(reader.text))


class _VisibleText(HTMLParser):
    HIDDEN = frozenset(("script", "style", "template"))
    # Links and images an author describes; not <abbr>, whose title a glossary repeats at every use.
    DESCRIBED = frozenset(("a", "img"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hidden: list[str] = []  # open elements whose text is not read

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag in self.HIDDEN or self.hidden or (tag == "pre" and "mermaid" in (values.get("class") or "").split()):
            if tag not in VOID_ELEMENTS:
                self.hidden.append(tag)
            return
        if tag in self.DESCRIBED:
            self.text.extend(values[name] for name in ("title", "alt") if values.get(name))

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def _flatten(tokens: list[dict]):
    for token in tokens:
        label = token.get("data-toc-label") or token.get("name", "")
        yield Heading(token["level"], token["id"], html.unescape(_strip_tags(label)))
        yield from _flatten(token.get("children", []))


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text) if "<" in text else text


class _Chunker(HTMLParser):
    """Finds where each top-level element of an HTML fragment ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.stack: list[str] = []
        self.ends: list[tuple[int, int]] = []  # (line, column) after each top-level element

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)
        elif not self.stack:
            self._top_level_end()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if not self.stack:
            self._top_level_end()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass
            if not self.stack:
                self._top_level_end()
        elif not self.stack:  # a stray end tag (raw HTML Markdown could not pair) stands alone
            self._top_level_end()

    def handle_comment(self, data: str) -> None:
        if not self.stack:
            self._top_level_end()

    def handle_data(self, data: str) -> None:
        if not self.stack and data.strip():
            self._top_level_end()

    def _top_level_end(self) -> None:
        self.ends.append(self.getpos())


def top_level_chunks(fragment: str) -> tuple[list[str], bool]:
    """The top-level pieces of an HTML fragment, and whether every element was closed."""
    chunker = _Chunker()
    chunker.feed(fragment)
    chunker.close()
    line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
    chunks: list[str] = []
    previous = 0
    for line, column in chunker.ends:
        # getpos() is where the last event began: extend to the end of that tag or text.
        end = _event_end(fragment, line_starts[line - 1] + column)
        if fragment[previous:end].strip():
            chunks.append(fragment[previous:end].strip())
        previous = end
    rest = fragment[previous:].strip()
    if rest:
        chunks.append(rest)
    return chunks, not chunker.stack


def _event_end(fragment: str, position: int) -> int:
    if fragment.startswith("<!--", position):
        return fragment.find("-->", position) + 3
    if fragment.startswith("<", position):
        return fragment.find(">", position) + 1
    end = fragment.find("<", position)
    return len(fragment) if end < 0 else end
