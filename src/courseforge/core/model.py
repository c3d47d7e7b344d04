"""The course model: what an author wrote, validated and typed."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from .blocks import Block, Kind
from .readtime import count_words, seconds
from .syntax import is_index_page, slug


@dataclass(frozen=True)
class Part:
    """A structured lesson part (exercise, example, visual, download or knowledge check)."""

    kind = ""
    has_heading = True    # whether the part renders its own (level 3) heading
    diagrams = 0

    @property
    def ref(self) -> str:
        return getattr(self, "id", "") or slug(getattr(self, "title", ""))

    def texts(self) -> list[str]:
        """All learner-visible text, for reading time and leak audits."""
        raise NotImplementedError


@dataclass(frozen=True)
class Exercise(Part):
    kind = "exercise"
    id: str = ""
    title: str = ""
    difficulty: str = "medium"
    instructions: str = ""
    expected_outcome: str = ""
    hints: tuple[str, ...] = ()
    success_criteria: tuple[str, ...] = ()
    minutes: float | None = None

    def texts(self) -> list[str]:
        return [self.title, self.instructions, self.expected_outcome, *self.hints, *self.success_criteria]


@dataclass(frozen=True)
class Example(Part):
    kind = "example"
    id: str = ""
    title: str = ""
    scenario: str = ""
    takeaway: str = ""

    def texts(self) -> list[str]:
        return [self.title, self.scenario, self.takeaway]


@dataclass(frozen=True)
class Visual(Part):
    kind = "visual"
    diagrams = 1
    id: str = ""
    title: str = ""
    caption: str = ""
    diagram: str = ""
    description: str = ""

    def texts(self) -> list[str]:
        return [self.title, self.caption, self.description, self.diagram]


@dataclass(frozen=True)
class Download(Part):
    kind = "download"
    has_heading = False
    id: str = ""
    title: str = ""
    file: str = ""           # path relative to docs_dir, POSIX separators
    description: str = ""

    def texts(self) -> list[str]:
        return [self.title, self.description]


@dataclass(frozen=True)
class Answer:
    text: str
    feedback: str
    correct: bool = False


@dataclass(frozen=True)
class Question:
    question: str
    answers: tuple[Answer, ...]
    pinned: bool = False      # answers keep the author's order instead of a per-learner shuffle


@dataclass(frozen=True)
class Quiz(Part):
    kind = "quiz"
    has_heading = False
    id: str = "knowledge-check"
    questions: tuple[Question, ...] = ()

    def texts(self) -> list[str]:
        return [text for q in self.questions
                for text in (q.question, *(a.text for a in q.answers), *(a.feedback for a in q.answers))]


UNORDERED = float("inf")  # no `order`: after every ordered item

GENERATED = "generated"  # Block.key of the section headings courseforge adds for parts

PART_ORDER = (Visual, Example, Exercise, Quiz, Download)


@dataclass(frozen=True)
class PartBlock:
    """A structured part placed in the lesson's flow of blocks."""

    part: Part
    line: int
    start: int = -1           # body line of its placement comment; -1 when appended after the body
    end: int = -1
    words: int = 0
    images: int = 0
    kind: Kind = Kind.PART
    text: str = ""

    @property
    def level(self) -> int:
        return 3 if self.part.has_heading else 0

    @property
    def title(self) -> str:
        return getattr(self.part, "title", "") if self.part.has_heading else ""

    anchor = ""


Segment = Block | PartBlock


def part_block(part: Part, line: int = 0, start: int = -1, end: int = -1) -> PartBlock:
    """A part in the flow, with its reading weight counted once, when it is made."""
    words = sum(count_words(text) for text in part.texts() if text)
    return PartBlock(part, line, start, end, words, part.diagrams)


@dataclass
class Lesson:
    path: str                 # relative to docs_dir, POSIX
    course: str               # course slug
    module: str               # folder below the course folder ("" at its top), POSIX
    title: str
    summary: str
    order: float
    access: str               # "pro" or "free"
    preview: float | None     # minutes; None means the site default
    pro_sections: tuple[str, ...]
    segments: list[Segment]
    definitions: list[Block]
    body_lines: tuple[str, ...] = ()      # the body after includes are expanded
    body_line: int = 1                    # file line of the body's first line
    marker_lines: tuple[int, ...] = ()    # every body line that reads `<!-- pro -->`, wherever it stands
    parts: list[Part] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    source: str = ""                      # the file as author messages name it
    key_lines: dict[tuple, int] = field(default_factory=dict)  # front-matter key path -> line

    @property
    def is_free(self) -> bool:
        return self.access == "free"

    @property
    def markers(self) -> list[Segment]:
        """The `<!-- pro -->` lines that stand as top-level lines of the text (not one shown in code)."""
        return [segment for segment in self.segments if segment.kind is Kind.MARKER]

    def reading_seconds(self, words_per_minute: int) -> float:
        """The whole lesson's reading time, whatever an edition shows of it."""
        blocks = [*self.segments, *self.definitions]
        return seconds(sum(b.words for b in blocks), sum(b.images for b in blocks), words_per_minute)

    def meta_line(self, *path: str | int) -> int:
        """Line of a front-matter key, or of its nearest parent that has one."""
        while path and path not in self.key_lines:
            path = path[:-1]
        return self.key_lines.get(path, 1)


@dataclass
class Course:
    slug: str                 # the course folder, relative to docs_dir (unique)
    path: str                 # index page, relative to docs_dir
    title: str
    summary: str
    order: float
    checkout_url: str | None
    benefits: tuple[str, ...]
    lessons: list[Lesson] = field(default_factory=list)

    def module_title(self, module: str) -> str:
        """A module's title: its index.md lesson's, else its folder name in words."""
        folder = posixpath.join(self.slug, module)
        lesson = next((lesson for lesson in self.lessons
                       if posixpath.dirname(lesson.path) == folder and is_index_page(lesson.path)), None)
        if lesson is not None:
            return lesson.title
        words = re.sub(r"^\d+[-_. ]*", "", posixpath.basename(module)).replace("-", " ").replace("_", " ")
        return (words or module).strip().capitalize()


@dataclass
class Catalog:
    courses: list[Course]

    def lessons(self) -> list[Lesson]:
        return [lesson for course in self.courses for lesson in course.lessons]

    def lesson(self, path: str) -> Lesson | None:
        return self._index()[0].get(path)

    def course_of(self, path: str) -> Course | None:
        """The course of a lesson or course page, by its path."""
        return self._index()[1].get(path)

    def _index(self) -> tuple[dict[str, Lesson], dict[str, Course]]:
        if not hasattr(self, "_by_path"):
            lessons = {lesson.path: lesson for lesson in self.lessons()}
            courses = {lesson.path: course for course in self.courses for lesson in course.lessons}
            courses.update({course.path: course for course in self.courses})
            self._by_path = (lessons, courses)
        return self._by_path
