"""Builds that redo only what changed, and make what a full build makes.

MkDocs rebuilds the whole site after every save: it renders every page's Markdown and every
page's template again (at 800 lessons, most of a build). `serve --dirty` skips unchanged pages
altogether, which leaves their navigation and Material's search index stale. Here every page
still goes through every event; what is reused are three results, each only while everything it
was made from is the same as in the previous build:

- a lesson's or workbook's Markdown render (HTML, table of contents, anchors, the log lines it produced), by
  the Markdown MkDocs is about to render (after every plugin's on_page_markdown) and the site,
  when every Markdown extension is one known to read nothing else (a render is then a function
  of its Markdown and settings);
- a page's template output, by the page's HTML, title, meta and URL, the whole navigation (so a
  title or order change renders every page again), the values of the `courseforge` template
  variables the template read last time (a lesson's view, its course, the course listings...),
  and the site;
- a page's entries in Material's search index, by what Material reads of the page (its HTML,
  table of contents, URL, title and meta): parsing every page's HTML again would otherwise be a
  third of a rebuild;
- that a check of a page passed, by everything the check reads: a check that parses every
  preview's HTML again was half of a one-lesson rebuild. Only passes are kept: a failing check
  runs, and reports, every time.

"The site" is mkdocs.yml, the author's templates, the snippet folders and the list of files;
when it changes, nothing is reused. Plugins whose effect on a page courseforge does not know
may keep state across pages or change the template context: with any other plugin enabled,
nothing is reused.

`mkdocs build` reuses renders and search entries too, from the last build of the same
configuration and edition, kept on disk (see stored.py): rendering lessons and parsing their
HTML for the search index are most of a build. Template outputs are kept only in memory
(`serve`): they are the bulk of the site's bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from material.plugins.search.plugin import SearchIndex
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from ..core.cache import Memo
from .context import PageContext
from .serve import snippet_folders
from .stored import INSTALLED, LogLine, Rendered, StoredRenders, digest

# Plugins known to keep no state across pages and to add nothing to a page's template context.
KNOWN_PLUGINS = {"search", "courseforge", "mermaid2"}
# Markdown extensions known to read nothing but the page's Markdown and their settings, so a
# render is a function of those. Not pymdownx.b64 (it reads images); pymdownx.snippets reads
# files, but a lesson's Markdown reaches MkDocs with its snippets already expanded (includes.py).
PYTHON_MARKDOWN = {"abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes", "legacy_attrs",
                   "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks",
                   "codehilite"}
PURE_PACKAGES = ("pymdownx.", "material.extensions.", "courseforge.")
NOT_PURE = {"pymdownx.b64"}
MEMO_TEMPLATE = "courseforge/memo.html"  # prints `courseforge_memo`: a page's stored template output


@dataclass
class Output:
    facts: tuple
    reads: dict[str, Any]  # the `courseforge` variables the template read, with their values
    html: str


class Recording:
    """A page's `courseforge` template variable that notes which of its attributes the template reads."""

    def __init__(self, context: PageContext) -> None:
        self._context = context
        self.reads: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._context, name)
        self.reads[name] = value
        return value


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class PageMemo:
    serving: bool = True  # `serve` also reuses template outputs and the loader's work (live objects)
    store: StoredRenders | None = None  # `build`: renders and search entries of the last build, on disk
    renders: Memo = field(default_factory=Memo)
    outputs: Memo = field(default_factory=Memo)
    searches: Memo = field(default_factory=Memo)
    lessons: Memo = field(default_factory=Memo)  # the loader's and the edition's (see core/cache.py)
    published: Memo = field(default_factory=Memo)  # what each built file refers to (core/published.py)
    checks: Memo = field(default_factory=Memo)  # checks that passed
    site: str = ""
    active: bool = False
    reuse_renders: bool = False
    nav: tuple = ()
    hits: dict[str, str] = field(default_factory=dict)  # src_uri -> stored template output, this build
    recordings: dict[str, tuple[tuple, Recording]] = field(default_factory=dict)
    _collect: _Collect | None = None

    # --- per build ----------------------------------------------------------------------

    def begin(self, config: MkDocsConfig, files: Files) -> None:
        """A new build: keep what it may reuse, drop everything when the site itself changed."""
        self._stop_collecting()  # a render that raised in the build before left it attached
        pages = _pages_key(config, files)
        site = _site_key(config, pages)
        self.active = set(_plugin_names(config)) <= KNOWN_PLUGINS
        self.reuse_renders = self.active and all(map(_reads_only_the_page, config.markdown_extensions))
        if site != self.site:
            for memo in self._memos:
                memo.clear()
        self.site = site
        for memo in self._memos:
            memo.next_build()
        self.hits, self.recordings = {}, {}
        if self.active and self.store:
            # Not the site key: templates make no render, and a lesson's snippets are expanded
            # in its Markdown (includes.py), so a fresh clone in CI, all new mtimes, still hits.
            self.store.begin(config, pages)
        if self.active:
            self._remember_search(config)

    def end(self) -> None:
        """The build is complete: the store keeps what it used, for the next `mkdocs build`."""
        if self.active and self.store:
            self.store.end()

    def _remember_search(self, config: MkDocsConfig) -> None:
        """Material's search index (made afresh in its on_config) adds a page's entries from memory when it can."""
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if type(index) is not SearchIndex:
            return
        add_page = index.add_entry_from_context

        def add_entry_from_context(page: Page) -> None:
            facts = digest([page.url, page.title, page.content, _toc_facts(page.toc),
                            *(page.meta.get(key) for key in ("title", "tags", "search"))])  # what Material reads
            key = ("search", page.file.src_uri, facts)
            entries = self._get(self.searches, key, list)
            if entries is None:
                known = len(index.entries)
                add_page(page)
                self._put(self.searches, key, [dict(entry) for entry in index.entries[known:]], list)
            else:
                index.entries.extend(dict(entry) for entry in entries)
        index.add_entry_from_context = add_entry_from_context

    def _get(self, memo: Memo, key: tuple[str, ...], from_json: Callable[[Any], Any]) -> Any:
        """From memory (the `serve` rebuild before), or from the store (the last `mkdocs build`)."""
        if self.store is None:
            return memo.get(key)
        stored = self.store.get(*key)
        return None if stored is None else from_json(stored)

    def _put(self, memo: Memo, key: tuple[str, ...], value: Any, to_json: Callable[[Any], Any]) -> None:
        if self.store is None:
            memo.put(key, value)
        else:  # a build's results go to disk only: holding them too would double its memory
            self.store.put(to_json(value), *key)

    @property
    def _memos(self) -> tuple[Memo, ...]:
        return self.renders, self.outputs, self.searches, self.lessons, self.published, self.checks

    # --- checks -------------------------------------------------------------------------

    def check(self, run: Callable[[], None], name: str, page: Page, *reads: str) -> None:
        """Run a check that raises when it fails, unless it passed on the same `reads` before."""
        key = (name, page.file.src_uri, digest(list(reads)))
        if self.active and self._get(self.checks, key, bool):
            return
        run()
        if self.active:
            self._put(self.checks, key, True, bool)

    # --- Markdown renders ---------------------------------------------------------------

    def before_render(self, page: Page, markdown: str) -> None:
        """Called with the Markdown MkDocs renders next: reuse its last render, or record this one."""
        if not self.reuse_renders:
            return
        rendered = self._get(self.renders, ("render", page.file.src_uri, digest(markdown)), Rendered.from_json)
        if rendered is None:
            self._collect = _Collect()
            logging.getLogger("mkdocs").addHandler(self._collect)
            return

        def render(config: MkDocsConfig, files: Files) -> None:
            _restore(page, rendered, files)
        # MkDocs calls page.render() right after on_page_markdown: this page's call restores instead.
        page.render = render

    def after_render(self, page: Page) -> None:
        collected = self._stop_collecting()
        if collected is None:
            return
        links = {file.src_uri: dict(anchors) for file, anchors in (page.links_to_anchors or {}).items()}
        rendered = Rendered(page.content, page.toc, page._title_from_render, set(page.present_anchor_ids or ()),
                            links, [LogLine.of(record) for record in collected.records])
        self._put(self.renders, ("render", page.file.src_uri, digest(page.markdown)), rendered, Rendered.to_json)

    def _stop_collecting(self) -> _Collect | None:
        collected, self._collect = self._collect, None
        if collected is not None:
            logging.getLogger("mkdocs").removeHandler(collected)
        return collected

    # --- template outputs ---------------------------------------------------------------

    def choose_templates(self, nav: Navigation, pages: list[Page], contexts: dict[str, PageContext]) -> None:
        """After every page is rendered (all titles known), before any template: reuse unchanged outputs."""
        if not (self.active and self.serving):
            return
        facts = tuple(_nav_facts(nav.items))
        # The previous build's tuple when equal: each page's comparison below then finds it by identity.
        self.nav = self.nav if facts == self.nav else facts
        for page in pages:
            facts = self._facts(page)
            stored: Output | None = self.outputs.get(page.file.src_uri)
            context = contexts[page.file.src_uri]
            if stored and stored.facts == facts and all(getattr(context, name) == value
                                                        for name, value in stored.reads.items()):
                self.hits[page.file.src_uri] = stored.html
                page.meta["template"] = MEMO_TEMPLATE

    def template_variables(self, page: Page, context: PageContext) -> dict[str, Any]:
        """The variables courseforge adds to the page's template context."""
        if page.file.src_uri in self.hits:
            return {"courseforge_memo": Markup(self.hits[page.file.src_uri])}
        if not (self.active and self.serving):
            return {"courseforge": context}
        recording = Recording(context)
        self.recordings[page.file.src_uri] = (self._facts(page), recording)
        return {"courseforge": recording}

    def rendered_template(self, page: Page, html: str) -> None:
        facts, recording = self.recordings.pop(page.file.src_uri, (None, None))
        if recording is not None:
            self.outputs.put(page.file.src_uri, Output(facts, recording.reads, html))

    def report(self, pages: int) -> str:
        return f"rebuilt {pages - len(self.hits)} of {pages} pages, the others as the previous build made them"

    def _facts(self, page: Page) -> tuple:
        return (self.site, self.nav, page.url, page.title, page.content, _toc_facts(page.toc), dict(page.meta),
                page.is_homepage, page.edit_url, page.canonical_url)


def _restore(page: Page, rendered: Rendered, files: Files) -> None:
    page.content, page.toc, page._title_from_render = rendered.content, rendered.toc, rendered.title
    page.present_anchor_ids = set(rendered.anchors)
    page.links_to_anchors = {file: dict(anchors) for uri, anchors in rendered.links.items()
                             if (file := files.get_file_from_path(uri)) is not None}
    for line in rendered.log:
        line.emit()


def _reads_only_the_page(extension: object) -> bool:
    name = extension if isinstance(extension, str) else type(extension).__module__
    name = name.removeprefix("markdown.extensions.")
    return name in PYTHON_MARKDOWN or (name.startswith(PURE_PACKAGES) and name not in NOT_PURE)


def _plugin_names(config: MkDocsConfig) -> Iterator[str]:
    for name in config.plugins:
        yield name.split("/")[-1].split(" #")[0]


def _pages_key(config: MkDocsConfig, files: Files) -> str:
    """What a render of courseforge's whole Markdown and its search entries depend on besides
    the Markdown, the code and the settings: mkdocs.yml, the plugins and every file's address."""
    config_file = config.config_file_path
    return digest([Path(config_file).read_text(encoding="utf-8", errors="replace")
                   if config_file and os.path.isfile(config_file) else "",
                   sorted(_plugin_names(config)), sorted((f.src_uri, f.url) for f in files)])


def _site_key(config: MkDocsConfig, pages: str) -> str:
    """The pages key, the author's templates and the snippet folders (as of their last change)."""
    key = hashlib.sha256(pages.encode())
    authored = [Path(d) for d in config.theme.dirs
                if not any(Path(d).resolve().is_relative_to(installed) for installed in INSTALLED)]
    for folder in [*authored, *snippet_folders(config)]:
        for path in sorted(folder.rglob("*")) if folder.is_dir() else [folder]:
            stat = path.stat()
            key.update(f"{path}\0{stat.st_mtime_ns}\0{stat.st_size}\n".encode())
    return key.hexdigest()


def _nav_facts(items: list) -> Iterator[tuple]:
    # A page's meta too: the theme shows some of it in every page's navigation (Material: icon, status, subtitle).
    for item in items:
        meta, children = dict(getattr(item, "meta", None) or {}), tuple(_nav_facts(item.children or []))
        yield (type(item).__name__, str(item.title), getattr(item, "url", None), meta, children)


def _toc_facts(toc: TableOfContents | None) -> tuple:
    def facts(items: list) -> tuple:
        return tuple((item.id, item.title, item.level, facts(item.children)) for item in items)
    return facts(list(toc or []))

