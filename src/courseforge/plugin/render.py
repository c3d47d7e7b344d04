"""Turns a lesson view into the Markdown MkDocs renders, parts through overridable templates."""

from __future__ import annotations

import posixpath
import re

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket
from markupsafe import Markup

from ..core.blocks import Block
from ..core.model import ACCESSIBLE_DIAGRAM, Download, Lesson, PartBlock, Visual
from ..core.preview import LessonView

MERMAID_PRE = re.compile(r'<pre\s+class="mermaid">')
# Our lazy loader draws diagrams; renaming the class keeps Material from fetching Mermaid itself.
LAZY_DIAGRAM = '<pre class="cf-mermaid" data-cf-diagram>'
# An external script that blocks the parser: not deferred, not async, not a module.
BLOCKING_SCRIPT = re.compile(r"""<script\b (?=[^>]*\ssrc=) (?![^>]*\s(?:defer|async)\b) (?![^>]*\stype=["']?module)""",
                             re.I | re.X)
# An inline script that runs at once; JSON data blocks and inline modules do not.
INLINE_SCRIPT = re.compile(r"""<script\b (?![^>]*\ssrc=) (?![^>]*\stype=["']?(?!(?:text|application)/javascript)\w)
                               [^>]*> \s*\S""", re.I | re.X)
DIAGRAM_TYPE_LINE = re.compile(r"\A\s*(?:%%.*\n\s*)*\S[^\n]*\n?")


def lesson_markdown(view: LessonView, env: Environment, author_note: LessonView | None = None) -> str:
    """The Markdown of everything `view` shows, in order, followed by the definitions it uses.

    With `author_note` (the public view, under `mkdocs serve` only), a note marks where the
    public preview ends and what it and the locked part weigh.
    """
    chunks = [_render(segment, view.lesson, env) for segment in view.visible]
    if author_note is not None:
        note = env.get_template("courseforge/partials/author-note.html").render(preview=author_note)
        chunks.insert(len(author_note.visible), note)
    chunks += [definition.text for definition in view.definitions]
    return "\n\n".join(chunks) + "\n"


def _render(segment: Block | PartBlock, lesson: Lesson, env: Environment) -> str:
    if isinstance(segment, Block):
        return segment.text
    part = segment.part
    template = env.get_template(f"courseforge/parts/{part.kind}.html")
    return template.render(part=part, lesson=lesson, **_extras(part, lesson))


def _extras(part, lesson: Lesson) -> dict:
    if isinstance(part, Visual):
        return {"diagram": accessible_diagram(part)}
    if isinstance(part, Download):
        return {"href": posixpath.relpath(part.file, posixpath.dirname(lesson.path) or ".")}
    return {}


def accessible_diagram(visual: Visual) -> str:
    """The visual's Mermaid source with its title and caption as the diagram's text alternative."""
    source = visual.diagram.strip("\n")
    if ACCESSIBLE_DIAGRAM.search(source):
        return source
    description = " ".join((visual.description or visual.caption).split())
    header = DIAGRAM_TYPE_LINE.match(source)
    split = header.end() if header else 0
    indent = "  "
    lines = f"{indent}accTitle: {' '.join(visual.title.split())}\n{indent}accDescr: {description}\n"
    head = source[:split] if source[:split].endswith("\n") else source[:split] + "\n"
    return head + lines + source[split:]


def lazy_diagrams(html: str) -> tuple[str, int]:
    """The HTML with diagrams marked for the lazy loader, and how many there are."""
    return MERMAID_PRE.subn(LAZY_DIAGRAM, html)


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
