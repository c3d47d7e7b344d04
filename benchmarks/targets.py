"""The targets of issue 14 as named rows: what was measured, the figure, the target, met or not."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .generate import PLAIN, PRO, PUBLIC, Config
from .lighthouse import LighthouseResult
from .measure import Floor, Rebuild, Timings
from .weight import PageWeight

KB = 1024


@dataclass(frozen=True)
class Target:
    number: int
    name: str
    goal: str


TARGETS = {target.number: target for target in (
    Target(1, "pro and public build vs plain Material", "≤ 1.00x"),
    Target(2, "per-lesson cost, largest vs smallest course", "≤ 1.15x"),
    Target(3, "warm build with static diagrams vs the same course without diagrams", "≤ 1.05x"),
    Target(4, "cold static-diagram cost per diagram", "reported, with the renderer's own floor"),
    Target(5, "diagram lesson page weight vs plain Material, gzip", "≤ +15 KB, no Mermaid request"),
    Target(6, "Lighthouse mobile on the diagram lesson, median of 3",
           "perf ≥ 95 uncompressed / 100 gzip; a11y / BP / SEO 100"),
    Target(7, "serve rebuild after a one-paragraph lesson edit vs full build", "≤ 0.25x"),
    Target(8, "peak memory of the largest build", "< 300 MB"),
)}


@dataclass(frozen=True)
class Row:
    target: Target
    detail: str  # what exactly was compared, with the raw figures
    measured: str
    met: bool | None  # None: reported only, not run or not available
    cpu: str = ""  # the same ratio on CPU time (user+sys), less sensitive to other load


def not_measured(number: int, why: str, measured: str = "not run") -> Row:
    return Row(TARGETS[number], why, measured, None)


# --- results the rows are made of -------------------------------------------------------------

@dataclass
class SizeResult:
    lessons: int
    project: Path
    pages: int  # HTML pages every compared configuration built (checked)
    builds: dict[str, Timings] = field(default_factory=dict)  # repeat builds: `.cache/` of the build before
    first_builds: dict[str, Timings] = field(default_factory=dict)  # no `.cache/`, no compiled templates

    def timings(self, config: Config) -> Timings:
        return self.builds[config.file]


@dataclass(frozen=True)
class DiagramResult:
    warm_static: Timings
    warm_nodiagram: Timings
    cold_static: Timings  # first builds: no .cache/, no compiled templates
    cold_nodiagram: Timings
    diagrams: int  # drawn in the site (counted in the client-mode build of the same course)
    floor: Floor | None


@dataclass(frozen=True)
class WeightResult:
    static: PageWeight | None  # None when this courseforge has no `diagrams: static`
    client: PageWeight  # the same page with courseforge's default lazy client loader
    plain: PageWeight


@dataclass(frozen=True)
class ServeResult:
    lessons: int
    lesson: str
    rebuilds: list[Rebuild]
    full_build: Timings  # `mkdocs build` of the same edited project, each run right after a rebuild


# --- rows ---------------------------------------------------------------------------------

def build_rows(sizes: list[SizeResult]) -> list[Row]:
    rows = []
    for size in sizes[:1] + sizes[1:][-1:]:  # the smallest and the largest
        for kind, builds in (("repeat build", size.builds), ("context: first build (no `.cache/`)", size.first_builds)):
            plain = builds[PLAIN.file]
            for config in (PUBLIC, PRO):
                mine = builds[config.file]
                ratio = mine.wall / plain.wall
                judged = ratio <= 1.00 if builds is size.builds else None
                rows.append(Row(TARGETS[1], f"{kind}: {config.label}, {size.lessons} lessons, {size.pages} pages on "
                                            f"both sides ({mine.wall:.2f} vs {plain.wall:.2f} s)",
                                f"{ratio:.2f}x", judged, f"{mine.cpu / plain.cpu:.2f}x"))
    return rows


def linearity_rows(sizes: list[SizeResult]) -> list[Row]:
    small, large = sizes[0], sizes[-1]
    if small.lessons == large.lessons:
        return [not_measured(2, "needs two sizes (--sizes)")]
    rows = []
    for config in (PUBLIC, PRO, PLAIN):
        per_small = small.timings(config).wall / small.lessons
        per_large = large.timings(config).wall / large.lessons
        ratio = per_large / per_small
        cpu = (large.timings(config).cpu / large.lessons) / (small.timings(config).cpu / small.lessons)
        context = "context: " if config is PLAIN else ""
        rows.append(Row(TARGETS[2], f"{context}{config.label}, {large.lessons} vs {small.lessons} lessons "
                                    f"({per_large * 1000:.0f} vs {per_small * 1000:.0f} ms per lesson)",
                        f"{ratio:.2f}x", ratio <= 1.15 if config is not PLAIN else None, f"{cpu:.2f}x"))
    return rows


def diagram_rows(result: DiagramResult | None, lessons: int, unavailable: str) -> list[Row]:
    if result is None:
        return [not_measured(3, unavailable, "not available"), not_measured(4, "see 3", "not available")]
    static, bare = result.warm_static, result.warm_nodiagram
    ratio = static.wall / bare.wall
    count = max(result.diagrams, 1)
    per_diagram = (result.cold_static.wall - result.cold_nodiagram.wall) / count
    per_diagram_cpu = (result.cold_static.cpu - result.cold_nodiagram.cpu) / count
    floor = result.floor
    floor_text = (f"{floor.renderer} alone: {floor.each * 1000:.0f} ms ({floor.each_cpu * 1000:.0f} ms CPU) per "
                  f"small diagram, {floor.first * 1000:.0f} ms for the first" if floor
                  else "mermaidx not installed: no floor")
    return [
        Row(TARGETS[3], f"{lessons} lessons, {result.diagrams} diagrams, repeat build "
                        f"({static.wall:.2f} vs {bare.wall:.2f} s)",
            f"{ratio:.2f}x", ratio <= 1.05, f"{static.cpu / bare.cpu:.2f}x"),
        Row(TARGETS[4], f"first build (no `.cache/`) minus the same without diagrams, / {result.diagrams} diagrams "
                        f"({result.cold_static.wall:.2f} - {result.cold_nodiagram.wall:.2f} s); {floor_text}",
            f"{per_diagram * 1000:.0f} ms", None, f"{per_diagram_cpu * 1000:.0f} ms"),
    ]


def weight_row(result: WeightResult, lighthouse: LighthouseResult | None, unavailable: str) -> Row:
    client = f"`diagrams: client` {(result.client.total - result.plain.total) / KB:+.1f} KB"
    if result.static is None:
        return not_measured(5, f"{unavailable}; {client}", "not available")
    delta = (result.static.total - result.plain.total) / KB
    requests = lighthouse.mermaid_requests if lighthouse else []
    seen = (f"Lighthouse saw {len(requests)} Mermaid requests" if lighthouse
            else "no Lighthouse run to watch requests")
    return Row(TARGETS[5], f"`{result.static.page}`, HTML+CSS+JS ({result.static.total / KB:.1f} vs "
                           f"{result.plain.total / KB:.1f} KB); {result.static.mermaid_client} Mermaid markers or "
                           f"scripts in the page, {seen}; {client}",
               f"{delta:+.1f} KB", delta <= 15 and result.static.mermaid_client == 0 and not requests)


def lighthouse_rows(uncompressed: LighthouseResult | None, gzip: LighthouseResult | None, page: str,
                    material: list[LighthouseResult]) -> list[Row]:
    if uncompressed is None or gzip is None:
        return [not_measured(6, "run with --lighthouse")]
    others = [uncompressed.scores[key] for key in ("accessibility", "best-practices", "seo")]
    rows = [
        Row(TARGETS[6], f"Lighthouse {uncompressed.version}, median of {uncompressed.runs}, `{page}`, performance, "
                        f"{_paints(uncompressed, gzip)}",
            f"{uncompressed.scores['performance']:.0f} / {gzip.scores['performance']:.0f}",
            uncompressed.scores["performance"] >= 95 and gzip.scores["performance"] >= 100),
        Row(TARGETS[6], "accessibility / best practices / SEO (uncompressed)",
            " / ".join(f"{score:.0f}" for score in others), all(score >= 100 for score in others)),
    ]
    if material:
        plain, plain_gzip = material
        rows.append(Row(TARGETS[6], f"context: plain Material, the same page, performance, "
                                    f"{_paints(plain, plain_gzip)}",
                        f"{plain.scores['performance']:.0f} / {plain_gzip.scores['performance']:.0f}", None))
    return rows


def _paints(uncompressed: LighthouseResult, gzip: LighthouseResult) -> str:
    def paints(result: LighthouseResult) -> str:
        return f"FCP {result.metrics['FCP'] / 1000:.2f} s, LCP {result.metrics['LCP'] / 1000:.2f} s"
    return f"uncompressed ({paints(uncompressed)}) / gzip ({paints(gzip)})"


def serve_row(result: ServeResult | None) -> Row:
    if result is None:
        return not_measured(7, "skipped (--no-serve)")
    visible = min(rebuild.visible for rebuild in result.rebuilds)
    finished = min(rebuild.finished for rebuild in result.rebuilds)
    cpu = min(rebuild.cpu for rebuild in result.rebuilds)
    ratio = visible / result.full_build.wall
    return Row(TARGETS[7], f"`mkdocs serve`, {result.lessons} lessons, `{result.lesson}` edited, best of "
                           f"{len(result.rebuilds)}: page shows the edit after {visible:.2f} s, rebuild logged done "
                           f"after {finished:.2f} s ({cpu:.2f} s CPU); full build right after "
                           f"{result.full_build.wall:.2f} s ({result.full_build.cpu:.2f} s CPU)",
               f"{ratio:.2f}x", ratio <= 0.25, f"{cpu / result.full_build.cpu:.2f}x")


def memory_row(large: SizeResult) -> Row:
    peaks = {config: large.timings(config).peak_mb for config in (PUBLIC, PRO, PLAIN)}
    peak = max(peaks[PUBLIC], peaks[PRO])
    return Row(TARGETS[8], f"peak RSS, {large.lessons} lessons: public {peaks[PUBLIC]:.0f} MB, pro {peaks[PRO]:.0f} MB "
                           f"(plain Material {peaks[PLAIN]:.0f} MB)", f"{peak:.0f} MB", peak < 300)
