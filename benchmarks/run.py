#!/usr/bin/env python3
"""courseforge benchmarks (issue #6): synthetic courses, real `mkdocs build` runs, one table.

    /work/venv/bin/python benchmarks/run.py                 # sizes 100,800 (6-8 min on 2 cores)
    /work/venv/bin/python benchmarks/run.py --quick         # sizes 100,200, smoke run (~3 min)
    /work/venv/bin/python benchmarks/run.py --lighthouse    # also Lighthouse 12 on a diagram lesson
    /work/venv/bin/python benchmarks/run.py --profile       # also where courseforge's build time goes

Run it with the Python of the environment courseforge is installed in. Every build is a child
process (`python -m mkdocs build -q -f <config> -d <dir>`); its wall time, CPU time and peak RSS
come from os.wait4. Each project is warmed up (and validated) once with a `--strict` build, then
all configurations are built in interleaved rounds and the best run of each is kept, so load from
other processes on the machine hits every configuration alike. Exit status: 0 when every target
is met, 1 when one is missed, 2 when the benchmark itself failed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlparse

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
NODE_PREFIX = HERE / ".node"
LIGHTHOUSE = NODE_PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-background-networking"
GZIP_LEVEL = 6  # what nginx/CDNs typically serve; reported with the figures

# Configurations of one generated project (see synth.py).
COURSEFORGE, PLAIN, SAMEFEATURES, NODIAGRAM, MERMAID2, PRO = (
    "mkdocs.yml", "mkdocs-plain.yml", "mkdocs-samefeatures.yml", "mkdocs-nodiagram.yml",
    "mkdocs-mermaid2.yml", "mkdocs-pro.yml")
# Not a file: the courseforge build with an empty template cache, as a first build runs.
COLD = "mkdocs.yml, cold"
LABELS = {
    COURSEFORGE: "courseforge public (sample config)",
    PLAIN: "plain Material (navigation.prune)",
    SAMEFEATURES: "courseforge public, plain's theme features",
    NODIAGRAM: "courseforge public, diagrams as text fences",
    MERMAID2: "plain Material + mermaid2",
    PRO: "courseforge pro",
    COLD: "courseforge public, first build (empty template cache, no stored cuts)",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- child processes -----------------------------------------------------------------------

@dataclass
class Run:
    wall: float
    cpu: float
    maxrss_mb: float


class ChildFailed(RuntimeError):
    pass


def environment(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEFORGE_")}
    env.update(NO_MKDOCS_2_WARNING="1", **extra)
    return env


def run_child(command: list[str], cwd: Path, env: dict | None = None) -> tuple[Run, str]:
    """Run a command; its own wall time, CPU time (user+sys) and peak RSS (os.wait4)."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env or environment(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise ChildFailed(f"{' '.join(command)} (in {cwd}) exited with {process.returncode}:\n{output[-4000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), output


def mkdocs_build(project: Path, config: str, *extra: str) -> Run:
    os.sync()  # the previous build's writes are not flushed during this one
    if config == COLD:  # Jinja keeps compiled templates under TMPDIR; mkdocs-cold.yml stores no cuts
        with tempfile.TemporaryDirectory() as empty:
            return run_child(_build_command("mkdocs-cold.yml", site_of(project, "cold"), *extra), project,
                             environment(TMPDIR=empty))[0]
    return run_child(_build_command(config, site_of(project, config), *extra), project)[0]


def _build_command(config: str, site: Path, *extra: str) -> list[str]:
    return [PYTHON, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site), *extra]


def instructions(project: Path, configs: tuple[str, ...]) -> dict[str, int]:
    """Instructions each build executes, counted by valgrind (all builds at once, one per core).

    Unlike time, the count does not depend on what else the machine is doing: on a shared VM
    whose cores change speed by tens of percent, it shows the plugin's real cost.
    """
    processes = {}
    for config in configs:
        site = site_of(project, f"valgrind-{config}")
        command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *_build_command(config, site)]
        processes[config] = subprocess.Popen(command, cwd=project, env=environment(PYTHONMALLOC="malloc"),
                                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    counts = {}
    for config, process in processes.items():
        _, err = process.communicate()
        found = re.search(r"Collected\s*:\s*(\d+)", err)
        if process.returncode != 0 or not found:
            raise ChildFailed(f"valgrind build of {config} in {project} failed:\n{err[-2000:]}")
        counts[config] = int(found.group(1))
    return counts


def instruction_rows(project: Path, small: int, out: dict) -> list[tuple]:
    try:
        counts = instructions(project, (COURSEFORGE, PLAIN, SAMEFEATURES))
    except (ChildFailed, OSError) as error:
        log(f"instruction counts skipped: {error}")
        return []
    out["figures"]["instructions"] = counts
    return [("2", f"context: instructions executed (valgrind), courseforge / plain Material, {small} "
                  f"lessons ({counts[COURSEFORGE] / 1e9:.2f} vs {counts[PLAIN] / 1e9:.2f} G; "
                  f"with plain's theme features {counts[SAMEFEATURES] / counts[PLAIN]:.3f}x)",
             f"{counts[COURSEFORGE] / counts[PLAIN]:.3f}x", "(context)", None, "")]


def site_of(project: Path, config: str) -> Path:
    return project / "site" / config.removesuffix(".yml")


# --- measurements --------------------------------------------------------------------------

@dataclass
class SizeResult:
    lessons: int
    project: Path
    runs: dict[str, list[Run]] = field(default_factory=dict)
    check: list[Run] = field(default_factory=list)

    def best(self, config: str, metric: str = "wall") -> float:
        return min(getattr(run, metric) for run in self.runs[config])

    def peak_mb(self, config: str) -> float:
        return max(run.maxrss_mb for run in self.runs[config])


def templates_dir() -> Path:
    spec = __import__("importlib.util").util.find_spec("courseforge")
    if spec is None or not spec.origin:
        raise SystemExit("courseforge is not importable: run this with the Python of its environment")
    return Path(spec.origin).parent / "templates"


def generate(workdir: Path, lessons: int) -> Path:
    templates = templates_dir()
    started = time.perf_counter()
    project = synth.make_project(workdir / f"courses-{lessons}", lessons,
                                 templates / "courseforge" / "parts" / "visual.html",
                                 templates / "assets" / "courseforge" / "vendor" / "mermaid.min.js")
    log(f"generated {lessons} lessons in {project} ({time.perf_counter() - started:.1f} s)")
    return project


MAX_EXTRA = 2


def disturbed(run: Run) -> bool:
    return run.wall > run.cpu * 1.08 + 0.25


def measure_size(project: Path, lessons: int, configs: list[str], rounds: int, extra_budget: float,
                 validate_plain: bool) -> SizeResult:
    result = SizeResult(lessons, project, {config: [] for config in configs})
    # Warm-up, and proof that the synthetic course is valid: a strict build of each configuration
    # that is not a variant of another (strict fails on any warning: broken links, bad anchors...).
    for config in (COURSEFORGE, PLAIN) if validate_plain else (COURSEFORGE,):
        log(f"{lessons} lessons: warm-up, strict build of {config}")
        mkdocs_build(project, config, "--strict")
    for round_ in range(1, rounds + 1):
        # Rotated each round, so no configuration always runs first (or right after the same one).
        shift = (round_ - 1) % len(configs)
        for config in configs[shift:] + configs[:shift]:
            run = mkdocs_build(project, config)
            result.runs[config].append(run)
            log(f"{lessons} lessons, round {round_}/{rounds}: {config:24} {run.wall:6.2f} s wall, "
                f"{run.cpu:6.2f} s cpu, {run.maxrss_mb:5.0f} MB")
    # A build is single-threaded: wall time well above CPU time means it waited for a core that
    # another process held. Re-run such configurations while the time budget lasts.
    deadline = time.perf_counter() + extra_budget
    for _ in range(MAX_EXTRA):
        for config in configs:
            best = min(result.runs[config], key=lambda r: r.wall)
            if not disturbed(best) or time.perf_counter() + best.wall > deadline:
                continue
            run = mkdocs_build(project, config)
            result.runs[config].append(run)
            log(f"{lessons} lessons, extra run (best was {best.wall:.2f} s wall for {best.cpu:.2f} s cpu): "
                f"{config:24} {run.wall:6.2f} s wall, {run.cpu:6.2f} s cpu")
    courseforge = BIN / "courseforge"
    command = [str(courseforge) if courseforge.exists() else shutil.which("courseforge") or "courseforge", "check"]
    for _ in range(3):
        run, output = run_child(command, project)
        result.check.append(run)
    log(f"{lessons} lessons: courseforge check {min(r.wall for r in result.check):.2f} s ({output.strip()})")
    return result


def mermaid2_hook_seconds(project: Path) -> float:
    """Time spent inside mermaid2's on_post_page during a plain Material + mermaid2 build."""
    code = r"""
import sys, time, mermaid2.plugin as m
spent = [0.0]
original = m.MarkdownMermaidPlugin.on_post_page
def timed(self, *args, **kwargs):
    started = time.perf_counter()
    try:
        return original(self, *args, **kwargs)
    finally:
        spent[0] += time.perf_counter() - started
m.MarkdownMermaidPlugin.on_post_page = timed
from mkdocs.__main__ import cli
try:
    cli(["build", "-q", "-f", sys.argv[1], "-d", sys.argv[2]])
except SystemExit as exit:
    if exit.code:
        raise
finally:
    print("HOOK", spent[0])
"""
    _, output = run_child([PYTHON, "-c", code, MERMAID2, str(site_of(project, MERMAID2))], project)
    return float(re.search(r"HOOK (\S+)", output).group(1))


# --- page weight and third-party scan -----------------------------------------------------

TAG = re.compile(r"<(script|link|img|iframe|source|video|audio|embed)\b([^>]*)>", re.IGNORECASE)
ATTR = re.compile(r"""\b(src|href|srcset|poster|rel)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
HTTP_URL = re.compile(r"^\s*(?:https?:)?//", re.IGNORECASE)


def tags(html: str):
    for match in TAG.finditer(html):
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or ""
                 for m in ATTR.finditer(match.group(2))}
        yield match.group(1).lower(), attrs


def scan_site(site: Path, own_host: str) -> tuple[list[str], list[str], int]:
    """(third-party references, <script src> references to mermaid, pages scanned)."""
    foreign, mermaid, pages = [], [], 0
    for page in sorted(site.rglob("*.html")):
        pages += 1
        html = page.read_text(encoding="utf-8", errors="replace")
        for name, attrs in tags(html):
            for key in ("src", "href", "srcset", "poster"):
                value = attrs.get(key) or ""
                for url in value.split(",") if key == "srcset" else [value]:
                    url = url.strip().split(" ")[0]
                    if url and HTTP_URL.match(url) and urlparse(urljoin("http:", url)).netloc != own_host:
                        foreign.append(f"{page.relative_to(site)}: <{name} {key}={url}>")
            if name == "script" and "mermaid" in (attrs.get("src") or "").lower():
                mermaid.append(f"{page.relative_to(site)}: <script src={attrs['src']}>")
    return foreign, mermaid, pages


@dataclass
class Weight:
    html: int
    css: dict[str, int]
    js: dict[str, int]

    @property
    def total(self) -> int:
        return self.html + sum(self.css.values()) + sum(self.js.values())


def gz(data: bytes) -> int:
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))


def page_weight(site: Path, page: Path) -> Weight:
    """gzip bytes of a page, every stylesheet and script it loads (and Material's search worker)."""
    html = page.read_text(encoding="utf-8")
    base = page.parent

    def local(url: str) -> Path | None:
        if HTTP_URL.match(url) or url.startswith("data:"):
            return None
        return (base / url.split("#")[0].split("?")[0]).resolve()

    css, js = {}, {}
    for name, attrs in tags(html):
        if name == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            path = local(attrs["href"])
            css[attrs["href"]] = gz(path.read_bytes()) if path and path.exists() else -1
        elif name == "script" and attrs.get("src") and "mermaid" not in attrs["src"]:
            path = local(attrs["src"])
            js[attrs["src"]] = gz(path.read_bytes()) if path and path.exists() else -1
    worker = re.search(r'"search":\s*"([^"]+)"', html)
    if worker and (path := local(worker.group(1))) and path.exists():
        js[worker.group(1) + " (search worker)"] = gz(path.read_bytes())
    return Weight(gz(html.encode()), css, js)


def lesson_without_diagram(site: Path, lessons_dir: Path) -> Path:
    """A locked (pro) lesson page of the first course whose page shows no diagram."""
    for source in sorted((lessons_dir / "course-01").glob("l*.md")):
        text = source.read_text(encoding="utf-8")
        if "access: free" in text or "```mermaid" in text:
            continue
        page = site / "course-01" / source.stem / "index.html"
        if page.exists() and "data-cf-diagram" not in page.read_text(encoding="utf-8"):
            return page
    raise RuntimeError("no lesson page without a diagram")


# --- Lighthouse -----------------------------------------------------------------------------

def ensure_lighthouse() -> str:
    if not LIGHTHOUSE.exists():
        log("installing Lighthouse 12 into benchmarks/.node")
        subprocess.run(["npm", "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund", "lighthouse@12"],
                       check=True, stdout=subprocess.DEVNULL)
    package = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())
    return package["version"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def diagram_lesson(site: Path) -> Path | None:
    for page in sorted(site.rglob("index.html")):
        html = page.read_text(encoding="utf-8", errors="replace")
        if 'class="cf-lesson' in html and "data-cf-diagram" in html:
            return page
    return None


def lighthouse_site(workdir: Path, fallback: Path) -> tuple[Path, Path, str]:
    """(site, diagram lesson page, description): the sample course if it builds, else synthetic."""
    if any((REPO / "lessons").rglob("*.md")):
        site = workdir / "sample-site"
        mkdocs = BIN / "mkdocs"
        command = [str(mkdocs) if mkdocs.exists() else "mkdocs", "build", "-d", str(site)]
        try:
            run_child(command, REPO)
            page = diagram_lesson(site)
            if page:
                return site, page, "sample course (repo root)"
            log("the sample course has no lesson page with a diagram; using a synthetic lesson")
        except ChildFailed as error:
            log(f"the sample course does not build; using a synthetic lesson\n{error}")
    page = diagram_lesson(fallback)
    if page is None:
        raise RuntimeError("no synthetic lesson page with a diagram")
    return fallback, page, "synthetic course"


GZIP_SERVER = r"""
import functools, gzip, http.server, os, sys
TEXT = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")
class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if "gzip" in self.headers.get("Accept-Encoding", "") and path.endswith(TEXT) and os.path.isfile(path):
            with open(path, "rb") as source:
                body = gzip.compress(source.read(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        return super().do_GET()
    def log_message(self, *args):
        pass
handler = functools.partial(Handler, directory=sys.argv[2])
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
"""


def run_lighthouse(site: Path, page: Path, runs: int, workdir: Path, compress: bool = False) -> dict:
    """Median Lighthouse scores of `page`, served by Python's http.server (plain, or gzipping text)."""
    port = free_port()
    command = ([PYTHON, "-c", GZIP_SERVER, str(port), str(site)] if compress else
               [PYTHON, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)])
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        url = f"http://127.0.0.1:{port}/{page.parent.relative_to(site).as_posix()}/"
        reports = []
        for index in range(runs):
            output = (workdir / f"lighthouse{'-gzip' if compress else ''}-{index + 1}.json").resolve()
            command = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={output}",
                       "--only-categories=performance,accessibility,best-practices,seo", "--form-factor=mobile",
                       f"--chrome-flags={CHROME_FLAGS}"]
            # Chromium holds its first paint while the disk flushes what the builds wrote (about
            # 1.2 s after an 800-lesson build: performance 67-85 instead of 91-95).
            os.sync()
            run_child(command, workdir, environment(CHROME_PATH=CHROME))
            reports.append(json.loads(output.read_text()))
            scores = {k: round(v["score"] * 100) for k, v in reports[-1]["categories"].items()}
            log(f"lighthouse{' (gzip)' if compress else ''} run {index + 1}/{runs}: {scores}")
    finally:
        server.terminate()
        server.wait()
    return summarise_lighthouse(reports, url)


METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "speed-index": "SI"}
SKIP_MODES = ("informative", "manual", "notApplicable", "error")


def summarise_lighthouse(reports: list[dict], url: str) -> dict:
    categories = {}
    for key in ("performance", "accessibility", "best-practices", "seo"):
        categories[key] = statistics.median(round(r["categories"][key]["score"] * 100) for r in reports)
    metrics = {label: statistics.median(r["audits"][audit]["numericValue"] for r in reports)
               for audit, label in METRICS.items()}
    # The run with the median performance score explains that score.
    middle = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
    failing: dict[str, list] = {}
    for key, category in middle["categories"].items():
        for ref in category["auditRefs"]:
            audit = middle["audits"][ref["id"]]
            if audit.get("score") is None or audit["score"] >= 1 or audit.get("scoreDisplayMode") in SKIP_MODES:
                continue
            savings = (audit.get("details") or {}).get("overallSavingsMs") or 0
            label = audit.get("displayValue") or f"score {audit['score']:.2f}"
            failing.setdefault(key, []).append((savings, f"{ref['id']} ({label})"))
    failing = {k: [text for _, text in sorted(v, key=lambda x: -x[0])][:12] for k, v in failing.items()}
    items = middle["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    hosts = sorted({urlparse(i.get("url", "")).netloc for i in items if not i.get("url", "").startswith("data:")})
    requests = [(i["url"].rstrip("/").rsplit("/", 1)[-1].split("?")[0], i.get("transferSize", 0), i.get("resourceType"))
                for i in items if not i.get("url", "").startswith("data:")]
    lcp = middle["audits"].get("largest-contentful-paint-element", {}).get("details", {})
    snippet = ""
    for item in lcp.get("items", []):
        for sub in item.get("items", [item]):
            node = sub.get("node") or {}
            if node.get("snippet"):
                snippet = snippet or node["snippet"][:120]
    blocking = [(i.get("url", "").rsplit("/", 1)[-1], i.get("wastedMs", 0)) for i in
                middle["audits"].get("render-blocking-resources", {}).get("details", {}).get("items", [])]
    return {"url": url, "categories": categories, "metrics": metrics, "failing": failing, "hosts": hosts,
            "requests": requests, "lcp_element": snippet, "render_blocking": blocking,
            "version": middle.get("lighthouseVersion")}


# --- profile (--profile) -------------------------------------------------------------------

INSTRUMENT = r"""
import json, sys, time, functools
from mkdocs.commands import build as B
from mkdocs.structure import pages as P
import jinja2
spent, depth = {}, [0]
def add(key, seconds):
    spent[key] = spent.get(key, 0.0) + seconds
def timer(key, fn, counts_as_event=False, top_only=False):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        nested = depth[0] > 0
        if counts_as_event: depth[0] += 1
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            if counts_as_event: depth[0] -= 1
            if not (top_only and nested):
                add(key, time.perf_counter() - started)
    return wrapper
def wrap_plugin(cls, name):
    for attr in list(vars(cls)):
        if attr.startswith("on_") and callable(getattr(cls, attr)):
            setattr(cls, attr, timer(f"{name}.{attr}", getattr(cls, attr), counts_as_event=True))
from material.plugins.search.plugin import SearchPlugin
wrap_plugin(SearchPlugin, "search")
try:
    from courseforge.plugin.plugin import CourseforgePlugin
    wrap_plugin(CourseforgePlugin, "courseforge")
except ImportError:
    pass
from mermaid2.plugin import MarkdownMermaidPlugin
wrap_plugin(MarkdownMermaidPlugin, "mermaid2")
P.Page.read_source = timer("mkdocs: read source + front matter", P.Page.read_source)
P.Page.render = timer("mkdocs: Markdown -> HTML (Page.render)", P.Page.render)
jinja2.Template.render = timer("jinja: page templates (outside plugin hooks)", jinja2.Template.render, top_only=True)
B.build = timer("total build()", B.build)
from mkdocs.__main__ import cli
try:
    cli(["build", "-q", "-f", sys.argv[1], "-d", sys.argv[2]])
except SystemExit as exit:
    if exit.code:
        raise
print("SPENT " + json.dumps(spent))
"""


def breakdown(project: Path, config: str) -> dict[str, float]:
    _, output = run_child([PYTHON, "-c", INSTRUMENT, config, str(site_of(project, config))], project)
    return json.loads(output.split("SPENT ", 1)[1].strip())


def cprofile_courseforge(project: Path, limit: int = 25) -> str:
    import pstats
    profile = project / "courseforge.prof"
    run_child([PYTHON, "-m", "cProfile", "-o", str(profile), "-m", "mkdocs", "build", "-q", "-f", COURSEFORGE,
               "-d", str(site_of(project, COURSEFORGE))], project)
    stats = pstats.Stats(str(profile))
    rows = []
    for (filename, line, name), (_, calls, _, cumulative, _) in stats.stats.items():
        if "courseforge" in filename:
            short = filename.split("/courseforge/", 1)[-1]
            rows.append((cumulative, calls, f"{short}:{line}({name})"))
    rows.sort(reverse=True)
    lines = ["| cumulative s (under cProfile) | calls | function |", "|---:|---:|---|"]
    lines += [f"| {c:.2f} | {n} | `{f}` |" for c, n, f in rows[:limit]]
    return "\n".join(lines)


# --- report --------------------------------------------------------------------------------

def versions() -> dict[str, str]:
    out = {}
    for name in ("courseforge", "mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown",
                 "mkdocs-mermaid2-plugin", "Jinja2", "PyYAML"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(load_start: tuple, load_end: tuple) -> str:
    import yaml
    libyaml = "with libyaml" if getattr(yaml, "__with_libyaml__", False) else "no libyaml"
    packages = ", ".join(f"{k} {v}" for k, v in versions().items())
    try:
        chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        chromium = "not found"
    return (f"- CPU: {cpu_model()}, {os.cpu_count()} cores; {platform.system()} {platform.release()}\n"
            f"- Python {platform.python_version()} ({PYTHON}); {packages} (PyYAML {libyaml})\n"
            f"- Chromium: {chromium}\n"
            f"- load average at start {load_start[0]:.2f}, at end {load_end[0]:.2f} "
            f"(other processes compete for the {os.cpu_count()} cores when it is high)")


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**yes**" if ok else "**NO**")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,800", help="lesson counts, comma-separated (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 100,200 and 2 rounds")
    parser.add_argument("--rounds", type=int, help="timed builds per configuration (default: 5; --quick: 2)")
    parser.add_argument("--extra-budget", type=float, default=90,
                        help="seconds per size for re-running builds that other processes slowed down "
                             "(wall time well above CPU time; default: %(default)s)")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse 12 (3 runs, median)")
    parser.add_argument("--lighthouse-runs", type=int, default=3)
    parser.add_argument("--no-gzip-context", action="store_true",
                        help="skip the context Lighthouse runs with a gzip-compressing server")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of courseforge's and plain Material's builds at the "
                             "smallest size with valgrind (noise-free; about 2.5 min per 100 lessons)")
    parser.add_argument("--profile", action="store_true",
                        help="also break courseforge's and plain Material's build time down by hook and phase, "
                             "and cProfile courseforge at the largest size")
    parser.add_argument("--workdir", type=Path, default=HERE / "out",
                        help="where projects and sites go (default: benchmarks/out, git-ignored)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)
    args.workdir = args.workdir.resolve()

    sizes = [100, 200] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    if len(sizes) < 2:
        parser.error("--sizes needs at least two sizes (linearity compares the smallest and the largest)")
    small, large = sizes[0], sizes[-1]
    args.workdir.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    started = time.perf_counter()
    results: dict[int, SizeResult] = {}
    hook_seconds = None
    try:
        for lessons in sizes:
            project = generate(args.workdir, lessons)
            configs = [COURSEFORGE, PLAIN, SAMEFEATURES]
            if lessons == small:  # diagram cost and the mermaid2 context: a per-page cost, measured once
                configs += [NODIAGRAM, MERMAID2, COLD]
            rounds = args.rounds or (2 if args.quick else 5)
            results[lessons] = measure_size(project, lessons, configs, rounds, args.extra_budget,
                                            validate_plain=lessons == small)
            if lessons == small:
                hook_seconds = mermaid2_hook_seconds(project)
                log(f"mermaid2 on_post_page: {hook_seconds:.2f} s")
                log("pro edition build (page weight and scan)")
                mkdocs_build(project, PRO)
    except ChildFailed as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 2

    s, big = results[small], results[large]
    rows: list[tuple] = []  # (id, figure, measured, target, ok, cpu-time cross-check)
    out: dict = {"sizes": sizes, "builds": {}, "figures": {}}

    # 1. linear builds
    per_page = {n: r.best(COURSEFORGE) / n for n, r in results.items()}
    per_page_cpu = {n: r.best(COURSEFORGE, "cpu") / n for n, r in results.items()}
    linear = per_page[large] / per_page[small]
    linear_cpu = per_page_cpu[large] / per_page_cpu[small]
    plain_linear = (big.best(PLAIN) / large) / (s.best(PLAIN) / small)
    rows.append(("1", f"per-lesson build cost, {large} vs {small} lessons (courseforge public; "
                      f"{per_page[large] * 1000:.0f} vs {per_page[small] * 1000:.0f} ms; "
                      f"plain Material {plain_linear:.2f}x)",
                 f"{linear:.2f}x", "<= 1.25x", linear <= 1.25, f"{linear_cpu:.2f}x"))
    out["figures"]["linear"] = linear

    # 2. plugin overhead
    for n in (small, large):
        r = results[n]
        ratio = r.best(COURSEFORGE) / r.best(PLAIN)
        ratio_cpu = r.best(COURSEFORGE, "cpu") / r.best(PLAIN, "cpu")
        same = r.best(SAMEFEATURES) / r.best(PLAIN)
        rows.append(("2", f"courseforge / plain Material build time, {n} lessons "
                          f"({r.best(COURSEFORGE):.1f} vs {r.best(PLAIN):.1f} s; "
                          f"with plain's theme features {same:.2f}x)",
                     f"{ratio:.2f}x", "<= 1.10x", ratio <= 1.10, f"{ratio_cpu:.2f}x"))
        out["figures"][f"overhead_{n}"] = ratio
    cold = s.best(COLD) / s.best(PLAIN)
    rows.append(("2", f"context: the same at {small} lessons for a first build (no compiled templates, no stored cuts) "
                      f"({s.best(COLD):.2f} s)", f"{cold:.2f}x", "(context)", None,
                 f"{s.best(COLD, 'cpu') / s.best(PLAIN, 'cpu'):.2f}x"))
    out["figures"][f"overhead_{small}_cold"] = cold
    instruction_rows_at = len(rows)  # counted after Lighthouse: valgrind's load would disturb it

    # 3. diagrams
    diagram = s.best(COURSEFORGE) / s.best(NODIAGRAM) - 1
    diagram_cpu = s.best(COURSEFORGE, "cpu") / s.best(NODIAGRAM, "cpu") - 1
    diagram_pages = sum("```mermaid" in p.read_text(encoding="utf-8") for p in (s.project / "lessons").rglob("*.md"))
    rows.append(("3", f"extra build time from diagrams, {small} lessons ({diagram_pages} with a body diagram, "
                      f"every lesson a visual; {s.best(COURSEFORGE):.2f} vs {s.best(NODIAGRAM):.2f} s)",
                 f"{diagram * 100:+.1f} %", "<= 15 %", diagram <= 0.15, f"{diagram_cpu * 100:+.1f} %"))
    mermaid2_extra = s.best(MERMAID2) / s.best(PLAIN) - 1
    rows.append(("3", f"context: mermaid2's on_post_page hook (removed by courseforge): plain Material + mermaid2 vs "
                      f"plain, {small} lessons; the hook itself ran {hook_seconds:.2f} s "
                      f"= {hook_seconds / s.best(COURSEFORGE) * 100:.0f} % of the courseforge build",
                 f"{mermaid2_extra * 100:+.1f} %", "(context)", None,
                 f"{(s.best(MERMAID2, 'cpu') / s.best(PLAIN, 'cpu') - 1) * 100:+.1f} %"))
    out["figures"]["diagrams"] = diagram
    out["figures"]["mermaid2_extra"] = mermaid2_extra
    out["figures"]["mermaid2_hook_seconds"] = hook_seconds

    # 4. page weight, third-party hosts, mermaid script
    cf_site, plain_site = site_of(s.project, COURSEFORGE), site_of(s.project, PLAIN)
    page = lesson_without_diagram(cf_site, s.project / "lessons")
    relative = page.relative_to(cf_site)
    cf_weight, plain_weight = page_weight(cf_site, page), page_weight(plain_site, plain_site / relative)
    pro_weight = page_weight(site_of(s.project, PRO), site_of(s.project, PRO) / relative)
    delta = (cf_weight.total - plain_weight.total) / 1024
    rows.append(("4", f"gzip weight of a lesson page without diagrams (HTML+CSS+JS), courseforge public minus "
                      f"plain Material (`{relative.parent}`; {cf_weight.total / 1024:.1f} vs "
                      f"{plain_weight.total / 1024:.1f} KB; "
                      f"pro edition {(pro_weight.total - plain_weight.total) / 1024:+.1f} KB)",
                 f"{delta:+.1f} KB", "<= 15 KB", delta <= 15, ""))
    host = urlparse(synth.SITE_URL).netloc
    foreign, mermaid_refs, pages = [], [], 0
    for n, r in results.items():
        for config in (COURSEFORGE, PRO) if n == small else (COURSEFORGE,):
            f, m, p = scan_site(site_of(r.project, config), host)
            foreign += f
            mermaid_refs += m
            pages += p
    scanned = "synthetic public and pro sites"
    scan_rows_at = len(rows)  # the scan rows go here once the sample site (Lighthouse) is scanned too

    # 5. Lighthouse
    lighthouse = lighthouse_gzip = None
    if args.lighthouse:
        try:
            version = ensure_lighthouse()
            site, lh_page, what = lighthouse_site(args.workdir, site_of(s.project, COURSEFORGE))
            where = f"{what}, `{lh_page.parent.relative_to(site)}`, with a diagram"
            log(f"Lighthouse {version} on {where}")
            lighthouse = run_lighthouse(site, lh_page, args.lighthouse_runs, args.workdir)
            lighthouse["what"] = what
            c = lighthouse["categories"]
            for key, target in (("performance", 90), ("accessibility", 100), ("best-practices", 100), ("seo", 100)):
                rows.append(("5", f"Lighthouse {version} {key}, mobile, median of {args.lighthouse_runs} ({where}; "
                                  f"python -m http.server, which does not compress)",
                             f"{c[key]:.0f}", f">= {target}", c[key] >= target, ""))
            if not args.no_gzip_context:
                lighthouse_gzip = run_lighthouse(site, lh_page, args.lighthouse_runs, args.workdir, compress=True)
                lighthouse_gzip["what"] = what
                g = lighthouse_gzip["categories"]
                rows.append(("5", "context: the same page served gzip-compressed (Content-Encoding: gzip, as "
                                  "GitHub Pages and CDNs serve it), performance / accessibility / best practices / SEO",
                             " / ".join(f"{g[k]:.0f}" for k in g), "(context)", None, ""))
            if what.startswith("sample"):
                f, m, p = scan_site(site, urlparse("http://127.0.0.1:8000/").netloc)
                foreign, mermaid_refs, pages = foreign + f, mermaid_refs + m, pages + p
                scanned += " and the sample course"
        except (ChildFailed, RuntimeError, subprocess.CalledProcessError, OSError) as error:
            log(f"Lighthouse failed: {error}")
            rows.append(("5", "Lighthouse", "failed", ">= 90 / 100 / 100 / 100", False, ""))
        out["lighthouse"] = {"plain": lighthouse, "gzip": lighthouse_gzip}
    else:
        rows.append(("5", "Lighthouse (run with --lighthouse)", "not run", ">= 90 / 100 / 100 / 100", None, ""))

    rows[scan_rows_at:scan_rows_at] = [
        ("4", f"references to third-party hosts (script/link/img/... src, href, srcset) in {pages} HTML files "
              f"({scanned})", str(len(foreign)), "0", not foreign, ""),
        ("4", f"pages with a `<script src>` to mermaid.min.js ({scanned})", str(len(mermaid_refs)), "0",
         not mermaid_refs, "")]
    out["figures"].update(weight_delta_kb=delta, third_party=foreign, mermaid_scripts=mermaid_refs)
    if args.instructions:
        rows[instruction_rows_at:instruction_rows_at] = instruction_rows(s.project, small, out)

    # 6. courseforge check
    check = min(r.wall for r in big.check)
    check_ratio = check / big.best(COURSEFORGE)
    check_cpu = min(r.cpu for r in big.check) / big.best(COURSEFORGE, "cpu")
    rows.append(("6", f"`courseforge check` / full build, {large} lessons "
                      f"({check:.2f} vs {big.best(COURSEFORGE):.1f} s)",
                 f"{check_ratio * 100:.1f} %", "< 10 %", check_ratio < 0.10, f"{check_cpu * 100:.1f} %"))
    out["figures"]["check_ratio"] = check_ratio

    # 7. memory
    peak = big.peak_mb(COURSEFORGE)
    rows.append(("7", f"peak RSS of the {large}-lesson courseforge build (plain Material {big.peak_mb(PLAIN):.0f} MB)",
                 f"{peak:.0f} MB", "< 300 MB", peak < 300, ""))
    out["figures"]["peak_mb"] = peak

    profile_text = ""
    if args.profile:
        log("profile: per-hook breakdown")
        parts = {n: {c: breakdown(r.project, c) for c in (COURSEFORGE, PLAIN)} for n, r in results.items()}
        keys = sorted({k for n in parts for c in parts[n] for k in parts[n][c]},
                      key=lambda k: -parts[large][COURSEFORGE].get(k, 0))
        header = " | ".join(f"{n}: courseforge | {n}: plain" for n in sizes)
        lines = [f"| seconds (instrumented, inclusive) | {header} |", "|---|" + "---:|" * (2 * len(sizes))]
        for key in keys:
            cells = " | ".join(f"{parts[n][COURSEFORGE].get(key, 0):.2f} | {parts[n][PLAIN].get(key, 0):.2f}"
                               for n in sizes)
            lines.append(f"| {key} | {cells} |")
        log("profile: cProfile of the courseforge build")
        profile_text = ("\n### Where the build time goes\n\n" + "\n".join(lines) +
                        f"\n\n### courseforge functions, cProfile, {large} lessons\n\n" +
                        cprofile_courseforge(big.project))
        out["breakdown"] = parts

    load_end = os.getloadavg()
    met = [ok for *_, ok, _ in rows if ok is not None]
    print(f"\n## courseforge benchmarks ({', '.join(map(str, sizes))} lessons; "
          f"{time.perf_counter() - started:.0f} s)\n")
    print("| # | figure | measured | target | met | on CPU time |")
    print("|---|---|---:|---|---|---:|")
    for id_, figure, measured, target, ok, cpu in rows:
        print(f"| {id_} | {figure} | {measured} | {target} | {verdict(ok)} | {cpu} |")
    print(f"\n{sum(met)} of {len(met)} targets met. Timings: best of the rounds, wall clock (the CPU-time column is "
          f"the same ratio on user+sys time, less sensitive to other load).\n")

    print("### Builds (best of rounds)\n")
    print("| lessons | configuration | wall s | cpu s | per lesson ms | peak RSS MB | runs (wall s) |")
    print("|---:|---|---:|---:|---:|---:|---|")
    for n, r in results.items():
        for config, runs in r.runs.items():
            print(f"| {n} | {LABELS[config]} (`{config}`) | {r.best(config):.2f} | {r.best(config, 'cpu'):.2f} | "
                  f"{r.best(config) / n * 1000:.1f} | {r.peak_mb(config):.0f} | "
                  f"{', '.join(f'{x.wall:.2f}' for x in runs)} |")
            out["builds"][f"{n}/{config}"] = [vars(x) for x in runs]
        print(f"| {n} | `courseforge check` | {min(x.wall for x in r.check):.2f} | "
              f"{min(x.cpu for x in r.check):.2f} | | {max(x.maxrss_mb for x in r.check):.0f} | "
              f"{', '.join(f'{x.wall:.2f}' for x in r.check)} |")

    print(f"\n### Page weight, gzip -{GZIP_LEVEL}, bytes (`{relative}`)\n")
    print("| resource | courseforge public | courseforge pro | plain Material |")
    print("|---|---:|---:|---:|")
    print(f"| HTML | {cf_weight.html} | {pro_weight.html} | {plain_weight.html} |")
    names = sorted(set(cf_weight.css) | set(plain_weight.css)) + sorted(set(cf_weight.js) | set(plain_weight.js))
    for name in names:
        cells = [w.css.get(name, w.js.get(name)) for w in (cf_weight, pro_weight, plain_weight)]
        print(f"| {name.replace('../../', '')} | " + " | ".join("-" if c is None else str(c) for c in cells) + " |")
    print(f"| **total** | {cf_weight.total} | {pro_weight.total} | {plain_weight.total} |")
    search = site_of(s.project, COURSEFORGE) / "search" / "search_index.json"
    if search.exists():
        plain_search = site_of(s.project, PLAIN) / "search" / "search_index.json"
        print(f"\nNot counted: search/search_index.json, fetched by the search worker on every page: "
              f"{gz(search.read_bytes()) / 1024:.0f} KB gzip (courseforge public) vs "
              f"{gz(plain_search.read_bytes()) / 1024:.0f} KB (plain) at {small} lessons.")
    if foreign or mermaid_refs:
        print("\nOffending references:\n")
        for line in (foreign + mermaid_refs)[:20]:
            print(f"- {line}")

    for title, report in (("Lighthouse, python -m http.server", lighthouse),
                          ("Lighthouse, gzip-compressing server (context)", lighthouse_gzip)):
        if not report:
            continue
        print(f"\n### {title} ({report['what']}, {report['url']})\n")
        print("| category | median score |\n|---|---:|")
        for key, value in report["categories"].items():
            print(f"| {key} | {value:.0f} |")
        metrics = ", ".join(f"{k} {v / 1000:.2f} s" if k != "CLS" else f"{k} {v:.3f}"
                            for k, v in report["metrics"].items())
        print(f"\nMedian metrics: {metrics}. LCP element: `{report['lcp_element']}`.")
        print(f"Hosts requested: {', '.join(report['hosts'])}.")
        print("Requests (median run, transfer size): " +
              ", ".join(f"{n or '/'} {b / 1024:.1f} KB" for n, b, _ in report["requests"]))
        if report["render_blocking"]:
            print("Render-blocking (median run, estimated ms each): " +
                  ", ".join(f"{n} {ms:.0f}" for n, ms in report["render_blocking"]))
        for key, audits in report["failing"].items():
            print(f"- {key}, audits below full score (median run): {', '.join(audits)}")

    if profile_text:
        print(profile_text)

    print(f"\n### Machine\n\n{machine(load_start, load_end)}")
    if args.json:
        args.json.write_text(json.dumps(out, indent=2, default=str))
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
