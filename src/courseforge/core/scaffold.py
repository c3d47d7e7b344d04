"""`courseforge new`: starter files with every front-matter key explained. Never overwrites."""

from __future__ import annotations

from pathlib import Path

from .model import slug

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


def new_course(docs_dir: Path, course_slug: str, title: str | None = None) -> Path:
    target = docs_dir / course_slug / "index.md"
    return _create(target, COURSE.format(title=_yaml_text(title or course_slug.replace("-", " ").title()),
                                         slug=course_slug))


def new_lesson(docs_dir: Path, course_slug: str, title: str) -> Path:
    course = docs_dir / course_slug
    if not (course / "index.md").is_file():
        raise FileNotFoundError(f"no course '{course_slug}': create it with `courseforge new course {course_slug}`")
    order = len([p for p in course.glob("*.md") if p.name != "index.md"]) + 1
    return _create(course / f"{slug(title)}.md", LESSON.format(title=_yaml_text(title), order=order))


def _yaml_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _create(target: Path, text: str) -> Path:
    if target.exists():
        raise FileExistsError(f"{target} already exists; nothing was changed")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("x", encoding="utf-8") as handle:  # "x": never overwrite, even in a race
        handle.write(text)
    return target
