"""An edition of the course: what each lesson shows, and what the public edition withholds.

`Edition` is built once per build from the catalog and the settings. It makes each lesson's
view (the Markdown the site generator renders, the locked outline, the numbers the paywall
quotes) and the course summaries, and it reports the author errors that only a render can
find (a marker inside a construct). Views are kept for the edition's lifetime only, so
nothing outlives a `serve` rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from . import syntax
from .blocks import Block, Kind
from .cache import Memo, ResultCache, code_fingerprint
from .compose import PartWriter, compose, without_markers
from .cut import Cut, Cutter, is_wanted
from .model import GENERATED, UNORDERED, Catalog, Course, Download, Exercise, Lesson, Quiz, Segment, Visual
from .problems import Problem, did_you_mean
from .readtime import count_diagrams, minutes, seconds
from .rendering import Heading, Renderer, Rendering

EDITIONS = ("public", "pro")
T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """The plugin options the core needs; their defaults are defined here only."""

    words_per_minute: int = 230
    preview_minutes: float = 3


@dataclass
class LessonView:
    """What one edition shows of a lesson: the Markdown to render, and what stays locked."""

    lesson: Lesson
    markdown: str
    visible: list[Segment]
    locked: list[Segment] = field(default_factory=list)
    moved_definitions: list[Block] | None = None  # a preview's: the definitions it uses, after it
    outline: tuple[Heading, ...] = ()   # locked headings as the pro page renders them
    words_per_minute: int = 230

    @property
    def is_locked(self) -> bool:
        return bool(self.locked)

    @property
    def total_minutes(self) -> int:
        return minutes(self.lesson.reading_seconds(self.words_per_minute))

    @property
    def locked_minutes(self) -> int:
        """What the paywall says is left: at least a minute, at most the whole lesson."""
        if not self.locked:
            return 0
        return min(self.total_minutes, max(1, round(self._seconds(self.locked) / 60)))

    @property
    def preview_minutes(self) -> int:
        """The rest of the lesson's minutes, so that preview + left = the header's reading time
        (0 when the preview is shorter than a minute)."""
        return self.total_minutes - self.locked_minutes

    @property
    def preview_words(self) -> int:
        return sum(s.words for s in self.visible)

    @property
    def locked_words(self) -> int:
        return sum(s.words for s in self.locked)

    @property
    def locked_sections(self) -> int:
        return sum(1 for s in self.locked if isinstance(s, Block) and s.kind is Kind.HEADING
                   and s.level == 2 and s.key != GENERATED)

    @property
    def locked_diagrams(self) -> int:
        return sum(isinstance(getattr(s, "part", None), Visual) or count_diagrams(s.text) for s in self.locked)

    @property
    def locked_exercises(self) -> int:
        return sum(1 for s in self.locked if isinstance(getattr(s, "part", None), Exercise))

    @property
    def locked_quizzes(self) -> int:
        return sum(1 for s in self.locked if isinstance(getattr(s, "part", None), Quiz))

    @property
    def locked_downloads(self) -> list[Download]:
        return [s.part for s in self.locked if isinstance(getattr(s, "part", None), Download)]

    def _seconds(self, segments: list[Segment]) -> float:
        return seconds(sum(s.words for s in segments), sum(s.images for s in segments), self.words_per_minute)


@dataclass(frozen=True)
class LessonSummary:
    title: str
    summary: str
    url: str
    module: str               # the module's title ("" for lessons at the top of the course)
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

    @property
    def all_free(self) -> bool:
        return self.free_count == len(self.lessons)

    @property
    def modules(self) -> list[tuple[str, list[LessonSummary]]]:
        """Consecutive lessons grouped by module, in course order: the syllabus sections."""
        groups: list[tuple[str, list[LessonSummary]]] = []
        for lesson in self.lessons:
            if not groups or groups[-1][0] != lesson.module:
                groups.append((lesson.module, []))
            groups[-1][1].append(lesson)
        return groups


class Edition:
    """One edition of a catalog: `public` (preview + paywall) or `pro` (everything)."""

    def __init__(self, name: str, catalog: Catalog, settings: Settings, renderer: Renderer,
                 write_part: PartWriter, cache_folder: Path | None = None, memo: Memo | None = None) -> None:
        self.name = name
        self.cache_folder = cache_folder
        # `serve`: views of the previous build, for the lessons the loader handed back unchanged.
        self.memo = memo
        self.cache = ResultCache(cache_folder, code_fingerprint() + renderer.fingerprint)
        self.catalog = catalog
        self.settings = settings
        self.renderer = renderer
        self.write_part = write_part
        self.cutter = Cutter(renderer, settings.words_per_minute)
        self._views: dict[str, LessonView] = {}
        self._wholes: dict[str, tuple[str, Rendering | None]] = {}  # whole-lesson Markdown and its render
        self._public: Edition | None = self if self.is_public else None

    @property
    def is_public(self) -> bool:
        return self.name == "public"

    def view(self, lesson: Lesson) -> LessonView:
        if lesson.path not in self._views:
            self._views[lesson.path] = self.remembered("view", lesson, lambda: self._make_view(lesson))
        return self._views[lesson.path]

    def remembered(self, kind: str, lesson: Lesson, make: Callable[[], T]) -> T:
        """`make()`, or under `serve` its value for this very lesson object in the previous build."""
        if self.memo is None:
            return make()
        key = (kind, self.name, self.settings, id(lesson))
        found = self.memo.get(key)
        if found is not None and found[0] is lesson:  # the entry keeps the lesson alive: its id is not reused
            return found[1]
        return self.memo.put(key, (lesson, make()))[1]

    def public_view(self, lesson: Lesson) -> LessonView:
        """The public edition's view, also under the pro edition (the author note of `serve`)."""
        if self._public is None:
            self._public = Edition("public", self.catalog, self.settings, self.renderer, self.write_part,
                                   self.cache_folder, self.memo)
        return self._public.view(lesson)

    def limit(self, lesson: Lesson) -> float:
        return self.settings.preview_minutes if lesson.preview is None else lesson.preview

    def _whole_markdown(self, lesson: Lesson) -> str:
        if lesson.path not in self._wholes:
            markdown = self.remembered("whole", lesson, lambda: compose(lesson, lesson.segments, self.write_part))
            self._wholes[lesson.path] = (markdown, None)
        return self._wholes[lesson.path][0]

    def whole_html(self, lesson: Lesson) -> str:
        """The whole lesson as HTML, locked parts too."""
        return self._whole_rendering(lesson).html

    def _whole_rendering(self, lesson: Lesson) -> Rendering:
        """The whole lesson rendered once per build: the cut and the author checks both need it."""
        markdown, rendering = self._wholes.get(lesson.path, (self._whole_markdown(lesson), None))
        if rendering is None:
            rendering = self.renderer.render(markdown)
            self._wholes[lesson.path] = (markdown, rendering)
        return rendering

    def _make_view(self, lesson: Lesson) -> LessonView:
        if not self.is_public or lesson.is_free:
            # A free lesson's public page leaves out its `<!-- pro -->` lines, which lock nothing (the audit
            # rejects a public page holding one); a pro page keeps them, for the audit to find if published.
            shown = without_markers(lesson.segments)
            markdown = (self._whole_markdown(lesson) if not self.is_public or len(shown) == len(lesson.segments)
                        else self.remembered("shown whole", lesson, lambda: compose(lesson, shown, self.write_part)))
            return LessonView(lesson, markdown, shown, [], words_per_minute=self.settings.words_per_minute)
        cut = self._cut(lesson)
        visible = without_markers(lesson.segments[:cut.index])
        definitions = list(cut.definitions)
        return LessonView(lesson, compose(lesson, visible, self.write_part, definitions), visible,
                          without_markers(lesson.segments[cut.index:]), definitions, cut.locked_headings,
                          self.settings.words_per_minute)

    def _cut(self, lesson: Lesson) -> Cut:
        """The lesson's proven cut, from the cache when nothing it depends on has changed."""
        def preview_markdown(shown: list[Segment], definitions: list[Block]) -> str:
            return compose(lesson, shown, self.write_part, definitions)

        def make() -> dict:
            cut = self.cutter.cut(lesson, self.limit(lesson), self._whole_rendering(lesson), preview_markdown)
            return {"index": cut.index, "definitions": [d.key for d in cut.definitions],
                    "headings": [[h.level, h.id, h.text] for h in cut.locked_headings]}

        stored = self.cache.get_or_make(make, "cut", self._whole_markdown(lesson), self.limit(lesson),
                                        self.settings.words_per_minute, lesson.pro_sections)
        used = set(stored["definitions"])
        return Cut(stored["index"], tuple(d for d in lesson.definitions if d.key in used),
                   tuple(Heading(*heading) for heading in stored["headings"]))

    def problems(self) -> list[Problem]:
        """Author errors a render reveals, for every lesson at once (both editions report them)."""
        found: list[Problem] = []
        for lesson in self.catalog.lessons():
            if lesson.marker_lines or lesson.pro_sections:
                found += [Problem(*problem) for problem in self._render_problems(lesson)]
        return found

    def _render_problems(self, lesson: Lesson) -> list:
        def make() -> list:
            whole = self._whole_rendering(lesson)
            problems = self.cutter.marker_problems(lesson, lesson.source, whole)
            problems += _missing_pro_sections(lesson, whole.headings)
            return [[p.path, p.line, p.key, p.message] for p in problems]

        lines = [lesson.meta_line("pro_sections", index) for index in range(len(lesson.pro_sections))]
        return self.cache.get_or_make(make, "problems", self._whole_markdown(lesson), lesson.source,
                                      lesson.body_line, lesson.marker_lines, lesson.pro_sections, lines)

    def warnings(self) -> list[Problem]:
        """Likely mistakes that still build: a pro lesson its preview shows whole, a marker in a
        free lesson, two lessons of a module with the same order."""
        found = [*self._free_markers(), *self._same_orders()]
        for lesson in self.catalog.lessons():
            marks = bool(lesson.markers)
            if lesson.is_free or marks or lesson.pro_sections or self.limit(lesson) <= 0:
                continue
            reading = lesson.reading_seconds(self.settings.words_per_minute)
            if reading <= self.limit(lesson) * 60:
                found.append(Problem(lesson.source, lesson.meta_line("preview"), "preview",
                                     f"this pro lesson is shorter than its preview ({_duration(reading)} "
                                     f"of reading, {self.limit(lesson):g} min preview): the public edition "
                                     "shows it whole; lower 'preview' or add a '<!-- pro -->' line"))
        return found

    def _free_markers(self) -> list[Problem]:
        return [Problem(lesson.source, lesson.markers[0].line, "<!-- pro -->",
                        "this lesson is free ('access: free'), so the marker locks nothing")
                for lesson in self.catalog.lessons() if lesson.is_free and lesson.markers]

    def _same_orders(self) -> list[Problem]:
        found, seen = [], {}
        for course in self.catalog.courses:
            for lesson in course.lessons:
                if lesson.order == UNORDERED:
                    continue
                other = seen.setdefault((course.slug, lesson.module, lesson.order), lesson)
                if other is not lesson:
                    found.append(Problem(lesson.source, lesson.meta_line("order"), "order",
                                         f"{lesson.order:g} is also the order of {other.source}; "
                                         "their places in the course depend on their file names"))
        return found

    def course_summaries(self, urls: dict[str, str]) -> dict[str, CourseSummary]:
        """Course listings for the home and course pages, keyed by course slug."""
        return {course.slug: self._summary(course, urls) for course in self.catalog.courses}

    def _summary(self, course: Course, urls: dict[str, str]) -> CourseSummary:
        lessons = tuple(LessonSummary(lesson.title, lesson.summary, urls.get(lesson.path, ""),
                                      _module_title(course, lesson.module),
                                      minutes(lesson.reading_seconds(self.settings.words_per_minute)),
                                      lesson.is_free)
                        for lesson in course.lessons)
        return CourseSummary(course.slug, course.title, course.summary, urls.get(course.path, ""), lessons)


def _missing_pro_sections(lesson: Lesson, headings: tuple[Heading, ...]) -> list[Problem]:
    """Each `pro_sections` entry must name a heading the page really has (text or id, as rendered)."""
    found = []
    for index, title in enumerate(lesson.pro_sections):
        if not any(is_wanted(h, {syntax.normalise(title)}) for h in headings):
            generated = {s.title for s in lesson.segments if isinstance(s, Block) and s.key == GENERATED}
            texts = [h.text for h in headings if h.text not in generated]
            known = ", ".join(f"'{text}'" for text in texts) or "none"
            found.append(Problem(lesson.source, lesson.meta_line("pro_sections", index), f"pro_sections[{index}]",
                                 f"no heading '{title}' in this lesson{did_you_mean(title, texts)}; headings: {known}"))
    return found


def _module_title(course: Course, module: str) -> str:
    """"Module › Sub-module" for a lesson in nested module folders; "" at the top of the course."""
    parts = module.split("/") if module else []
    return " › ".join(course.module_title("/".join(parts[:depth])) for depth in range(1, len(parts) + 1))


def _duration(seconds_read: float) -> str:
    """A reading time as an author compares it with a preview: exact under a minute and a half."""
    return f"{round(seconds_read)} s" if seconds_read < 90 else f"{round(seconds_read / 60)} min"
