"""Learner-facing strings in the site's language: tables, the author's overrides, plurals.

Each language has a table, `courseforge/translations/<language>.yml`: `page` strings for the
templates, `script` strings that courseforge.js also gets from the page, and `plural_one`,
the counts that take the "one" form (CLDR's categories; the languages shipped need only
"one" and "other", so a list of counts says it all and the script applies the same rule).
A string is text with `{name}` fields, a mapping of plural forms, or a list of texts.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .problems import did_you_mean

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
DEFAULT_LANGUAGE = "en"
PLURAL_FORMS = ("one", "other")

Text = str | Mapping[str, str] | list[str]


@dataclass(frozen=True)
class Strings:
    """One language's strings, with the author's overrides applied."""

    language: str
    texts: Mapping[str, Text]
    script_keys: tuple[str, ...]
    plural_one: tuple[int, ...] = (1,)

    def plural(self, count: int) -> str:
        return "one" if count in self.plural_one else "other"

    def text(self, key: str, count: int | None = None) -> str:
        """The raw text of `key`, in the form `count` takes; fields left unfilled."""
        text = self.texts[key]
        if isinstance(text, Mapping):
            if count is None:
                raise ValueError(f"'{key}' depends on a number: pass count")
            return text.get(self.plural(count), text["other"])
        if not isinstance(text, str):
            raise ValueError(f"'{key}' is a list: use items()")
        return text

    def __call__(self, key: str, count: int | None = None, **values: Any) -> str:
        """`key` in this language, its fields filled (`count` fills `{count}` and picks the form)."""
        if count is not None:
            values["count"] = count
        return self.text(key, count).format(**values)

    def items(self, key: str) -> list[str]:
        text = self.texts[key]
        return list(text) if isinstance(text, list) else [self.text(key)]

    def script_table(self) -> dict:
        """What courseforge.js needs: its strings and the plural rule."""
        return {"language": self.language, "plural_one": list(self.plural_one),
                "strings": {key: self.texts[key] for key in self.script_keys}}


def available() -> list[str]:
    return sorted(path.stem for path in TRANSLATIONS.glob("*.yml"))


def resolve(language: str | None) -> str | None:
    """The table for a theme language ("pt-BR" uses "pt"), or None when there is none."""
    code = (language or DEFAULT_LANGUAGE).strip().lower().replace("_", "-")
    known = available()
    for candidate in (code, code.split("-")[0]):
        if candidate in known:
            return candidate
    return None


def strings(language: str | None, overrides: Mapping[str, Text] | None = None) -> Strings:
    """The strings for `language` (English when it has no table), the author's overrides applied.
    Keys a table lacks come from English."""
    code = resolve(language) or DEFAULT_LANGUAGE
    english, table = _table(DEFAULT_LANGUAGE), _table(code)
    texts = {**english["texts"], **table["texts"], **(overrides or {})}
    return Strings(code, texts, english["script_keys"], tuple(table["plural_one"]))


@cache
def _table(code: str) -> dict:
    data = yaml.safe_load((TRANSLATIONS / f"{code}.yml").read_text(encoding="utf-8"))
    page, script = data.get("page") or {}, data.get("script") or {}
    return {"texts": {**page, **script}, "script_keys": tuple(script), "plural_one": data.get("plural_one", [1])}


def override_problems(overrides: Mapping[str, Any]) -> list[str]:
    """What is wrong with an author's `strings:` overrides, one message per key."""
    reference = _table(DEFAULT_LANGUAGE)["texts"]
    problems = []
    for key, value in overrides.items():
        if key not in reference:
            problems.append(f"'{key}' is not a courseforge string{did_you_mean(str(key), reference)}")
        else:
            problems += [f"'{key}': {problem}" for problem in _value_problems(value, reference[key])]
    return problems


def _value_problems(value: Any, reference: Text) -> list[str]:
    if isinstance(reference, list):
        ok = isinstance(value, list) and all(isinstance(item, str) for item in value)
        return [] if ok else ["needs a list of texts"]
    if isinstance(value, Mapping) and isinstance(reference, Mapping):
        unknown = [form for form in value if form not in PLURAL_FORMS]
        if unknown or "other" not in value or not all(isinstance(v, str) for v in value.values()):
            return [f"plural forms are {' and '.join(PLURAL_FORMS)} ('other' required), each a text"]
        return [problem for form in value.values() for problem in _field_problems(form, reference)]
    if not isinstance(value, str):
        return ["needs a text" + (" or plural forms (one, other)" if isinstance(reference, Mapping) else "")]
    return _field_problems(value, reference)


def _field_problems(text: str, reference: Text) -> list[str]:
    """A text may use only the fields courseforge fills in for that string."""
    allowed = set().union(*(fields(form) for form in _forms(reference)))
    try:
        used = fields(text)
    except ValueError as error:
        return [f"{error} in '{text}' (write {{{{ and }}}} for a literal brace)"]
    unknown = sorted(used - allowed)
    if not unknown:
        return []
    known = ", ".join(f"{{{name}}}" for name in sorted(allowed)) or "none"
    return [f"unknown field {{{unknown[0]}}}{did_you_mean(unknown[0], allowed)}; its fields: {known}"]


def _forms(reference: Text) -> list[str]:
    return list(reference.values()) if isinstance(reference, Mapping) else [reference]


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
