"""ProperDocs, the maintained MkDocs 1.x fork: `properdocs build` builds the sample course in both
editions strictly, and every `courseforge` command finds a `properdocs.yml` without `-f`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_builder import page, visible_text
from sites import ROOT, copy_project
from test_cli import courseforge
from test_serve import fetch, free_port, wait_for

pytest.importorskip("properdocs", reason="ProperDocs is in the test extra")

# A pro lesson of the sample: a free preview, then the paywall in the public edition.
LESSON = "ai-fundamentals/how-machine-learning-works/"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The sample course with its settings in properdocs.yml, the name ProperDocs looks for first."""
    folder = tmp_path_factory.mktemp("properdocs") / "course"
    folder.mkdir()
    for name in ("lessons", "exercises", "overrides"):
        copy_project(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "properdocs.yml")
    return folder


def properdocs(project: Path, *args: str, edition: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COURSEFORGE_EDITION": edition, "DISABLE_MKDOCS_2_WARNING": "true"}
    return subprocess.run([sys.executable, "-m", "properdocs", *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="module")
def built(project) -> Path:
    for edition, site in (("public", "site"), ("pro", "site-pro")):
        result = properdocs(project, "build", "--strict", "--site-dir", site, edition=edition)
        assert result.returncode == 0, result.stderr
    return project


def test_properdocs_builds_both_editions_and_the_audit_passes(built):
    result = courseforge(built, "audit", "site", "--pro", "site-pro")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: no locked text or file in site" in result.stdout


def test_properdocs_public_edition_ends_the_lesson_at_the_paywall(built):
    public, pro = page(built / "site", LESSON), page(built / "site-pro", LESSON)
    assert public.select("[data-cf-paywall]") and not pro.select("[data-cf-paywall]")
    assert len(visible_text(public.select_one("article"))) < len(visible_text(pro.select_one("article")))


def test_every_courseforge_command_finds_properdocs_yml(built):
    assert not (built / "mkdocs.yml").exists()
    check = courseforge(built, "check", "--strict")
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok: 2 courses, 8 lessons" in check.stdout
    for site in ("site", "site-pro"):
        links = courseforge(built, "linkcheck", site)
        assert links.returncode == 0, links.stdout + links.stderr
    build = courseforge(built, "build", "--edition", "pro", "--site-dir", "cf-pro")
    assert build.returncode == 0, build.stderr
    assert (built / "cf-pro" / LESSON / "index.html").is_file()


def test_a_folder_with_both_config_files_asks_which_one(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: A\n")
    (tmp_path / "properdocs.yml").write_text("site_name: B\n")
    result = courseforge(tmp_path, "check")
    assert result.returncode == 2
    assert "mkdocs.yml and properdocs.yml are both here; pass -f" in result.stderr


def test_properdocs_serve_previews_the_public_edition_and_follows_an_edit(tmp_path):
    """`properdocs serve` with a properdocs.yml: the served lesson ends at the paywall, and an edit shows."""
    assert courseforge(tmp_path, "new", "site", "course").returncode == 0
    project = tmp_path / "course"
    (project / "mkdocs.yml").rename(project / "properdocs.yml")
    port = free_port()
    env = {**os.environ, "COURSEFORGE_EDITION": "public", "DISABLE_MKDOCS_2_WARNING": "true"}
    server = subprocess.Popen([sys.executable, "-m", "properdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/first-course/going-further/"
    try:
        served = wait_for(lambda: fetch(url))
        assert "data-cf-paywall" in served and "This part is locked" not in served
        lesson = project / "lessons" / "first-course" / "going-further.md"
        lesson.write_text(lesson.read_text().replace("Everything above", "EDITEDPREVIEW Everything above"))
        assert wait_for(lambda: "EDITEDPREVIEW" in fetch(url))
    finally:
        server.terminate()
        server.wait(timeout=30)
