"""Site-level pieces of the adapter: page context for templates, nav, Markdown setup, locked files."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig

from ..core.model import Catalog, Course, Lesson, PartBlock
from ..core.preview import LessonView

CALLOUT_TYPES = [
    {"name": "why-this-matters", "title": "Why this matters for PMs"},
    {"name": "key-steps", "title": "Key steps"},
]
DEFAULT_MERMAID = "assets/courseforge/vendor/mermaid.min.js"
MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": "mermaid2.fence_mermaid_custom"}


@dataclass(frozen=True)
class LessonSummary:
    title: str
    summary: str
    url: str
    minutes: int
    free: bool


@dataclass(frozen=True)
class CourseSummary:
    slug: str
    title: str
    summary: str
    url: str
    lessons: tuple[LessonSummary, ...]

    @property
    def minutes(self) -> int:
        return sum(lesson.minutes for lesson in self.lessons)

    @property
    def free_count(self) -> int:
        return sum(lesson.free for lesson in self.lessons)


def summarise(catalog: Catalog, urls: dict[str, str],
              view_of: Callable[[Lesson], LessonView]) -> dict[str, CourseSummary]:
    """Course listings for the home and course pages, keyed by course slug."""
    return {
        course.slug: CourseSummary(
            course.slug, course.title, course.summary, urls.get(course.path, ""),
            tuple(LessonSummary(lesson.title, lesson.summary, urls.get(lesson.path, ""),
                                view_of(lesson).total_minutes, lesson.is_free)
                  for lesson in course.lessons))
        for course in catalog.courses
    }


@dataclass
class PageInfo:
    """What courseforge's templates know about the page they render (`page.courseforge`)."""

    summaries: dict[str, CourseSummary]
    course: Course | None
    edition: str
    pro_site_url: str | None
    page_url: str
    view: LessonView | None = None
    checkout_url: str | None = None
    benefits: tuple[str, ...] = ()
    outline: list[tuple] = field(default_factory=list)
    diagram_library: str = ""      # set on pages that have a diagram
    diagram_options: str = "{}"    # JSON for mermaid.initialize

    @property
    def pro_url(self) -> str | None:
        if not self.pro_site_url:
            return None
        return self.pro_site_url.rstrip("/") + "/" + self.page_url

    @property
    def course_summaries(self) -> list[CourseSummary]:
        return list(self.summaries.values())

    @property
    def course_summary(self) -> CourseSummary | None:
        return self.summaries.get(self.course.slug) if self.course else None

    @property
    def is_public(self) -> bool:
        return self.edition == "public"


def configure_markdown(config: MkDocsConfig) -> None:
    """Enable what lesson parts are written with, keeping the author's own settings."""
    for name in ("attr_list", "md_in_html", "toc", "pymdownx.superfences", "pymdownx.blocks.admonition"):
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    admonition = config.mdx_configs.setdefault("pymdownx.blocks.admonition", {})
    types = admonition.setdefault("types", ["note", "abstract", "info", "tip", "success", "question", "warning",
                                            "failure", "danger", "bug", "example", "quote"])
    known = {t["name"] if isinstance(t, dict) else t for t in types}
    types.extend(t for t in CALLOUT_TYPES if t["name"] not in known)
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        from mermaid2.fence import fence_mermaid_custom
        fences.append({**MERMAID_FENCE, "format": fence_mermaid_custom})


def adopt_mermaid2(config: MkDocsConfig) -> tuple[str, dict]:
    """Keep mermaid2's fence and settings, but draw diagrams with courseforge's lazy loader.

    mermaid2's page hook re-parses every diagram page with BeautifulSoup (most of a build's
    time on diagram-heavy courses) and adds a render-blocking script; courseforge removes
    that hook and loads the library itself only when a diagram nears the viewport. Without a
    `javascript` setting it serves the pinned Mermaid it ships, so no build or page goes online.
    Returns the library URL and mermaid2's `arguments` for `mermaid.initialize`.
    """
    plugin = config.plugins.get("mermaid2")
    if plugin is None:
        return DEFAULT_MERMAID, {}
    if not plugin.config.get("javascript"):
        plugin.config["javascript"] = DEFAULT_MERMAID
    events = config.plugins.events["post_page"]
    events[:] = [event for event in events if getattr(event, "__self__", None) is not plugin]
    return plugin.config["javascript"], dict(plugin.config.get("arguments") or {})


def build_nav(catalog: Catalog, docs_dir: Path) -> list:
    """Navigation from the course order: home, then each course with its lessons in order."""
    listed = {"index.md"} | {c.path for c in catalog.courses} | {lesson.path for lesson in catalog.lessons()}
    nav: list = [{"Home": "index.md"}]
    for course in catalog.courses:
        lessons = ({str(escape(lesson.title)): lesson.path} for lesson in course.lessons)
        nav.append({str(escape(course.title)): [course.path, *lessons]})
    others = sorted(p.relative_to(docs_dir).as_posix() for p in docs_dir.rglob("*.md"))
    nav.extend(path for path in others if path not in listed)
    return nav


LOCAL_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)|\bsrc=[\"']([^\"']+)")


def locked_files(catalog: Catalog, view_of: Callable[[Lesson], LessonView]) -> set[str]:
    """Files (relative to docs_dir) that only locked text links to: the public edition skips them."""
    public: set[str] = set()
    locked: set[str] = set()
    for lesson in catalog.lessons():
        lesson_view = view_of(lesson)
        public |= _linked(lesson, lesson_view.visible + lesson_view.definitions)
        locked |= _linked(lesson, lesson_view.locked + lesson_view.locked_definitions)
    return locked - public


def _linked(lesson: Lesson, segments: list) -> set[str]:
    found: set[str] = set()
    base = posixpath.dirname(lesson.path)
    for segment in segments:
        if isinstance(segment, PartBlock):
            if file := getattr(segment.part, "file", ""):
                found.add(file)
            continue
        if "](" not in segment.text and "src=" not in segment.text:
            continue  # cheaper than running the pattern over every lesson's whole text
        for match in LOCAL_LINK.finditer(segment.text):
            target = (match.group(1) or match.group(2)).split("#")[0]
            if target and "://" not in target and not target.startswith(("/", "mailto:")):
                found.add(posixpath.normpath(posixpath.join(base, target)))
    return found
