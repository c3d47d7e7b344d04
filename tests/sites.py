"""Helpers for tests that build real course folders with the real `mkdocs` command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run_mkdocs(project: Path, *args: str, edition: str = "public",
               env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `mkdocs` command line in `project`, as an author would."""
    environment = {**os.environ, "COURSEFORGE_EDITION": edition, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=project, env=environment,
                          capture_output=True, text=True, timeout=600)


def build(project: Path, site: Path, edition: str) -> Path:
    result = run_mkdocs(project, "build", "--strict", "--site-dir", str(site), edition=edition)
    assert result.returncode == 0, result.stderr
    return site


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("site", ".venv", "node_modules", ".git", ".cache"))
    return target


def site_files(site: Path) -> dict[str, str]:
    """Every file of a built site, decoded leniently (binary files included)."""
    return {path.relative_to(site).as_posix(): path.read_bytes().decode("utf-8", "replace")
            for path in site.rglob("*") if path.is_file()}
