"""Lighthouse 12 (from npm) on one page, mobile, median of N runs, served as is or gzip-compressed."""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .measure import BenchmarkError, environment, free_port, log, run_child

NODE_PREFIX = Path(__file__).resolve().parent / ".node"  # git-ignored
CLI = NODE_PREFIX / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-background-networking"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "speed-index": "SI"}


def chrome() -> str:
    found = os.environ.get("CHROME_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise BenchmarkError("no Chromium: set CHROME_PATH or put `chromium` on PATH")
    return found


def node() -> str:
    found = shutil.which("node")
    if not found:
        raise BenchmarkError("Lighthouse needs Node.js (`node` on PATH)")
    return found


def ensure_lighthouse() -> str:
    """Install Lighthouse 12 into benchmarks/.node once; its version."""
    if not CLI.exists():
        npm = shutil.which("npm")
        if not npm:
            raise BenchmarkError("Lighthouse needs npm on PATH to install it")
        log(f"installing Lighthouse 12 into {NODE_PREFIX}")
        subprocess.run([npm, "install", "--prefix", str(NODE_PREFIX), "--no-audit", "--no-fund", "lighthouse@12"],
                       check=True, stdout=subprocess.DEVNULL)
    return json.loads((CLI.parent.parent / "package.json").read_text())["version"]


@dataclass(frozen=True)
class Request:
    url: str
    transfer_bytes: int


@dataclass(frozen=True)
class LighthouseResult:
    url: str
    version: str
    compressed: bool
    runs: int
    scores: dict[str, float]  # median score per category, 0-100
    metrics: dict[str, float]  # median FCP, LCP, TBT, SI (ms) and CLS
    requests: list[Request]  # of the run with the median performance score

    @property
    def mermaid_requests(self) -> list[str]:
        return [request.url for request in self.requests if "mermaid" in request.url.rsplit("/", 1)[-1].lower()]


def wait_for_port(port: int, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise BenchmarkError(f"the static server did not listen on port {port}")


def run(site: Path, page: Path, runs: int, workdir: Path, compressed: bool) -> LighthouseResult:
    """Median Lighthouse scores of `page` of `site`, served by benchmarks.static_server."""
    version = ensure_lighthouse()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.static_server", "--port", str(port),
                               "--directory", str(site), *(["--gzip"] if compressed else [])],
                              cwd=Path(__file__).resolve().parent.parent, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/{page.parent.relative_to(site).as_posix()}/"
    reports = []
    try:
        wait_for_port(port)
        for index in range(runs):
            output = workdir / f"lighthouse{'-gzip' if compressed else ''}-{index + 1}.json"
            os.sync()  # Chromium's first paint waits for the disk to flush what the builds wrote
            run_child([node(), str(CLI), url, "--quiet", "--output=json", f"--output-path={output}",
                       f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile",
                       f"--chrome-flags={CHROME_FLAGS}"], workdir, environment(CHROME_PATH=chrome()))
            reports.append(json.loads(output.read_text()))
            log(f"lighthouse{' (gzip)' if compressed else ''} run {index + 1}/{runs}: "
                f"{ {k: round(v['score'] * 100) for k, v in reports[-1]['categories'].items()} }")
    finally:
        server.terminate()
        server.wait()
    return summarise(reports, url, version, compressed)


def summarise(reports: list[dict], url: str, version: str, compressed: bool) -> LighthouseResult:
    scores = {key: statistics.median(round(r["categories"][key]["score"] * 100) for r in reports)
              for key in CATEGORIES}
    metrics = {label: statistics.median(r["audits"][audit]["numericValue"] for r in reports)
               for audit, label in METRICS.items()}
    middle = sorted(reports, key=lambda r: r["categories"]["performance"]["score"])[len(reports) // 2]
    items = middle["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    requests = [Request(item["url"], item.get("transferSize", 0)) for item in items
                if not item.get("url", "").startswith("data:")]
    return LighthouseResult(url, version, compressed, len(reports), scores, metrics, requests)


def hosts(result: LighthouseResult) -> list[str]:
    return sorted({urlparse(request.url).netloc for request in result.requests})
