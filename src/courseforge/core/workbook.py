"""A course's workbook: every exercise of the course on one printable page, in lesson order.

Only the pro edition publishes workbooks (the public edition shows exercises of locked parts
nowhere). Which exercises a workbook gathers, in which order, and where its page lives are
decided here; the plugin turns a workbook into a generated page.

An exercise's relative links and images are written from its lesson's folder. The workbook
page sits in the course folder, so an entry from a lesson in a module says where it comes from
(`data-cf-base`), and `LessonFolderLinks` resolves its links from there before MkDocs checks
and rewrites them as it does any page's.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote, urlsplit, urlunsplit

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

from .model import Catalog, Course, Exercise, Lesson, PartBlock
from .problems import Problem

PAGE_NAME = "workbook.md"
BASE_ATTRIBUTE = "data-cf-base"


@dataclass(frozen=True)
class WorkbookEntry:
    number: int               # 1-based position in the workbook
    exercise: Exercise
    lesson: Lesson

    @property
    def lesson_link(self) -> str:
        """The lesson's Markdown file, written like every link of the entry from the lesson's folder,
        as a URL: a file named `#intro.md` is no anchor (MkDocs unquotes it to find the file)."""
        return quote(posixpath.basename(self.lesson.path))

    @property
    def base(self) -> str:
        """The lesson's folder relative to the workbook's ("" when they are the same)."""
        folder = posixpath.relpath(_folder(self.lesson.path), _folder(workbook_path(self.lesson.course)))
        return "" if folder == "." else folder


@dataclass(frozen=True)
class Workbook:
    course: Course
    entries: tuple[WorkbookEntry, ...]

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


def _folder(path: str) -> str:
    return posixpath.dirname(path) or "."


class LessonFolderLinks(Extension):
    """Relative links and images inside an element with `data-cf-base` resolved from that folder."""

    def extendMarkdown(self, md: Markdown) -> None:
        # After inline links are made (priority 20), before MkDocs resolves and checks them (0).
        md.treeprocessors.register(_Rebase(md), "courseforge_lesson_folder_links", 1)


class _Rebase(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for holder in [element for element in root.iter() if BASE_ATTRIBUTE in element.attrib]:
            base = holder.attrib.pop(BASE_ATTRIBUTE)
            for element in holder.iter():
                for name in ("href", "src"):
                    if (value := element.get(name)) is not None:
                        element.set(name, rebased(value, base))


def rebased(url: str, base: str) -> str:
    """`url` written from folder `base` as seen from base's parent; other URLs unchanged."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return url
    path = posixpath.normpath(posixpath.join(base, parts.path))
    return urlunsplit(parts._replace(path=path + ("/" if parts.path.endswith("/") else "")))
