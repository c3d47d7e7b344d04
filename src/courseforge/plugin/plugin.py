"""courseforge as an MkDocs plugin: event glue between MkDocs and the core.

Events and why each runs when it runs:
- on_startup: remember whether this is `mkdocs serve` (the author note is for serve only).
- on_config (priority 100, before mermaid2's, which would otherwise go online): register
  templates, assets and the Markdown extensions the parts need; adopt mermaid2.
- on_files: the first event that knows every page MkDocs will build (other plugins' too), so
  every page is classified here, positively: lessons are loaded, validated and cut; all
  author errors stop the build at once; the generated home page, the pro edition's course
  workbooks and the nav are added. It also runs after every plugin's on_config, so
  `theme.language` (which mkdocs-static-i18n sets per language build) picks the learners'
  strings here.
- on_nav: per-page navs whose other sections are collapsed (see nav.py).
- on_page_read_source: lessons were read and expanded in on_files; MkDocs need not re-read.
- on_page_markdown (priority 100, before every other plugin): hand MkDocs the Markdown the
  edition shows, so locked text never reaches the TOC, anchors, search index or any plugin.
- on_page_content: register the locked headings' ids (links into a locked section land on the
  paywall outline); mark diagrams for the lazy loader.
- on_page_context: build the page's template context, once.
- on_post_build: in the public edition, delete the copied files no published page refers to.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core import i18n, schema
from ..core.compose import compose
from ..core.edition import CourseSummary, Edition
from ..core.loader import Loader
from ..core.model import Catalog, Course, Lesson
from ..core.problems import format_problems
from ..core.published import prune_unreferenced
from ..core.workbook import LessonFolderLinks, Workbook, address_taken, workbook_markdown, workbooks
from . import mermaid
from .config import CourseforgeConfig
from .context import PageContext
from .includes import page_expander
from .markdown import configure_markdown, site_renderer
from .nav import PageNavs, build_nav, prunes_inactive_sections
from .templates import Lookup, PartTemplates, WorkbookTemplate, defer_scripts, template_cache

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ASSET_DIR = "assets/courseforge"
log = get_plugin_logger(__name__)


class CourseforgePlugin(BasePlugin[CourseforgeConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.serving = False
        self._reset()

    def _reset(self) -> None:
        """Per-build state: nothing of one build survives into the next (serve rebuilds)."""
        self.catalog = Catalog([])
        self.edition: Edition | None = None
        self.summaries: dict[str, CourseSummary] = {}
        self.generated_home = False
        self.workbooks: dict[str, Workbook] = {}   # pro edition: by the generated page's path
        self.workbook_urls: dict[str, str] = {}    # course slug -> its workbook's URL
        self.mermaid_library, self.mermaid_options = "", {}
        self.page_navs: PageNavs | None = None
        self.outlines: dict[str, tuple] = {}
        self.problems: list = []
        self.warnings: list = []
        self.author_files: list[str] = []  # site paths of the files MkDocs copies from docs_dir
        self.diagram_pages: set[str] = set()
        self.env: Environment | None = None
        self.template_cache = None
        self.t = Lookup(i18n.strings(None))

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    # --- configuration ------------------------------------------------------------------

    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self._reset()
        if not self.config.enabled:
            return None
        # Appended last, so a theme's or the author's `overrides/courseforge/...` wins.
        config.theme.dirs.append(str(PACKAGE_TEMPLATES))
        config.extra_css.insert(0, f"{ASSET_DIR}/courseforge.css")
        config.extra_javascript.append(_deferred(f"{ASSET_DIR}/courseforge.js"))
        configure_markdown(config)
        # A course's footer is the author's: no theme credit unless `extra.generator: true`.
        if "generator" not in config.extra:
            config.extra["generator"] = False
        self.mermaid_library, self.mermaid_options = mermaid.adopt_mermaid2(config)
        self.template_cache = template_cache()
        return config

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        env.filters["courseforge_defer"] = defer_scripts  # used by courseforge/base.html
        env.bytecode_cache = self.template_cache
        return env

    # --- files --------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        # Every page MkDocs may render (drafts too: `serve` renders them), none it excludes
        # (`exclude_docs`, dot-files): an excluded snippet file in a course folder is no lesson.
        pages = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
                 if not f.generated_by]
        self.catalog = self._load(config, pages)
        docs_dir = Path(config.docs_dir).resolve()
        self.author_files = [f.dest_uri for f in files if not f.is_documentation_page() and not f.generated_by
                             and f.abs_src_path and Path(f.abs_src_path).resolve().is_relative_to(docs_dir)]
        if not files.get_file_from_path("index.md"):
            self.generated_home = True
            files.append(File.generated(config, "index.md", content=""))
        self._add_workbooks(files, config)
        if config.nav is None:
            config.nav = build_nav(self.catalog, sorted(pages), self.t.strings("home"))
        urls = {file.src_uri: file.url for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)}
        self.summaries = self.edition.course_summaries(urls)
        return files

    def _load(self, config: MkDocsConfig, pages: list[str]) -> Catalog:
        root = Path(config.config_file_path or ".").resolve().parent
        renderer = site_renderer(config)
        self.t = Lookup(self._strings(config))
        loader = Loader(Path(config.docs_dir), root / self.config.exercises_dir, root,
                        definition_kinds=renderer.definition_kinds(), expand=page_expander(config),
                        strings=self.t.strings)
        catalog = loader.load(pages)
        self.edition = Edition(self.config.edition, catalog, self.config.settings, renderer,
                               PartTemplates(self._environment(config), self.t),
                               root / ".cache" / "courseforge" if self.config.cache else None)
        self.problems = sorted(loader.problems + self.edition.problems())
        if self.problems:
            # A PluginError ends `mkdocs build` with exit 1 and this message, no traceback.
            raise PluginError(format_problems(self.problems))
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
        taken = {file.url: _display(file, root) for file in files.documentation_pages()}
        pages, problems = [], []
        for workbook in workbooks(self.catalog).values():
            content = workbook_markdown(workbook, write) if write else ""
            page = File.generated(config, workbook.path, content=content, inclusion=InclusionLevel.NOT_IN_NAV)
            if page.url in taken:
                problems.append(address_taken(workbook, taken[page.url]))
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
        features = config.theme.get("features") or []
        enabled = self.config.enabled and prunes_inactive_sections(features)
        self.page_navs = PageNavs(nav) if enabled else None
        return None

    # --- pages --------------------------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # on_page_markdown hands MkDocs the lesson's Markdown from the catalog.
        if self.config.enabled and self.catalog.lesson(page.file.src_uri) is not None:
            return ""
        return None

    @event_priority(100)
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        path = page.file.src_uri
        lesson = self.catalog.lesson(path)
        course = self.catalog.course_of(path)
        if lesson is not None:
            # courseforge's own keys hold locked parts: no later plugin or template gets them.
            page.meta = {key: value for key, value in lesson.meta.items() if key not in schema.LESSON}
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

    def _lesson_markdown(self, lesson: Lesson) -> str:
        view = self.edition.view(lesson)
        if not self.serving:
            return view.markdown
        public = self.edition.public_view(lesson)
        note = self._environment(None).get_template("courseforge/partials/author-note.html").render(preview=public)
        return compose(lesson, view.visible, self.edition.write_part, view.moved_definitions,
                       note=(len(public.visible), note))

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        lesson = self.catalog.lesson(page.file.src_uri) if self.config.enabled else None
        if lesson is None:
            return None
        view = self.edition.view(lesson)
        if view.is_locked:
            outline = tuple((h.level, h.text, h.id) for h in view.outline if h.level in (2, 3))
            self.outlines[page.file.src_uri] = outline
            page.present_anchor_ids = set(page.present_anchor_ids or ()) | {h.id for h in view.outline}
        html, diagrams = mermaid.lazy_diagrams(html)
        if diagrams:
            self.diagram_pages.add(page.file.src_uri)
        return html

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict | None:
        if not self.config.enabled:
            return None
        if self.page_navs is not None:
            context["nav"] = self.page_navs.for_page(page)
        context["courseforge"] = self._page_context(page)
        context["t"] = context["courseforge"].t
        return context

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
            diagram_library=self.mermaid_library if has_diagram else "",
            diagram_options=json.dumps(self.mermaid_options) if has_diagram else "{}",
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

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Public edition: publish an author's file only when a published page refers to it.

        Runs on the finished site, so it sees every page's final HTML (templates and other
        plugins included), whatever the URL style.
        """
        if not self.config.enabled or self.config.edition != "public":
            return
        removed = prune_unreferenced(Path(config.site_dir), self.author_files, self.config.public_files,
                                     config.site_url, self.edition.cache)
        if removed:
            log.info(f"public edition: {len(removed)} file(s) only locked content uses were left out")

    # --- helpers ------------------------------------------------------------------------

    def _environment(self, config: MkDocsConfig | None) -> Environment:
        # Lesson parts render before MkDocs makes the page templates' environment (on_env).
        if self.env is None:
            self.env = config.theme.get_env()
            self.env.bytecode_cache = self.template_cache
        return self.env


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
