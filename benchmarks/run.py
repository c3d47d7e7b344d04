"""courseforge benchmarks (issue 14): synthetic courses, real `mkdocs build` runs, one table.

    python -m benchmarks                   # sizes 100,800, 5 rounds
    python -m benchmarks --quick           # sizes 100,200, 2 rounds: smoke run
    python -m benchmarks --lighthouse      # also Lighthouse 12 on the diagram lesson

Run it from the repository root with the Python courseforge is installed in. Exit status: 0 when
every judged target is met, 1 when one is missed, 2 when the benchmark itself failed (a build
failed, or two compared configurations did not build the same pages).
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import json
import os
import re
import sys
import time
from pathlib import Path

from . import lighthouse, measure, report, targets
from .generate import NODIAGRAM, PLAIN, PRO, PUBLIC, STATIC, Config, GenerateError, make_project
from .measure import BenchmarkError, log, validate
from .targets import DiagramResult, Row, ServeResult, SizeResult, WeightResult
from .weight import diagram_lesson, diagram_marks, diagrams_in, page_weight

HERE = Path(__file__).resolve().parent
# How MkDocs rejects a plugin option this courseforge does not have (or a value it does not accept).
UNKNOWN_OPTION = re.compile(r"Unrecognised configuration name: diagrams|option 'diagrams': [^\n]*")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,800", help="lesson counts, comma-separated (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 100,200 and 2 rounds")
    parser.add_argument("--rounds", type=int, help="timed builds per configuration, best counts (default: 5; "
                                                   "--quick: 2); also the number of serve edits")
    parser.add_argument("--extra-budget", type=float, default=90,
                        help="seconds per size for re-running builds that other processes slowed down "
                             "(default: %(default)s)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse 12 on the diagram lesson")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--no-serve", action="store_true", help="skip the `mkdocs serve` rebuild (target 7)")
    parser.add_argument("--serve-timeout", type=float, default=600, help="seconds to wait for one serve build")
    parser.add_argument("--workdir", type=Path, default=HERE / "out",
                        help="where projects and sites go (default: benchmarks/out, git-ignored)")
    parser.add_argument("--json", type=Path, help="also write the rows and builds as JSON here")
    args = parser.parse_args(argv)
    args.sizes = [100, 200] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.workdir = args.workdir.resolve()
    return args


def visual_template() -> Path:
    spec = importlib.util.find_spec("courseforge")
    if spec is None or not spec.origin:
        raise BenchmarkError("courseforge is not importable: run this with the Python of its environment")
    return Path(spec.origin).parent / "templates" / "courseforge" / "parts" / "visual.html"


def static_diagrams(project: Path) -> str:
    """'' when this courseforge knows `diagrams: static` (the strict warm-up build passed), else why not."""
    try:
        validate(project, STATIC)
    except BenchmarkError as error:
        mention = UNKNOWN_OPTION.search(str(error))
        if mention is None:
            raise
        why = f"`diagrams: static` not available in this courseforge ({mention.group(0).strip()})"
        log(why)
        return why
    return ""


def measure_size(lessons: int, args: argparse.Namespace, with_diagrams: bool) -> tuple[SizeResult, str]:
    """Generate, warm up (strict builds: the synthetic course is valid), check same pages, time the rounds."""
    started = time.perf_counter()
    project = make_project(args.workdir / f"courses-{lessons}", lessons, visual_template())
    log(f"generated {lessons} lessons in {project} ({time.perf_counter() - started:.1f} s)")
    configs: tuple[Config, ...] = (PUBLIC, PRO, PLAIN)
    first_builds = {}
    for config in configs:  # before the warm-up, which fills the caches
        first_builds[config.file] = measure.Timings([measure.cold_build(project, config)])
        log(f"{lessons} lessons: first build of {config.label}: {first_builds[config.file].best.wall:.2f} s wall")
    for config in configs:
        log(f"{lessons} lessons: warm-up, strict build of {config.label}")
        validate(project, config)
    unavailable = static_diagrams(project) if with_diagrams else ""
    if with_diagrams and not unavailable:
        validate(project, NODIAGRAM)
        configs += (STATIC, NODIAGRAM)
    pages = measure.assert_same_pages(project, configs)
    log(f"{lessons} lessons: {', '.join(c.label for c in configs)} built the same {pages} pages")
    builds = measure.timed_rounds(project, configs, args.rounds, args.extra_budget, lessons)
    return SizeResult(lessons, project, pages, builds, first_builds), unavailable


def measure_diagrams(size: SizeResult, rounds: int) -> DiagramResult:
    project = size.project
    diagrams = diagrams_in(PUBLIC.site(project))
    if diagram_marks(NODIAGRAM.site(project)):
        raise BenchmarkError(f"the course without diagrams still has diagrams: {NODIAGRAM.site(project)}")
    cold = {STATIC.file: measure.Timings(), NODIAGRAM.file: measure.Timings()}
    for round_ in range(rounds):
        for config in (STATIC, NODIAGRAM):
            run = measure.cold_build(project, config)
            cold[config.file].runs.append(run)
            log(f"first build ({round_ + 1}/{rounds}) of {config.label}: {run.wall:.2f} s wall, {run.cpu:.2f} s cpu")
    measure.assert_same_pages(project, (STATIC, NODIAGRAM))
    return DiagramResult(size.timings(STATIC), size.timings(NODIAGRAM), cold[STATIC.file], cold[NODIAGRAM.file],
                         diagrams, measure.renderer_floor())


def measure_weight(project: Path, static: bool) -> WeightResult:
    page = diagram_lesson(project / "lessons")
    return WeightResult(page_weight(STATIC.site(project), page) if static else None,
                        page_weight(PUBLIC.site(project), page), page_weight(PLAIN.site(project), page))


def measure_serve(size: SizeResult, rounds: int, timeout: float) -> ServeResult:
    """Edit the last lesson of the last course: a full rebuild writes its page last."""
    lesson = sorted((size.project / "lessons").glob("course-*/l*.md"))[-1]
    validate(size.project, PUBLIC)  # the full builds compared reuse `.cache/` as repeat builds do
    rebuilds, full_builds = measure.serve_rebuilds(size.project, PUBLIC, lesson, rounds, timeout)
    return ServeResult(size.lessons, lesson.relative_to(size.project / "lessons").as_posix(), rebuilds, full_builds)


def run_lighthouse(site: Path, page: str, args: argparse.Namespace, workdir: Path) -> list[lighthouse.LighthouseResult]:
    workdir.mkdir(parents=True, exist_ok=True)
    return [lighthouse.run(site, site / page, args.lighthouse_runs, workdir, compressed)
            for compressed in (False, True)]


def benchmark(args: argparse.Namespace) -> tuple[list[Row], list[SizeResult], WeightResult,
                                                 list[lighthouse.LighthouseResult]]:
    small, unavailable = measure_size(args.sizes[0], args, with_diagrams=True)
    sizes = [small] + [measure_size(lessons, args, with_diagrams=False)[0] for lessons in args.sizes[1:]]
    large = sizes[-1]
    diagrams = None if unavailable else measure_diagrams(small, args.rounds)
    weight = measure_weight(small.project, static=not unavailable)
    page = diagram_lesson(small.project / "lessons")
    results, material = [], []
    if args.lighthouse:
        results = run_lighthouse((PUBLIC if unavailable else STATIC).site(small.project), page, args, args.workdir)
        # The same page as plain Material builds it: the floor Material's own assets set.
        material = run_lighthouse(PLAIN.site(small.project), page, args, args.workdir / "plain-material")
    uncompressed, gzip_lh = results or (None, None)
    serve = None if args.no_serve else measure_serve(large, args.rounds, args.serve_timeout)
    rows = [*targets.build_rows(sizes), *targets.linearity_rows(sizes),
            *targets.diagram_rows(diagrams, small.lessons, unavailable),
            targets.weight_row(weight, uncompressed, unavailable),
            *targets.lighthouse_rows(uncompressed, gzip_lh, page + (" (diagrams: client)" if unavailable else ""),
                                     material),
            targets.serve_row(serve), targets.memory_row(large)]
    return rows, sizes, weight, results + material


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    load_start, started = os.getloadavg()[0], time.perf_counter()
    try:
        rows, sizes, weight, lighthouse_results = benchmark(args)
    except (BenchmarkError, GenerateError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2
    title = (f"courseforge benchmarks ({', '.join(map(str, args.sizes))} lessons, best of {args.rounds}; "
             f"{time.perf_counter() - started:.0f} s)")
    print(report.markdown(title, rows, sizes, weight, lighthouse_results,
                          report.Load(load_start, os.getloadavg()[0])))
    if args.json:
        args.json.write_text(json.dumps({"rows": [dataclasses.asdict(row) for row in rows],
                                         "sizes": [dataclasses.asdict(size) for size in sizes]},
                                        indent=2, default=str))
    return 1 if any(row.met is False for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
