"""The deploy gate catches a broken cut: courseforge's own cut is patched to publish too much,
and the independent audit must notice, while the honest builds pass."""

from __future__ import annotations

import dataclasses
import shutil

from course_builder import build_in_process
from courseforge.audit import audit
from courseforge.core.blocks import Kind
from courseforge.core.cut import Cutter
from sites import copy_project


def test_the_honest_public_edition_passes(canary_project, canary_pro, tmp_path):
    public = build_in_process(canary_project / "mkdocs.yml", tmp_path / "public", "public")
    assert audit(public, canary_pro, canary_project / "lessons") == []


def test_a_cut_that_publishes_one_more_block_is_caught(canary_project, canary_pro, tmp_path, monkeypatch):
    honest = Cutter.cut

    def one_block_too_many(self, lesson, *args, **kwargs):
        """The honest cut, then one more block of text (a heading alone shows only on the outline)."""
        cut = honest(self, lesson, *args, **kwargs)
        index = cut.index
        while index < len(lesson.segments) and lesson.segments[index].kind in (Kind.HEADING, Kind.MARKER):
            index += 1
        return dataclasses.replace(cut, index=min(index + 1, len(lesson.segments)))

    monkeypatch.setattr(Cutter, "cut", one_block_too_many)
    project = copy_project(canary_project, tmp_path / "project")  # no stored cuts: the patched cutter runs
    public = build_in_process(project / "mkdocs.yml", tmp_path / "public", "public")
    findings = audit(public, canary_pro, project / "lessons")
    assert {f.kind for f in findings} >= {"locked-text"}
    assert any(f.file.startswith("course/") and f.file.endswith("index.html") for f in findings)


def test_a_copied_locked_file_is_caught(canary_project, canary_pro, tmp_path):
    public = build_in_process(canary_project / "mkdocs.yml", tmp_path / "public", "public")
    locked = "course/img/secret-figure.png"
    assert not (public / locked).exists() and (canary_pro / locked).exists()
    shutil.copy(canary_pro / locked, public / "course" / "renamed.png")
    findings = audit(public, canary_pro, canary_project / "lessons")
    assert [(f.kind, f.file) for f in findings] == [("locked-file", "course/renamed.png")]
