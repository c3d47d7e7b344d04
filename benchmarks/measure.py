"""Timed builds in child processes, the same-pages check, and the live-preview rebuild.

Every build is a child process, `python -m mkdocs build -q -f <config> -d <site>`, run with the
Python the benchmark runs with; its wall time, CPU time (user+sys) and peak RSS come from
`os.wait4` of that child.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .generate import Config


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class BenchmarkError(RuntimeError):
    """The benchmark itself failed: its figures would not mean what they say."""


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float

    @property
    def disturbed(self) -> bool:
        # A build is single-threaded: wall time well above CPU time means it waited for a core.
        return self.wall > self.cpu * 1.08 + 0.25


@dataclass
class Timings:
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return min(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        return min(run.cpu for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    @property
    def best(self) -> Run:
        return min(self.runs, key=lambda run: run.wall)


def environment(**extra: str) -> dict[str, str]:
    """The caller's environment without courseforge overrides (the configurations set the edition)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COURSEFORGE_")}
    env.update(NO_MKDOCS_2_WARNING="1", **extra)
    return env


def run_child(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[Run, str]:
    """Run a command to its end; its own wall time, CPU time and peak RSS, and its output."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env or environment(), stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise BenchmarkError(f"{' '.join(command)} (in {cwd}) exited with {code}:\n{output[-4000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), output


def mkdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "mkdocs", *args]


def build(project: Path, config: Config, env: dict[str, str] | None = None) -> Run:
    os.sync()  # the previous build's writes are not flushed during this one
    return run_child(mkdocs("build", "-q", "-f", config.file, "-d", str(config.site(project))), project, env)[0]


def validate(project: Path, config: Config) -> None:
    """A strict build, which fails on any warning (broken link, unknown option...), printing them all.

    It is also the warm-up: it fills the caches the timed repeat builds use.
    """
    run_child(mkdocs("build", "--strict", "-f", config.file, "-d", str(config.site(project))), project)


def cold_build(project: Path, config: Config) -> Run:
    """A first build: no `.cache/` (stored cuts, rendered diagrams) and no compiled Jinja templates,
    which Jinja keeps under TMPDIR."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix="courseforge-bench-tmp-") as empty:
        return build(project, config, environment(TMPDIR=empty))


# --- same pages -----------------------------------------------------------------------------

PRO_ONLY = "data-cf-pro-only"  # a page only the pro edition has (a course's workbook)


def html_pages(site: Path) -> frozenset[str]:
    """The site's HTML pages, less those only the pro edition has: the pro build still does that
    extra work inside its timing, so leaving them out of the comparison only counts against it."""
    return frozenset(path.relative_to(site).as_posix() for path in site.rglob("*.html")
                     if PRO_ONLY not in path.read_text(encoding="utf-8", errors="replace"))


def assert_same_pages(project: Path, configs: tuple[Config, ...]) -> int:
    """Every configuration built the same set of HTML pages; their number. Raises otherwise."""
    first, *others = configs
    expected = html_pages(first.site(project))
    if not expected:
        raise BenchmarkError(f"{first.label} built no HTML page in {first.site(project)}")
    for config in others:
        pages = html_pages(config.site(project))
        if pages != expected:
            missing, extra = sorted(expected - pages)[:10], sorted(pages - expected)[:10]
            raise BenchmarkError(f"{config.label} did not build the same pages as {first.label} in {project}: "
                                 f"missing {missing}, extra {extra}")
    return len(expected)


# --- interleaved rounds ----------------------------------------------------------------------

def timed_rounds(project: Path, configs: tuple[Config, ...], rounds: int, extra_budget: float,
                 lessons: int) -> dict[str, Timings]:
    """Best of `rounds` builds of each configuration, in interleaved rounds.

    The order rotates each round, so load from other processes hits every configuration alike;
    configurations whose best run was slowed down by another process get extra runs while
    `extra_budget` seconds last.
    """
    timings = {config.file: Timings() for config in configs}
    for round_ in range(rounds):
        shift = round_ % len(configs)
        for config in configs[shift:] + configs[:shift]:
            run = build(project, config)
            timings[config.file].runs.append(run)
            log(f"{lessons} lessons, round {round_ + 1}/{rounds}: {config.label:60} {run.wall:6.2f} s wall, "
                f"{run.cpu:6.2f} s cpu, {run.peak_mb:4.0f} MB")
    deadline = time.perf_counter() + extra_budget
    for config in configs:
        best = timings[config.file].best
        if best.disturbed and time.perf_counter() + best.wall < deadline:
            run = build(project, config)
            timings[config.file].runs.append(run)
            log(f"{lessons} lessons, extra run of {config.label} (best was {best.wall:.2f} s wall for "
                f"{best.cpu:.2f} s cpu): {run.wall:.2f} s wall")
    return timings


# --- live preview ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


# The end of a rebuild: livereload logs this after every rebuild returns. Not "Documentation built
# in …": MkDocs' duplicate filter drops that line when two builds take the same hundredths.
REBUILT = re.compile(r"Reloading browsers")


@dataclass(frozen=True)
class Rebuild:
    visible: float  # edit written -> the served page shows it
    finished: float  # edit written -> mkdocs logged the end of the rebuild
    cpu: float  # CPU seconds the serve process spent from the write to the end of the rebuild


class Server:
    """A real `mkdocs serve` process on 127.0.0.1; its log goes to a file we can read while it runs."""

    def __init__(self, project: Path, config: Config) -> None:
        self.port = free_port()
        self.log_path = Path(tempfile.mkstemp(prefix="courseforge-bench-serve-", suffix=".log")[1])
        self.log_file = self.log_path.open("wb")
        self.process = subprocess.Popen(mkdocs("serve", "-f", config.file, "-a", f"127.0.0.1:{self.port}"),
                                        cwd=project, env=environment(), stdout=self.log_file,
                                        stderr=subprocess.STDOUT)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def cpu(self) -> float:
        """CPU seconds (user+sys) the server process used so far, from /proc/<pid>/stat."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rebuilds(self) -> int:
        return len(REBUILT.findall(self.output()))

    def wait(self, condition, seconds: float, what: str) -> float:
        """Poll `condition` every 50 ms; the seconds it took. Fails loudly on a timeout or a dead server."""
        started = time.perf_counter()
        while not condition():
            if self.process.poll() is not None:
                raise BenchmarkError(f"mkdocs serve exited with {self.process.returncode}:\n{self.output()[-4000:]}")
            if time.perf_counter() - started > seconds:
                raise BenchmarkError(f"mkdocs serve: {what} not seen after {seconds:.0f} s:\n{self.output()[-4000:]}")
            time.sleep(0.05)
        return time.perf_counter() - started

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log_file.close()
        self.log_path.unlink(missing_ok=True)


def edited(text: str, marker: str) -> str:
    """The lesson with one paragraph edited: the first paragraph of the body (in the free preview)."""
    head, separator, body = text.partition("\n---\n\n")
    paragraph_end = body.index("\n\n")
    return head + separator + body[:paragraph_end] + f" Edited paragraph {marker}." + body[paragraph_end:]


def one_edit(server: Server, page: str, lesson: Path, text: str, marker: str, timeout: float) -> Rebuild:
    before, cpu = server.rebuilds(), server.cpu()
    started = time.perf_counter()
    lesson.write_text(edited(text, marker), encoding="utf-8")
    visible = server.wait(lambda: marker in fetch(server.url(page)), timeout, f"the edit {marker}")
    server.wait(lambda: server.rebuilds() > before, timeout, "the end of the rebuild")
    return Rebuild(visible, time.perf_counter() - started, server.cpu() - cpu)


def serve_rebuilds(project: Path, config: Config, lesson: Path, edits: int,
                   timeout: float) -> tuple[list[Rebuild], Timings]:
    """Edit one paragraph of `lesson` `edits` times while `mkdocs serve` runs; each rebuild's timings,
    and full builds of the same edited project, each right after a rebuild so both see the same load.

    The lesson is restored afterwards. Each edit waits for the previous rebuild to finish, so
    every rebuild starts from an idle server.
    """
    page = lesson.relative_to(project / "lessons").with_suffix("").as_posix() + "/"
    original = lesson.read_text(encoding="utf-8")
    server = Server(project, config)
    rebuilds, full = [], Timings()
    try:
        server.wait(lambda: "Serving on" in server.output() and "<html" in fetch(server.url(page)),
                    timeout, "the first build")
        for index in range(edits):
            rebuilds.append(one_edit(server, page, lesson, original, f"BENCHEDIT{index}X{os.getpid()}", timeout))
            full.runs.append(build(project, config))
            log(f"serve rebuild {index + 1}/{edits}: page shows the edit after {rebuilds[-1].visible:.2f} s, "
                f"rebuild logged done after {rebuilds[-1].finished:.2f} s, {rebuilds[-1].cpu:.2f} s cpu; "
                f"full build {full.runs[-1].wall:.2f} s, {full.runs[-1].cpu:.2f} s cpu")
    finally:
        lesson.write_text(original, encoding="utf-8")
        server.close()
    return rebuilds, full


# --- the static renderer's own floor --------------------------------------------------------

SMALL_DIAGRAM = "flowchart LR\n  A[Draft] --> B[Review]\n  B --> C[Publish]\n"


@dataclass(frozen=True)
class Floor:
    renderer: str
    first: float  # the first diagram, wall seconds: starting the JavaScript engine and loading Mermaid
    each: float  # best wall seconds of the next renders of the same small diagram
    each_cpu: float  # best CPU seconds of those renders (this process)


def renderer_floor(repeats: int = 3) -> Floor | None:
    """mermaidx rendering one small diagram directly, if it is installed; None otherwise."""
    try:
        import mermaidx
    except ImportError:
        return None
    walls, cpus = [], []
    for _ in range(repeats + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        mermaidx.render(SMALL_DIAGRAM).svg()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Floor(f"mermaidx {mermaidx.__version__}", walls[0], min(walls[1:]), min(cpus[1:]))
