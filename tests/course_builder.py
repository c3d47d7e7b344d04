"""Helpers for the fail-closed tests: write course folders, build them (real MkDocs, in-process
or through the command line), and read the built HTML the way a visitor's browser would."""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from courseforge.build import build_site
from sites import FIXTURES

CASES = FIXTURES / "cases"
CANARY = re.compile(r"(?<![A-Z])CANARY[A-Z0-9]+")
PUBLIC = re.compile(r"(?<![A-Z])PUBLIC[A-Z0-9]+")
# Where locked headings may show: the paywall's outline and the locked items of the lesson outline.
OUTLINE = re.compile(r'<div\b[^>]*\bcf-paywall__outline\b.*?</div>|<li class="md-nav__item cf-outline__locked">.*?</li>',
                     re.DOTALL)


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path relative to `root` -> text or bytes) and return `root`."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def source_tokens(project: Path, pattern: re.Pattern) -> set[str]:
    """Every token matching `pattern` in any file of a course project (sources, not the site)."""
    return {token for path in project.rglob("*") if path.is_file() and "site" not in path.relative_to(project).parts
            for token in pattern.findall(path.read_bytes().decode("utf-8", "replace"))}


def build_in_process(mkdocs_yml: Path, site: Path, edition: str) -> Path:
    """A real, strict MkDocs build of one edition inside this process (no subprocess start-up)."""
    return build_site(mkdocs_yml, edition, site)


def page(site: Path, url: str) -> BeautifulSoup:
    """The parsed HTML of the page at directory URL `url` ('' for the home page)."""
    path = site / url / "index.html" if url else site / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_pages(site: Path) -> dict[str, BeautifulSoup]:
    return {path.relative_to(site).as_posix(): BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            for path in sorted(site.rglob("*.html"))}


def visible_text(soup: BeautifulSoup | Tag) -> str:
    """The text a reader sees: no scripts, styles or templates; whitespace collapsed."""
    copy = BeautifulSoup(str(soup), "html.parser")
    for hidden in copy.select("script, style, template"):
        hidden.decompose()
    return " ".join(copy.get_text(" ").split())


def without_outline(text: str) -> str:
    """A file's text without the outlines of locked headings, the one place they may show."""
    return OUTLINE.sub("", text)


def body_elements(soup: BeautifulSoup, missing_ok: bool = False) -> list[str]:
    """The top-level elements of the lesson body, normalised for comparison between editions.

    Whitespace is collapsed; footnote references lose their numbers and the footnotes list is
    dropped (a preview numbers only the footnotes it shows). With `missing_ok`, a page without a
    body (a public page with nothing to preview may leave it out) has no elements.
    """
    body = soup.select_one(".cf-lesson__body")
    if body is None and missing_ok:
        return []
    assert body is not None, "a lesson page has a .cf-lesson__body"
    copy = BeautifulSoup(str(body), "html.parser").select_one(".cf-lesson__body")
    for footnotes in copy.select("div.footnote"):
        footnotes.decompose()
    for reference in copy.select("sup[id^='fnref']"):
        reference.replace_with("[footnote]")
    return [" ".join(str(child).split()) for child in copy.children if isinstance(child, Tag)]


def heading_text(heading: Tag) -> str:
    """A heading's text as a reader sees it, without the permalink sign."""
    copy = BeautifulSoup(str(heading), "html.parser")
    for link in copy.select("a.headerlink"):
        link.decompose()
    return " ".join(copy.get_text(" ").split())
