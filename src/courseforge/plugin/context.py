"""What courseforge's templates know about the page they render: the `courseforge` variable.

Built once per page in `on_page_context` from what the build has settled by then, and
handed to the templates; nothing here is mutated across events.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.edition import CourseSummary, LessonView
from ..core.model import Course
from ..core.workbook import Workbook
from .templates import Lookup


@dataclass(frozen=True)
class PageContext:
    summaries: dict[str, CourseSummary]
    course: Course | None
    edition: str
    page_url: str
    t: Lookup                        # the learners' strings of this page's language
    title: str = ""                  # the author's text, unescaped: templates escape it once
    summary: str = ""
    view: LessonView | None = None
    public_view: LessonView | None = None  # under `serve`: where the public preview ends
    checkout_url: str | None = None
    pro_site_url: str | None = None
    benefits: tuple[str, ...] = ()
    diagram_library: str = ""        # set on pages that have a diagram
    diagram_options: str = "{}"      # JSON for mermaid.initialize
    outline: tuple = field(default_factory=tuple)  # (level, text, id) of each locked heading
    workbook: Workbook | None = None  # the course's workbook (pro edition): on its page
    workbook_url: str | None = None   # and its address, on the course page

    @property
    def script_strings(self) -> dict:
        """What courseforge.js shows learners, as JSON in the page (see base.html)."""
        return self.t.strings.script_table()

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
    def position(self) -> tuple[int, int] | None:
        """(n, m): this page is lesson n of the m lessons of its course, in course order."""
        summary = self.course_summary
        urls = [lesson.url for lesson in summary.lessons] if summary else []
        return (urls.index(self.page_url) + 1, len(urls)) if self.page_url in urls else None

    @property
    def is_public(self) -> bool:
        return self.edition == "public"

    @property
    def sells(self) -> bool:
        """Whether this page may offer the course for sale: public, with something to buy."""
        summary = self.course_summary
        return self.is_public and bool(self.checkout_url) and not (summary and summary.all_free)
