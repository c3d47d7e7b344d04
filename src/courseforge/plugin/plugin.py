"""courseforge as an MkDocs plugin: a thin adapter from MkDocs events to the core.

Events and why:
- on_config: load and validate every course source with the core (all problems at once);
  register templates, assets and the Markdown extensions the parts need; derive the nav.
- on_files: add the generated home page; in the public edition drop copies of locked files.
- on_nav / on_page_context: give each page a nav whose other sections are collapsed, so the
  theme's per-page work stays proportional to one course (see nav.py).
- on_page_read_source: lessons were read and parsed in on_config; MkDocs need not do it again.
- on_page_markdown (first of all plugins): replace each lesson's Markdown with what the
  edition shows, so locked text never reaches the TOC, the anchors, the search index or
  any later plugin.
- on_page_content: give the locked headings their ids on the paywall outline.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment
from markdown.extensions.toc import slugify as default_slugify
from markdown.extensions.toc import unique
from markupsafe import escape
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from ..core.loader import Loader
from ..core.model import Catalog, Lesson
from ..core.preview import LessonView, Settings, view
from ..core.problems import format_problems
from .config import CourseforgeConfig
from .nav import PageNavs, prunes_inactive_sections
from .render import TemplateCache, defer_scripts, lazy_diagrams, lesson_markdown, template_cache
from .site import CourseSummary, PageInfo, adopt_mermaid2, build_nav, configure_markdown, locked_files, summarise

PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
ASSET_DIR = "assets/courseforge"


class CourseforgePlugin(BasePlugin[CourseforgeConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.catalog = Catalog([])
        self.settings = Settings()
        self.env: Environment | None = None
        self.template_cache: TemplateCache | None = None  # one per build, shared by both environments
        self.generated_home = False
        self.summaries: dict[str, CourseSummary] = {}
        self.views: dict[str, LessonView] = {}  # per build: computed once, read by several events
        self.mermaid_library, self.mermaid_options = "", {}
        self.serving = False
        self.page_navs: PageNavs | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # The author preview note is for `mkdocs serve` only; it never reaches a build.
        self.serving = command == "serve"

    # --- configuration ------------------------------------------------------------------

    @event_priority(100)  # before mermaid2's own on_config, which would otherwise go online
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self.settings = Settings(self.config.words_per_minute, self.config.preview)
        self.catalog = self._load(config)
        self.views = {}
        # Appended last, so a theme's or the author's `overrides/courseforge/...` wins.
        config.theme.dirs.append(str(PACKAGE_TEMPLATES))
        config.extra_css.insert(0, f"{ASSET_DIR}/courseforge.css")
        config.extra_javascript.append(_deferred(f"{ASSET_DIR}/courseforge.js"))
        configure_markdown(config)
        self.mermaid_library, self.mermaid_options = adopt_mermaid2(config)
        docs_dir = Path(config.docs_dir)
        self.generated_home = not (docs_dir / "index.md").exists()
        if config.nav is None:
            config.nav = build_nav(self.catalog, docs_dir)
        self.env = None
        self.template_cache = template_cache()
        return config

    def _load(self, config: MkDocsConfig) -> Catalog:
        root = Path(config.config_file_path or ".").resolve().parent
        loader = Loader(Path(config.docs_dir), root / self.config.exercises_dir, root)
        catalog = loader.load()
        if loader.problems:
            # A PluginError ends `mkdocs build` with exit 1 and this message, no traceback.
            raise PluginError(format_problems(sorted(loader.problems)))
        return catalog

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
        env.filters["courseforge_defer"] = defer_scripts  # used by courseforge/base.html
        env.bytecode_cache = self.template_cache
        return env

    # --- files --------------------------------------------------------------------------

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        if self.generated_home:
            files.append(File.generated(config, "index.md", content=""))
        if self.config.edition == "public":
            for path in locked_files(self.catalog, self._view):
                if file := files.get_file_from_path(path):
                    files.remove(file)
        urls = {file.src_uri: file.url for file in files.documentation_pages()}
        self.summaries = summarise(self.catalog, urls, self._view)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        features = config.theme.get("features") or []
        enabled = self.config.enabled and prunes_inactive_sections(features)
        self.page_navs = PageNavs(nav) if enabled else None
        return None

    def on_page_context(self, context: dict, *, page: Page, config: MkDocsConfig, nav: Navigation) -> dict | None:
        if self.page_navs is None:
            return None
        context["nav"] = self.page_navs.for_page(page)
        return context

    # --- pages --------------------------------------------------------------------------

    def on_page_read_source(self, *, page: Page, config: MkDocsConfig) -> str | None:
        # on_page_markdown builds a lesson's Markdown from the catalog and sets its meta.
        if self.config.enabled and self.catalog.lesson(page.file.src_uri) is not None:
            return ""
        return None

    @event_priority(100)  # before every other plugin sees the page's Markdown
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        if not self.config.enabled:
            return None
        path = page.file.src_uri
        lesson = self.catalog.lesson(path)
        course = self.catalog.course_of(path)
        info = PageInfo(self.summaries, course, self.config.edition, self.config.pro_site_url, page.url)
        page.courseforge = info  # type: ignore[attr-defined]  # read by the templates
        if lesson is not None:
            page.meta = dict(lesson.meta)  # a copy: the templates' keys below must not reach the catalog
            info.view = self._view(lesson)
            info.checkout_url = (course.checkout_url if course else None) or self.config.checkout_url
            info.benefits = (course.benefits if course and course.benefits else None) or tuple(self.config.benefits)
            self._describe(page, lesson.title, lesson.summary, "courseforge/lesson.html")
            note = view(lesson, "public", self.settings) if self.serving else None
            return lesson_markdown(info.view, self._environment(config), note)
        if course is not None:
            info.checkout_url = course.checkout_url or self.config.checkout_url
            self._describe(page, course.title, course.summary, "courseforge/course.html")
        elif path == "index.md" and self.generated_home:
            # No title: Material then titles the home page with the site name alone.
            self._describe(page, None, config.site_description or "", "courseforge/home.html")
        return None

    @staticmethod
    def _describe(page: Page, title: str | None, summary: str, template: str) -> None:
        # Material prints title and description into HTML unescaped: hand it escaped Markup.
        if title is not None:
            page.meta["title"] = escape(title)
        page.meta["description"] = escape(summary)
        page.meta.setdefault("template", template)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        info: PageInfo | None = getattr(page, "courseforge", None)
        if info is None or info.view is None:
            return None
        if info.view.is_locked:
            info.outline = self._outline_anchors(info.view, page, config)
        html, diagrams = lazy_diagrams(html)
        if diagrams:
            info.diagram_library = self.mermaid_library
            info.diagram_options = json.dumps(self.mermaid_options)
        return html

    def _outline_anchors(self, lesson_view: LessonView, page: Page, config: MkDocsConfig) -> list[tuple]:
        """Ids for the locked headings, as the `toc` extension would have made them.

        They are added to the page's anchors, so links into a locked section validate and
        land on the paywall outline.
        """
        toc_config = config.mdx_configs.get("toc", {})
        slugify = toc_config.get("slugify", default_slugify)
        separator = toc_config.get("separator", "-")
        ids = set(page.present_anchor_ids or ())
        outline = []
        for item in lesson_view.outline:
            anchor = item.anchor or unique(slugify(_plain(item.title), separator), ids)
            ids.add(anchor)
            outline.append((item.level, item.title, anchor))
        page.present_anchor_ids = ids
        return outline

    # --- helpers ------------------------------------------------------------------------

    def _view(self, lesson: Lesson) -> LessonView:
        if lesson.path not in self.views:
            self.views[lesson.path] = view(lesson, self.config.edition, self.settings)
        return self.views[lesson.path]

    def _environment(self, config: MkDocsConfig) -> Environment:
        # Lesson parts render before MkDocs makes the page templates' environment (on_env).
        if self.env is None:
            self.env = config.theme.get_env()
            self.env.bytecode_cache = self.template_cache
        return self.env


def _deferred(path: str) -> ExtraScriptValue:
    # Deferred: it never delays the first render, and it binds through Material's document$.
    script = ExtraScriptValue(path)
    script.defer = True
    return script


INLINE_MARKUP = re.compile(r"[*`]|(?<!\w)_|_(?!\w)|\[([^\]]*)\]\([^)]*\)")


def _plain(title: str) -> str:
    """Heading text as the toc extension sees it after inline Markdown is rendered."""
    return INLINE_MARKUP.sub(lambda m: m.group(1) or "", title)
