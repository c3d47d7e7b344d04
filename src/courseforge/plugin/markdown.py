"""The Markdown side of the adapter: the extensions lesson parts need, and the site's renderer."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig

from ..core.rendering import Renderer
from . import mermaid

NEEDED = ("attr_list", "md_in_html", "toc", "pymdownx.superfences", "pymdownx.blocks.admonition")
MATERIAL_ADMONITIONS = ["note", "abstract", "info", "tip", "success", "question", "warning", "failure", "danger",
                        "bug", "example", "quote"]
CALLOUT_TYPES = [
    {"name": "why-this-matters", "title": "Why this matters for PMs"},
    {"name": "key-steps", "title": "Key steps"},
]


def configure_markdown(config: MkDocsConfig) -> None:
    """Enable what lesson parts are written with, keeping the author's own settings."""
    for name in NEEDED:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    admonition = config.mdx_configs.setdefault("pymdownx.blocks.admonition", {})
    types = admonition.setdefault("types", list(MATERIAL_ADMONITIONS))
    known = {t["name"] if isinstance(t, dict) else t for t in types}
    types.extend(t for t in CALLOUT_TYPES if t["name"] not in known)
    mermaid.register_fence(config)


def site_renderer(config: MkDocsConfig) -> Renderer:
    """Python-Markdown exactly as MkDocs configures it for a page (minus its link rewriting)."""
    return Renderer(config.markdown_extensions, config.mdx_configs)
