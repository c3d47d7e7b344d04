"""Renders kept between builds (`.cache/courseforge/renders`, plugin/stored.py): a repeat build
renders no unchanged lesson, and whatever changed in between, the site it makes is the very
site a first build of the same project makes, warnings and `--strict` failures included."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.structure.pages import Page

from course_builder import build_in_process
from courseforge.plugin import plugin as courseforge_plugin
from sites import FIXTURES, copy_project, run_mkdocs, site_files

STORE = Path(".cache") / "courseforge" / "renders"
LOCAL_EXTENSION = '''from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


class Shout(Preprocessor):
    def run(self, lines):
        return [line.replace("lesson", "{word}") for line in lines]


class ShoutExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Shout(md), "shout", 1)


def makeExtension(**kwargs):
    return ShoutExtension(**kwargs)
'''


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The pages MkDocs renders with Python-Markdown in this process (a reused render replaces
    the page's own `render`)."""
    seen: list[str] = []
    honest = Page.render

    def recording(self, config, files):
        seen.append(self.file.src_uri)
        return honest(self, config, files)

    monkeypatch.setattr(Page, "render", recording)
    return seen


@pytest.mark.parametrize("edition", ["public", "pro"])
def test_a_repeat_build_renders_no_lesson_or_workbook_and_builds_the_same_site(tmp_path, rendered, edition):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    first = site_files(build_in_process(project / "mkdocs.yml", tmp_path / "first", edition))
    lessons = {path.relative_to(project / "lessons").as_posix() for path in (project / "lessons").rglob("*.md")
               if path.name != "index.md"}
    assert lessons <= set(rendered)
    (store,) = (project / STORE).iterdir()  # one store for the configuration and edition
    assert len(list(store.glob("*.json"))) >= len(lessons)
    rendered.clear()
    second = site_files(build_in_process(project / "mkdocs.yml", tmp_path / "second", edition))
    # Only the other pages (course page, home page) are rendered again: theirs may include other files.
    assert sorted(rendered) == ["course/index.md", "index.md"]
    assert second == first


def test_a_repeat_build_checks_again_only_the_previews_that_changed(tmp_path, monkeypatch):
    """The public build reads each locked lesson's preview HTML for text a later plugin added; that
    pass is kept by what the check read, so a repeat build checks only the lesson edited since."""
    checked: list[str] = []
    honest = courseforge_plugin._check_nothing_added

    def counting(html, view):
        checked.append(view.lesson.source)
        honest(html, view)

    monkeypatch.setattr(courseforge_plugin, "_check_nothing_added", counting)
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    build_in_process(project / "mkdocs.yml", tmp_path / "first", "public")
    locked = ["lessons/course/marker.md", "lessons/course/minutes.md", "lessons/course/sections.md"]
    assert sorted(checked) == locked
    checked.clear()
    lesson = project / "lessons" / "course" / "minutes.md"
    lesson.write_text(lesson.read_text().replace("\n---\n", "\n---\nA sentence added to the preview.\n\n", 1))
    build_in_process(project / "mkdocs.yml", tmp_path / "second", "public")
    assert checked == ["lessons/course/minutes.md"]


def _edit_paragraph(project: Path, env: dict[str, str]) -> None:
    lesson = project / "lessons" / "course" / "free.md"
    lesson.write_text(lesson.read_text() + "\nA paragraph added between the two builds.\n")


def _edit_title(project: Path, env: dict[str, str]) -> None:
    lesson = project / "lessons" / "course" / "minutes.md"
    text = lesson.read_text()
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    lesson.write_text(text.replace(title, "title: A retitled lesson", 1))


def _edit_access(project: Path, env: dict[str, str]) -> None:
    lesson = project / "lessons" / "course" / "free.md"  # free to paid: its public page gets a cut and a paywall
    text = lesson.read_text()
    assert "access: free\n" in text
    lesson.write_text(text.replace("access: free\n", "", 1))


def _edit_config(project: Path, env: dict[str, str]) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - abbr\n", ""))


def _edit_environment(project: Path, env: dict[str, str]) -> None:
    env["CF_TEST_PERMALINK"] = "#"  # read by mkdocs.yml: `permalink: !ENV [CF_TEST_PERMALINK, true]`


def _add_page(project: Path, env: dict[str, str]) -> None:
    (project / "lessons" / "about.md").write_text("# About\n\nSee [the free lesson](course/free.md).\n")


EDITS: dict[str, Callable[[Path, dict[str, str]], None]] = {
    "a lesson's paragraph": _edit_paragraph,
    "a lesson's title": _edit_title,
    "a lesson's access": _edit_access,
    "mkdocs.yml": _edit_config,
    "an environment variable mkdocs.yml reads": _edit_environment,
    "a new page": _add_page,
}


def _with_setting_from_environment(source: Path, target: Path) -> Path:
    project = copy_project(source, target)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("permalink: true", "permalink: !ENV [CF_TEST_PERMALINK, true]"))
    return project


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_after_any_change_a_repeat_build_makes_what_a_first_build_makes(tmp_path, edit):
    project = _with_setting_from_environment(FIXTURES / "canary", tmp_path / "project")
    env: dict[str, str] = {}
    for edition in ("public", "pro"):
        warm_up = run_mkdocs(project, "build", "--strict", "-d", str(tmp_path / "warm-up"), edition=edition)
        assert warm_up.returncode == 0, warm_up.stderr
    edit(project, env)
    fresh = copy_project(project, tmp_path / "fresh")
    for edition in ("public", "pro"):
        repeat = run_mkdocs(project, "build", "--strict", "-d", str(tmp_path / f"repeat-{edition}"),
                            edition=edition, env=env)
        first = run_mkdocs(fresh, "build", "--strict", "-d", str(tmp_path / f"first-{edition}"),
                           edition=edition, env=env)
        assert repeat.returncode == first.returncode == 0, repeat.stderr + first.stderr
        assert site_files(tmp_path / f"repeat-{edition}") == site_files(tmp_path / f"first-{edition}")


def test_an_extension_that_may_read_other_files_turns_reuse_off(tmp_path, rendered, monkeypatch):
    """Its render may depend on more than the page's Markdown (markdown-include, pymdownx.b64 ...)."""
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    (project / "shout.py").write_text(LOCAL_EXTENSION.format(word="LESSON"))
    monkeypatch.syspath_prepend(str(project))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - admonition\n", "  - admonition\n  - shout\n"))
    first = site_files(build_in_process(config, tmp_path / "first", "pro"))
    assert "Free LESSON text" in first["course/free/index.html"]
    rendered.clear()
    second = site_files(build_in_process(config, tmp_path / "second", "pro"))
    assert "course/free.md" in rendered
    assert second == first


def test_a_reused_render_warns_again_and_fails_strict(tmp_path):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    lesson = project / "lessons" / "course" / "free.md"
    lesson.write_text(lesson.read_text() + "\nRead [the missing page](nowhere.md) next.\n")
    lenient = run_mkdocs(project, "build", "-d", str(tmp_path / "lenient"))
    assert lenient.returncode == 0 and "nowhere.md" in lenient.stderr
    strict = run_mkdocs(project, "build", "--strict", "-d", str(tmp_path / "strict"))
    assert strict.returncode == 1
    assert "nowhere.md" in strict.stderr


def test_a_damaged_store_is_ignored_and_unused_entries_go(tmp_path):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    first = site_files(build_in_process(project / "mkdocs.yml", tmp_path / "first", "pro"))
    (store,) = (project / STORE).iterdir()
    for entry in store.glob("*.json"):
        entry.write_text("{not json")
    (store / "left-by-an-older-build.json").write_text("{}")
    assert site_files(build_in_process(project / "mkdocs.yml", tmp_path / "second", "pro")) == first
    entries = list(store.glob("*.json"))
    assert not (store / "left-by-an-older-build.json").exists()
    assert entries and all(isinstance(json.loads(entry.read_text()), (dict, list)) for entry in entries)


def test_cache_false_keeps_nothing(tmp_path):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      preview: 1\n", "      preview: 1\n      cache: false\n"))
    build_in_process(config, tmp_path / "site", "public")
    assert not (project / ".cache").exists()


def test_a_fresh_clone_with_the_kept_cache_reuses_it(tmp_path, rendered):
    """CI restores `.cache/` into a new checkout: every file has a new mtime, maybe a new path."""
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    (project / "overrides").mkdir()
    (project / "overrides" / "main.html").write_text('{% extends "base.html" %}\n')
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    first = site_files(build_in_process(config, tmp_path / "first", "public"))
    clone = copy_project(project, tmp_path / "clone")
    shutil.copytree(project / ".cache", clone / ".cache")
    for path in clone.rglob("*"):
        os.utime(path)
    rendered.clear()
    second = site_files(build_in_process(clone / "mkdocs.yml", tmp_path / "second", "public"))
    assert sorted(rendered) == ["course/index.md", "index.md"]
    assert second == first
