"""The `courseforge` command on real course folders."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from course_builder import page, write_tree
from sites import FIXTURES, copy_project, run_mkdocs
from test_author_errors import BROKEN, EXPECTED, MKDOCS_YML


def courseforge(project: Path, *args: str) -> subprocess.CompletedProcess:
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": path, "PYTHONPATH": os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "courseforge.cli", *args], cwd=project, capture_output=True,
                          text=True, timeout=600, env=env)


@pytest.fixture
def canary(tmp_path) -> Path:
    return copy_project(FIXTURES / "canary", tmp_path / "canary")


@pytest.fixture
def broken(tmp_path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    for name, text in BROKEN.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_check_accepts_a_valid_course(canary):
    result = courseforge(canary, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 1 course, 4 lessons" in result.stdout


def test_check_prints_every_problem_as_path_line_key_message(broken):
    result = courseforge(broken, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    for expected in EXPECTED:
        assert any(line.startswith(expected) for line in lines), expected
    assert len(lines) == len(EXPECTED)
    assert not (broken / "site").exists()


def test_new_scaffolds_valid_files_and_never_overwrites(canary):
    assert courseforge(canary, "new", "course", "data-strategy", "--title", "Data Strategy").returncode == 0
    result = courseforge(canary, "new", "lesson", "data-strategy", "Why data beats opinions")
    assert result.returncode == 0, result.stderr
    lesson = canary / "lessons" / "data-strategy" / "why-data-beats-opinions.md"
    assert lesson.is_file() and "# pro_sections:" in lesson.read_text()
    lesson.write_text(lesson.read_text().replace("## First section", "## My edited section"))
    edited = lesson.read_text()
    again = courseforge(canary, "new", "lesson", "data-strategy", "Why data beats opinions")
    assert again.returncode == 2 and "already exists" in again.stderr
    assert lesson.read_text() == edited
    assert courseforge(canary, "new", "lesson", "no-such-course", "X").returncode == 2
    assert courseforge(canary, "check").returncode == 0


def test_failed_build_leaves_the_previous_site_untouched(canary):
    assert courseforge(canary, "build").returncode == 0
    site = canary / "site"
    before = sorted(p.relative_to(site) for p in site.rglob("*"))
    assert (site / "course" / "minutes" / "index.html").is_file()
    (canary / "lessons" / "course" / "marker.md").write_text("---\ntitle: [broken\n---\n")
    result = courseforge(canary, "build")
    assert result.returncode == 1 and "left as it was" in result.stderr
    assert "malformed YAML" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.relative_to(site) for p in site.rglob("*")) == before
    assert not list(canary.glob(".site.*"))


def test_build_into_the_docs_folder_is_refused_by_the_name_given(canary):
    result = courseforge(canary, "build", "--site-dir", "lessons/out")
    assert result.returncode == 2 and "lessons/out is inside the docs folder" in result.stderr, result.stderr
    assert not (canary / "lessons" / "out").exists()


def test_build_pro_edition_goes_to_its_own_folder(canary):
    result = courseforge(canary, "build", "--edition", "pro")
    assert result.returncode == 0, result.stderr
    assert "CANARYPARAGRAPH" in (canary / "site-pro" / "course" / "minutes" / "index.html").read_text()
    assert not (canary / "site").exists()


def test_linkcheck_passes_both_editions_and_reports_a_broken_anchor(canary):
    for edition in ("public", "pro"):
        assert courseforge(canary, "build", "--edition", edition, "--site-dir", f"out-{edition}").returncode == 0
        result = courseforge(canary, "linkcheck", f"out-{edition}")
        assert result.returncode == 0, result.stdout + result.stderr
    page = canary / "out-public" / "course" / "free" / "index.html"
    page.write_text(page.read_text().replace("</article>", '<a href="../marker/#no-such-anchor">x</a></article>', 1))
    result = courseforge(canary, "linkcheck", "out-public")
    assert result.returncode == 1
    assert "no-such-anchor" in result.stdout + result.stderr


def test_link_into_a_locked_section_lands_on_the_paywall(canary):
    (canary / "lessons" / "course" / "free.md").write_text(
        (canary / "lessons" / "course" / "free.md").read_text()
        + "\nSee [the secret](sections.md#the-secret-section).\n")
    assert courseforge(canary, "build", "--linkcheck").returncode == 0


def test_audit_passes_public_and_stops_a_pro_site_from_being_published(canary):
    assert courseforge(canary, "build").returncode == 0
    assert courseforge(canary, "build", "--edition", "pro").returncode == 0
    ok = courseforge(canary, "audit", "site")
    assert ok.returncode == 0, ok.stdout
    leak = courseforge(canary, "audit", "site-pro")
    assert leak.returncode == 1
    assert "course/marker/index.html: locked text of course/marker/index.html" in leak.stdout
    assert "do not publish" in leak.stderr
    misspelt = courseforge(canary, "audit", "site", "--pro", "site-pr")
    assert misspelt.returncode == 2 and "Traceback" not in misspelt.stderr
    assert "site-pr is not a built site (no index.html)" in misspelt.stderr


def test_check_reads_mkdocs_yml_as_mkdocs_does_inherit_and_env(canary, tmp_path):
    """`INHERIT:` and `!ENV` resolve as in a build: the command line uses MkDocs' own load_config."""
    base = canary / "base.yml"
    (canary / "mkdocs.yml").rename(base)
    (canary / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: !ENV [SITE_NAME_FOR_TEST, Inherited]\n")
    result = courseforge(canary, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 1 course, 4 lessons" in result.stdout


@pytest.mark.parametrize("where", ["before", "after"])
def test_the_config_option_goes_before_or_after_the_command(canary, where):
    (canary / "mkdocs.yml").rename(canary / "course.yml")
    args = ["-f", "course.yml", "check"] if where == "before" else ["check", "-f", "course.yml"]
    result = courseforge(canary, *args)
    assert result.returncode == 0 and "ok: 1 course, 4 lessons" in result.stdout, result.stdout + result.stderr


def test_check_finds_a_properdocs_yml(canary):
    (canary / "mkdocs.yml").rename(canary / "properdocs.yml")
    result = courseforge(canary, "check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_warns_about_what_builds_but_is_likely_a_mistake(tmp_path):
    """Warnings print as path:line: key: message, exit 0, and leave `mkdocs build --strict` passing."""
    files = {
        "mkdocs.yml": MKDOCS_YML,
        "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
        "lessons/c/a.md": "---\ntitle: A\nsummary: S\norder: 1\naccess: free\n---\nOpen.\n\n<!-- pro -->\n\nMore.\n",
        "lessons/c/b.md": "---\ntitle: B\nsummary: S\norder: 1\npreview: 0\n---\nLocked.\n",
        "exercises/forgotten.yml": "title: E\ndifficulty: easy\ninstructions: I\nexpected_outcome: O\n"
                                   "hints: [h]\nsuccess_criteria: [c]\n",
    }
    write_tree(tmp_path, files)
    result = courseforge(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = sorted(line for line in result.stdout.splitlines() if line.startswith("warning: "))
    assert [line.split(": ")[1:3] for line in warnings] == [
        ["exercises/forgotten.yml:1", "exercise file"], ["lessons/c/a.md:9", "<!-- pro -->"],
        ["lessons/c/b.md:4", "order"]]
    assert run_mkdocs(tmp_path, "build", "--strict").returncode == 0


def test_new_quotes_what_it_writes(canary):
    assert courseforge(canary, "new", "course", "ai", "--title", "AI: the basics & why").returncode == 0
    assert courseforge(canary, "new", "lesson", "ai", "What's a JOIN: part 1?").returncode == 0
    result = courseforge(canary, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: 2 courses, 5 lessons" in result.stdout


SHALLOW_LISTS = {
    "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
    "lessons/c/steps.md": ("---\ntitle: Steps\nsummary: S\naccess: free\nexercises:\n  - plan\n"
                           "  - title: Inline\n    difficulty: easy\n    instructions: |\n      1. One\n"
                           "          - nested right\n      2. Two\n         - nested wrong\n"
                           "    expected_outcome: O\n    hints: [h]\n    success_criteria: [c]\n---\n"
                           "1. First step\n  - a detail\n2. Second step\n    - a detail nested right\n\n"
                           "```markdown\n- fenced\n  - is only an example\n```\n\n"
                           "- - -\n\nText.\n\n   - a list of its own\n"),
    "exercises/plan.yml": ("title: E\ndifficulty: easy\ninstructions: |\n  Do this:\n\n  - first\n"
                           "     - nested with three spaces\nexpected_outcome: O\nhints: [h]\nsuccess_criteria: [c]\n"),
}


def test_list_items_nested_with_fewer_than_4_spaces_are_warned_about_by_file_and_line(tmp_path):
    """Python-Markdown nests a list only under 4 spaces: a shallower item joins the parent list."""
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML, **SHALLOW_LISTS})
    result = courseforge(tmp_path, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line.removeprefix("warning: ") for line in result.stdout.splitlines() if line.startswith("warning: ")]
    assert [warning.split(": ")[0:2] for warning in warnings] == [
        ["exercises/plan.yml:7", "list"], ["lessons/c/steps.md:13", "list"], ["lessons/c/steps.md:19", "list"]]
    assert "indented 2 spaces more than the list above" in warnings[2]
    assert "indent a nested list by 4 spaces" in warnings[2]
    strict = courseforge(tmp_path, "check", "--strict")
    assert strict.returncode == 1 and "3 warnings found (--strict)" in strict.stderr
    assert run_mkdocs(tmp_path, "build", "--strict").returncode == 0  # a warning, not an author error


def test_the_warned_list_really_is_merged_by_markdown(tmp_path):
    """The case the warning names renders as one flat list: the warning is about real output."""
    write_tree(tmp_path, {"mkdocs.yml": MKDOCS_YML, **SHALLOW_LISTS})
    assert run_mkdocs(tmp_path, "build", "--strict").returncode == 0
    article = page(tmp_path / "site", "c/steps/").select_one("article")
    first = article.find("ol")
    assert [li.get_text(" ", strip=True).split(" ")[0] for li in first.find_all("li", recursive=False)] == \
        ["First", "a", "Second"]


def test_linkcheck_reports_a_broken_link_at_its_markdown_line(canary):
    """A link the strict build would stop (built here without --strict) is reported at the lesson's
    file and line, in plain words, not at a position in the built HTML."""
    lesson = canary / "lessons" / "course" / "free.md"
    lesson.write_text(lesson.read_text() + "\nSee [the minutes](minutes.md#no-such-part) and [gone](gone.md).\n")
    line = len(lesson.read_text().splitlines())
    assert run_mkdocs(canary, "build", "--site-dir", "out").returncode == 0
    result = courseforge(canary, "linkcheck", "out")
    assert result.returncode == 1
    reported = sorted(result.stdout.splitlines()[1:])
    assert reported == [
        f"lessons/course/free.md:{line}: link: /course/free/gone.md: no such page or file in the built site",
        f"lessons/course/free.md:{line}: link: /course/minutes#no-such-part: the target page has no heading "
        "or element with this id"]
    assert "2 broken links in out" in result.stderr and "index.html" not in result.stdout


def test_linkcheck_names_a_link_outside_the_markdown_as_such(canary):
    assert courseforge(canary, "build", "--site-dir", "out").returncode == 0
    page_file = canary / "out" / "course" / "free" / "index.html"
    page_file.write_text(page_file.read_text().replace("</article>", '<a href="../nowhere/">x</a></article>', 1))
    result = courseforge(canary, "linkcheck", "out")
    assert result.returncode == 1
    assert result.stdout.splitlines()[1:] == [
        "lessons/course/free.md: link: /course/nowhere: no such page or file in the built site (not in the "
        "Markdown: it comes from a template, the navigation or an include)"]


def test_a_plugin_turned_off_builds_no_public_edition_and_no_command_passes_it(canary):
    """`enabled: false` (Material's idiom for a fast local preview) would leave MkDocs to publish
    every lesson whole: the public build stops, and check, build and audit refuse the project
    before building anything, rather than report 0 courses as ok."""
    config = canary / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - courseforge:\n", "  - courseforge:\n      enabled: false\n"))
    public = run_mkdocs(canary, "build", "--site-dir", str(canary / "site"))
    assert public.returncode == 1 and "turned off (enabled: false), yet the edition is public" in public.stderr
    assert not (canary / "site" / "course").exists()
    assert run_mkdocs(canary, "build", "--site-dir", str(canary / "site-pro"), edition="pro").returncode == 0
    for command in (["check"], ["build"], ["audit", "site-pro"]):
        result = courseforge(canary, *command)
        assert result.returncode == 2, (command, result.stdout)
        assert "mkdocs.yml turns the courseforge plugin off (enabled: false)" in result.stderr
        assert "Traceback" not in result.stderr and "building" not in result.stdout


def test_courseforge_inside_materials_group_plugin_is_named_not_a_traceback(canary):
    config = canary / "mkdocs.yml"
    text = config.read_text().replace("  - courseforge:\n", "  - group:\n      enabled: true\n      plugins:\n"
                                      "        - courseforge:\n")
    config.write_text(text.replace("\n      edition:", "\n            edition:").replace(
        "\n      preview: 1\n      words_per_minute: 200\n      checkout_url: https://checkout.example.com/canary\n"
        "      pro_site_url: https://pro.example.com/\n",
        "\n            preview: 1\n            words_per_minute: 200\n"))
    assert run_mkdocs(canary, "build", "--site-dir", str(canary / "site")).returncode == 0
    for command in (["check"], ["audit", "site"]):
        result = courseforge(canary, *command)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert "lists courseforge inside Material's group plugin: list it under plugins directly" in result.stderr


def test_a_free_lesson_with_a_marker_passes_the_audit(tmp_path):
    """A `<!-- pro -->` line in a free lesson locks nothing (check warns): the page leaves the
    comment out, so the audit, which rejects any public page holding one, passes the site."""
    project = tmp_path / "site-project"
    assert courseforge(tmp_path, "new", "site", str(project)).returncode == 0
    welcome = project / "lessons" / "first-course" / "welcome.md"
    welcome.write_text(welcome.read_text() + "\nMore free text.\n\n<!-- pro -->\n\nAfter the marker, still free.\n")
    assert courseforge(project, "build").returncode == 0
    page_html = (project / "site" / "first-course" / "welcome" / "index.html").read_text()
    assert "After the marker, still free." in page_html and "<!-- pro -->" not in page_html
    result = courseforge(project, "audit", "site")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_draws_every_static_diagram_locked_ones_too(canary):
    """`diagrams: static`: a build draws what its edition shows, so a broken diagram in a locked part
    passed the public build and `check` and stopped only the pro build. `check` draws them all."""
    config = canary / "mkdocs.yml"
    config.write_text(config.read_text().replace("      preview: 1\n", "      preview: 1\n      diagrams: static\n"))
    lesson = canary / "lessons" / "course" / "marker.md"
    lesson.write_text(lesson.read_text() + "\n```mermaid\nflowchart TD\n  accTitle: Broken\n"
                      "  accDescr: A diagram Mermaid cannot draw\n  A --> B -->\n```\n")
    result = courseforge(canary, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    assert re.search(r"lessons/course/marker\.md:\d+: diagram: Mermaid cannot draw this diagram: Parse error",
                     result.stdout + result.stderr), result.stdout + result.stderr


def snippets_site(auto_append: str) -> str:
    """A public site with pymdownx.snippets that fails on a missing file (check_paths)."""
    snippets = {"base_path": ["snippets"], "check_paths": True, **({"auto_append": [auto_append]} if auto_append else {})}
    return yaml.safe_dump({"site_name": "Snippets", "docs_dir": "lessons", "theme": {"name": "material", "font": False},
                           "plugins": [{"courseforge": {"edition": "public"}}],
                           "markdown_extensions": [{"pymdownx.snippets": snippets}]})


def snippets_project(tmp_path: Path, lesson_include: str, auto_append: str = "") -> Path:
    return write_tree(tmp_path / "project", {
        "mkdocs.yml": snippets_site(auto_append),
        "snippets/glossary.md": "*[PM]: Product manager\n",
        "lessons/c/index.md": "---\ntitle: C\nsummary: A course.\n---\nCourse.\n",
        "lessons/c/l.md": f"---\ntitle: L\nsummary: A lesson.\n---\nIntro.\n\n{lesson_include}\n\n<!-- pro -->\n\nLocked.\n",
    })


@pytest.mark.parametrize(("include", "auto_append", "message"), [
    ('--8<-- "glosary.md"', "", "lessons/c/l.md:7: include: Snippet at path 'glosary.md' could not be found"),
    ('--8<-- "glossary.md"', "abbrevs.md", "pymdownx.snippets' auto_append lists 'abbrevs.md', which is in no "
                                           "base_path folder"),
])
def test_a_snippet_that_cannot_be_found_is_one_message_not_a_traceback(tmp_path, include, auto_append, message):
    project = snippets_project(tmp_path, include, auto_append)
    checked = courseforge(project, "check")
    built = run_mkdocs(project, "build")
    for result in (checked, built):
        assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
        assert message in result.stdout + result.stderr, result.stdout + result.stderr


def test_a_snippet_saved_with_a_byte_order_mark_locks_at_its_marker(tmp_path):
    """An editor's BOM before an included file's `<!-- pro -->` line: the marker still locks what follows."""
    project = snippets_project(tmp_path, 'Preview PUBLICWORD.\n\n--8<-- "part.md"')
    (project / "snippets" / "part.md").write_text("\ufeff<!-- pro -->\n\nSECRET after the marker.\n", encoding="utf-8")
    checked = courseforge(project, "check", "--strict")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = run_mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr
    lesson = (project / "site" / "c" / "l" / "index.html").read_text(encoding="utf-8")
    assert "PUBLICWORD" in lesson and "SECRET" not in lesson and "cf-paywall" in lesson
