"""Everything about Mermaid diagrams on the MkDocs side, in one place.

courseforge keeps mkdocs-mermaid2-plugin's fence and `arguments`, but draws diagrams itself:
mermaid2's page hook re-parses every diagram page with BeautifulSoup (most of a build's time on
diagram-heavy courses) and adds a render-blocking script. Two ways (`diagrams:`):
- `client`: a lazy loader in the page draws them; without a `javascript` setting the pinned
  Mermaid that courseforge ships is served, so no page goes online;
- `static`: drawn to SVG at build time (core/diagrams.py) and inlined; pages load no Mermaid.
Either way the diagrams come from the page's HTML, which holds only what the edition shows.
"""

from __future__ import annotations

import html as html_text
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from material.plugins.privacy.plugin import PrivacyPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from ..core import syntax
from ..core.blocks import Block
from ..core.diagrams import DiagramError, StaticDiagrams, inline_svg
from ..core.model import Lesson, Visual
from ..core.problems import Problem, format_problems

DEFAULT_LIBRARY = "assets/courseforge/vendor/mermaid.min.js"
VENDORED = Path(__file__).resolve().parent.parent / "templates" / DEFAULT_LIBRARY
# The Mermaid that Material's bundle loads for a diagram courseforge does not draw (outside lessons).
MATERIAL_MERMAID = "unpkg.com/mermaid@11/dist/mermaid.min.js"
FENCE = {"name": "mermaid", "class": "mermaid", "format": "mermaid2.fence_mermaid_custom"}
MERMAID_PRE = re.compile(r'<pre\s+class="mermaid">')
# The lazy loader draws diagrams; renaming the class keeps Material from fetching Mermaid itself.
LAZY_DIAGRAM = '<pre class="cf-mermaid" data-cf-diagram>'
DIAGRAM_TYPE_LINE = re.compile(r"\A\s*(?:%%.*\n\s*)*\S[^\n]*\n?")
MODES = ("client", "static")
ACCESSIBLE_LINES = 2  # accTitle and accDescr, added to a visual's diagram after its type line
MERMAID_LINE = re.compile(r"\bline (\d+)")  # in Mermaid's messages: "Parse error on line 4:"


@dataclass(frozen=True)
class Place:
    """Where an author wrote a diagram: file line and key, and after how many of its lines
    courseforge added the accessible lines (None: it added none)."""

    line: int
    key: str
    added_after: int | None = None

    def as_written(self, message: str) -> str:
        """Mermaid's message with its "line N" counted in the diagram the author wrote."""
        if self.added_after is None:
            return message

        def written(match: re.Match) -> str:
            number = int(match.group(1))
            return f"line {number - ACCESSIBLE_LINES if number > self.added_after + ACCESSIBLE_LINES else number}"
        return MERMAID_LINE.sub(written, message)


Locator = Callable[[str], Place]  # a diagram's Mermaid source -> where its author wrote it
log = get_plugin_logger(__name__)
# A diagram as mermaid2's fence writes it: its source, HTML-escaped.
FENCED_DIAGRAM = re.compile(r'<pre\s+class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)

# Colours from Material's palette variables, so a diagram follows light and dark mode without
# being drawn again: Mermaid scopes this to the SVG's id, after its own theme.
_V = "var(--md-mermaid-{})".format
THEME_CSS = "".join([
    ".node rect,.node circle,.node ellipse,.node polygon,.node path,g.stateGroup rect,.statediagram-state rect,"
    f"g.classGroup rect,[id^=entity] rect{{fill:{_V('node-bg-color')};stroke:{_V('node-fg-color')}}}",
    ".label,.nodeLabel,.nodeLabel p,.cluster span,text,.titleText,.flowchartTitleText"
    f"{{color:{_V('label-fg-color')};fill:{_V('label-fg-color')};font-family:{_V('font-family')}}}",
    # .labelBkg wraps an edge label: Mermaid's light tint of it showed as hairlines in dark mode
    ".edgeLabel,.edgeLabel p,.edgeLabel rect,.labelBkg"
    f"{{background-color:{_V('label-bg-color')};fill:{_V('label-bg-color')};color:{_V('edge-color')}}}",
    ".flowchart-link,.edgePath .path,.transition,.relation,.relationshipLine,.messageLine0,.messageLine1"
    f"{{stroke:{_V('edge-color')}}}",
    "marker,marker path,.arrowheadPath,#arrowhead path,.start-state,.end-state-inner,.state-start,.state-end"
    f"{{fill:{_V('edge-color')}!important;stroke:{_V('edge-color')}!important}}",
    ".cluster rect{fill:var(--md-default-fg-color--lightest);stroke:var(--md-default-fg-color--lighter)}",
    f".actor{{fill:{_V('sequence-actor-bg-color')};stroke:{_V('sequence-actor-border-color')}}}"
    f"text.actor>tspan{{fill:{_V('sequence-actor-fg-color')}}}",
    f".actor-line,line{{stroke:{_V('sequence-actor-line-color')}}}.messageText{{fill:{_V('sequence-message-fg-color')}}}",
    f".note{{fill:{_V('sequence-note-bg-color')};stroke:{_V('sequence-note-border-color')}}}"
    f".noteText>tspan{{fill:{_V('sequence-note-fg-color')}}}",
    f".labelBox{{fill:{_V('sequence-label-bg-color')};stroke:none}}"
    f".labelText,.labelText>tspan,.loopText,.loopText>tspan{{fill:{_V('sequence-label-fg-color')}}}",
    f".loopLine{{stroke:{_V('sequence-loop-border-color')}}}",
])


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
    split = _type_line_end(source)
    indent = "  "
    lines = f"{indent}accTitle: {' '.join(visual.title.split())}\n{indent}accDescr: {description}\n"
    head = source[:split] if source[:split].endswith("\n") else source[:split] + "\n"
    return head + lines + source[split:]


def lazy_diagrams(html: str) -> tuple[str, int]:
    """The HTML with diagrams marked for the lazy loader, and how many there are."""
    return MERMAID_PRE.subn(LAZY_DIAGRAM, html)


class Diagrams:
    """How this build draws the diagrams of its lesson pages (the `diagrams` option)."""

    def __init__(self, mode: str, config: MkDocsConfig, cache: Path | None) -> None:
        library, arguments = adopt_mermaid2(config)
        # mermaid.initialize's settings, the same in the browser and at build time; the author's win.
        self.options = {"securityLevel": "strict", "theme": "base", "themeCSS": THEME_CSS, **arguments}
        self.static = StaticDiagrams(cache, self.options) if mode == "static" else None
        self.library = "" if self.static else library  # the script a diagram page loads, if any
        self.problems: list[Problem] = []
        self.seen = 0  # diagrams on lesson pages this build

    def page(self, html: str, source: str, where: Locator) -> tuple[str, int]:
        """The page's HTML with its diagrams ready to be seen, and how many there are.

        `source` names the page's file in author messages; `where` finds a diagram's line and key.
        """
        if self.static is None:
            return lazy_diagrams(html)
        count = 0

        def draw(match: re.Match) -> str:
            nonlocal count
            count += 1
            self.seen += 1
            diagram = html_text.unescape(match.group(1))
            try:
                svg = self.static.svg(diagram)
            except DiagramError as error:
                place = where(diagram)
                self.problems.append(Problem(source, place.line, place.key,
                                             f"Mermaid cannot draw this diagram: {place.as_written(str(error))}"))
                return match.group(0)
            # courseforge.js frames it (readable text, a scrolling frame when wide) like a drawn one.
            return f'<div class="cf-diagram">{inline_svg(svg, f"cf-svg-{count}")}</div>'

        return FENCED_DIAGRAM.sub(draw, html), count

    def check(self) -> None:
        """Stop the build with every diagram Mermaid could not draw, once every page is rendered."""
        if self.problems:
            raise PluginError(format_problems(sorted(self.problems)))
        if self.static is not None and self.seen:
            log.info(f"static diagrams: {self.static.drawn} drawn, {self.seen - self.static.drawn} from the cache")


def locate(lesson: Lesson, source: str) -> Place:
    """Where the lesson's diagram with this Mermaid source was written, for an author message."""
    visuals = [part for part in lesson.parts if isinstance(part, Visual)]
    for index, visual in enumerate(visuals):
        if accessible_diagram(visual).strip() == source.strip():
            written = visual.diagram.strip("\n")
            added_after = (None if syntax.ACCESSIBLE_DIAGRAM.search(written)
                           else len(written[:_type_line_end(written)].splitlines()))
            return Place(lesson.meta_line("visuals", index, "diagram"), f"visuals[{index}].diagram", added_after)
    wanted = _lines(source)
    for segment in lesson.segments:  # a diagram nested in a construct is located by the construct
        if isinstance(segment, Block) and wanted in _lines(segment.text):
            return Place(segment.line, "diagram")
    return Place(lesson.body_line, "diagram")


def locate_in_page(markdown: str, source: str) -> Place:
    """Where a diagram on a page that is no lesson was written: the line its source starts on."""
    first = next((line.strip() for line in source.splitlines() if line.strip()), "")
    lines = markdown.splitlines()
    return Place(next((number for number, line in enumerate(lines, 1) if first and line.strip() == first), 1),
                 "diagram")


def _type_line_end(source: str) -> int:
    """Where the diagram's type line (`flowchart LR`, after any `%%` comments) ends."""
    header = DIAGRAM_TYPE_LINE.match(source)
    return header.end() if header else 0


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
