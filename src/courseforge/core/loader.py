"""Read a course tree from disk into the model, collecting every author error on the way.

    <docs_dir>/…/<course>/index.md         a course page: its front matter has `title` and `summary`
    <docs_dir>/…/<course>/…/<lesson>.md    a lesson, at any depth (sub-folders are modules)
    <exercises_dir>/<id>.yml               an exercise referenced by id

Every Markdown page is classified, so none can slip through unlocked: a page inside a course
folder is a lesson; a page outside every course that uses lesson keys or a `<!-- pro -->`
line is an author error, not a page published whole.
"""

from __future__ import annotations

import difflib
import os
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import i18n, schema, syntax
from .blocks import ALL_DEFINITIONS, Block, Kind, shallow_nested_items, split_blocks
from .cache import Memo
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
LESSON_ONLY_KEYS = tuple(key for key in schema.LESSON
                         if key not in ("title", "order", "summary") and key not in schema.PAGE_KEYS)


# The suffixes MkDocs reads as Markdown (mkdocs.utils.markdown_extensions): other pages come from plugins.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
# What courseforge reads from a lesson's or course page's own front matter, besides the title: set
# anywhere else (a folder's .meta.yml), a key would reach the page after the cut, and do nothing.
CUT_KEYS = frozenset(key for key in (*schema.LESSON, *schema.COURSE) if key != "title" and key not in schema.PAGE_KEYS)


def lesson_keys(data: Mapping) -> list[str]:
    """The keys of a page's front matter that only a lesson has: a page using one was meant to be a lesson."""
    return sorted(key for key in data if key in LESSON_ONLY_KEYS)


def has_marker(body: str) -> bool:
    """Whether a page's body has a `<!-- pro -->` line, wherever it stands."""
    return any(syntax.ANY_MARKER.match(line) for line in body.splitlines())


def _misspelt_course_keys(document: Document) -> dict[str, str]:
    """A course page's missing keys that the page has under a close spelling ('sumary' for 'summary')."""
    close = {key: difflib.get_close_matches(key, [k for k in document.data if isinstance(k, str)], 1)
             for key in ("title", "summary") if key not in document.data}
    return {key: found[0] for key, found in close.items() if found}


def _reads_like_lesson(document: Document) -> bool:
    return bool(lesson_keys(document.data)) or has_marker(document.body)


Expander = Callable[[str, Path], Expanded]  # includes (snippets, include-markdown) of a page's body


@dataclass
class Loader:
    """Loads and validates a whole course tree; `problems` holds everything found wrong."""

    docs_dir: Path
    exercises_dir: Path
    root: Path = field(default_factory=Path.cwd)  # paths in messages are relative to this
    definition_kinds: frozenset[str] = ALL_DEFINITIONS  # the definitions the site's extensions know
    expand: Expander | None = None
    # Folders another tool owns (a blog): no course starts there; their pages are outside every course.
    other_folders: tuple[str, ...] = ()
    jinja_pass: str = ""  # the plugin that renders every page with Jinja first (mkdocs-macros), if any
    meta_file: str = ""  # the name of Material's meta plugin's folder-defaults files, when it is enabled
    # Pages of another language shown in place of a missing translation (mkdocs-static-i18n), by path.
    fallbacks: dict[str, str] = field(default_factory=dict)
    memo: Memo | None = None  # `serve`: parsed files and lessons of the previous load, by their inputs
    strings: i18n.Strings = field(default_factory=lambda: i18n.strings(None))  # titles of the parts' sections
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # likely mistakes that still build
    _exercises: dict[str, Exercise | None] = field(default_factory=dict)
    _included: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # lesson -> (line, file)
    _included_by_others: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # page -> (line, file)
    _lesson_pages: set[str] = field(default_factory=set)  # the pages inside a course folder but its index
    _lesson_files: dict[str, Lesson] = field(default_factory=dict)  # real path -> lesson

    def load(self, pages: Iterable[str] | None = None) -> Catalog:
        """The catalog of `pages` (docs-relative Markdown paths; default: every *.md file)."""
        if pages is None:
            pages = [p.relative_to(self.docs_dir).as_posix() for p in self.docs_dir.rglob("*.md")
                     if not any(part.startswith(".") for part in p.relative_to(self.docs_dir).parts)]
        pages = sorted(pages)
        documents = {path: self._read(self.docs_dir / path) for path in pages}
        indexes = course_folders({p: d.data for p, d in documents.items()
                                  if d is not None and course_of(p, self.other_folders) is None})
        folders = list(indexes)
        members: dict[str, list[str]] = {folder: [] for folder in folders}
        unmade = self._unmade_courses(documents, folders)
        lessons_of_unmade: dict[str, list[str]] = {}
        for path, document in documents.items():
            if document is not None and self.jinja_pass:
                self._check_jinja_comments(document)
            folder = course_of(path, folders)
            if folder is not None and not path.lower().endswith(MARKDOWN_SUFFIXES):
                self._report_other_format(path)
            elif folder is not None:
                members[folder].append(path)
            elif document is not None and (meant := course_of(path, unmade)) and _reads_like_lesson(document):
                # Its lessons' keys are no mistake: one message, on the index.md that made no course.
                lessons_of_unmade.setdefault(meant, []).append(path)
            elif document is not None:
                self._check_outside_page(path, document)
        self._lesson_pages = {path for folder, paths in [*members.items(), *lessons_of_unmade.items()]
                              for path in paths if path != indexes.get(folder)}
        self._report_unmade_courses(unmade, lessons_of_unmade, documents)
        courses = [self._course(folder, indexes[folder], documents, members[folder]) for folder in folders]
        courses = [course for course in courses if course]
        courses.sort(key=lambda c: (c.order, c.slug))
        self._warn_unused_exercises()
        self._check_meta_files()
        self._check_includes(documents, [lesson for course in courses for lesson in course.lessons])
        return Catalog(courses)

    def _unmade_courses(self, documents: dict[str, Document | None], folders: list[str]) -> dict[str, str]:
        """Folders outside every course whose index.md cannot be read or misspells its title or
        summary, each with that page: if pages inside read like lessons, the author meant a course."""
        return {posixpath.dirname(path): path for path, document in sorted(documents.items())
                if syntax.is_index_page(path) and posixpath.dirname(path) and course_of(path, folders) is None
                and course_of(path, self.other_folders) is None
                and (document is None or _misspelt_course_keys(document))}

    def _report_unmade_courses(self, unmade: dict[str, str], lessons: dict[str, list[str]],
                               documents: dict[str, Document | None]) -> None:
        for folder, meant in lessons.items():
            document = documents[unmade[folder]]
            if document is None:
                why = "cannot be read (its own problem is listed too)"
            else:
                why = "has no " + " and no ".join(f"'{key}' ('{close}' misspelt?)"
                                                  for key, close in _misspelt_course_keys(document).items())
            shown = ", ".join(meant[:3]) + (", …" if len(meant) > 3 else "")
            self.problems.append(Problem(self._display(self.docs_dir / unmade[folder]), 1, "course",
                                         f"pages of {folder}/ are written as lessons ({shown}), but its index.md "
                                         f"{why}, so the folder is no course: a course's index.md needs a "
                                         "'title' and a 'summary'"))

    def _report_other_format(self, path: str) -> None:
        """A page MkDocs builds from another format (mkdocs-jupyter's notebooks and scripts) in a course
        folder: it would be published whole, and courseforge cuts Markdown only."""
        self.problems.append(Problem(self._display(self.docs_dir / path), 1, "page",
                                     f"a page made from a {posixpath.splitext(path)[1] or 'suffix-less'} file (by a "
                                     "plugin such as mkdocs-jupyter) sits in a course folder, where every page is a "
                                     "lesson; courseforge reads lessons from Markdown only and cannot lock this one: "
                                     "move it out of the course folder, or keep it from being a page (the plugin's "
                                     "include setting, or exclude_docs)"))

    def _check_includes(self, documents: dict[str, Document | None], lessons: list[Lesson]) -> None:
        """A pro lesson's text reaches the site through its own page only: no other page includes its
        file, and no file it includes is a page of its own (MkDocs would publish that file whole)."""
        pages = {os.path.realpath(self.docs_dir / path) for path in documents}
        self._lesson_files = lesson_files = {os.path.realpath(self.docs_dir / lesson.path): lesson
                                             for lesson in lessons}
        for path, document in documents.items():
            self._check_included_lessons(path, document)
        for lesson in lessons:
            if lesson.is_free:
                self._check_free_includes(lesson)
            for line, source in () if lesson.is_free else self._included.get(lesson.path, ()):
                if source in pages and source not in lesson_files:
                    self.problems.append(Problem(lesson.source, line, "include",
                                                 f"includes {self._display(Path(source))}, which is also a page "
                                                 "of the site and would publish this pro lesson's text whole; "
                                                 "keep included files out of the docs folder, or list them in "
                                                 "exclude_docs"))

    def _check_included_lessons(self, path: str, document: Document | None) -> None:
        for line, source in self._includes(path, document):
            lesson = self._lesson_files.get(source)
            if document is not None and lesson is not None and not lesson.is_free and lesson.path != path:
                self.problems.append(Problem(document.path, line, "include",
                                             f"includes the pro lesson {lesson.source}, so this page would "
                                             "publish its locked text; link to the lesson instead"))

    def unread_page_problems(self, path: str, markdown: str) -> list[Problem]:
        """The problems of a page another plugin made after the load (a hook's, mkdocs-gen-files'),
        whose Markdown courseforge never read from disk: its includes, checked as an on-disk page's."""
        known = len(self.problems)
        self._check_included_lessons(path, Document(path, {}, markdown, 1))
        return self.problems[known:]

    def _check_free_includes(self, lesson: Lesson) -> None:
        """A shared file's `<!-- pro -->` line locks what follows it in every pro lesson that includes
        it; a free lesson including it would publish that part whole. (Its own marker only warns.)"""
        included = dict(self._included.get(lesson.path, ()))
        for segment in lesson.markers:
            if segment.line in included:
                self.problems.append(Problem(lesson.source, segment.line, "include",
                                             f"includes {self._display(Path(included[segment.line]))}, whose "
                                             "<!-- pro --> line locks what follows it, but this lesson is free and "
                                             "would publish it whole: include the file in pro lessons only, or "
                                             "give the free lesson the part before the marker in a file of its own"))

    def _includes(self, path: str, document: Document | None) -> tuple[tuple[int, str], ...]:
        """(file line, real path) of each file a page includes: a lesson's from its load, another page's now."""
        if path in self._included or document is None:
            return self._included.get(path, ())
        body = document.body
        expansion = self.expand(body, self.docs_dir / path) if self.expand else Expanded.unchanged(body)
        if path not in self.fallbacks and path not in self._lesson_pages:  # those have messages of their own
            self._check_markers(document, expansion)
        found = self._included_by_others[path] = _file_lines(document, expansion)
        return found

    def _check_markers(self, document: Document, expansion: Expanded) -> None:
        """A `<!-- pro -->` line on a page that is no lesson (a course page, a page outside every
        course), its own or from a file it includes: nothing there is locked. One shown in code is none."""
        own = document.body.split("\n")
        included = dict(expansion.sources)
        blocks = split_blocks(expansion.text, 1, self.definition_kinds, expansion.origins)
        for block in blocks:
            if block.kind is not Kind.MARKER:
                continue
            where = ("" if syntax.ANY_MARKER.match(own[block.line - 1]) else
                     f" (from {self._display(Path(included[block.line]))}, which it includes)"
                     if block.line in included else " (from a file it includes)")
            self.problems.append(Problem(document.path, document.body_line + block.line - 1, "<!-- pro -->",
                                         f"a marker{where} on a page that is no lesson: nothing here is locked; "
                                         "a lesson is a page inside a course folder, beside its index.md"))

    def included_files(self) -> set[str]:
        """The real path of every file a page of this load includes (`serve` watches them)."""
        return {source for found in [*self._included.values(), *self._included_by_others.values()]
                for _, source in found}

    def _warn_unused_exercises(self) -> None:
        """An exercise file no lesson names is work a learner never sees (often a misspelt id)."""
        for file in sorted(self.exercises_dir.glob("*.yml")):
            if file.stem not in self._exercises:
                # Its own problems too, now: all at once, not after the id naming it is fixed.
                self._checked(self._read(file, markdown=False), schema.EXERCISE)
                self.warnings.append(Problem(self._display(file), 1, "exercise file",
                                             f"no lesson uses it: add '{file.stem}' to a lesson's exercises"))

    def _check_meta_files(self) -> None:
        """Material's meta plugin merges a folder's `.meta.yml` into its pages after courseforge has
        cut them: a lesson setting there (`access`, `preview`, `pro_sections`) would lock nothing."""
        for path in sorted(self.docs_dir.rglob(self.meta_file)) if self.meta_file else ():
            try:
                document = parse_yaml(self._display(path), path.read_text(encoding="utf-8-sig"), what="meta file")
            except (OSError, UnicodeDecodeError):
                continue  # the meta plugin stops the build on a file it cannot read
            for key in sorted(CUT_KEYS.intersection(document.data)):
                self.problems.append(Problem(document.path, document.line_of((key,)), key,
                                             f"courseforge reads '{key}' from each page's own front matter, not "
                                             f"from the meta plugin's {self.meta_file}, which would leave the "
                                             "pages of this folder cut without it: move it into their front matter"))

    def _check_outside_page(self, path: str, document: Document) -> None:
        if path in self.fallbacks and _reads_like_lesson(document):
            language = self.fallbacks[path]
            self.problems.append(Problem(document.path, 1, "translation",
                                         f"mkdocs-static-i18n shows this lesson in place of its missing '{language}' "
                                         f"translation, outside the '{language}' course, so courseforge cannot lock "
                                         f"it there: add the translation, or set fallback_to_default: false"))
            return
        for key in document.data:
            if key in LESSON_ONLY_KEYS or (key == "summary" and not syntax.is_index_page(document.path)):
                self.problems.append(Problem(document.path, document.line_of((key,)), key,
                                             "a lesson key on a page outside every course; a course is a "
                                             "folder whose index.md has 'title' and 'summary'"))

    def _check_jinja_comments(self, document: Document) -> None:
        for index, line in enumerate(document.body.splitlines()):
            for match in syntax.JINJA_COMMENT_ATTRIBUTES.finditer(line):
                fixed = "{ " + match.group()[1:]
                self.problems.append(Problem(document.path, document.body_line + index, match.group(),
                                             f"{self.jinja_pass} reads '{{#' as the start of a Jinja comment; "
                                             f"write the attribute list as '{fixed}' (a space after the brace)"))

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
        document = self.memo.get(("parse", display, text)) if self.memo else None
        if document is None:
            document = parse_markdown(display, text) if markdown else parse_yaml(display, text, what="exercise file")
            if self.memo:
                self.memo.put(("parse", display, text), document)
        self.problems.extend(document.problems)
        return None if document.problems else document

    def _checked(self, document: Document | None, kind: schema.Schema) -> dict[str, Any] | None:
        """The document's clean front matter (checked and converted), or None if it is unusable."""
        if document is None:
            return None
        data, problems = schema.validate(document, kind)
        self.problems.extend(problems)
        return data

    def _course(self, folder: str, index: str, documents: dict[str, Document | None],
                pages: list[str]) -> Course | None:
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
        """The lesson; under `serve`, the previous load's very object when none of its inputs changed."""
        if document is None:
            return None
        body = document.body
        expansion = self.expand(body, self.docs_dir / path) if self.expand else Expanded.unchanged(body)
        self._included[path] = _file_lines(document, expansion)
        key = self._lesson_inputs(document, expansion, path, course, folder) if self.memo else None
        if key and (found := self.memo.get(key)) and found[0] is document:
            self._exercises.update(found[2])
            return found[1]
        known = len(self.problems)
        lesson = self._new_lesson(document, expansion, path, course, folder)
        if key and lesson and len(self.problems) == known:  # a lesson with problems is read again
            used = {e: self._exercises[e] for e in _exercise_ids(document) if e in self._exercises}
            self.memo.put(key, (document, lesson, used))
        return lesson

    def _lesson_inputs(self, document: Document, expansion: Expanded, path: str, course: str, folder: str) -> tuple:
        """Everything a lesson is made of besides its parsed file (kept in the memo, compared by identity):
        included text, exercise files, whether its downloads exist, and the loader's own settings."""
        exercises = _exercise_ids(document)
        downloads = tuple((str(d.get("file")), (self.docs_dir / path).parent.joinpath(str(d.get("file"))).is_file())
                          for d in _listed(document.data, "downloads") if isinstance(d, dict))
        return ("lesson", id(document), path, course, folder, expansion.text, tuple(expansion.origins),
                tuple(expansion.problems), expansion.sources, self.docs_dir, self.exercises_dir,
                self.definition_kinds, downloads, exercises,
                tuple(_text(self.exercises_dir / f"{e}.yml") for e in exercises))

    def _new_lesson(self, document: Document, expansion: Expanded, path: str, course: str,
                    folder: str) -> Lesson | None:
        data = self._checked(document, schema.LESSON)
        if data is None:
            return None
        body, origins = self._expanded(document, expansion)
        blocks = split_blocks(body, document.body_line, self.definition_kinds, origins)
        parts = self._parts(document, data, self.docs_dir / path)
        self._check_diagrams(document, blocks)
        self._warn_shallow_lists(document.path, document.body, document.body_line)
        for index, entry in enumerate(document.data.get("exercises") or ()):
            if isinstance(entry, dict):
                self._warn_shallow_lists_in_fields(document, entry, ("exercises", index))
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
                               for i, line in enumerate(body_lines) if syntax.ANY_MARKER.match(line)),
            parts=parts,
            meta=document.data,
            source=document.path,
            key_lines=dict(document.lines),
        )
        self._check_pro_sections(document, lesson)
        # An include that failed stays in the text as written: Markdown would fail on it again.
        return None if expansion.problems else lesson

    def _expanded(self, document: Document, expansion: Expanded) -> tuple[str, list[int]]:
        """The body with includes expanded, and each of its lines' line in the original body."""
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
            if not syntax.EXERCISE_ID.fullmatch(entry):  # a path would read a file from anywhere
                self.problems.append(Problem(document.path, document.line_of(("exercises", index)),
                                             f"exercises[{index}]", f"'{entry}' is no exercise id: an id is the "
                                             f"path of a file in {self._display(self.exercises_dir)}/ without "
                                             "'.yml' (names of letters, digits, '-', '_', '.'), never out of it"))
                return None
            if not file.is_file():
                known = (path.stem for path in self.exercises_dir.glob("*.yml"))
                self.problems.append(Problem(document.path, document.line_of(("exercises", index)),
                                             f"exercises[{index}]",
                                             f"no exercise file {self._display(file)} for id '{entry}'"
                                             + did_you_mean(entry, known)))
                return None
            exercise_file = self._read(file, markdown=False)
            data = self._checked(exercise_file, schema.EXERCISE)
            self._exercises[entry] = Exercise(**{**data, "id": entry}) if data is not None else None
            if data is not None:
                self._warn_shallow_lists_in_fields(exercise_file, exercise_file.data, ())
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
        # exercises whose file is missing or broken: that problem is reported, not their placement
        unloaded = {("exercise", ref) for ref in _exercise_ids(document) if self._exercises.get(ref) is None}
        placed: set[Part] = set()
        segments: list[Segment] = []
        for block in blocks:
            if block.kind is not Kind.PLACEMENT:
                segments.append(block)
                continue
            kind, ref = block.key.split(":", 1)
            part = by_ref.get((kind, ref))
            if part is None and (kind, ref) in unloaded:
                continue
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

    def _warn_shallow_lists_in_fields(self, document: Document, data: dict, at: tuple) -> None:
        """Multi-line Markdown fields (an exercise's instructions): a `|` block starts on the line
        after its key, so line n of the text is that many lines further down."""
        for key, value in data.items():
            if isinstance(value, str) and "\n" in value.strip():
                self._warn_shallow_lists(document.path, value, document.line_of((*at, key)) + 1)

    def _warn_shallow_lists(self, path: str, text: str, first_line: int) -> None:
        for index, extra in shallow_nested_items(text):
            self.warnings.append(Problem(
                path, first_line + index, "list",
                f"this item is indented {extra} space{'s' if extra != 1 else ''} more than the list above, "
                f"so Markdown adds it to that list instead of nesting it; indent a nested list by "
                f"{syntax.NESTED_LIST_INDENT} spaces"))

    def _check_pro_sections(self, document: Document, lesson: Lesson) -> None:
        if lesson.pro_sections and lesson.is_free:
            self.problems.append(Problem(document.path, document.line_of(("pro_sections",)), "pro_sections",
                                         "a lesson with 'access: free' shows everything; remove "
                                         "pro_sections or set 'access: pro'"))


# --- discovery ------------------------------------------------------------------------

def course_folders(front_matter: dict[str, dict]) -> dict[str, str]:
    """Folders below docs_dir whose index page has a title and a summary (outermost only), each
    with that page's path."""
    found: dict[str, str] = {}
    # Outermost first; within a folder, a plain index.md before any language's.
    for path in sorted(front_matter, key=lambda p: (p.count("/"), posixpath.basename(p) != "index.md", p)):
        folder = posixpath.dirname(path)
        data = front_matter[path]
        if syntax.is_index_page(path) and folder and "summary" in data and "title" in data:
            if course_of(path, found) is None:
                found[folder] = path
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
        return syntax.is_index_page(lesson.path)

    order = {lesson.module: lesson.order for lesson in lessons if is_index(lesson) and lesson.order != UNORDERED}
    smallest: dict[str, float] = {}
    for lesson in lessons:
        for module in modules(lesson):
            smallest[module] = min(smallest.get(module, UNORDERED), lesson.order)

    def key(lesson: Lesson) -> list[tuple]:
        levels = [(order.get(m, smallest[m]), 1, m) for m in modules(lesson)]
        return [*levels, (float("-inf"), 0, "") if is_index(lesson) else (lesson.order, 1, lesson.path)]

    return sorted(lessons, key=key)


def _exercise_ids(document: Document) -> tuple[str, ...]:
    """The ids of exercise files the front matter names, read before it is validated."""
    return tuple(entry for entry in _listed(document.data, "exercises") if isinstance(entry, str))


def _listed(data: dict[str, Any], key: str) -> list:
    value = data.get(key)
    return value if isinstance(value, list) else []


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _file_lines(document: Document, expansion: Expanded) -> tuple[tuple[int, str], ...]:
    """The expansion's sources with lines of the file, not of its body."""
    return tuple((document.body_line + line - 1, source) for line, source in expansion.sources)
