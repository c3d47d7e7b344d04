"""The deploy gate catches a broken cut: courseforge's own cut is patched to publish too much,
and the independent audit must notice, while the honest builds pass."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from courseforge.audit import audit
from courseforge.core.cut import Cutter
from sites import FIXTURES, copy_project


def build_in_process(project: Path, site: Path, edition: str) -> Path:
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins["courseforge"].config["edition"] = edition
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(FIXTURES / "canary", tmp_path_factory.mktemp("gate") / "project")


@pytest.fixture(scope="module")
def pro(project, tmp_path_factory) -> Path:
    return build_in_process(project, tmp_path_factory.mktemp("gate-pro") / "site", "pro")


def test_the_honest_public_edition_passes(project, pro, tmp_path):
    public = build_in_process(project, tmp_path / "public", "public")
    assert audit(public, pro, project / "lessons") == []


def test_a_cut_that_publishes_one_more_block_is_caught(project, pro, tmp_path, monkeypatch):
    honest = Cutter.cut

    def one_block_too_many(self, lesson, *args, **kwargs):
        cut = honest(self, lesson, *args, **kwargs)
        return dataclasses.replace(cut, index=min(cut.index + 2, len(lesson.segments)))

    monkeypatch.setattr(Cutter, "cut", one_block_too_many)
    public = build_in_process(project, tmp_path / "public", "public")
    findings = audit(public, pro, project / "lessons")
    assert {f.kind for f in findings} >= {"locked-text"}
    assert any(f.file.startswith("course/") and f.file.endswith("index.html") for f in findings)


def test_a_copied_locked_file_is_caught(project, pro, tmp_path):
    public = build_in_process(project, tmp_path / "public", "public")
    locked = "course/img/secret-figure.png"
    assert not (public / locked).exists() and (pro / locked).exists()
    shutil.copy(pro / locked, public / "course" / "renamed.png")
    findings = audit(public, pro, project / "lessons")
    assert [(f.kind, f.file) for f in findings] == [("locked-file", "course/renamed.png")]
