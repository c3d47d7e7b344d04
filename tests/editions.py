"""The core on its own: an Edition of a course folder, rendered with real Python-Markdown and
courseforge's real part templates, without MkDocs."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from courseforge.core.edition import Edition, Settings
from courseforge.core.i18n import strings
from courseforge.core.loader import Loader
from courseforge.core.rendering import Renderer
from courseforge.plugin.markdown import CALLOUT_TYPES
from courseforge.plugin.templates import Lookup, PartTemplates

TEMPLATES = Path(__file__).resolve().parent.parent / "src" / "courseforge" / "templates"
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "footnotes", "abbr", "tables", "toc",
              "pymdownx.superfences", "pymdownx.blocks.admonition", "pymdownx.details"]
CONFIGS = {"pymdownx.blocks.admonition": {"types": ["note", "tip", *CALLOUT_TYPES]}}


def load_edition(docs_dir: Path, name: str = "public", settings: Settings | None = None,
                 exercises_dir: Path | None = None, extensions: list | None = None) -> tuple[Edition, list]:
    """An edition of the course under `docs_dir`, and every author problem found."""
    renderer = Renderer(extensions or EXTENSIONS, CONFIGS)
    loader = Loader(docs_dir, exercises_dir or docs_dir.parent / "exercises", docs_dir.parent,
                    definition_kinds=renderer.definition_kinds())
    catalog = loader.load()
    writer = PartTemplates(Environment(loader=FileSystemLoader(str(TEMPLATES))), Lookup(strings(None)))
    edition = Edition(name, catalog, settings or Settings(), renderer, writer)
    return edition, loader.problems + edition.problems()
