"""The Markdown report: the targets table, the builds behind it, and the machine it ran on."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .generate import CONFIGS
from .lighthouse import LighthouseResult, chrome, hosts
from .measure import BenchmarkError
from .targets import Row, SizeResult, WeightResult
from .weight import GZIP_LEVEL

PACKAGES = ("courseforge", "mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "mkdocs-mermaid2-plugin",
            "mermaidx", "Jinja2", "PyYAML")


def verdict(met: bool | None) -> str:
    return "n/a" if met is None else ("**yes**" if met else "**NO**")


def targets_table(rows: list[Row]) -> str:
    lines = ["| # | figure | measured | target | met | on CPU time |", "|---|---|---:|---|---|---:|"]
    lines += [f"| {row.target.number} | {row.target.name}: {row.detail} | {row.measured} | {row.target.goal} | "
              f"{verdict(row.met)} | {row.cpu} |" for row in rows]
    judged = [row.met for row in rows if row.met is not None]
    lines.append(f"\n{sum(judged)} of {len(judged)} judged rows met. Times: best of the rounds, wall clock; "
                 "the CPU-time column is the same ratio on user+sys time.")
    return "\n".join(lines)


def builds_table(sizes: list[SizeResult]) -> str:
    labels = {config.file: config.label for config in CONFIGS}
    lines = ["| lessons | pages | configuration | wall s | cpu s | ms per lesson | peak RSS MB | runs (wall s) |",
             "|---:|---:|---|---:|---:|---:|---:|---|"]
    for size in sizes:
        for file, timings in size.builds.items():
            lines.append(f"| {size.lessons} | {size.pages} | {labels[file]} (`{file}`) | {timings.wall:.2f} | "
                         f"{timings.cpu:.2f} | {timings.wall / size.lessons * 1000:.1f} | {timings.peak_mb:.0f} | "
                         f"{', '.join(f'{run.wall:.2f}' for run in timings.runs)} |")
    return "\n".join(lines)


def weight_table(weight: WeightResult) -> str:
    named = {"courseforge, diagrams: static": weight.static, "courseforge, diagrams: client": weight.client,
             "plain Material": weight.plain}
    pages = [page for page in named.values() if page is not None]
    lines = [f"Page weight, gzip -{GZIP_LEVEL}, bytes, `{weight.client.page}`:\n",
             "| resource | " + " | ".join(name for name, page in named.items() if page is not None) + " |",
             "|---|" + "---:|" * len(pages), "| HTML | " + " | ".join(str(page.html) for page in pages) + " |"]
    for url in sorted({url for page in pages for url in page.assets}):
        cells = " | ".join(str(page.assets.get(url, "-")) for page in pages)
        lines.append(f"| {url.replace('../../', '')} | {cells} |")
    lines.append("| **total** | " + " | ".join(str(page.total) for page in pages) + " |")
    return "\n".join(lines)


def lighthouse_text(result: LighthouseResult) -> str:
    how = "gzip-compressed" if result.compressed else "uncompressed (python -m http.server)"
    metrics = ", ".join(f"{name} {value / 1000:.2f} s" if name != "CLS" else f"{name} {value:.3f}"
                        for name, value in result.metrics.items())
    scores = ", ".join(f"{name} {score:.0f}" for name, score in result.scores.items())
    return (f"- Lighthouse {result.version}, {how}, median of {result.runs}, {result.url}: {scores}; {metrics}; "
            f"{len(result.requests)} requests to {', '.join(hosts(result))}; "
            f"Mermaid requests: {len(result.mermaid_requests)}")


@dataclass(frozen=True)
class Load:
    start: float
    end: float


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_gb() -> str:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return f"{int(line.split()[1]) / 1024 ** 2:.1f} GB"
    return "unknown"


def version(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not found"


def packages() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} -")
    return ", ".join(found)


def machine(load: Load) -> str:
    try:
        browser = version([chrome(), "--version"])
    except BenchmarkError:
        browser = "not found"
    cores = os.cpu_count()
    return (f"- CPU: {cpu_model()}, {cores} cores, {memory_gb()} RAM; {platform.system()} {platform.release()}\n"
            f"- Python {platform.python_version()} ({sys.executable}); {packages()}\n"
            f"- Chromium: {browser}; Node.js: {version(['node', '--version'])}\n"
            f"- load average (1 min) at start {load.start:.2f}, at end {load.end:.2f}: other processes competed "
            f"for the {cores} cores when it is high")


def markdown(title: str, rows: list[Row], sizes: list[SizeResult], weight: WeightResult,
             lighthouse: list[LighthouseResult], load: Load) -> str:
    parts = [f"## {title}", targets_table(rows)]
    if max(load.start, load.end) > (os.cpu_count() or 1):
        parts.append(f"**The load average ({load.start:.1f} at start, {load.end:.1f} at end) exceeded the "
                     f"{os.cpu_count()} cores: builds waited for a core, so wall-clock figures are inflated "
                     "and noisy; the CPU-time column is the steadier comparison.**")
    parts += ["### Builds (best of the rounds; same pages checked)", builds_table(sizes)]
    parts.append(weight_table(weight))
    if lighthouse:
        parts.append("\n".join(lighthouse_text(result) for result in lighthouse))
    parts += ["### Machine", machine(load)]
    return "\n\n".join(parts) + "\n"
