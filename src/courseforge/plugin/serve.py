"""`mkdocs serve` that never lies: it watches every file a lesson is made of, and while a build
fails it serves the reason on every URL instead of a stale site or a request that never returns.

MkDocs watches docs_dir and mkdocs.yml only. Lessons are also made of exercise files and of the
files pymdownx.snippets includes, so those folders are watched too.

When a rebuild raises, MkDocs logs it and keeps the previous build "in progress": every page
request then waits for a build that never finishes. The builder is wrapped so that a failed
build leaves a small error site (the problems, file:line: key: message, as `mkdocs build` prints
them) and counts as finished; the next save rebuilds and the normal site comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import clean_directory

log = get_plugin_logger(__name__)

# Polls MkDocs' own live-reload endpoint: /livereload/0/0 answers the current build at once,
# /livereload/<build>/0 answers when a newer build is there. The 404 page MkDocs serves for
# unknown URLs gets no live-reload script of its own.
RELOAD_SCRIPT = """
fetch("/livereload/0/0").then(r => r.text()).then(function wait(epoch) {
  fetch("/livereload/" + epoch + "/0").then(r => r.text())
    .then(now => now !== epoch ? location.reload() : wait(epoch), () => setTimeout(() => location.reload(), 3000));
});
"""


def watched_paths(config: MkDocsConfig, exercises_dir: Path) -> list[Path]:
    """Folders and files lessons are made of that MkDocs itself does not watch."""
    return [path for path in dict.fromkeys([exercises_dir, *snippet_folders(config)]) if path.exists()]


def snippet_folders(config: MkDocsConfig) -> list[Path]:
    """Where pymdownx.snippets reads included files from (see _watchable), existing ones only."""
    root = Path(config.config_file_path or ".").resolve().parent
    docs_dir = Path(config.docs_dir).resolve()
    site_dir = Path(config.site_dir).resolve()  # what the build writes: no snippet comes from there
    paths = [path for base in _snippet_bases(config) for path in _watchable(base, root, docs_dir)]
    return [path for path in paths if path.exists() and path.resolve() != site_dir]


def _snippet_bases(config: MkDocsConfig) -> list[Path]:
    names = [e if isinstance(e, str) else type(e).__module__ for e in config.markdown_extensions]
    if "pymdownx.snippets" not in names:
        return []
    bases = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    # Relative to the working folder, as pymdownx.snippets reads them.
    return [Path(base).resolve() for base in ([bases] if isinstance(bases, str) else bases)]


def _watchable(base: Path, root: Path, docs_dir: Path) -> list[Path]:
    """`base`, or, when it holds the whole project, what the project holds besides hidden folders
    (.git, .venv, the build cache: watching those would rebuild on every build) and docs_dir."""
    if not (root == base or root.is_relative_to(base)):
        return [base]
    return [entry for entry in sorted(root.iterdir())
            if not entry.name.startswith(".") and entry.resolve() != docs_dir]


def keep_serving(builder: Callable[[], None], site_dir: Path, problems: Callable[[], list[str]]) -> Callable[[], None]:
    """`builder`, turned so that a failed build serves why it failed instead of hanging."""
    def build() -> None:
        try:
            builder()
        except Exception as error:  # noqa: BLE001 - any failure: the author must see it, not a stale site
            reasons = problems() or [str(error) or type(error).__name__]
            write_error_site(site_dir, reasons)
            log.error("the preview shows the problems above until they are fixed")
    return build


def write_error_site(site_dir: Path, reasons: list[str]) -> None:
    """A one-page site: `index.html` for the root and `404.html`, which MkDocs serves for every other URL."""
    clean_directory(str(site_dir))
    items = "\n".join(f"<li><code>{escape(reason)}</code></li>" for reason in reasons)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed - courseforge preview</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
li{{margin:.5rem 0}}code{{white-space:pre-wrap}}</style></head>
<body><main><h1>The site cannot be built</h1>
<p>Fix these problems and save: this page reloads with the site.</p>
<ul>
{items}
</ul></main><script>{RELOAD_SCRIPT}</script></body></html>
"""
    site_dir.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "404.html"):
        (site_dir / name).write_text(page, encoding="utf-8")
