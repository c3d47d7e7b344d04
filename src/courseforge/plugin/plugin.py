"""courseforge as an MkDocs plugin: event glue between MkDocs and the core.

Events and why each runs when it runs:
- on_startup: remember whether this is `mkdocs serve` (the author note is for serve only).
- on_serve: watch the exercises and snippet folders, and look for changes as soon as the
  system reports one; a failed rebuild serves its problems instead of hanging; garbage is
  collected between rebuilds, not during them (see serve.py).
- on_config (priority 100, before mermaid2's, which would otherwise go online): register
  templates, assets and the Markdown extensions the parts need; adopt mermaid2.
- on_files (priority -110, after every other plugin's, mkdocs-static-i18n's -100 included):
  the first moment that knows every page MkDocs will build, other plugins' too, and only the
  pages of the language being built; every page is classified here, positively: lessons are
  loaded, validated and cut; all author errors stop the build at once; the generated home page,
  the pro edition's course workbooks and the nav are added (the nav only for this build:
  on_nav takes it back from the config).
  Running after every plugin's on_config, it reads `theme.language` (which mkdocs-static-i18n
  sets per language build) to pick the learners' strings.
- on_nav: per-page navs whose other sections are collapsed (see nav.py).
- on_page_read_source: lessons were read and expanded in on_files; MkDocs need not re-read.
- on_page_markdown (priority 100, before every other plugin): hand MkDocs the Markdown the
  edition shows, so locked text never reaches the TOC, anchors, search index or any plugin.
  Also last (after every plugin's changes): reuse an unchanged lesson's or workbook's render,
  from the last `serve` rebuild or, in a build, from `.cache/` (memo.py, stored.py);
  on_page_content (first) keeps a new render for the next build.
- on_page_content: register the locked headings' ids (links into a locked section land on the
  paywall outline); draw diagrams or mark them for the lazy loader (`diagrams:`); last
  (priority -100), title the body that mkdocs-print-site-plugin keeps (compat.py).
- on_env: every page is rendered; diagrams Mermaid could not draw stop the build, all at once.
  Under `serve`, no template has run yet: build the pages' template contexts and pick the
  pages whose previous template output still holds (memo.py).
- on_page_context: build the page's template context, once.
- on_post_page (first, `serve`): keep the template's output for the next rebuild.
- on_post_build: keep this build's renders in `.cache/` for the next; in the public edition,
  delete the copied files no published page refers to.
  Under `serve`, author errors do not stop the build: it builds no page and leaves a site that
  shows the problems on every URL (see serve.py), so the preview starts, and recovers, by itself.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core import i18n, schema, syntax
from ..core.compose import compose
from ..core.edition import CourseSummary, Edition, LessonView
from ..core.includes import missing_auto_append
from ..core.loader import Loader, has_marker, lesson_keys
from ..core.model import Catalog, Course, Lesson
from ..core.problems import format_problems
from ..core.published import prune_unreferenced
from ..core.readtime import count_words
from ..core.rendering import visible_words
from ..core.workbook import LessonFolderLinks, Workbook, address_taken, workbook_markdown, workbooks
from . import compat, mermaid
from .assets import ASSET_DIR, minify_assets
from .config import CourseforgeConfig
from .context import PageContext
from .includes import page_expander
from .markdown import configure_markdown, site_renderer
from .memo import PageMemo
from .nav import PageNavs, build_nav, prunes_inactive_sections
from .serve import TidyWhenIdle, keep_serving, prompt, watched_paths, write_error_site
from .stored import StoredRenders
from .templates import Lookup, PartTemplates, WorkbookTemplate, defer_scripts, template_cache

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
HOME_SOURCE = PACKAGE_TEMPLATES / "courseforge" / "home.md"  # empty: the home page is all template
log = get_plugin_logger(__name__)
# A preview's page may read this much more than its Markdown (labels of parts, variables expanded).
ADDED_MARGIN, ADDED_EXTRA_WORDS = 1.25, 40


class CourseforgePlugin(BasePlugin[CourseforgeConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self.dirty = False  # `--dirty`: MkDocs renders only the pages whose own file changed
        self.watch: Callable[[str], None] | None = None  # `serve`: adds a path to what it watches
        self.watched: set[str] = set()
        self.exercises_path = ""  # `serve`: watched once it exists, if it did not when `serve` started
        self.memo: PageMemo | None = None  # what a build may reuse of the build before (memo.py)
        self._reset()

    def _reset(self) -> None:
        """Per-build state: nothing of one build survives into the next (serve rebuilds)."""
        self.catalog = Catalog([])
        self.loader: Loader | None = None  # what read the catalog; it checks pages other plugins add later
        self.edition: Edition | None = None
        self.summaries: dict[str, CourseSummary] = {}
        self.generated_home = False
        self.diagrams: mermaid.Diagrams | None = None
        self.workbooks: dict[str, Workbook] = {}   # pro edition: by the generated page's path
        self.workbook_urls: dict[str, str] = {}    # course slug -> its workbook's URL
        self.generated_nav: list | None = None  # the nav courseforge lent to config.nav
        self.checked: set[str] = set()  # the pages classified in on_files
        self.included: set[str] = set()  # real paths of the files pages include (loader)
        self.page_navs: PageNavs | None = None
        self.outlines: dict[str, tuple] = {}
        self.problems: list = []
        self.warnings: list = []
        self.author_files: list[str] = []  # site paths of the files MkDocs copies from docs_dir
        self.diagram_pages: set[str] = set()
        self.env: Environment | None = None
        self.template_cache = None
        self.contexts: dict[str, PageContext] = {}
        self.nav: Navigation | None = None
        self.t = Lookup(i18n.strings(None))

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        self.dirty = dirty
        self.memo = PageMemo() if self.serving else None  # a build's memo comes with its config (on_config)

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
        if not self.config.enabled:
            return server
        server.observer = prompt(server.observer)  # before any watch is added after this event's
        self.exercises_path = str(self._root(config) / self.config.exercises_dir)
        for path in watched_paths(config, Path(self.exercises_path)):
            server.watch(str(path))
            self.watched.add(str(path))
        self.watch = server.watch  # what a later build finds for the first time (on_post_build)
        rebuild = server.builder

        def build() -> None:
            self.problems = []  # a build that fails before on_files (mkdocs.yml) found none
            rebuild()
        server.builder = keep_serving(build, Path(config.site_dir), lambda: [str(p) for p in self.problems],
                                      TidyWhenIdle())
        return server

    # --- configuration ------------------------------------------------------------------

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._reset()
        if not self.config.enabled and self.config.edition == "public":
            raise PluginError("courseforge: the plugin is turned off (enabled: false), yet the edition is public: "
                              "without courseforge, MkDocs would publish every lesson whole. Turn it on, or "
                              "build the pro edition (edition: pro) for a private preview without it")
        if not self.config.enabled:
            return None
        if self.dirty and self.config.edition == "public":
            # A changed include, setting or order locks text on pages whose own file did not change.
            raise PluginError("courseforge: the public edition cannot be built with --dirty: MkDocs would "
                              "render only the pages whose own file changed, and keep text that a changed "
                              "include, setting or lesson now locks on the others. Leave out --dirty: "
                              "courseforge reuses every unchanged lesson from .cache/ anyway")
        # Appended last, so a theme's or the author's `overrides/courseforge/...` wins.
        config.theme.dirs.append(str(PACKAGE_TEMPLATES))
        config.extra_css.insert(0, f"{ASSET_DIR}/courseforge.css")
        config.extra_javascript.append(_deferred(f"{ASSET_DIR}/courseforge.js"))
        configure_markdown(config)
        # A course's footer is the author's: no theme credit unless `extra.generator: true`.
        if "generator" not in config.extra:
            config.extra["generator"] = False
        root = Path(config.config_file_path or ".").resolve().parent
        self.diagrams = mermaid.Diagrams(self.config.diagrams, config,
                                         root / ".cache" / "courseforge" / "diagrams" if self.config.cache else None)
        mermaid.seed_privacy_cache(config)
        self.template_cache = template_cache()
        if not self.serving:
            # By the configuration file's name, not its path: a CI checkout may be elsewhere.
            store = StoredRenders(root / ".cache" / "courseforge" / "renders",
                                  f"{Path(config.config_file_path or '').name}\0{self.config.edition}"
                                  ) if self.config.cache else None
            self.memo = PageMemo(serving=False, store=store)
        return config

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        env.filters["courseforge_defer"] = defer_scripts  # used by courseforge/base.html
        env.bytecode_cache = self.template_cache
        if self.config.enabled:
            self.diagrams.check()  # every page is rendered by now: all diagram errors at once
        if self.memo and self.memo.serving and self.config.enabled:
            # Every page is rendered and titled now, and no template has run yet.
            pages = [f.page for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if f.page]
            self.contexts = {page.file.src_uri: self._page_context(page) for page in pages}
            self.memo.choose_templates(self.nav, pages, self.contexts)
            if self.memo.active:
                log.info(self.memo.report(len(pages)))
        return env

    # --- files --------------------------------------------------------------------------

    @event_priority(-110)  # last: see the module docstring
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        minify_assets(files, config)
        pages = compat.pages_to_check(files, config)
        self.checked = set(pages)
        if self.memo:
            self.memo.begin(config, files)
        self.catalog = self._load(config, pages, compat.language_fallbacks(files))
        self._check_extra_templates(config)
        if self.problems:
            # `serve`: no page is built (none would be right); on_post_build leaves the problems instead.
            return Files([file for file in files if not file.is_documentation_page()])
        docs_dir = Path(config.docs_dir).resolve()
        # Not `extra_templates`: pages the configuration asks for by name, rendered like the theme's own.
        self.author_files = [f.dest_uri for f in files if not f.is_documentation_page() and not f.generated_by
                             and f.src_uri not in config.extra_templates
                             and f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs_dir)]
        home = files.get_file_from_path("index.md") or self._add_home(files, config)
        self._add_workbooks(files, config)
        if config.nav is None and "awesome-nav" not in config.plugins:
            # For this build only: on_nav hands it back (mkdocs-static-i18n builds each
            # language with the same config, and the next language has other pages).
            config.nav = self.generated_nav = build_nav(self.catalog, sorted(pages), home.src_uri,
                                                                self.t.strings("home"))
        urls = {file.src_uri: file.url for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)}
        self.summaries = self.edition.course_summaries(urls)
        return files

    def draw_every_diagram(self) -> None:
        """`courseforge check`: with `diagrams: static`, draw every lesson's diagrams, locked ones too,
        and stop with each one Mermaid cannot draw; a build draws only what its edition shows."""
        if not self.diagrams.static:
            return
        for lesson in self.catalog.lessons():
            self.diagrams.page(self.edition.whole_html(lesson), lesson.source, partial(mermaid.locate, lesson))
        self.diagrams.check()

    def _check_extra_templates(self, config: MkDocsConfig) -> None:
        """MkDocs renders each `extra_templates` file whole, as a Jinja template: a lesson listed
        there (a draft one too, which no page then replaces) would be published whole."""
        listed = [name for name in config.extra_templates if self.catalog.lesson(name) is not None]
        if listed:
            raise PluginError(f"courseforge: extra_templates lists the lesson {', '.join(listed)}: MkDocs would "
                              "render its whole file, locked text included; list templates there, not lessons")

    def _add_home(self, files: Files, config: MkDocsConfig) -> File:
        """The generated home page, when the author wrote none.

        An empty file of courseforge's is its source, since plugins read a page's source path
        (mkdocs-rss-plugin, mkdocs-static-i18n crashed on an in-memory page).
        """
        self.generated_home = True
        # An author's own `nav:` cannot list a page it never saw: MkDocs would fail a strict build.
        inclusion = InclusionLevel.NOT_IN_NAV if config.nav is not None else InclusionLevel.UNDEFINED
        home = File.generated(config, "index.md", abs_src_path=str(HOME_SOURCE), inclusion=inclusion)
        home.dest_uri = posixpath.join(compat.language_folder(config), home.dest_uri)
        files.append(home)
        return home

    def _load(self, config: MkDocsConfig, pages: list[str], fallbacks: dict[str, str]) -> Catalog:
        if missing := missing_auto_append(config.markdown_extensions, config.mdx_configs):
            raise PluginError(f"courseforge: pymdownx.snippets' auto_append lists {', '.join(map(repr, missing))}, "
                              "which is in no base_path folder: Markdown would fail on every page; fix the "
                              "name or base_path in mkdocs.yml")
        root = self._root(config)
        renderer = site_renderer(config)
        memo = self.memo.lessons if self.memo and self.memo.serving else None
        self.t = Lookup(self._strings(config))
        loader = Loader(Path(config.docs_dir), root / self.config.exercises_dir, root,
                        definition_kinds=renderer.definition_kinds(), expand=page_expander(config),
                        other_folders=compat.blog_folders(config), jinja_pass=compat.jinja_pass(config),
                        meta_file=compat.meta_file(config),
                        fallbacks=fallbacks, memo=memo, strings=self.t.strings)
        catalog = loader.load(pages)
        self.loader = loader
        self.included = loader.included_files()
        self.edition = Edition(self.config.edition, catalog, self.config.settings, renderer,
                               PartTemplates(self._environment(config), self.t),
                               root / ".cache" / "courseforge" if self.config.cache else None, memo)
        self.problems = sorted(loader.problems + self.edition.problems())
        if self.problems and not self.serving:
            # A PluginError ends `mkdocs build` with exit 1 and this message, no traceback.
            raise PluginError(format_problems(self.problems))
        if self.problems:
            log.error(format_problems(self.problems))
            return Catalog([])
        # Likely mistakes that still build correctly: `courseforge check` prints them as warnings;
        # a build only mentions them, so a deliberate choice does not fail `--strict`.
        self.warnings = sorted(loader.warnings + self.edition.warnings())
        for warning in self.warnings:
            log.info(f"note: {warning}")
        return catalog

    def _strings(self, config: MkDocsConfig) -> i18n.Strings:
        """Learners' strings in the theme's language (Material's `theme.language`, MkDocs' `locale`)."""
        language = str(config.theme.get("language") or config.theme.get("locale") or i18n.DEFAULT_LANGUAGE)
        if i18n.resolve(language) is None:
            log.warning(f"theme.language '{language}': courseforge has no strings in this language, so "
                        f"learners see English (languages: {', '.join(i18n.available())}); "
                        "the plugin option 'strings' can set each one")
        return i18n.strings(language, self.config.strings)

    def _add_workbooks(self, files: Files, config: MkDocsConfig) -> None:
        """Pro edition: each course's workbook, a generated page outside the nav.

        Checked in both editions, so that an author's page at a workbook's address fails
        `courseforge check` and the public build too, not only the pro build.
        """
        publish = self.config.edition == "pro"
        write = WorkbookTemplate(self._environment(config), self.t) if publish else None
        root = Path(config.config_file_path or ".").resolve().parent
        taken = {file.url: file for file in files.documentation_pages()}  # named (a resolve() each) only when taken
        pages, problems = [], []
        for workbook in workbooks(self.catalog).values():
            content = workbook_markdown(workbook, write) if write else ""
            page = File.generated(config, workbook.path, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            # Plugins read a page's source path (mkdocs-rss-plugin crashed on None): a workbook is made
            # of its course, so dates and edit history come from the course page.
            page.abs_src_path = str(Path(config.docs_dir) / workbook.course.path)
            if page.url in taken:
                problems.append(address_taken(workbook, _display(taken[page.url], root)))
            pages.append((workbook, page))
        if problems:
            raise PluginError(format_problems(sorted(problems)))
        if publish and pages and not any(isinstance(e, LessonFolderLinks) for e in config.markdown_extensions):
            config.markdown_extensions.append(LessonFolderLinks())  # after _load: no part of the cut's renderer
        for workbook, page in pages if publish else ():
            files.append(page)
            self.workbooks[page.src_uri] = workbook
            self.workbook_urls[workbook.course.slug] = page.url

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        if self.generated_nav is not None and config.nav is self.generated_nav:
            config.nav = None
        features = config.theme.get("features") or []
        enabled = self.config.enabled and prunes_inactive_sections(features)
        self.page_navs = PageNavs(nav) if enabled else None
        self.nav = nav
        return None

    # --- pages --------------------------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # on_page_markdown hands MkDocs the lesson's Markdown from the catalog.
        if self.config.enabled and self.catalog.lesson(page.file.src_uri) is not None:
            return ""
        return None

    @event_priority(100)
    def _edition_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        path = page.file.src_uri
        if path not in self.checked and not self._own_page(path):
            self._check_unread_page(page, markdown)
        lesson = self.catalog.lesson(path)
        course = self.catalog.course_of(path)
        if lesson is not None:
            if markdown.strip():  # MkDocs read nothing (on_page_read_source): a plugin before this one wrote it
                log.warning(f"courseforge: {path}: a plugin or hook changed this lesson's Markdown before "
                            "courseforge (its on_page_markdown has a priority above 100); courseforge builds a "
                            "lesson from its file, so the change is dropped: run it at priority 100 or lower")
            # courseforge's own keys hold locked parts: no later plugin or template gets them.
            page.meta = {key: value for key, value in lesson.meta.items() if key in schema.PAGE_KEYS}
            _describe(page, lesson.title, lesson.summary, "courseforge/lesson.html")
            return self._lesson_markdown(lesson)
        if course is not None and path == course.path:
            _describe(page, course.title, course.summary, "courseforge/course.html")
        elif path in self.workbooks:
            workbook = self.workbooks[path]
            name = workbook.course.title
            _describe(page, self.t.strings("workbook_title", course=name),
                      self.t.strings("workbook_description", course=name), "courseforge/workbook.html")
        elif path == "index.md" and self.generated_home:
            # No title: Material then titles the home page with the site name alone.
            _describe(page, None, config.site_description or "", "courseforge/home.html")
        return None

    def _own_page(self, path: str) -> bool:
        return path in self.workbooks or (path == "index.md" and self.generated_home)

    def _check_unread_page(self, page: Page, markdown: str) -> None:
        """Fail closed on a page another plugin (or a hook) brought in after courseforge read the
        site's pages: one it made itself may be an ordinary page (a blog archive, a tag index),
        unless it sits in a course or reads like a lesson; a page of docs_dir never may."""
        path, maker = page.file.src_uri, page.file.generated_by
        in_course = any(path.startswith(posixpath.dirname(course.path) + "/") for course in self.catalog.courses)
        keys = lesson_keys(page.meta)
        if maker and not (in_course or keys or has_marker(markdown)):
            if problems := self.loader.unread_page_problems(path, markdown):
                raise PluginError(format_problems(problems))
            return
        why = ("it sits in a course folder" if in_course else f"it has lesson keys ({', '.join(keys)})"
               if keys else "it has a <!-- pro --> line")
        source = f"made by {maker}" if maker else "added by another plugin"
        raise PluginError(f"courseforge: {path} ({source}) reached the build after courseforge read the "
                          f"site's pages, and {why}: courseforge cannot cut a page it did not read, so it may "
                          "hold locked text. Keep such pages in docs_dir, where courseforge reads them")

    def _lesson_markdown(self, lesson: Lesson) -> str:
        view = self.edition.view(lesson)
        if not self.serving:
            return view.markdown
        return self.edition.remembered("author note", lesson, lambda: self._noted_markdown(lesson, view))

    def _noted_markdown(self, lesson: Lesson, view: LessonView) -> str:
        """The edition's Markdown with a note where the public preview ends (`serve` only)."""
        public = self.edition.public_view(lesson)
        note = self._environment(None).get_template("courseforge/partials/author-note.html").render(preview=public)
        return compose(lesson, view.visible, self.edition.write_part, view.moved_definitions,
                       note=(len(public.visible), note))

    @event_priority(-100)
    def _reuse_render(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        # Last: the Markdown MkDocs renders next, after every plugin's changes.
        if self.config.enabled and self.memo and self._written_whole(page.file.src_uri):
            self.memo.before_render(page, markdown)

    def _written_whole(self, path: str) -> bool:
        """A page whose Markdown courseforge wrote with every include already expanded (a lesson,
        a workbook): its render depends on nothing but that Markdown and the site."""
        return self.catalog.lesson(path) is not None or path in self.workbooks

    @event_priority(0)  # after Material's meta plugin (50) gave it a folder's tags, before its tags plugin (-50)
    def _untagged_workbook(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        # A workbook gathers its course's exercises: it is no page of a topic, and a tags index
        # listing it in the pro edition only reads to the audit as text the public site lacks.
        if page.file.src_uri in self.workbooks:
            page.meta.pop("tags", None)

    on_page_markdown = CombinedEvent(_edition_markdown, _untagged_workbook, _reuse_render)

    @event_priority(100)
    def _keep_render(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        # First: the render as MkDocs made it, before any plugin changes it.
        if self.memo:
            self.memo.after_render(page)

    def _lesson_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        _check_no_lesson_keys_added(page)
        lesson = self.catalog.lesson(page.file.src_uri)
        if lesson is None:
            if self.edition.name == "public" and syntax.MARKER_HTML.search(html):
                _no_marker_here(page)
            return self._other_content(html, page, config)
        view = self.edition.view(lesson)
        if self.edition.name == "public" and not lesson.is_free:
            check = partial(_check_nothing_added, html, view)
            if self.memo:
                self.memo.check(check, "nothing added", page, html, view.markdown)
            else:
                check()
        if view.is_locked:
            outline = tuple((h.level, h.text, h.id) for h in view.outline if h.level in (2, 3))
            self.outlines[page.file.src_uri] = outline
            page.present_anchor_ids = set(page.present_anchor_ids or ()) | {h.id for h in view.outline}
        html, diagrams = self.diagrams.page(html, lesson.source, partial(mermaid.locate, lesson))
        if diagrams:
            self.diagram_pages.add(page.file.src_uri)
        return html

    def _other_content(self, html: str, page: Page, config: MkDocsConfig) -> str | None:
        """Static diagrams are drawn on every page: a page without courseforge's loader would
        otherwise have Material fetch Mermaid from a CDN (client mode leaves that to Material)."""
        if not self.diagrams.static:
            return None
        source = _display(page.file, self._root(config))
        return self.diagrams.page(html, source, partial(mermaid.locate_in_page, page.markdown or ""))[0]

    @event_priority(-100)  # after mkdocs-print-site-plugin has kept the page's body
    def _printed_page(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
        """What the page's template adds around its body, for the body alone that print-site prints."""
        path = page.file.src_uri
        course = self.catalog.course_of(path)
        lesson = self.catalog.lesson(path)
        courseforge_page = lesson or (course and course.path == path) or (path == "index.md" and self.generated_home)
        if not self.config.enabled or not courseforge_page or not compat.print_site_kept(page):
            return
        ending = ""
        if lesson is not None and self.edition.view(lesson).is_locked:
            ending = self._environment(config).get_template("courseforge/partials/print-paywall.html").render(
                title=lesson.title, course_name=course.title if course else config.site_name,
                checkout_url=self._checkout_url(course), t=self.t)
        compat.print_site_page(page, page.title or config.site_name, ending)

    on_page_content = CombinedEvent(_keep_render, _lesson_content, _printed_page)

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict | None:
        if not self.config.enabled:
            return None
        if self.page_navs is not None and self.page_navs.nav is nav:  # a plugin may replace the nav after on_nav
            context["nav"] = self.page_navs.for_page(page)
        courseforge = self.contexts.get(page.file.src_uri) or self._page_context(page)
        context.update(self.memo.template_variables(page, courseforge) if self.memo else {"courseforge": courseforge})
        context["t"] = courseforge.t
        return context

    @event_priority(100)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> None:
        # First: the template's own output, which a later build may reuse (other plugins run again on it).
        if self.memo and self.config.enabled:
            self.memo.rendered_template(page, output)

    def _page_context(self, page: Page) -> PageContext:
        path = page.file.src_uri
        lesson = self.catalog.lesson(path)
        workbook = self.workbooks.get(path)
        course = workbook.course if workbook else self.catalog.course_of(path)
        shared = {"summaries": self.summaries, "course": course, "edition": self.config.edition,
                  "page_url": page.url, "pro_site_url": self.config.pro_site_url, "t": self.t}
        if workbook is not None:
            return PageContext(**shared, title=self.t.strings("workbook_title", course=course.title), workbook=workbook)
        if lesson is None:
            is_course_page = course is not None and path == course.path
            return PageContext(**shared, title=course.title if is_course_page else "",
                               checkout_url=self._checkout_url(course),
                               workbook_url=self.workbook_urls.get(course.slug) if is_course_page else None)
        has_diagram = path in self.diagram_pages
        return PageContext(
            **shared, title=lesson.title, summary=lesson.summary,
            view=self.edition.view(lesson),
            public_view=self.edition.public_view(lesson) if self.serving else None,
            checkout_url=self._checkout_url(course),
            benefits=tuple(self._benefits(course)),
            diagram_library=self.diagrams.library if has_diagram else "",
            diagram_options=json.dumps(self.diagrams.options) if has_diagram else "{}",
            outline=self.outlines.get(path, ()))

    def _benefits(self, course: Course | None) -> list[str]:
        if course and course.benefits:
            return list(course.benefits)
        if self.config.benefits is not None:
            return self.config.benefits
        return self.t.strings.items("paywall_benefits")

    def _checkout_url(self, course: Course | None) -> str | None:
        return (course.checkout_url if course else None) or self.config.checkout_url

    # --- after the build ----------------------------------------------------------------

    # After the other plugins' post-build steps (Material's optimize copies images then), before
    # mkdocs-static-i18n's (-100), which builds the next language with this plugin's state.
    @event_priority(-90)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Public edition: publish an author's file only when a published page refers to it.

        Runs on the finished site, so it sees every page's final HTML (templates and other
        plugins included), whatever the URL style.
        """
        self._watch_new_paths()  # an author error too may be fixed in a file not watched yet
        if self.problems:  # `serve` only: a build raises them
            write_error_site(Path(config.site_dir), [str(problem) for problem in self.problems])
            return
        if self.memo:
            self.memo.end()
        if not self.config.enabled or self.config.edition != "public":
            return
        removed = prune_unreferenced(Path(config.site_dir), self.author_files, self.config.public_files,
                                     config.site_url, self.edition.cache,
                                     self.memo.published if self.memo and self.memo.serving else None)
        if removed:  # a file only a script or a web manifest names is one too: say which, and how to keep it
            shown = ", ".join(removed[:5]) + (f" and {len(removed) - 5} more" if len(removed) > 5 else "")
            log.info(f"public edition: {len(removed)} file(s) no public page refers to were left out ({shown}); "
                     "the option public_files keeps a file a script or a manifest uses")

    def _watch_new_paths(self) -> None:
        """`serve`: watch each file a page includes, the ones first included after `serve` started
        too (a new snippet folder, a new include-markdown file): an edit there changes a cut. And
        the exercises folder, once it exists."""
        if self.watch is None:
            return
        for path in sorted((self.included | {self.exercises_path}) - self.watched):
            if Path(path).exists():
                self.watch(path)
                self.watched.add(path)

    # --- helpers ------------------------------------------------------------------------

    @staticmethod
    def _root(config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def _environment(self, config: MkDocsConfig | None) -> Environment:
        # Lesson parts render before MkDocs makes the page templates' environment (on_env).
        if self.env is None:
            self.env = config.theme.get_env()
            self.env.bytecode_cache = self.template_cache
        return self.env


def _check_nothing_added(html: str, view: LessonView) -> None:
    """Fail closed when the preview's page holds more than the Markdown courseforge cut: a plugin
    that ran later (mkdocs-macros' `{% include %}`, a custom macro, a hook) added text courseforge
    never read, perhaps a marker it would have honoured, perhaps the locked part itself."""
    shown, written = visible_words([html]), count_words(view.markdown)
    if syntax.MARKER_HTML.search(html):
        added = "holds a <!-- pro --> line"
    elif shown > ADDED_MARGIN * written + ADDED_EXTRA_WORDS:
        added = f"reads {shown} words where the preview courseforge cut has {written}"
    else:
        return
    raise PluginError(f"courseforge: {view.lesson.source}: the public page of this lesson {added}: a plugin "
                      "added text after courseforge cut the preview (mkdocs-macros' {% include %} or a macro, "
                      "a hook), which courseforge cannot see. Include files with pymdownx.snippets or "
                      "mkdocs-include-markdown-plugin, which courseforge reads, or keep such text out of the preview")


def _check_no_lesson_keys_added(page: Page) -> None:
    """Fail closed when a plugin that ran after courseforge gave a page lesson keys (a hook, Material's
    meta plugin from a file courseforge did not find): they would lock nothing. A lesson's own keys
    were taken out of its meta, and another page with some in its front matter did not load."""
    keys = lesson_keys(page.meta)
    if keys:
        raise PluginError(f"courseforge: {page.file.src_uri}: a plugin set {', '.join(keys)} on this page after "
                          "courseforge cut it, so they lock nothing; courseforge reads them from the page's own "
                          "front matter only: set them there")


def _no_marker_here(page: Page) -> None:
    """A page that is no lesson rendered a `<!-- pro -->` comment that courseforge never read in its
    Markdown (a notebook's cell, a plugin's text): it was meant to lock what follows, and locks nothing."""
    raise PluginError(f"courseforge: {page.file.src_uri}: this page holds a <!-- pro --> line, but it is no lesson, "
                      "so nothing after it is locked: keep locked text in the lessons of a course")


def _describe(page: Page, title: str | None, summary: str, template: str) -> None:
    # Material prints title and description into HTML as they are: hand it escaped Markup,
    # which `| e` in courseforge's own templates leaves alone (escaped exactly once).
    if title is not None:
        page.meta["title"] = escape(title)
    page.meta["description"] = escape(summary)
    page.meta.setdefault("template", template)


def _display(file: File, root: Path) -> str:
    """A file as author messages name it: relative to the project folder when it is inside."""
    path = Path(file.abs_src_path or file.src_uri).resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else file.src_uri


def _deferred(path: str) -> ExtraScriptValue:
    # Deferred: it never delays the first render, and it binds through Material's document$.
    script = ExtraScriptValue(path)
    script.defer = True
    return script
