"""Declarative schemas for lesson, course and exercise front matter: check and convert at once.

A schema maps each allowed key to a `Field`. `validate` walks data against it, collects every
problem it finds (not just the first, with did-you-mean for a misspelt key), and returns the
clean data: valid values converted (lists of texts to tuples, part mappings to part objects),
invalid optional values left out so their defaults apply, and `None` for a mapping that lacks
a valid required key. Nothing downstream checks types again.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlparse

from .frontmatter import Document, KeyPath
from .model import Answer, Example, Exercise, Question, Visual
from .problems import Problem, did_you_mean

Check = Callable[[Any], "str | None"]
INVALID = object()  # a value that failed its checks: left out of the clean data


@dataclass(frozen=True)
class Field:
    """One allowed key: its type, whether it is required, how its items look, what it becomes."""

    types: tuple[type, ...]
    required: bool = False
    check: Check | None = None
    items: Field | Schema | None = None
    label: str = ""
    convert: Callable[[Any], Any] | None = None

    def describe(self) -> str:
        return self.label or " or ".join(TYPE_NAMES[t] for t in self.types)


Schema = dict[str, Field]

TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
              list: "a list", dict: "a mapping of keys to values"}


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        if value not in choices:
            return f"must be one of {', '.join(choices)}; got {value!r}"
        return None
    return check


def is_finite(value: float) -> bool:
    """math.isfinite, also for a whole number too large for a float (about 309 digits)."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def shown_number(value: float) -> str:
    """A number as a message quotes it: one of hundreds of digits by its length."""
    huge = isinstance(value, int) and abs(value) >= 10**15
    return f"a number of {len(str(abs(value)))} digits" if huge else str(value)


def non_negative(value: Any) -> str | None:
    # NaN compares false with everything: `preview: .nan` would pass and lock nothing.
    if not is_finite(value):
        return f"must be a finite number; got {shown_number(value)}"
    return f"must not be negative; got {value}" if value < 0 else None


def http_url(value: Any) -> str | None:
    parts = urlparse(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an http:// or https:// address; got {value!r}"
    return None


def not_blank(value: Any) -> str | None:
    return "must not be empty" if not str(value).strip() else None


def text(required: bool = False, check: Check | None = not_blank) -> Field:
    return Field((str,), required, check)


def number(required: bool = False) -> Field:
    return Field((int, float), required, non_negative, label="a number")


def list_of(items: Field | Schema, required: bool = False, label: str = "", check: Check | None = None,
            keep_positions: bool = False) -> Field:
    """A list of valid items as a tuple; with `keep_positions`, an invalid item stays as None,
    so that item n of the tuple is item n of the author's list (for messages naming its line)."""
    def convert(items: list) -> tuple:
        return tuple(None if item is INVALID else item for item in items if keep_positions or item is not INVALID)
    return Field((list,), required, check, items=items, label=label, convert=convert)


def text_list(required: bool = False) -> Field:
    return list_of(text(), required, label="a list of texts")


def record(schema: Schema, build: Callable[..., Any], required: bool = False) -> Field:
    """A mapping checked against `schema` and built into an object from its clean keys."""
    return Field((dict,), required, items=schema, convert=lambda clean: build(**clean))


def validate(document: Document, schema: Schema) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The clean data of `document.data` against `schema`, and every problem found."""
    problems: list[Problem] = []
    clean = _mapping(document, document.data, schema, (), problems)
    return (None if clean is INVALID else clean), problems


def _mapping(document: Document, data: dict, schema: Schema, path: KeyPath, problems: list[Problem]) -> Any:
    for key in data:
        if key not in schema:
            problems.append(_problem(document, (*path, key), _unknown_key_message(str(key), schema)))
    clean: dict[str, Any] = {}
    complete = True
    for key, spec in schema.items():
        if key in data:
            value = _value(document, data[key], spec, (*path, key), problems)
            if value is not INVALID:
                clean[key] = value
            complete = complete and (value is not INVALID or not spec.required)
        elif spec.required:
            problems.append(_problem(document, path, f"required key is missing: {key}", key=key))
            complete = False
    return clean if complete else INVALID


def _value(document: Document, value: Any, spec: Field | Schema, path: KeyPath, problems: list[Problem]) -> Any:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            problems.append(_problem(document, path, f"must be a mapping of keys to values; got {_show(value)}"))
            return INVALID
        return _mapping(document, value, spec, path, problems)
    if not _has_type(value, spec.types):
        problems.append(_problem(document, path, f"must be {spec.describe()}; got {_show(value)}"))
        return INVALID
    if isinstance(value, list) and spec.items is not None:
        value = [_value(document, item, spec.items, (*path, index), problems) for index, item in enumerate(value)]
    elif isinstance(value, dict) and spec.items is not None:
        value = _value(document, value, spec.items, path, problems)
        if value is INVALID:
            return INVALID
    if spec.check and (message := spec.check([v for v in value if v is not INVALID] if isinstance(value, list)
                                             else value)):
        problems.append(_problem(document, path, message))
        return INVALID
    return spec.convert(value) if spec.convert else value


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    # YAML `yes`/`true` is a bool, and bool is an int in Python: never accept it as a number.
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _unknown_key_message(key: str, schema: Schema) -> str:
    return "unknown key" + (did_you_mean(key, schema) or f"; allowed keys: {', '.join(schema)}")


def _problem(document: Document, path: KeyPath, message: str, key: str = "") -> Problem:
    return Problem(document.path, document.line_of(path), key or format_key(path), message)


def format_key(path: KeyPath) -> str:
    """('exercises', 0, 'hints') -> 'exercises[0].hints'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


def _show(value: Any) -> str:
    """A value as the author wrote it, not as Python prints it (True, datetime.date(…))."""
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return TYPE_NAMES[type(value)]
    if isinstance(value, bool):  # YAML reads yes/no/on/off so too
        return f"{str(value).lower()} (yes, no, on and off read as true or false: quote text)"
    if isinstance(value, date):
        return f"the date {value.isoformat()} (quote text)"
    return shown_number(value) if isinstance(value, (int, float)) else repr(value)


# --- The author's interface -------------------------------------------------------------

EXERCISE: Schema = {
    "id": text(),
    "title": text(required=True),
    "difficulty": Field((str,), True, one_of("easy", "medium", "hard")),
    "minutes": number(),
    "instructions": text(required=True),
    "expected_outcome": text(required=True),
    "hints": text_list(required=True),
    "success_criteria": text_list(required=True),
}

EXAMPLE: Schema = {
    "id": text(),
    "title": text(required=True),
    "scenario": text(required=True),
    "takeaway": text(required=True),
}

VISUAL: Schema = {
    "id": text(),
    "title": text(required=True),
    "caption": text(required=True),
    "diagram": text(required=True),
    "description": text(),
}

DOWNLOAD: Schema = {
    "id": text(),
    "title": text(required=True),
    "file": text(required=True),      # checked against the file system by the loader
    "description": text(),
}

ANSWER: Schema = {
    "text": text(required=True),
    "correct": Field((bool,)),
    "feedback": text(required=True),
}


def _answers_teach(answers: list[Answer]) -> str | None:
    if len(answers) < 2 or not any(answer.correct for answer in answers):
        return "needs at least two answers, one of them 'correct: true'"
    return None


QUESTION: Schema = {
    "question": text(required=True),
    "answers": list_of(record(ANSWER, Answer), required=True, check=_answers_teach),
    "pinned": Field((bool,)),
}

# An exercise entry is an id of exercises/<id>.yml (text, kept as is) or an inline exercise.
EXERCISE_ENTRY = Field((str, dict), items=EXERCISE, label="an exercise id or an exercise mapping",
                       convert=lambda entry: entry if isinstance(entry, str) else Exercise(**entry))

# Front matter that Material and other plugins read from a page (its tags, icon, feed date, …):
# accepted on lessons and course pages and handed on untouched. Never locked: it is the page's
# own metadata, which the public edition shows. (`description` and `template` are courseforge's.)
PAGE_KEYS: Schema = {key: Field((str, int, float, bool, list, dict, date), label="any value") for key in (
    "tags", "hide", "icon", "status", "subtitle", "search", "social", "comments",  # Material
    "date", "authors", "categories", "image",                                      # mkdocs-rss-plugin
    "render_macros", "ignore_macros",                                              # mkdocs-macros
)}

LESSON: Schema = {
    "title": text(required=True),
    "summary": text(required=True),
    "order": number(),
    "access": Field((str,), check=one_of("pro", "free")),
    "preview": number(),
    "pro_sections": text_list(),
    "exercises": list_of(EXERCISE_ENTRY, keep_positions=True),
    "examples": list_of(record(EXAMPLE, Example)),
    "visuals": list_of(record(VISUAL, Visual)),
    "downloads": list_of(DOWNLOAD, keep_positions=True),
    "quiz": list_of(record(QUESTION, Question)),
    **PAGE_KEYS,
}

COURSE: Schema = {
    "title": text(required=True),
    "summary": text(required=True),
    "order": number(),
    "checkout_url": Field((str,), check=http_url),
    "benefits": text_list(),
    **PAGE_KEYS,
}
