"""A course's workbook: every exercise of the course on one printable page, in lesson order.

Only the pro edition publishes workbooks (the public edition shows exercises of locked parts
nowhere). Which exercises a workbook gathers, in which order, and where its page lives are
decided here; the plugin turns a workbook into a generated page.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass

from .model import Catalog, Course, Exercise, Lesson, PartBlock
from .problems import Problem

PAGE_NAME = "workbook.md"


@dataclass(frozen=True)
class WorkbookEntry:
    number: int               # 1-based position in the workbook
    exercise: Exercise
    lesson: Lesson

    @property
    def lesson_link(self) -> str:
        """The lesson's Markdown path relative to the workbook page, for a link MkDocs resolves."""
        return posixpath.relpath(self.lesson.path, posixpath.dirname(workbook_path(self.lesson.course)) or ".")


@dataclass(frozen=True)
class Workbook:
    course: Course
    entries: tuple[WorkbookEntry, ...]

    @property
    def title(self) -> str:
        return f"Workbook: {self.course.title}"

    @property
    def path(self) -> str:
        return workbook_path(self.course.slug)

    @property
    def minutes(self) -> int:
        return round(sum(entry.exercise.minutes or 0 for entry in self.entries))


def workbook_path(course_slug: str) -> str:
    """The generated page's path below docs_dir: `<course>/workbook.md`."""
    return posixpath.join(course_slug, PAGE_NAME)


def lesson_exercises(lesson: Lesson) -> list[Exercise]:
    """The lesson's exercises in the order its page shows them (placed inline or appended)."""
    return [s.part for s in lesson.segments if isinstance(s, PartBlock) and isinstance(s.part, Exercise)]


def course_workbook(course: Course) -> Workbook | None:
    """Every exercise of the course, lesson by lesson; None when the course has none."""
    exercises = [(exercise, lesson) for lesson in course.lessons for exercise in lesson_exercises(lesson)]
    if not exercises:
        return None
    entries = tuple(WorkbookEntry(number, exercise, lesson)
                    for number, (exercise, lesson) in enumerate(exercises, start=1))
    return Workbook(course, entries)


def workbooks(catalog: Catalog) -> dict[str, Workbook]:
    """The catalog's workbooks, keyed by course slug."""
    found = {course.slug: course_workbook(course) for course in catalog.courses}
    return {slug: workbook for slug, workbook in found.items() if workbook is not None}


def workbook_markdown(workbook: Workbook, write_entry: Callable[[WorkbookEntry], str]) -> str:
    """The workbook page's Markdown: each entry as `write_entry` writes it, in order."""
    return "\n\n".join(write_entry(entry) for entry in workbook.entries) + "\n"


def address_taken(workbook: Workbook, page: str) -> Problem:
    """An author's page that the generated workbook would replace (same URL)."""
    return Problem(page, 1, "workbook",
                   f"this page has the address of the generated workbook of '{workbook.course.title}' "
                   f"({workbook.path}); rename or move it")
