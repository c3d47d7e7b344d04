"""Jinja on the adapter side: parts written through overridable templates, the strings lookup
`t`, deferred scripts, and a cache of compiled templates."""

from __future__ import annotations

import posixpath
import re

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from ..core.i18n import Strings
from ..core.model import Download, Lesson, Part, Visual
from ..core.workbook import WorkbookEntry
from .mermaid import accessible_diagram

# An external script that blocks the parser: not deferred, not async, not a module.
BLOCKING_SCRIPT = re.compile(r"""<script\b (?=[^>]*\ssrc=) (?![^>]*\s(?:defer|async)\b) (?![^>]*\stype=["']?module)""",
                             re.I | re.X)
# An inline script that runs at once; JSON data blocks and inline modules do not.
INLINE_SCRIPT = re.compile(r"""<script\b (?![^>]*\ssrc=) (?![^>]*\stype=["']?(?!(?:text|application)/javascript)\w)
                               [^>]*> \s*\S""", re.I | re.X)


class Lookup:
    """`t` in templates: `t("paywall_title", title=...)`, `t("lessons", count)`.

    The table's text is escaped once and each value unless it is Markup, so a template
    prints `{{ t(...) }}` as it is, and may pass Markup (a link, `<strong>`) as a value.
    """

    def __init__(self, strings: Strings) -> None:
        self.strings = strings
        # Part templates ask for the same few strings tens of thousands of times a build.
        self._made: dict[tuple, Markup] = {}

    def __call__(self, key: str, count: int | None = None, **values: object) -> Markup:
        if count is not None:
            values["count"] = count
        # The type is part of the key: Markup("<b>") equals "<b>" but is not escaped.
        made = (key, count, *((name, type(value), value) for name, value in values.items()))
        try:
            found = self._made.get(made)
        except TypeError:  # an unhashable value
            return self._format(key, count, values)
        if found is None:
            found = self._made[made] = self._format(key, count, values)
        return found

    def _format(self, key: str, count: int | None, values: dict[str, object]) -> Markup:
        return Markup(escape(self.strings.text(key, count))).format(**values)

    def join(self, items: list) -> Markup:
        """"a, b and c" the way the language lists things."""
        if len(items) < 2:
            return Markup("").join(items)
        return self("list_last", items=self("list_separator").join(items[:-1]), last=items[-1])


class PartTemplates:
    """Writes a structured part as Markdown through `courseforge/parts/<kind>.html`."""

    def __init__(self, env: Environment, t: Lookup) -> None:
        self.env = env
        self.t = t

    def __call__(self, part: Part, lesson: Lesson) -> str:
        template = self.env.get_template(f"courseforge/parts/{part.kind}.html")
        return template.render(part=part, lesson=lesson, t=self.t, **_extras(part, lesson))


class WorkbookTemplate:
    """Writes one workbook entry as Markdown through `courseforge/parts/workbook-exercise.html`."""

    def __init__(self, env: Environment, t: Lookup) -> None:
        self.template = env.get_template("courseforge/parts/workbook-exercise.html")
        self.t = t

    def __call__(self, entry: WorkbookEntry) -> str:
        return self.template.render(entry=entry, part=entry.exercise, lesson=entry.lesson, t=self.t)


def _extras(part: Part, lesson: Lesson) -> dict:
    if isinstance(part, Visual):
        return {"diagram": accessible_diagram(part)}
    if isinstance(part, Download):
        return {"href": posixpath.relpath(part.file, posixpath.dirname(lesson.path) or ".")}
    return {}


def defer_scripts(html: str) -> Markup:
    """Every external script of a block deferred, unless an inline script in it needs them run first."""
    if INLINE_SCRIPT.search(html):
        return Markup(html)
    return Markup(BLOCKING_SCRIPT.sub("<script defer", html))


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, checked against each template's source.

    Compiling the theme's and courseforge's templates is a tenth of a 100-lesson build, and
    every build and serve rebuild would redo it.
    """

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # the cache folder went away or is full: compile again next time
            pass


def template_cache() -> TemplateCache | None:
    try:
        return TemplateCache(pattern="courseforge-%s.cache")  # in Jinja's private per-user temp folder
    except (OSError, RuntimeError):  # no safe temp folder: compile every time, as MkDocs does
        return None
