"""`courseforge new`: starter files with every front-matter key explained. Never overwrites.

`new site` copies the starter project shipped in `courseforge/starter/` (files named `dot-x`
become `.x`: packaging tools skip dotfiles), filling in its `@NAME@` placeholders. Every value
put into YAML is quoted, so a title with a colon, a quote, a `#` or an emoji stays a title.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .. import __version__
from .model import slug

STARTER = Path(__file__).resolve().parent.parent / "starter"
# What YAML allows in a document (its "printable" set), minus what it reads as a line break
# (\x85, \u2028, \u2029): a title is one line.
_NOT_YAML_TEXT = re.compile("[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

COURSE = """---
title: {title}
summary: One or two sentences on what learners get from this course.
order: 1                      # position among courses on the home page
# checkout_url: https://example.com/checkout/{slug}   # overrides the site-wide checkout_url
# benefits:                   # what buying unlocks, shown on every paywall of this course
#   - Every lesson in full, with diagrams and exercises
---
Introduce the course here: who it is for and what each lesson covers.
"""

LESSON = """---
title: {title}
summary: One or two sentences shown under the title and in search results.
order: {order}                      # position in the course
# access: pro                 # pro (free preview + paywall) or free (whole lesson public)
# preview: 3                  # free preview in reading minutes (default: plugin setting)
# pro_sections:               # headings that are always locked
#   - Heading text
# exercises:                  # ids of exercises/<id>.yml, or inline exercises
#   - my-exercise
# examples:                   # real-world example cards
#   - title: Company X does Y
#     scenario: What happened.
#     takeaway: What a PM learns from it.
# visuals:                    # captioned Mermaid diagrams
#   - title: The workflow
#     caption: What the diagram shows (also its screen-reader text).
#     diagram: |
#       flowchart LR
#         A[Start] --> B[End]
# downloads:                  # files next to the lesson, offered as download buttons
#   - title: Template
#     file: downloads/template.txt
# quiz:                       # knowledge check with feedback per answer
#   - question: Which is right?
#     answers:
#       - text: This one
#         correct: true
#         feedback: Why it is right.
#       - text: That one
#         feedback: Why it is not.
---
Start with a short introduction. A line `<!-- pro -->` ends the free preview exactly there.

## First section

/// why-this-matters
Why a product manager should care.
///
"""


def new_site(folder: Path, title: str | None = None) -> list[Path]:
    """A complete course project in `folder`: settings, a first course, an exercise, overrides,
    .gitignore, requirements and a CI workflow. Refuses, writing nothing, if any file exists."""
    values = {"SITE_NAME": yaml_text(title or _title_of(folder.resolve().name)),
              "SITE_DESCRIPTION": yaml_text("Interactive lessons with a free preview of every lesson."),
              "COURSE_TITLE": yaml_text("Your first course"), "VERSION": __version__}
    files = {folder / _target_name(source.relative_to(STARTER)): source
             for source in sorted(STARTER.rglob("*")) if source.is_file() and "__pycache__" not in source.parts}
    existing = [str(target) for target in files if target.exists()]
    if existing:
        raise FileExistsError("nothing was written: these files already exist\n  " + "\n  ".join(existing))
    for target, source in files.items():
        _create(target, _filled(source.read_text(encoding="utf-8"), values))
    return list(files)


def new_course(docs_dir: Path, course_slug: str, title: str | None = None) -> Path:
    _check_slug(course_slug)
    target = docs_dir / course_slug / "index.md"
    return _create(target, COURSE.format(title=yaml_text(title or _title_of(course_slug)), slug=course_slug))


def new_lesson(docs_dir: Path, course_slug: str, title: str) -> Path:
    course = docs_dir / course_slug
    if not (course / "index.md").is_file():
        raise FileNotFoundError(f"no course '{course_slug}': create it with `courseforge new course {course_slug}`")
    name = slug(title) or _letters_slug(title)
    if not name:
        raise ValueError(f"the title {title!r} has no letters or digits to name the lesson's file")
    order = len([p for p in course.glob("*.md") if p.name != "index.md"]) + 1
    return _create(course / f"{name}.md", LESSON.format(title=yaml_text(title), order=order))


def yaml_text(text: str) -> str:
    """`text` as a single-quoted YAML scalar: nothing inside one is special but the quote itself."""
    if not text.strip() or _NOT_YAML_TEXT.search(text):
        raise ValueError(f"a title must be one line of printable text; got {text!r}")
    return "'" + text.replace("'", "''") + "'"


def _check_slug(course_slug: str) -> None:
    """A course folder (nested folders allowed) whose name is its URL: lowercase words and dashes."""
    wanted = "/".join(slug(part) for part in course_slug.split("/"))
    if course_slug != wanted or not all(wanted.split("/")):
        hint = f"; for example '{wanted}'" if all(wanted.split("/")) else ""
        raise ValueError(f"a course folder name is lowercase letters, digits and dashes{hint} "
                         "(give the title with --title)")


def _letters_slug(title: str) -> str:
    """A file name from a title in a script with no ASCII letters (Ροές δεδομένων, 数据流程): its own
    letters and digits, lowercased, joined by dashes."""
    return re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", title).lower()).strip("-")


def _title_of(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").strip().title() or "My Course"


def _target_name(relative: Path) -> Path:
    return Path(*(part.replace("dot-", ".", 1) if part.startswith("dot-") else part for part in relative.parts))


def _filled(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def _create(target: Path, text: str) -> Path:
    if target.exists():
        raise FileExistsError(f"{target} already exists; nothing was changed")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return target
