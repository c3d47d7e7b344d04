"""Read a course tree from disk into the model, collecting every author error on the way.

    <docs_dir>/<course>/index.md      a course page
    <docs_dir>/<course>/<lesson>.md   a lesson
    <exercises_dir>/<id>.yml          an exercise referenced by id
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schema
from .blocks import Block, Kind, split_blocks
from .frontmatter import Document, parse_markdown, parse_yaml
from .model import (
    ACCESSIBLE_DIAGRAM,
    GENERATED,
    PART_ORDER,
    Answer,
    Catalog,
    Course,
    Download,
    Example,
    Exercise,
    Lesson,
    Part,
    PartBlock,
    Question,
    Quiz,
    Segment,
    Visual,
)
from .preview import is_pro_heading, normalise
from .problems import Problem


@dataclass
class Loader:
    """Loads and validates a whole course tree; `problems` holds everything found wrong."""

    docs_dir: Path
    exercises_dir: Path
    root: Path = field(default_factory=Path.cwd)  # paths in messages are relative to this
    problems: list[Problem] = field(default_factory=list)
    _exercises: dict[str, Exercise | None] = field(default_factory=dict)
    _read_paths: set[Path] = field(default_factory=set)

    def load(self) -> Catalog:
        courses = [self._course(index) for index in sorted(self.docs_dir.glob("*/index.md"))]
        courses = [course for course in courses if course]
        courses.sort(key=lambda c: (c.order, c.slug))
        catalog = Catalog(courses)
        self._check_other_pages()
        return catalog

    def _check_other_pages(self) -> None:
        """Other pages need no schema, but broken YAML would be published as page text."""
        for path in sorted(self.docs_dir.rglob("*.md")):
            if path not in self._read_paths:
                self._read(path, {}, allow_any_key=True)

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

    def _read(self, path: Path, kind: schema.Schema, markdown: bool = True,
              allow_any_key: bool = False) -> Document | None:
        self._read_paths.add(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(Problem(self._display(path), 1, "file", f"cannot be read: {error}"))
            return None
        display = self._display(path)
        document = parse_markdown(display, text) if markdown else parse_yaml(display, text)
        self.problems.extend(document.problems)
        if document.problems:
            return None
        if not allow_any_key:
            self.problems.extend(schema.validate(document, kind))
        return document

    def _course(self, index: Path) -> Course | None:
        document = self._read(index, schema.COURSE)
        if document is None:
            return None
        data = document.data
        course = Course(
            slug=index.parent.name,
            path=self._relative(index),
            title=_text(data.get("title")),
            summary=_text(data.get("summary")),
            order=_number(data.get("order"), default=float("inf")),
            checkout_url=data.get("checkout_url") if isinstance(data.get("checkout_url"), str) else None,
            benefits=_texts(data.get("benefits")),
        )
        lessons = (self._lesson(path, course.slug) for path in sorted(index.parent.glob("*.md")) if path != index)
        course.lessons = sorted(filter(None, lessons), key=lambda lesson: (lesson.order, lesson.path))
        return course

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.docs_dir).as_posix()

    def _lesson(self, path: Path, course: str) -> Lesson | None:
        document = self._read(path, schema.LESSON)
        if document is None:
            return None
        data = document.data
        blocks = split_blocks(document.body, document.body_line)
        parts = self._parts(document, path)
        self._check_diagrams(document, blocks)
        lesson = Lesson(
            path=self._relative(path),
            course=course,
            title=_text(data.get("title")),
            summary=_text(data.get("summary")),
            order=_number(data.get("order"), default=float("inf")),
            access=data.get("access") if data.get("access") in ("pro", "free") else "pro",
            preview=_number(data.get("preview"), default=None),
            pro_sections=_texts(data.get("pro_sections")),
            segments=self._segments(document, [b for b in blocks if b.kind is not Kind.DEFINITION], parts),
            definitions=[b for b in blocks if b.kind is Kind.DEFINITION],
            parts=parts,
            meta=data,
        )
        self._check_pro_sections(document, lesson)
        return lesson

    # --- structured parts -------------------------------------------------------------

    def _parts(self, document: Document, path: Path) -> list[Part]:
        data = document.data
        parts: list[Part] = []
        parts += self._entries(data, "visuals", lambda d: Visual(**_pick(d, Visual)))
        parts += self._entries(data, "examples", lambda d: Example(**_pick(d, Example)))
        for index, entry in enumerate(_list(data.get("exercises"))):
            exercise = self._exercise(document, index, entry)
            if exercise:
                parts.append(exercise)
        if questions := self._questions(document):
            parts.append(Quiz(questions=questions))
        for index, entry in enumerate(_list(data.get("downloads"))):
            download = self._download(document, path, index, entry)
            if download:
                parts.append(download)
        return parts

    @staticmethod
    def _entries(data: dict, key: str, build) -> list[Part]:
        return [build(entry) for entry in _list(data.get(key)) if _complete(entry, key)]

    def _exercise(self, document: Document, index: int, entry: Any) -> Exercise | None:
        if isinstance(entry, dict):
            return Exercise(**_exercise_fields(entry)) if _complete(entry, "exercises") else None
        if not isinstance(entry, str):
            return None
        if entry not in self._exercises:
            file = self.exercises_dir / f"{entry}.yml"
            if not file.is_file():
                self.problems.append(Problem(document.path, document.line_of(("exercises", index)),
                                             f"exercises[{index}]",
                                             f"no exercise file {self._display(file)} for id '{entry}'"))
                return None
            exercise_doc = self._read(file, schema.EXERCISE, markdown=False)
            ok = exercise_doc is not None and _complete(exercise_doc.data, "exercises")
            self._exercises[entry] = Exercise(**_exercise_fields({"id": entry, **exercise_doc.data})) if ok else None
        return self._exercises[entry]

    def _download(self, document: Document, path: Path, index: int, entry: Any) -> Download | None:
        if not _complete(entry, "downloads"):
            return None
        key = f"downloads[{index}].file"
        line = document.line_of(("downloads", index, "file"))
        target = (path.parent / entry["file"]).resolve()
        problem = None
        if not target.is_relative_to(self.docs_dir):
            problem = "must be a file inside the docs folder"
        elif not target.is_file():
            problem = f"file not found: {self._display(target)}"
        elif target.suffix.lower() == ".md":
            problem = "a download cannot be a Markdown page; use .txt, .csv, .pdf, .docx or similar"
        if problem:
            self.problems.append(Problem(document.path, line, key, problem))
            return None
        file = target.relative_to(self.docs_dir).as_posix()
        return Download(**_pick({**entry, "file": file}, Download))

    def _questions(self, document: Document) -> tuple[Question, ...]:
        questions = []
        for index, entry in enumerate(_list(document.data.get("quiz"))):
            if not isinstance(entry, dict) or not isinstance(entry.get("question"), str):
                continue
            answers = tuple(Answer(a["text"], a["feedback"], a.get("correct") is True)
                            for a in _list(entry.get("answers")) if _complete(a, "answers"))
            if len(answers) < 2 or not any(a.correct for a in answers):
                self.problems.append(Problem(document.path, document.line_of(("quiz", index)), f"quiz[{index}]",
                                             "needs at least two answers, one of them 'correct: true'"))
                continue
            questions.append(Question(entry["question"], answers))
        return tuple(questions)

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
            segments.append(PartBlock(part, block.line))
        for part_type in PART_ORDER:
            rest = [p for p in parts if isinstance(p, part_type) and p not in placed]
            if rest:
                title = part_type.section
                segments.append(Block(Kind.HEADING, f"## {title}", 0, level=2, title=title, key=GENERATED))
                segments.extend(PartBlock(part, 0) for part in rest)
        return segments

    def _check_diagrams(self, document: Document, blocks: list[Block]) -> None:
        for block in blocks:
            if block.kind is Kind.DIAGRAM and not ACCESSIBLE_DIAGRAM.search(block.text):
                self.problems.append(Problem(
                    document.path, block.line, "diagram",
                    "a Mermaid diagram needs a text alternative: add 'accTitle: ...' and "
                    "'accDescr: ...' lines inside it"))

    def _check_pro_sections(self, document: Document, lesson: Lesson) -> None:
        if lesson.pro_sections and lesson.is_free:
            self.problems.append(Problem(document.path, document.line_of(("pro_sections",)), "pro_sections",
                                         "a lesson with 'access: free' shows everything; remove "
                                         "pro_sections or set 'access: pro'"))
        headings = [s for s in lesson.segments if s.kind is Kind.HEADING]
        for index, title in enumerate(lesson.pro_sections):
            if not any(is_pro_heading(h, {normalise(title)}) for h in headings):
                known = ", ".join(f"'{h.title}'" for h in headings if h.key != GENERATED) or "none"
                self.problems.append(Problem(
                    document.path, document.line_of(("pro_sections", index)), f"pro_sections[{index}]",
                    f"no heading '{title}' in this lesson; headings: {known}"))


# --- small conversions (validation has already reported wrong types) ------------------

def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(v for v in _list(value) if isinstance(v, str))


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _number(value: Any, default: Any) -> Any:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0
    return value if ok else default


def _complete(entry: Any, key: str) -> bool:
    """Whether an entry has every required key with the right type (else it was reported)."""
    item_schema = {"visuals": schema.VISUAL, "examples": schema.EXAMPLE, "exercises": schema.EXERCISE,
                   "downloads": schema.DOWNLOAD, "answers": schema.ANSWER}[key]
    return isinstance(entry, dict) and all(
        isinstance(entry.get(name), spec.types) for name, spec in item_schema.items() if spec.required)


def _pick(data: dict, part_type: type) -> dict:
    names = part_type.__dataclass_fields__
    return {k: v for k, v in data.items() if k in names and isinstance(v, str)}


def _exercise_fields(data: dict) -> dict:
    fields = _pick(data, Exercise)
    fields["hints"] = _texts(data.get("hints"))
    fields["success_criteria"] = _texts(data.get("success_criteria"))
    fields["minutes"] = _number(data.get("minutes"), default=None)
    return fields
