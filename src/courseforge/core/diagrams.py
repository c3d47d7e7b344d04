"""Mermaid diagrams drawn to SVG at build time, without a browser, and kept between builds.

mermaidx runs the real Mermaid in an embedded JavaScript engine (QuickJS), about a second
per diagram, most of it loading Mermaid into a fresh engine context. A drawn SVG is stored
under a hash of its source, the renderer's version and the Mermaid settings, so an
unchanged diagram costs nothing on the next build or `serve` rebuild.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ElementTree
from importlib.metadata import version
from pathlib import Path

import cssselect2
import tinycss2

from .cache import ResultCache

RENDERER = f"mermaidx {version('mermaidx')}"
# Bump when what is stored changes shape: every stored SVG then misses once.
STORED_FORMAT = 2
# The id mermaidx gives every SVG (mermaid-cli's); each inlined copy gets one of its own.
RENDER_ID = "my-svg"
# ...in every id made from it: `my-svg_flowchart-v2-pointEnd`, `chart-title-my-svg`
# (Patterns that start with their literal text: a warm build runs them on every diagram.)
ROOT_ID = re.compile(rf"{re.escape(RENDER_ID)}(?<![A-Za-z0-9_]{re.escape(RENDER_ID)})(?![A-Za-z0-9])")
ID = re.compile(r' id="([^"]+)"')
SVG_ROLE = re.compile(r'\A<svg\b([^>]*?)\s+role="[^"]*"')
ROLE_DESCRIPTION = re.compile(r'\A(<svg\b[^>]*?)\s+aria-roledescription="[^"]*"')
# An SVG as Mermaid serialises it: every `<`, `>` and `"` in text and attribute values is escaped,
# so these see start tags and attributes only.
START_TAG = re.compile(r"<[A-Za-z][^<>]*>")
DATA_ATTRIBUTE = re.compile(r' (data-[\w-]+)="[^"]*"')
EMPTY_STYLE = re.compile(r' style=";?"')
STYLE_ELEMENT = re.compile(r"<style>(.*?)</style>", re.DOTALL)


class DiagramError(Exception):
    """Mermaid could not draw a diagram; the message is Mermaid's own, on one line."""


class StaticDiagrams:
    """Draws Mermaid sources to SVG with fixed Mermaid settings, through a cache folder (or none)."""

    def __init__(self, folder: Path | None, settings: dict) -> None:
        self.settings = settings
        self.cache = ResultCache(folder, f"{RENDERER}/{STORED_FORMAT}")
        self.drawn = 0  # diagrams the renderer drew (cache misses): what a build paid for

    def svg(self, source: str) -> str:
        return self.cache.get_or_make(lambda: self._draw(source), "mermaid-svg", source, self.settings)

    def _draw(self, source: str) -> str:
        import mermaidx  # only a cache miss pays for it

        self.drawn += 1
        try:
            return compact_svg(mermaidx.render(source, config=self.settings).svg())
        except RuntimeError as error:  # how mermaidx reports Mermaid's parse and render errors
            raise DiagramError(_mermaid_message(str(error))) from None


def compact_svg(svg: str) -> str:
    """The SVG as the browser draws it, without what only Mermaid's own scripts read.

    Mermaid writes its whole theme stylesheet into every diagram (7 KB for a flowchart, most of it
    for shapes the diagram lacks) and each edge's points again as base64 data. A static diagram
    keeps the rules that select something in it and the `data-` attributes those rules read: it
    draws pixel for pixel as Mermaid's own (tests/test_static_diagrams.py, in Chromium).
    """
    read: set[str] = set()
    if style := STYLE_ELEMENT.search(svg):
        css = _used_rules(svg, style.group(1))
        svg = svg[:style.start(1)] + css + svg[style.end(1):]
        read = set(re.findall(r"data-[\w-]+", css))

    def tidy(tag: re.Match) -> str:
        text = DATA_ATTRIBUTE.sub(lambda a: a.group(0) if a.group(1) in read else "", tag.group(0))
        return EMPTY_STYLE.sub("", text)

    return START_TAG.sub(tidy, svg)


def _used_rules(svg: str, escaped_css: str) -> str:
    """The style rules, each with only the selectors that match an element of the SVG.

    At-rules (keyframes, media) and selectors with a pseudo-class, which depend on more than the
    document, are kept as they are; so is every rule if the SVG is not XML (nothing is guessed).
    """
    try:
        document = cssselect2.ElementWrapper.from_xml_root(ElementTree.fromstring(svg))
    except ElementTree.ParseError:
        return escaped_css
    elements = list(document.iter_subtree())
    kept = []
    for rule in tinycss2.parse_stylesheet(html.unescape(escaped_css), skip_comments=True, skip_whitespace=True):
        if rule.type != "qualified-rule":
            kept.append(rule.serialize())
            continue
        used = [selector for selector in _selector_list(rule.prelude) if _selects_any(selector, elements)]
        if used:
            kept.append(f"{','.join(used)}{{{tinycss2.serialize(rule.content)}}}")
    return html.escape("".join(kept), quote=False)


def _selector_list(prelude: list) -> list[str]:
    """A rule's selectors: its prelude split at its own commas (not those inside `:is(...)`)."""
    selectors: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return [tinycss2.serialize(tokens).strip() for tokens in selectors]


def _selects_any(selector: str, elements: list[cssselect2.ElementWrapper]) -> bool:
    if ":" in selector:
        return True
    try:
        compiled = cssselect2.compile_selector_list(selector)
    except cssselect2.SelectorError:
        return True
    return any(match.test(element) for match in compiled for element in elements)


def inline_svg(svg: str, uid: str) -> str:
    """`svg` ready to inline in a page: ids made unique with `uid` (Mermaid's `<style>` selects by
    `#id`: two diagrams on one page must not restyle each other), announced as one image named
    by its own `<title>` and `<desc>`."""
    # A few diagram types name some elements without the SVG's id (edges, sequence markers).
    others = {name for name in ID.findall(svg) if RENDER_ID not in name}
    svg = ROOT_ID.sub(uid, svg)  # the SVG's own id, and every id and selector made from it
    if others:
        names = "|".join(re.escape(name) for name in sorted(others, key=len, reverse=True))
        reference = re.compile(rf'( id="|#)({names})(?=["\s),.:>{{\[])')
        svg = reference.sub(lambda match: f"{match.group(1)}{uid}-{match.group(2)}", svg)
    svg = ROLE_DESCRIPTION.sub(r"\1", svg)
    return SVG_ROLE.sub(r'<svg\1 role="img"', svg)


def _mermaid_message(text: str) -> str:
    text = text.removeprefix("Mermaid rendering failed: ").removeprefix("Error: ").strip()
    # Mermaid's caret line points into a quoted excerpt: without the excerpt it says nothing.
    return " ".join(line.strip() for line in text.splitlines() if line.strip(" -^"))
