"""A real `mkdocs serve` process: the live preview follows edits of lessons, exercises and
snippets; while an author error stands every page shows it; nothing of one build (catalog,
cuts, views) survives into the next."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sites import FIXTURES, copy_project


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str:
    """The page's text, also for an error status: a request never waits longer than 10 s."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def wait_for(condition, seconds: float = 90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if result := condition():
                return result
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError("timed out")


def page_with(url: str, text: str) -> str:
    """The page at `url` once it shows `text` (the rebuild after a save has run)."""
    return wait_for(lambda: (html := fetch(url)) and text in html and html)


class Served:
    def __init__(self, project: Path, edition: str) -> None:
        self.project = project
        port = free_port()
        self.base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COURSEFORGE_EDITION": edition}
        self.process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                        text=True)

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.project / relative
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new, 1))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def serve(tmp_path):
    started: list[Served] = []

    def start(edition: str = "public", prepare=None) -> Served:
        project = copy_project(FIXTURES / "canary", tmp_path / "project")
        if prepare:
            prepare(project)
        server = Served(project, edition)
        started.append(server)
        page_with(server.base + "course/", "Canary")
        return server
    yield start
    for server in started:
        server.stop()


def test_serve_shows_the_author_note_and_follows_an_edit(serve):
    served = serve()
    base = served.base
    page = fetch(base + "course/marker/")
    assert "public preview ends here" in page and "CANARYMARKER" not in page
    served.edit("lessons/course/marker.md", "<!-- pro -->", "Added in the preview EDITEDPUBLIC.\n\n<!-- pro -->")
    page = page_with(base + "course/marker/", "EDITEDPUBLIC")
    assert "CANARYMARKER" not in page
    served.edit("lessons/course/marker.md", "Added in the preview EDITEDPUBLIC.\n\n", "")
    served.edit("lessons/course/marker.md", "title: ", "title: Renamed RETITLED ")
    page_with(base + "course/", "RETITLED")
    assert "EDITEDPUBLIC" not in fetch(base + "course/marker/")  # the edit before is gone, not cached


def test_serve_follows_an_edited_exercise(serve):
    served = serve("pro")
    assert "CANARYEXERCISEOUTCOME" in fetch(served.base + "course/minutes/")
    served.edit("exercises/canary-exercise.yml", "CANARYEXERCISEOUTCOME", "EXERCISEEDITED")
    page = page_with(served.base + "course/minutes/", "EXERCISEEDITED")
    assert "CANARYEXERCISEOUTCOME" not in page


def with_snippet(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "  - tables\n", "  - tables\n  - pymdownx.snippets:\n      base_path: [snippets]\n", 1))
    (project / "snippets").mkdir()
    (project / "snippets" / "note.md").write_text("Included note SNIPPETFIRST.\n")
    lesson = project / "lessons" / "course" / "free.md"
    lesson.write_text(lesson.read_text() + '\n--8<-- "note.md"\n')


def test_serve_follows_an_edited_snippet(serve):
    served = serve(prepare=with_snippet)
    assert "SNIPPETFIRST" in fetch(served.base + "course/free/")
    served.edit("snippets/note.md", "SNIPPETFIRST", "SNIPPETEDITED")
    page = page_with(served.base + "course/free/", "SNIPPETEDITED")
    assert "SNIPPETFIRST" not in page


def test_serve_shows_every_author_error_on_every_page_until_fixed(serve):
    served = serve()
    base = served.base
    served.edit("lessons/course/marker.md", "order: 2", "order: soon")
    served.edit("lessons/course/free.md", "access: free", "access: sometimes")
    urls = [base, base + "course/", base + "course/marker/", base + "course/free/", base + "no/such/page/"]
    page_with(base + "course/free/", "free.md:")
    for url in urls:
        started = time.monotonic()
        page = fetch(url)
        assert time.monotonic() - started < 5
        assert "lessons/course/marker.md:4: order:" in page and "lessons/course/free.md:5: access:" in page
        assert "CANARY" not in page
    served.edit("lessons/course/marker.md", "order: soon", "order: 2")
    served.edit("lessons/course/free.md", "access: sometimes", "access: free")
    page = page_with(base + "course/marker/", "MARKERPUBLIC")
    assert "marker.md:" not in page and "public preview ends here" in page
