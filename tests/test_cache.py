"""Stored cut results: an unchanged lesson is not rendered again on the next build, any change
to what a cut depends on is, and the site is the same either way."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_builder import build_in_process
from courseforge.core.rendering import Renderer
from sites import FIXTURES, copy_project, site_files


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Every Markdown text courseforge's renderer is asked to render."""
    seen: list[str] = []
    honest = Renderer.render

    def counting(self, text):
        seen.append(text)
        return honest(self, text)

    monkeypatch.setattr(Renderer, "render", counting)
    return seen


def test_a_warm_build_renders_nothing_again_and_builds_the_same_site(tmp_path, renders):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    first = site_files(build_in_process(project / "mkdocs.yml", tmp_path / "first", "public"))
    assert renders and (project / ".cache" / "courseforge").is_dir()
    renders.clear()
    second = site_files(build_in_process(project / "mkdocs.yml", tmp_path / "second", "public"))
    assert renders == []
    assert second == first


def test_an_edited_lesson_or_setting_is_cut_again(tmp_path, renders):
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    build_in_process(project / "mkdocs.yml", tmp_path / "first", "public")
    marker: Path = project / "lessons" / "course" / "marker.md"
    marker.write_text(marker.read_text().replace("<!-- pro -->", "An added public sentence EDITED.\n\n<!-- pro -->"))
    renders.clear()
    site = build_in_process(project / "mkdocs.yml", tmp_path / "second", "public")
    assert any("EDITED" in text for text in renders)
    assert not any("open0" in text for text in renders)  # the unchanged minutes lesson comes from the cache
    assert "EDITED" in (site / "course" / "marker" / "index.html").read_text()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("preview: 1", "preview: 2"))
    renders.clear()
    build_in_process(config, tmp_path / "third", "public")
    assert any("open0" in text for text in renders)  # the minute limit changed: its cut is proven again
