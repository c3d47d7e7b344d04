"""Jinja on the adapter side: parts written through overridable templates, deferred scripts,
and a cache of compiled templates."""

from __future__ import annotations

import posixpath
import re

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup

from ..core.model import Download, Lesson, Part, Visual
from ..core.workbook import WorkbookEntry
from .mermaid import accessible_diagram

# An external script that blocks the parser: not deferred, not async, not a module.
BLOCKING_SCRIPT = re.compile(r"""<script\b (?=[^>]*\ssrc=) (?![^>]*\s(?:defer|async)\b) (?![^>]*\stype=["']?module)""",
                             re.I | re.X)
# An inline script that runs at once; JSON data blocks and inline modules do not.
INLINE_SCRIPT = re.compile(r"""<script\b (?![^>]*\ssrc=) (?![^>]*\stype=["']?(?!(?:text|application)/javascript)\w)
                               [^>]*> \s*\S""", re.I | re.X)


class PartTemplates:
    """Writes a structured part as Markdown through `courseforge/parts/<kind>.html`."""

    def __init__(self, env: Environment) -> None:
        self.env = env

    def __call__(self, part: Part, lesson: Lesson) -> str:
        template = self.env.get_template(f"courseforge/parts/{part.kind}.html")
        return template.render(part=part, lesson=lesson, **_extras(part, lesson))


class WorkbookTemplate:
    """Writes one workbook entry as Markdown through `courseforge/parts/workbook-exercise.html`."""

    def __init__(self, env: Environment) -> None:
        self.template = env.get_template("courseforge/parts/workbook-exercise.html")

    def __call__(self, entry: WorkbookEntry) -> str:
        return self.template.render(entry=entry, part=entry.exercise, lesson=entry.lesson)


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
