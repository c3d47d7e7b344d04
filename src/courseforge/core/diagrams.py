"""Mermaid diagrams drawn to SVG at build time, without a browser, and kept between builds.

mermaidx runs the real Mermaid in an embedded JavaScript engine (QuickJS), about a second
per diagram, most of it loading Mermaid into a fresh engine context. A drawn SVG is stored
under a hash of its source, the renderer's version and the Mermaid settings, so an
unchanged diagram costs nothing on the next build or `serve` rebuild.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

from .cache import ResultCache

RENDERER = f"mermaidx {version('mermaidx')}"
# Bump when what is stored changes shape: every stored SVG then misses once.
STORED_FORMAT = 1
# The id mermaidx gives every SVG (mermaid-cli's); each inlined copy gets one of its own.
RENDER_ID = "my-svg"
# ...in every id made from it: `my-svg_flowchart-v2-pointEnd`, `chart-title-my-svg`
# (Patterns that start with their literal text: a warm build runs them on every diagram.)
ROOT_ID = re.compile(rf"{re.escape(RENDER_ID)}(?<![A-Za-z0-9_]{re.escape(RENDER_ID)})(?![A-Za-z0-9])")
ID = re.compile(r' id="([^"]+)"')
SVG_ROLE = re.compile(r'\A<svg\b([^>]*?)\s+role="[^"]*"')
ROLE_DESCRIPTION = re.compile(r'\A(<svg\b[^>]*?)\s+aria-roledescription="[^"]*"')


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
            return mermaidx.render(source, config=self.settings).svg()
        except RuntimeError as error:  # how mermaidx reports Mermaid's parse and render errors
            raise DiagramError(_mermaid_message(str(error))) from None


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
