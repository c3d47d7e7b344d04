"""What a learner's browser downloads for one page: gzip bytes of the HTML and of every stylesheet
and script it loads, and whether anything on it would make the browser fetch Mermaid."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from pathlib import Path

GZIP_LEVEL = 6  # what nginx and CDNs typically use
TAG = re.compile(r"<(script|link)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r"""\b(src|href|rel)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
REMOTE = re.compile(r"^\s*(?:[a-z]+:)?//", re.IGNORECASE)
SEARCH_WORKER = re.compile(r'"search":\s*"([^"]+)"')
# Markup that makes a browser draw a diagram with Mermaid: courseforge's lazy loader marks its
# diagrams, Material fetches Mermaid for <pre class="mermaid">, or a page loads the library itself.
MERMAID_CLIENT = re.compile(r'<(?:pre|div)\b[^>]*(?:data-cf-diagram|class="mermaid")|<script[^>]+src="[^"]*mermaid',
                            re.IGNORECASE)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))


@dataclass(frozen=True)
class PageWeight:
    page: str
    html: int
    assets: dict[str, int] = field(default_factory=dict)  # URL as written in the page -> gzip bytes
    mermaid_client: int = 0  # markers that make the browser fetch Mermaid

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


def attributes(text: str) -> dict[str, str]:
    return {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in ATTR.finditer(text)}


def loaded_assets(html: str) -> list[str]:
    """Local stylesheets and scripts the page loads, and Material's search worker."""
    urls = []
    for match in TAG.finditer(html):
        attrs = attributes(match.group(2))
        if match.group(1).lower() == "link" and "stylesheet" in attrs.get("rel", "").split():
            urls.append(attrs.get("href", ""))
        elif match.group(1).lower() == "script":
            urls.append(attrs.get("src", ""))
    if worker := SEARCH_WORKER.search(html):
        urls.append(worker.group(1))
    return [url for url in urls if url and not REMOTE.match(url) and not url.startswith("data:")]


def page_weight(site: Path, page: str) -> PageWeight:
    path = site / page
    html = path.read_text(encoding="utf-8")
    assets = {}
    for url in loaded_assets(html):
        asset = (path.parent / url.split("#")[0].split("?")[0]).resolve()
        if not asset.is_file():
            raise FileNotFoundError(f"{page} of {site} loads {url}, which is not in the site")
        assets[url] = gz(asset.read_bytes())
    return PageWeight(page, gz(html.encode()), assets, len(MERMAID_CLIENT.findall(html)))


def diagrams_in(site: Path) -> int:
    """Diagrams the lazy loader draws in a site built with `diagrams: client` (courseforge's default)."""
    return sum(path.read_text(encoding="utf-8").count("data-cf-diagram") for path in site.rglob("*.html"))


# A diagram in any form: for the lazy loader, for Material's Mermaid, or an SVG Mermaid drew.
DIAGRAM = re.compile(r'data-cf-diagram|class="mermaid"|aria-roledescription="')


def diagram_marks(site: Path) -> int:
    return sum(len(DIAGRAM.findall(path.read_text(encoding="utf-8"))) for path in site.rglob("*.html"))


def diagram_lesson(lessons: Path) -> str:
    """The page of the first lesson with a body diagram (inside its free preview), e.g. course-01/l03-x/index.html."""
    for source in sorted(lessons.glob("course-*/l*.md")):
        if "```mermaid" in source.read_text(encoding="utf-8"):
            return f"{source.parent.name}/{source.stem}/index.html"
    raise FileNotFoundError(f"no lesson with a diagram under {lessons}")
