"""Everything about Mermaid diagrams on the MkDocs side, in one place.

courseforge keeps mkdocs-mermaid2-plugin's fence and `arguments`, but draws diagrams with its
own lazy loader: mermaid2's page hook re-parses every diagram page with BeautifulSoup (most of
a build's time on diagram-heavy courses) and adds a render-blocking script. Without a
`javascript` setting the pinned Mermaid that courseforge ships is served, so no build or
page goes online.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from material.plugins.privacy.plugin import PrivacyPlugin
from mkdocs.config.defaults import MkDocsConfig

from ..core import syntax
from ..core.model import Visual

DEFAULT_LIBRARY = "assets/courseforge/vendor/mermaid.min.js"
VENDORED = Path(__file__).resolve().parent.parent / "templates" / DEFAULT_LIBRARY
# The Mermaid that Material's bundle loads for a diagram courseforge does not draw (outside lessons).
MATERIAL_MERMAID = "unpkg.com/mermaid@11/dist/mermaid.min.js"
FENCE = {"name": "mermaid", "class": "mermaid", "format": "mermaid2.fence_mermaid_custom"}
MERMAID_PRE = re.compile(r'<pre\s+class="mermaid">')
# The lazy loader draws diagrams; renaming the class keeps Material from fetching Mermaid itself.
LAZY_DIAGRAM = '<pre class="cf-mermaid" data-cf-diagram>'
DIAGRAM_TYPE_LINE = re.compile(r"\A\s*(?:%%.*\n\s*)*\S[^\n]*\n?")


def register_fence(config: MkDocsConfig) -> None:
    """mermaid2's superfences fence, unless the author configured a `mermaid` fence already."""
    fences = config.mdx_configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        from mermaid2.fence import fence_mermaid_custom
        fences.append({**FENCE, "format": fence_mermaid_custom})


def adopt_mermaid2(config: MkDocsConfig) -> tuple[str, dict]:
    """Remove mermaid2's page hook; return the library URL and its `arguments` for `mermaid.initialize`."""
    plugin = config.plugins.get("mermaid2")
    if plugin is None:
        return DEFAULT_LIBRARY, {}
    if not plugin.config.get("javascript"):
        plugin.config["javascript"] = DEFAULT_LIBRARY
    events = config.plugins.events["post_page"]
    events[:] = [event for event in events if getattr(event, "__self__", None) is not plugin]
    return plugin.config["javascript"], dict(plugin.config.get("arguments") or {})


def seed_privacy_cache(config: MkDocsConfig) -> None:
    """Hand Material's privacy plugin the Mermaid it would download for Material's bundle.

    It self-hosts every URL it finds in the bundle; offline, the download fails and so does a
    strict build. courseforge's own copy (the same major version) needs no network.
    """
    for plugin in config.plugins.values():
        if not isinstance(plugin, PrivacyPlugin) or not plugin.config.enabled or not plugin.config.cache:
            continue
        target = Path(os.path.abspath(plugin.config.cache_dir), plugin.config.assets_fetch_dir, MATERIAL_MERMAID)
        if not target.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(VENDORED, target)


def accessible_diagram(visual: Visual) -> str:
    """The visual's Mermaid source with its title and caption as the diagram's text alternative."""
    source = visual.diagram.strip("\n")
    if syntax.ACCESSIBLE_DIAGRAM.search(source):
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
