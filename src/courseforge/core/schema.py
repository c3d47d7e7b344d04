"""Declarative schemas for lesson, course and exercise front matter.

A schema maps each allowed key to a `Field`. `validate` walks data against it and returns
every problem it finds (not just the first), suggesting the nearest key for a misspelt one.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .frontmatter import Document, KeyPath
from .problems import Problem

Check = Callable[[Any], "str | None"]


@dataclass(frozen=True)
class Field:
    """One allowed key: its type, whether it is required, and how its items look."""

    types: tuple[type, ...]
    required: bool = False
    check: Check | None = None
    items: Field | Schema | None = None
    label: str = ""

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


def non_negative(value: Any) -> str | None:
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


def list_of(items: Field | Schema, required: bool = False, label: str = "") -> Field:
    return Field((list,), required, items=items, label=label)


def text_list(required: bool = False) -> Field:
    return list_of(text(), required, label="a list of texts")


def validate(document: Document, schema: Schema) -> list[Problem]:
    """Every problem of `document.data` against `schema`."""
    return list(_validate_mapping(document, document.data, schema, ()))


def _validate_mapping(document: Document, data: dict, schema: Schema, path: KeyPath):
    for key in data:
        if key not in schema:
            yield _problem(document, (*path, key), _unknown_key_message(str(key), schema))
    for key, spec in schema.items():
        if key in data:
            yield from _validate_value(document, data[key], spec, (*path, key))
        elif spec.required:
            yield _problem(document, path, f"required key is missing: {key}", key=key)


def _validate_value(document: Document, value: Any, spec: Field | Schema, path: KeyPath):
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            yield _problem(document, path, f"must be a mapping of keys to values; got {_show(value)}")
        else:
            yield from _validate_mapping(document, value, spec, path)
        return
    if not _has_type(value, spec.types):
        yield _problem(document, path, f"must be {spec.describe()}; got {_show(value)}")
        return
    if isinstance(value, list) and spec.items is not None:
        for index, item in enumerate(value):
            yield from _validate_value(document, item, spec.items, (*path, index))
    elif isinstance(value, dict) and spec.items is not None:
        yield from _validate_value(document, value, spec.items, path)
    if spec.check and (message := spec.check(value)):
        yield _problem(document, path, message)


def _has_type(value: Any, types: tuple[type, ...]) -> bool:
    # YAML `yes`/`true` is a bool, and bool is an int in Python: never accept it as a number.
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _unknown_key_message(key: str, schema: Schema) -> str:
    message = "unknown key"
    match = difflib.get_close_matches(key, list(schema), n=1, cutoff=0.6)
    if match:
        message += f"; did you mean '{match[0]}'?"
    else:
        message += f"; allowed keys: {', '.join(schema)}"
    return message


def _problem(document: Document, path: KeyPath, message: str, key: str = "") -> Problem:
    return Problem(document.path, document.line_of(path), key or format_key(path), message)


def format_key(path: KeyPath) -> str:
    """('exercises', 0, 'hints') -> 'exercises[0].hints'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "front matter"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, list)):
        return TYPE_NAMES[type(value)]
    return repr(value)


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
    "file": text(required=True),
    "description": text(),
}

ANSWER: Schema = {
    "text": text(required=True),
    "correct": Field((bool,)),
    "feedback": text(required=True),
}

QUESTION: Schema = {
    "question": text(required=True),
    "answers": list_of(ANSWER, required=True),
}

# An exercise entry is an id of exercises/<id>.yml or an inline exercise.
EXERCISE_ENTRY = Field((str, dict), items=EXERCISE, label="an exercise id or an exercise mapping")

LESSON: Schema = {
    "title": text(required=True),
    "summary": text(required=True),
    "order": number(),
    "access": Field((str,), check=one_of("pro", "free")),
    "preview": number(),
    "pro_sections": text_list(),
    "exercises": list_of(EXERCISE_ENTRY),
    "examples": list_of(EXAMPLE),
    "visuals": list_of(VISUAL),
    "downloads": list_of(DOWNLOAD),
    "quiz": list_of(QUESTION),
}

COURSE: Schema = {
    "title": text(required=True),
    "summary": text(required=True),
    "order": number(),
    "checkout_url": Field((str,), check=http_url),
    "benefits": text_list(),
}
