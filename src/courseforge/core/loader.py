"""Read a course tree from disk into the model, collecting every author error on the way.

    <docs_dir>/…/<course>/index.md         a course page: its front matter has `title` and `summary`
    <docs_dir>/…/<course>/…/<lesson>.md    a lesson, at any depth (sub-folders are modules)
    <exercises_dir>/<id>.yml               an exercise referenced by id

Every Markdown page is classified, so none can slip through unlocked: a page inside a course
folder is a lesson; a page outside every course that uses lesson keys or a `<!-- pro -->`
line is an author error, not a page published whole.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import i18n, schema, syntax
from .blocks import ALL_DEFINITIONS, Block, Kind, split_blocks
from .frontmatter import Document, parse_markdown, parse_yaml
from .includes import Expanded
from .model import (
    GENERATED,
    PART_ORDER,
    UNORDERED,
    Catalog,
    Course,
    Download,
    Exercise,
    Lesson,
    Part,
    Quiz,
    Segment,
    part_block,
)
from .problems import Problem, did_you_mean

# Keys that only make sense on a lesson: a page outside every course that uses one was meant
# to be a lesson, and publishing it whole would publish what the author meant to lock.
LESSON_ONLY_KEYS = tuple(key for key in schema.LESSON if key not in ("title", "order", "summary"))


Expander = Callable[[str, Path], Expanded]  # includes (snippets, include-markdown) of a page's body


@dataclass
class Loader:
    """Loads and validates a whole course tree; `problems` holds everything found wrong."""

    docs_dir: Path
    exercises_dir: Path
    root: Path = field(default_factory=Path.cwd)  # paths in messages are relative to this
    definition_kinds: frozenset[str] = ALL_DEFINITIONS  # the definitions the site's extensions know
    expand: Expander | None = None
    strings: i18n.Strings = field(default_factory=lambda: i18n.strings(None))  # titles of the parts' sections
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # likely mistakes that still build
    _exercises: dict[str, Exercise | None] = field(default_factory=dict)

    def load(self, pages: Iterable[str] | None = None) -> Catalog:
        """The catalog of `pages` (docs-relative Markdown paths; default: every *.md file)."""
        if pages is None:
            pages = [p.relative_to(self.docs_dir).as_posix() for p in self.docs_dir.rglob("*.md")
                     if not any(part.startswith(".") for part in p.relative_to(self.docs_dir).parts)]
        pages = sorted(pages)
        documents = {path: self._read(self.docs_dir / path) for path in pages}
        folders = course_folders({p: d.data for p, d in documents.items() if d is not None})
        members: dict[str, list[str]] = {folder: [] for folder in folders}
        for path, document in documents.items():
            folder = course_of(path, folders)
            if folder is not None:
                members[folder].append(path)
            elif document is not None:
                self._check_outside_page(document)
        courses = [self._course(folder, documents, members[folder]) for folder in folders]
        courses = [course for course in courses if course]
        courses.sort(key=lambda c: (c.order, c.slug))
        self._warn_unused_exercises()
        return Catalog(courses)

    def _warn_unused_exercises(self) -> None:
        """An exercise file no lesson names is work a learner never sees (often a misspelt id)."""
        for file in sorted(self.exercises_dir.glob("*.yml")):
            if file.stem not in self._exercises:
                self.warnings.append(Problem(self._display(file), 1, "exercise file",
                                             f"no lesson uses it: add '{file.stem}' to a lesson's exercises"))

    def _check_outside_page(self, document: Document) -> None:
        for key in document.data:
            if key in LESSON_ONLY_KEYS or (key == "summary" and not document.path.endswith("index.md")):
                self.problems.append(Problem(document.path, document.line_of((key,)), key,
                                             "a lesson key on a page outside every course; a course is a "
                                             "folder whose index.md has 'title' and 'summary'"))
        for index, line in enumerate(document.body.splitlines()):
            if syntax.MARKER.match(line):
                self.problems.append(Problem(document.path, document.body_line + index, "<!-- pro -->",
                                             "a marker on a page outside every course: nothing here is locked"))

    # --- reading and validating -----------------------------------------------------

    def __post_init__(self) -> None:
        # Resolved once: every path read below then derives from them and needs no resolve().
        self.root = self.root.resolve()
        self.docs_dir = self.docs_dir.resolve()
        self.exercises_dir = self.exercises_dir.resolve()

    def _display(self, path: Path) -> str:
        if ".." not in path.parts and path.is_relative_to(self.root):
            return path.relative_to(self.root).as_posix()
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def _read(self, path: Path, markdown: bool = True) -> Document | None:
        """A parsed source file, or None after recording why it cannot be used."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(Problem(self._display(path), 1, "file", f"cannot be read: {error}"))
            return None
        display = self._display(path)
        document = parse_markdown(display, text) if markdown else parse_yaml(display, text, what="exercise file")
        self.problems.extend(document.problems)
        return None if document.problems else document

    def _checked(self, document: Document | None, kind: schema.Schema) -> dict[str, Any] | None:
        """The document's clean front matter (checked and converted), or None if it is unusable."""
        if document is None:
            return None
        data, problems = schema.validate(document, kind)
        self.problems.extend(problems)
        return data

    def _course(self, folder: str, documents: dict[str, Document | None], pages: list[str]) -> Course | None:
        index = posixpath.join(folder, "index.md")
        data = self._checked(documents[index], schema.COURSE)
        if data is None:
            return None
        course = Course(slug=folder, path=index, title=data["title"], summary=data["summary"],
                        order=data.get("order", UNORDERED), checkout_url=data.get("checkout_url"),
                        benefits=data.get("benefits", ()))
        lessons = (self._lesson(documents[page], page, course.slug, folder) for page in pages if page != index)
        course.lessons = in_course_order([lesson for lesson in lessons if lesson])
        return course

    def _lesson(self, document: Document | None, path: str, course: str, folder: str) -> Lesson | None:
        data = self._checked(document, schema.LESSON)
        if document is None or data is None:
            return None
        body, origins = self._expanded(document, self.docs_dir / path)
        blocks = [_at(block, document.body_line, origins) for block in
                  split_blocks(body, 1, self.definition_kinds)]
        parts = self._parts(document, data, self.docs_dir / path)
        self._check_diagrams(document, blocks)
        body_lines = tuple(body.split("\n"))
        lesson = Lesson(
            path=path,
            course=course,
            module=posixpath.dirname(posixpath.relpath(path, folder)),
            title=data["title"],
            summary=data["summary"],
            order=data.get("order", UNORDERED),
            access=data.get("access", "pro"),
            preview=data.get("preview"),
            pro_sections=data.get("pro_sections", ()),
            segments=self._segments(document, [b for b in blocks if b.kind is not Kind.DEFINITION], parts),
            definitions=[b for b in blocks if b.kind is Kind.DEFINITION],
            body_lines=body_lines,
            body_line=document.body_line,
            marker_lines=tuple(document.body_line + origins[i] - 1
                               for i, line in enumerate(body_lines) if syntax.MARKER.match(line)),
            parts=parts,
            meta=document.data,
            source=document.path,
            key_lines=dict(document.lines),
        )
        self._check_pro_sections(document, lesson)
        return lesson

    def _expanded(self, document: Document, path: Path) -> tuple[str, list[int]]:
        """The body with includes expanded, and each of its lines' line in the original body."""
        expansion = self.expand(document.body, path) if self.expand else Expanded.unchanged(document.body)
        for line, message in expansion.problems:
            self.problems.append(Problem(document.path, document.body_line + line - 1, "include", message))
        return expansion.text, expansion.origins

    # --- structured parts -------------------------------------------------------------

    def _parts(self, document: Document, data: dict[str, Any], path: Path) -> list[Part]:
        parts: list[Part] = [*data.get("visuals", ()), *data.get("examples", ())]
        for index, entry in enumerate(data.get("exercises", ())):
            if exercise := self._exercise(document, index, entry):
                parts.append(exercise)
        if questions := data.get("quiz"):
            parts.append(Quiz(questions=questions))
        for index, entry in enumerate(data.get("downloads", ())):
            if download := self._download(document, path, index, entry):
                parts.append(download)
        return parts

    def _exercise(self, document: Document, index: int, entry: Exercise | str | None) -> Exercise | None:
        if not isinstance(entry, str):
            return entry  # an inline exercise, or None where the schema found it invalid
        if entry not in self._exercises:
            file = self.exercises_dir / f"{entry}.yml"
            if not file.is_file():
                known = (path.stem for path in self.exercises_dir.glob("*.yml"))
                self.problems.append(Problem(document.path, document.line_of(("exercises", index)),
                                             f"exercises[{index}]",
                                             f"no exercise file {self._display(file)} for id '{entry}'"
                                             + did_you_mean(entry, known)))
                return None
            data = self._checked(self._read(file, markdown=False), schema.EXERCISE)
            self._exercises[entry] = Exercise(**{**data, "id": entry}) if data is not None else None
        return self._exercises[entry]

    def _download(self, document: Document, path: Path, index: int, entry: dict | None) -> Download | None:
        if entry is None:
            return None
        target = (path.parent / entry["file"]).resolve()
        problem = None
        if not target.is_relative_to(self.docs_dir):
            problem = "must be a file inside the docs folder"
        elif not target.is_file():
            nearby = (p.relative_to(path.parent).as_posix() for p in path.parent.rglob("*")
                      if p.is_file() and p.suffix != ".md")
            problem = f"file not found: {self._display(target)}" + did_you_mean(entry["file"], nearby)
        elif target.suffix.lower() == ".md":
            problem = "a download cannot be a Markdown page; use .txt, .csv, .pdf, .docx or similar"
        if problem:
            line = document.line_of(("downloads", index, "file"))
            self.problems.append(Problem(document.path, line, f"downloads[{index}].file", problem))
            return None
        return Download(**{**entry, "file": target.relative_to(self.docs_dir).as_posix()})

    # --- lesson structure -------------------------------------------------------------

    def _segments(self, document: Document, blocks: list[Block], parts: list[Part]) -> list[Segment]:
        by_ref = {(part.kind, part.ref): part for part in parts}
        placed: set[Part] = set()
        segments: list[Segment] = []
        for block in blocks:
            if block.kind is not Kind.PLACEMENT:
                segments.append(block)
                continue
            kind, ref = block.key.split(":", 1)
            part = by_ref.get((kind, ref))
            if part is None or part in placed:
                reason = "is placed twice" if part else f"matches no {kind} of this lesson"
                self.problems.append(Problem(document.path, block.line, kind, f"placement '{ref}' {reason}"))
                continue
            placed.add(part)
            segments.append(part_block(part, block.line, block.start, block.end))
        for part_type in PART_ORDER:
            rest = [p for p in parts if isinstance(p, part_type) and p not in placed]
            if rest:
                title = self.strings(f"section_{part_type.kind}")
                segments.append(Block(Kind.HEADING, f"## {title}", 0, -1, -1, level=2, title=title, key=GENERATED))
                segments.extend(part_block(part) for part in rest)
        return segments

    def _check_diagrams(self, document: Document, blocks: list[Block]) -> None:
        for block in blocks:
            if block.kind is Kind.DIAGRAM and not syntax.ACCESSIBLE_DIAGRAM.search(block.text):
                self.problems.append(Problem(
                    document.path, block.line, "diagram",
                    "a Mermaid diagram needs a text alternative: add 'accTitle: ...' and "
                    "'accDescr: ...' lines inside it"))

    def _check_pro_sections(self, document: Document, lesson: Lesson) -> None:
        if lesson.pro_sections and lesson.is_free:
            self.problems.append(Problem(document.path, document.line_of(("pro_sections",)), "pro_sections",
                                         "a lesson with 'access: free' shows everything; remove "
                                         "pro_sections or set 'access: pro'"))


# --- discovery ------------------------------------------------------------------------

def course_folders(front_matter: dict[str, dict]) -> list[str]:
    """Folders below docs_dir whose index.md has a title and a summary, outermost only."""
    found: list[str] = []
    for path in sorted(front_matter, key=lambda p: (p.count("/"), p)):
        folder, name = posixpath.split(path)
        data = front_matter[path]
        if name == "index.md" and folder and "summary" in data and "title" in data:
            if course_of(path, found) is None:
                found.append(folder)
    return found


def course_of(path: str, folders: Iterable[str]) -> str | None:
    return next((folder for folder in folders if path.startswith(folder + "/")), None)


def in_course_order(lessons: list[Lesson]) -> list[Lesson]:
    """Lessons in reading order: a module (sub-folder) sits among its siblings by its order.

    A module's order is its index.md lesson's `order`, else the smallest order inside it.
    """
    def modules(lesson: Lesson) -> list[str]:
        parts = lesson.module.split("/") if lesson.module else []
        return ["/".join(parts[:depth]) for depth in range(1, len(parts) + 1)]

    def is_index(lesson: Lesson) -> bool:
        return posixpath.basename(lesson.path) == "index.md"

    order = {lesson.module: lesson.order for lesson in lessons if is_index(lesson) and lesson.order != UNORDERED}
    smallest: dict[str, float] = {}
    for lesson in lessons:
        for module in modules(lesson):
            smallest[module] = min(smallest.get(module, UNORDERED), lesson.order)

    def key(lesson: Lesson) -> list[tuple]:
        levels = [(order.get(m, smallest[m]), 1, m) for m in modules(lesson)]
        return [*levels, (float("-inf"), 0, "") if is_index(lesson) else (lesson.order, 1, lesson.path)]

    return sorted(lessons, key=key)


def _at(block: Block, body_line: int, origins: list[int]) -> Block:
    """A block placed at its file line, through the include expansion's line map."""
    origin = origins[block.start] if block.start < len(origins) else origins[-1]
    return dataclasses.replace(block, line=body_line + origin - 1)
