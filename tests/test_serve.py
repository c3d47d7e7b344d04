"""A real `mkdocs serve` process: the live preview follows edits of lessons, exercises and
snippets; while an author error stands every page shows it; nothing of one build (catalog,
cuts, views) survives into the next."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from sites import FIXTURES, copy_project

REBUILT = re.compile(r"rebuilt (\d+) of (\d+) pages")


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
        self.log: list[str] = []
        threading.Thread(target=lambda: self.log.extend(self.process.stderr), daemon=True).start()

    def rebuilt(self) -> list[tuple[int, int]]:
        """(pages rendered again, pages) of each rebuild so far."""
        return [(int(m[1]), int(m[2])) for line in list(self.log) if (m := REBUILT.search(line))]

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

    def start(edition: str = "public", prepare=None, ready: str = "Canary") -> Served:
        project = copy_project(FIXTURES / "canary", tmp_path / "project")
        if prepare:
            prepare(project)
        server = Served(project, edition)
        started.append(server)
        page_with(server.base + "course/", ready)
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


def test_serve_watches_an_exercises_folder_made_after_it_started(serve):
    """Without exercises/ at start, a lesson naming an exercise is an author error; the folder made
    then is watched from the next rebuild on (the author error's too), so its edits show."""
    def without_exercises(project: Path) -> None:
        (project / "exercises").rename(project / "later")
    served = serve("pro", prepare=without_exercises, ready="canary-exercise")
    (served.project / "later").rename(served.project / "exercises")
    served.edit("lessons/course/free.md", "title: Free Lesson", "title: Free Lesson Saved")  # any save rebuilds
    page_with(served.base + "course/minutes/", "CANARYEXERCISEOUTCOME")
    served.edit("exercises/canary-exercise.yml", "CANARYEXERCISEOUTCOME", "EXERCISEEDITED")
    assert "CANARYEXERCISEOUTCOME" not in page_with(served.base + "course/minutes/", "EXERCISEEDITED")


# How each kind of included file is switched on: (mkdocs.yml line, replacement, file, directive in a lesson).
INCLUDES = {
    "pymdownx.snippets": ("  - tables\n", "  - tables\n  - pymdownx.snippets:\n      base_path: [snippets]\n",
                          "snippets/note.md", '--8<-- "note.md"'),
    # courseforge expands these through the plugin's own code, whose file watcher serve then uses.
    "include-markdown": ("  - mermaid2\n", "  - mermaid2\n  - include-markdown\n",
                         "shared/aside.md", '{% include-markdown "../../shared/aside.md" %}'),
}


@pytest.mark.parametrize("kind", INCLUDES)
def test_serve_follows_an_edited_included_file(serve, kind):
    line, replacement, included, directive = INCLUDES[kind]

    def prepare(project: Path) -> None:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace(line, replacement, 1))
        (project / included).parent.mkdir()
        (project / included).write_text("Included text INCLUDEDFIRST.\n")
        lesson = project / "lessons" / "course" / "free.md"
        lesson.write_text(lesson.read_text() + f"\n{directive}\n")

    served = serve(prepare=prepare)
    assert "INCLUDEDFIRST" in fetch(served.base + "course/free/")
    served.edit(included, "INCLUDEDFIRST", "INCLUDEDEDITED")
    page = page_with(served.base + "course/free/", "INCLUDEDEDITED")
    assert "INCLUDEDFIRST" not in page


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


LIVERELOAD = re.compile(r"<script>\s*var livereload = function.*?</script>", re.S)
CLEAN_BUILD = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
site_dir, url = sys.argv[1], sys.argv[2]
config = load_config("mkdocs.yml", site_dir=site_dir)
config.site_url = url
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url=url)
"""


def clean_serve_build(project: Path, site: Path, url: str) -> Path:
    """What `mkdocs serve` builds first for these sources, made by a fresh process."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "COURSEFORGE_EDITION": "public"}
    result = subprocess.run([sys.executable, "-c", CLEAN_BUILD, str(site), url], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return site


def with_second_course(project: Path) -> None:
    """A second course: its pages show nothing of the first course's lessons but their nav."""
    course = project / "lessons" / "second"
    course.mkdir()
    (course / "index.md").write_text("---\ntitle: Second Course\nsummary: Another course.\norder: 2\n---\n"
                                     "The second course.\n")
    for order in (1, 2):
        (course / f"part-{order}.md").write_text(
            f"---\ntitle: Second part {order}\nsummary: A lesson of the second course.\norder: {order}\n"
            f"access: free\n---\nText of part {order} SECONDCOURSE.\n\n## More\n\nMore text.\n")


def broken_order(project: Path) -> None:
    lesson = project / "lessons" / "course" / "marker.md"
    lesson.write_text(lesson.read_text().replace("order: 2", "order: soon", 1))


def test_serve_starts_with_an_author_error_and_recovers(serve):
    served = serve(prepare=broken_order, ready="marker.md:4: order:")
    assert "lessons/course/marker.md:4: order:" in fetch(served.base + "course/free/")
    served.edit("lessons/course/marker.md", "order: soon", "order: 2")
    page = page_with(served.base + "course/marker/", "MARKERPUBLIC")
    assert "marker.md:4" not in page


def test_serve_rebuilds_only_what_changed_and_serves_what_a_clean_build_makes(serve, tmp_path):
    served = serve(prepare=with_second_course)
    base = served.base
    assert "Free Lesson" in fetch(base + "course/marker/")  # the nav shows the other lessons
    served.edit("lessons/course/marker.md", "Public marker preview text MARKERPUBLIC.",
                "Public marker preview text MARKERPUBLIC, now edited PARAGRAPHEDIT.")
    page = page_with(base + "course/marker/", "PARAGRAPHEDIT")
    assert "CANARYMARKER" not in page
    rendered, pages = wait_for(lambda: served.rebuilt()[1:])[-1]  # the first build rendered everything
    assert 1 <= rendered < pages
    served.edit("lessons/course/free.md", "title: Free Lesson", "title: Renamed Free RETITLEDFREE")
    page = page_with(base + "course/marker/", "RETITLEDFREE")  # another page's nav and next/previous links
    assert "Free Lesson" not in page
    assert "RETITLEDFREE" in fetch(base + "course/")  # the syllabus
    served.edit("lessons/course/marker.md", "preview: 30", "preview: 30\naccess: free")
    page_with(base + "course/marker/", "CANARYMARKER")  # a free lesson shows everything
    served.edit("lessons/second/part-2.md", "Text of part 2", "Text of part 2, edited LASTEDIT")
    page_with(base + "second/part-2/", "LASTEDIT")
    rendered, pages = wait_for(lambda: len(served.rebuilt()) == 5 and served.rebuilt())[-1]
    # The edited page only: its course's other pages show its title and minutes, which stayed.
    assert rendered == 1
    clean = clean_serve_build(served.project, tmp_path / "clean", base)
    compared: set[str] = set()
    for path in sorted(clean.rglob("*")):
        if path.suffix not in (".html", ".json", ".xml"):
            continue
        relative = path.relative_to(clean).as_posix()
        assert LIVERELOAD.sub("", fetch(base + relative)) == path.read_text(), relative
        compared.add(relative)
    assert {"course/marker/index.html", "course/index.html", "search/search_index.json"} <= compared


def test_a_lesson_status_the_theme_shows_in_every_nav_updates_every_page(serve):
    """Material shows a page's `status` (and `icon`, `subtitle`) in the navigation of every page:
    a rebuild after it changes renders the other pages again, not only the edited one."""
    served = serve()
    assert "md-status--new" not in fetch(served.base + "course/marker/")
    served.edit("lessons/course/free.md", "title: Free Lesson", "title: Free Lesson\nstatus: new")
    page_with(served.base + "course/free/", "md-status--new")
    assert "md-status--new" in page_with(served.base + "course/marker/", "md-status--new")


def test_serve_watches_a_file_first_included_after_it_started(serve):
    """A new lesson includes a file in a folder that did not exist when serve started: moving the
    marker up in that file must lock its text on the served site too."""
    def prepare(project: Path) -> None:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - tables\n", "  - tables\n  - pymdownx.snippets\n", 1))

    served = serve(prepare=prepare)
    (served.project / "later").mkdir()
    (served.project / "later" / "part.md").write_text("Open words LATEROPEN.\n\nNow locked LATERMOVED.\n\n<!-- pro -->\n\n"
                                                     "Locked words LATERLOCKED.\n")
    lesson = served.project / "lessons" / "course" / "later.md"
    lesson.write_text('---\ntitle: Later\nsummary: Added while serving.\norder: 9\n---\n--8<-- "later/part.md"\n')
    page = page_with(served.base + "course/later/", "LATERMOVED")
    assert "LATERLOCKED" not in page
    served.edit("later/part.md", "Now locked LATERMOVED.\n\n<!-- pro -->", "<!-- pro -->\n\nNow locked LATERMOVED.")
    wait_for(lambda: "LATERMOVED" not in fetch(served.base + "course/later/"))
    assert "LATEROPEN" in fetch(served.base + "course/later/")
