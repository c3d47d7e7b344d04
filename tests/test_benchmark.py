"""The benchmark (benchmarks/, issue 14) through its real entry point, on a tiny synthetic course:
it generates the course, builds every configuration for real, checks they built the same pages,
and reports every target of the issue as a named row."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from benchmarks.generate import PLAIN, PUBLIC
from benchmarks.lighthouse import LighthouseResult
from benchmarks.measure import BenchmarkError, assert_same_pages
from benchmarks.targets import lighthouse_rows

from sites import ROOT

# About 25 s (8 s of CPU) on a quiet 2-core machine; a loaded one stretches the wall time several-fold.
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> tuple[subprocess.CompletedProcess, dict, Path]:
    workdir = tmp_path_factory.mktemp("benchmark")
    result = subprocess.run([sys.executable, "-m", "benchmarks", "--sizes", "5", "--rounds", "1", "--extra-budget",
                             "0", "--workdir", str(workdir), "--json", str(workdir / "result.json")],
                            cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True,
                            text=True, timeout=580)
    assert result.returncode in (0, 1), result.stderr  # 2: the benchmark itself failed
    return result, json.loads((workdir / "result.json").read_text()), workdir


def test_the_report_has_a_named_row_for_every_target(tiny_run):
    result, data, _ = tiny_run
    numbers = {row["target"]["number"] for row in data["rows"]}
    assert numbers == set(range(1, 9))
    table = [line for line in result.stdout.splitlines() if line.startswith("| ") and " | " in line]
    for row in data["rows"]:
        target = row["target"]
        assert any(line.startswith(f"| {target['number']} | {target['name']}: ") and target["goal"] in line
                   for line in table), target
    assert "### Machine" in result.stdout and "CPU: " in result.stdout


def test_both_editions_are_compared_with_plain_material_on_the_same_pages(tiny_run):
    result, data, _ = tiny_run
    first = [row for row in data["rows"] if row["target"]["number"] == 1]
    assert [row["detail"].split(",")[0] for row in first] == [
        "repeat build: courseforge public", "repeat build: courseforge pro",
        "context: first build (no `.cache/`): courseforge public",
        "context: first build (no `.cache/`): courseforge pro"]
    assert [row["met"] is None for row in first] == [False, False, True, True]  # first builds are context
    # 5 lessons in one course: the home page, the course page, 5 lessons and 404.html.
    assert all("8 pages on both sides" in row["detail"] for row in first)
    assert all(row["measured"].endswith("x") for row in first)
    assert "built the same 8 pages" in result.stderr


def test_the_serve_rebuild_and_memory_are_measured(tiny_run):
    _, data, workdir = tiny_run
    rows = {row["target"]["number"]: row for row in data["rows"]}
    assert rows[7]["detail"].startswith("`mkdocs serve`, 5 lessons")
    assert rows[7]["met"] in (True, False)
    assert rows[8]["measured"].endswith(" MB") and rows[8]["met"] in (True, False)
    lesson = workdir / "courses-5" / "lessons" / rows[7]["detail"].split("`")[3]
    assert "Edited paragraph" not in lesson.read_text(encoding="utf-8")  # the edit was undone


def test_configurations_that_built_different_pages_stop_the_benchmark(tmp_path):
    for config, pages in ((PUBLIC, ["index.html", "a/index.html"]), (PLAIN, ["index.html"])):
        for page in pages:
            path = config.site(tmp_path) / page
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("<html></html>")
    with pytest.raises(BenchmarkError, match=r"missing \['a/index.html'\]"):
        assert_same_pages(tmp_path, (PUBLIC, PLAIN))


def _lighthouse(performance: float, lcp: float, compressed: bool) -> LighthouseResult:
    scores = {"performance": performance, "accessibility": 100, "best-practices": 100, "seo": 100}
    return LighthouseResult("http://127.0.0.1/page/", "12.8.2", compressed, 3, scores,
                            {"FCP": 1000.0, "LCP": lcp, "TBT": 0.0, "SI": 1000.0, "CLS": 0.0}, [])


def test_lighthouse_is_judged_on_courseforge_and_plain_material_is_context():
    rows = lighthouse_rows(_lighthouse(94, 2500, False), _lighthouse(100, 1200, True), "page/index.html",
                           [_lighthouse(93, 2400, False), _lighthouse(100, 1100, True)])
    judged, others, material = rows
    assert (judged.measured, judged.met) == ("94 / 100", False)
    assert "LCP 2.50 s" in judged.detail and "LCP 1.20 s" in judged.detail
    assert (others.measured, others.met) == ("100 / 100 / 100", True)
    assert (material.measured, material.met) == ("93 / 100", None)
    assert material.detail.startswith("context: plain Material") and "LCP 2.40 s" in material.detail
