"""A real `mkdocs serve` process: the live preview follows edits, and nothing of one build
(catalog, cuts, views) survives into the next."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from sites import FIXTURES, copy_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def wait_for(condition, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if result := condition():
                return result
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


@pytest.fixture
def served(tmp_path):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COURSEFORGE_EDITION": "public"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        yield project, f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_shows_the_author_note_and_follows_an_edit(served):
    project, base = served
    page = wait_for(lambda: fetch(base + "course/marker/"))
    assert "public preview ends here" in page and "CANARYMARKER" not in page
    lesson: Path = project / "lessons" / "course" / "marker.md"
    text = lesson.read_text()
    lesson.write_text(text.replace("<!-- pro -->", "Added in the preview EDITEDPUBLIC.\n\n<!-- pro -->", 1))
    page = wait_for(lambda: (html := fetch(base + "course/marker/")) and "EDITEDPUBLIC" in html and html)
    assert "CANARYMARKER" not in page
    retitled = text.replace("title: ", "title: Renamed RETITLED ", 1)
    lesson.write_text(retitled)
    page = wait_for(lambda: (html := fetch(base + "course/")) and "RETITLED" in html and html)
    assert "EDITEDPUBLIC" not in fetch(base + "course/marker/")  # the edit before is gone, not cached
