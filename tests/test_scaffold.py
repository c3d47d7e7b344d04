"""`courseforge new site`: a generated project builds strictly in both editions and passes its own CI
workflow's commands (check, linkcheck, audit) as generated; `new` never overwrites and quotes
every title it writes into YAML."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.yaml import yaml_load

from course_builder import html_pages, page, visible_text
from courseforge.core.frontmatter import parse_markdown
from courseforge.core.scaffold import new_course, new_site, yaml_text
from sites import run_mkdocs
from test_author_errors import MKDOCS_YML
from test_cli import courseforge

NASTY_TITLE = 'AI: the "basics" # part 1 🚀 it\'s {fun} & more'
GENERATED = [".github/workflows/site.yml", ".gitignore", "exercises/first-exercise.yml",
             "lessons/first-course/going-further.md", "lessons/first-course/index.md",
             "lessons/first-course/welcome.md", "mkdocs.yml", "overrides/README.md", "requirements.txt"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new-site") / "my-course"
    result = courseforge(folder.parent, "new", "site", "my-course", "--title", NASTY_TITLE)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


def _shell(project: Path, command: str) -> subprocess.CompletedProcess:
    """A workflow step's command as CI runs it, with this venv's `courseforge` on PATH."""
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": path, "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
           "HOME": os.environ.get("HOME", "/tmp")}
    return subprocess.run(["bash", "-ec", command], cwd=project, capture_output=True, text=True,
                          timeout=900, env=env)


def test_new_site_writes_a_complete_project(generated):
    files = sorted(p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file())
    assert files == GENERATED
    config = yaml_load((generated / "mkdocs.yml").read_text())
    assert config["site_name"] == NASTY_TITLE
    assert config["theme"]["font"] is False
    assert [entry["scheme"] for entry in config["theme"]["palette"]] == ["default", "slate"]
    assert config["validation"]["links"] == {"not_found": "warn", "anchors": "warn", "absolute_links": "warn",
                                             "unrecognized_links": "warn"}
    ignored = (generated / ".gitignore").read_text().split()
    assert "/site/" in ignored and "/site-pro/" in ignored and ".cache/" in ignored


def test_generated_ci_workflow_runs_check_builds_linkcheck_and_audit(generated):
    """Every `courseforge` step of the generated workflow, run as written, passes on the generated site."""
    workflow = yaml.safe_load((generated / ".github" / "workflows" / "site.yml").read_text())
    commands = [step["run"] for step in workflow["jobs"]["build"]["steps"] if step.get("run", "").startswith("courseforge")]
    assert commands == ["courseforge check --strict", "courseforge build --edition public",
                        "courseforge build --edition pro", "courseforge linkcheck site && courseforge linkcheck site-pro",
                        "courseforge audit site --pro site-pro"]
    for command in commands:
        result = _shell(generated, command)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    assert "ok: 1 course, 2 lessons" in _shell(generated, commands[0]).stdout
    locked = "This part is locked in the public edition"
    assert locked in visible_text(page(generated / "site-pro", "first-course/going-further/"))
    public = page(generated / "site", "first-course/going-further/")
    assert locked not in visible_text(public) and public.select("[data-cf-paywall]")


@pytest.mark.parametrize("edition", ["public", "pro"])
def test_generated_site_builds_strictly_with_mkdocs_and_makes_no_third_party_request(generated, tmp_path, edition):
    site = tmp_path / "site"
    result = run_mkdocs(generated, "build", "--strict", "--site-dir", str(site), edition=edition)
    assert result.returncode == 0, result.stderr
    pages = html_pages(site)
    assert {"index.html", "first-course/index.html", "first-course/welcome/index.html",
            "first-course/going-further/index.html"} <= set(pages)
    for name, soup in pages.items():
        assert not [tag for tag in soup.select("link[href], script[src]")
                    if "//" in (tag.get("href") or tag.get("src")) and "example.com" not in
                    (tag.get("href") or tag.get("src"))], name
    palette = pages["first-course/welcome/index.html"].select("[data-md-component=palette] input")
    assert len(palette) == 2
    assert NASTY_TITLE in pages["first-course/welcome/index.html"].title.text
    nested = pages["first-course/welcome/index.html"].select("article ol > li > ul > li")
    assert len(nested) == 2  # the sample list nests with 4 spaces, as the warning asks


def test_generated_validation_stops_a_strict_build_on_a_broken_anchor(generated, tmp_path):
    project = tmp_path / "project"
    result = courseforge(tmp_path, "new", "site", "project")
    assert result.returncode == 0, result.stderr
    lesson = project / "lessons" / "first-course" / "welcome.md"
    lesson.write_text(lesson.read_text() + "\nSee [a part](going-further.md#no-such-part).\n")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert "no-such-part" in result.stderr


def test_new_site_never_overwrites_and_lists_what_exists(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: Mine\n")
    mine = tmp_path / "lessons" / "first-course" / "welcome.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("my lesson\n")
    result = courseforge(tmp_path.parent, "new", "site", tmp_path.name)
    assert result.returncode == 2
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert "mkdocs.yml" in result.stderr and "lessons/first-course/welcome.md" in result.stderr
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        ["lessons/first-course/welcome.md", "mkdocs.yml"]
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Mine\n" and mine.read_text() == "my lesson\n"


def test_new_site_into_an_existing_folder_with_other_files(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me\n")
    result = courseforge(tmp_path.parent, "new", "site", tmp_path.name)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "notes.txt").read_text() == "keep me\n"
    assert yaml_load((tmp_path / "mkdocs.yml").read_text())["site_name"] == tmp_path.name.replace("_", " ").title()


# --- titles: whatever an author types stays their title ---------------------------------------

# Characters YAML reads as a line break or cannot hold at all: a title is one line of text.
NOT_ONE_LINE = ("Cc", "Cs", "Zl", "Zp", "Cn")
titles = st.text(st.characters(blacklist_categories=NOT_ONE_LINE), min_size=1, max_size=40).filter(str.strip)
special = st.sampled_from([":", ": ", " #", "#", "'", '"', "&", "*", "!", "|", ">", "%", "@", "`", "{", "}", "[",
                           "]", ",", "?", "-", "🚀", "é", "\t", "---", "\\"])
mixed_titles = st.lists(st.one_of(special, titles), min_size=1, max_size=6).map("".join).filter(str.strip)


@settings(max_examples=150, deadline=None)
@given(mixed_titles)
def test_any_one_line_title_survives_new_course(title):
    with tempfile.TemporaryDirectory(prefix="newsite-") as scratch:
        course = new_course(Path(scratch), "ai", title)
        document = parse_markdown("index.md", course.read_text(encoding="utf-8"))
    assert document.problems == []
    assert document.data["title"] == title


@settings(max_examples=60, deadline=None)
@given(mixed_titles)
def test_any_one_line_title_survives_new_site(title):
    with tempfile.TemporaryDirectory(prefix="newsite-") as scratch:
        new_site(Path(scratch) / "site", title)
        config = yaml_load((Path(scratch) / "site" / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == title


@given(titles, st.characters(whitelist_categories=("Cc", "Zl", "Zp"), blacklist_characters="\t"), titles)
def test_a_title_that_is_not_one_line_is_refused(before, breaking, after):
    with pytest.raises(ValueError, match="one line of printable text"):
        yaml_text(before + breaking + after)


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_a_blank_title_is_refused(blank):
    with pytest.raises(ValueError, match="one line of printable text"):
        yaml_text(blank)


def test_new_course_refuses_a_folder_name_that_is_not_a_slug(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    (tmp_path / "lessons").mkdir()
    result = courseforge(tmp_path, "new", "course", "AI: Basics")
    assert result.returncode == 2 and "for example 'ai-basics'" in result.stderr
    assert list((tmp_path / "lessons").iterdir()) == []
    assert courseforge(tmp_path, "new", "course", "ai", "--title", "AI: the basics").returncode == 0
    result = courseforge(tmp_path, "new", "lesson", "ai", "🚀")
    assert result.returncode == 2 and "no letters or digits" in result.stderr
    assert [p.name for p in (tmp_path / "lessons" / "ai").iterdir()] == ["index.md"]


@pytest.mark.parametrize(("title", "name"), [("Ροές δεδομένων", "ροές-δεδομένων.md"), ("数据 流程", "数据-流程.md"),
                                             ("Café: déjà vu", "cafe-deja-vu.md")])
def test_new_lesson_names_its_file_from_a_title_in_any_script(tmp_path, title, name):
    """A title with no ASCII letters names the file in its own letters; and the lesson builds."""
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    (tmp_path / "lessons").mkdir()
    assert courseforge(tmp_path, "new", "course", "ai", "--title", "AI").returncode == 0
    result = courseforge(tmp_path, "new", "lesson", "ai", title)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "lessons" / "ai" / name).is_file()
    assert courseforge(tmp_path, "check").returncode == 0
