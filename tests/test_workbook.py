"""The printable workbook: every exercise of a course on one page, in the pro edition only.

Real builds of the sample course in both editions (session fixtures), a small course with a
module whose exercise links to a download, and the independent audit on both.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup

from course_builder import build_in_process, write_tree
from courseforge.audit import audit
from courseforge.core.model import Exercise, PartBlock
from courseforge.core.workbook import course_workbook, rebased
from courseforge.project import load_course, load_project
from sites import ROOT, run_mkdocs, site_files

NOTE_LINES = 12
WORD = re.compile(r"[^\W_]+")


@pytest.fixture(scope="module")
def plugin():
    return load_course(load_project(ROOT / "mkdocs.yml", "public"))


@pytest.fixture(scope="module")
def catalog(plugin):
    return plugin.edition.catalog


def soup(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def words(text: str) -> str:
    return " ".join(WORD.findall(html.unescape(text).casefold()))


def text(element) -> str:
    return " ".join(element.get_text(" ").split())


# --- which exercises, in which order ---------------------------------------------------------

def test_a_workbook_gathers_every_exercise_of_its_course_in_lesson_order(catalog):
    for course in catalog.courses:
        workbook = course_workbook(course)
        expected = [(lesson.path, part.ref) for lesson in course.lessons for segment in lesson.segments
                    if isinstance(segment, PartBlock) and isinstance(part := segment.part, Exercise)]
        assert len(expected) >= 4
        assert [(e.lesson.path, e.exercise.ref) for e in workbook.entries] == expected
        assert [e.number for e in workbook.entries] == list(range(1, len(expected) + 1))
        assert workbook.path == f"{course.slug}/workbook.md"


def test_relative_urls_are_resolved_from_the_lessons_folder():
    assert rebased("../downloads/t.txt", "m") == "downloads/t.txt"
    assert rebased("img/a.png", "m/n") == "m/n/img/a.png"
    assert rebased("other.md#part", "m") == "m/other.md#part"
    assert rebased("sub/", "m") == "m/sub/"
    for unchanged in ("https://example.com/a", "#anchor", "/abs/path", "mailto:a@example.com", ""):
        assert rebased(unchanged, "m") == unchanged


# --- the sample's exercises render the steps their authors wrote -------------------------------

def test_each_exercise_renders_as_many_steps_as_its_source_numbers(sample_pro, catalog):
    """Sub-items indented fewer than 4 spaces would join the numbered list ("4 steps" shown as 1 to 8)."""
    for course in catalog.courses:
        page = soup(sample_pro, f"{course.slug}/workbook")
        for entry in course_workbook(course).entries:
            written = re.findall(r"^\d+\. ", entry.exercise.instructions, re.M)
            section = page.select_one(f'[data-cf-workbook-exercise="{entry.exercise.ref}"]')
            instructions = section.select_one(".cf-exercise__instructions")
            top_lists = [ol for ol in instructions.find_all("ol") if ol.find_parent("ol") is None]
            steps = sum(len(ol.find_all("li", recursive=False)) for ol in top_lists)
            assert steps == len(written), entry.exercise.ref
            nested = len(re.findall(r"^ {4,}- ", entry.exercise.instructions, re.M))
            assert sum(len(ol.select("li li")) for ol in top_lists) == nested, entry.exercise.ref


# --- the pro edition: a workbook page per course ------------------------------------------------

def test_pro_workbook_holds_every_exercise_with_room_for_notes(sample_pro, catalog):
    for course in catalog.courses:
        workbook = course_workbook(course)
        page = soup(sample_pro, f"{course.slug}/workbook")
        article = page.select_one("article.cf-workbook[data-cf-pro-only]")
        assert article["data-cf-workbook"] == course.slug
        assert text(article.h1) == f"Workbook: {course.title}"
        sections = article.select("section.cf-workbook__exercise")
        assert [s["data-cf-workbook-exercise"] for s in sections] == [e.exercise.ref for e in workbook.entries]
        for section, entry in zip(sections, workbook.entries, strict=True):
            exercise = entry.exercise
            assert text(section.h2).rstrip("¶ ") == f"{entry.number}. {exercise.title}"
            meta = section.select_one(".cf-workbook__meta")
            assert f"From the lesson {entry.lesson.title}" in text(meta)
            lesson_url = urljoin(f"/{course.slug}/workbook/", meta.a["href"])
            assert lesson_url == "/" + entry.lesson.path.removesuffix(".md") + "/"
            assert words(exercise.instructions.splitlines()[0]) in words(text(section.select_one(
                ".cf-exercise__instructions")))
            assert words(exercise.expected_outcome) in words(text(section.select_one(".cf-exercise__outcome")))
            hints = section.select(".cf-workbook__hints > ol > li")
            assert [words(text(h)) for h in hints] == [words(h) for h in exercise.hints]
            criteria = section.select("ul.cf-workbook__criteria > li")
            assert [text(c) for c in criteria] == list(exercise.success_criteria)
            assert all(c.select_one(".cf-workbook__box[aria-hidden=true]") for c in criteria)
            notes = section.select_one(".cf-workbook__notes")
            assert text(notes.select_one(".cf-label")) == "Notes"
            assert len(notes.select(".cf-workbook__line")) == NOTE_LINES


def test_pro_course_page_links_to_its_workbook(sample_pro, catalog):
    for course in catalog.courses:
        links = soup(sample_pro, course.slug).select("a[data-cf-workbook-link]")
        assert [link["href"] for link in links] == ["workbook/"]
        assert text(links[0]) == "Open the workbook"


def test_workbook_is_outside_the_nav_and_prints_with_its_own_styles(sample_pro, catalog):
    course = catalog.courses[0]
    page = soup(sample_pro, f"{course.slug}/workbook")
    assert not page.select('nav.md-nav a[href$="workbook/"]')
    lesson = soup(sample_pro, course.lessons[0].path.removesuffix(".md"))
    assert not lesson.select('a[href$="workbook/"]')
    for doc in (page, lesson):  # the print styles are inside courseforge.css (test_assets.py)
        assert doc.select('link[rel=stylesheet][href$="courseforge/courseforge.css"]')
    assert page.select('link[rel=stylesheet][href$="courseforge-workbook.css"]')
    assert page.select_one("[data-cf-print-actions][hidden] button[data-cf-print]")


# --- the public edition: no workbook, no locked exercise text -----------------------------------

def test_public_site_has_no_workbook_and_no_link_to_one(sample_public, catalog):
    files = site_files(sample_public)
    assert not [name for name in files if "workbook" in name and not name.startswith("assets/")]
    for name, content in files.items():
        assert "data-cf-workbook" not in content, name
    for course in catalog.courses:
        assert not soup(sample_public, course.slug).select("a[data-cf-workbook-link]")
        assert not (sample_public / course.slug / "workbook").exists()


def test_public_site_holds_no_text_of_an_exercise_in_a_locked_part(sample_public, plugin, catalog):
    locked = [segment.part for lesson in catalog.lessons() for segment in plugin.edition.view(lesson).locked
              if isinstance(segment, PartBlock) and isinstance(segment.part, Exercise)]
    assert len(locked) >= 6
    files = {name: words(content) for name, content in site_files(sample_public).items()}
    for exercise in locked:
        for passage in (*exercise.hints, *exercise.success_criteria, exercise.expected_outcome):
            needle = " ".join(words(passage).split()[:10])
            assert len(needle.split()) >= 8
            assert not [name for name, content in files.items() if needle in content], (exercise.ref, needle)


def test_audit_accepts_the_workbook_only_because_it_declares_itself_pro_only(sample_public, sample_pro, tmp_path):
    assert audit(sample_public, sample_pro, ROOT / "lessons") == []
    pro = shutil.copytree(sample_pro, tmp_path / "pro")
    page = pro / "ai-fundamentals" / "workbook" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(" data-cf-pro-only", ""), encoding="utf-8")
    findings = audit(sample_public, pro, ROOT / "lessons")
    assert [(f.kind, f.file) for f in findings] == [("missing-page", "ai-fundamentals/workbook/index.html")]


# --- a course with a module: links written from the lesson's folder still resolve ---------------

def exercise(title: str, instructions: str) -> str:
    return (f"  - title: {title}\n    difficulty: easy\n    instructions: |\n      {instructions}\n"
            "    expected_outcome: Done.\n    hints: [Look again.]\n    success_criteria: [It is done.]\n")


MODULE_COURSE = {
    "mkdocs.yml": "site_name: S\ndocs_dir: lessons\ntheme: {name: material, font: false}\n"
                  "plugins: [courseforge]\nvalidation: {links: {not_found: warn, anchors: warn}}\n",
    "lessons/c/index.md": "---\ntitle: Course C\nsummary: A course with a module.\n---\n",
    "lessons/c/intro.md": "---\ntitle: Intro\nsummary: S\naccess: free\norder: 1\nexercises:\n"
                          + exercise("First task", "Read [the intro](intro.md).") + "---\n# Hello\n\nHello.\n",
    "lessons/c/m/deep.md": "---\ntitle: Deep\nsummary: S\naccess: free\norder: 2\nexercises:\n"
                           + exercise("Second task", "Fill in [the template](../downloads/t.txt) and compare"
                                                     " with [the intro](../intro.md#hello).")
                           + "---\n# Deep\n\nBody.\n",
    "lessons/c/downloads/t.txt": "template\n",
    "lessons/plain/index.md": "---\ntitle: No exercises\nsummary: S\n---\n",
    "lessons/plain/only.md": "---\ntitle: Only\nsummary: S\naccess: free\n---\nText.\n",
}


def test_module_lessons_links_resolve_from_their_folder_in_the_workbook(tmp_path):
    project = write_tree(tmp_path / "project", MODULE_COURSE)
    site = build_in_process(project / "mkdocs.yml", tmp_path / "site", "pro")
    page = soup(site, "c/workbook")
    first, second = page.select("section.cf-workbook__exercise")
    assert first.select_one(".cf-exercise__instructions a")["href"] == "../intro/"
    assert [a["href"] for a in second.select(".cf-exercise__instructions a")] == [
        "../downloads/t.txt", "../intro/#hello"]
    assert (site / "c/downloads/t.txt").is_file()
    assert [a["href"] for a in second.select(".cf-workbook__meta a")] == ["../m/deep/"]
    assert not page.select("[data-cf-base]")
    assert not (site / "plain" / "workbook").exists()  # a course without exercises has no workbook
    assert not soup(site, "plain").select("a[data-cf-workbook-link]")


@pytest.mark.parametrize("name", ["#hash", "what?", "two words"])
def test_a_lesson_file_name_that_reads_as_url_syntax_links_from_the_workbook(tmp_path, name):
    """The workbook links each exercise to its lesson's file: `#hash.md` was an anchor, `what?.md` a query."""
    files = dict(MODULE_COURSE)
    files[f"lessons/c/m/{name}.md"] = files.pop("lessons/c/m/deep.md")
    project = write_tree(tmp_path / "project", files)
    site = build_in_process(project / "mkdocs.yml", tmp_path / "site", "pro")  # strict: a broken link fails it
    second = soup(site, "c/workbook").select("section.cf-workbook__exercise")[1]
    link = second.select_one(".cf-workbook__meta a")["href"]
    assert (site / "c" / "workbook" / unquote(link) / "index.html").resolve().is_file(), link


@pytest.mark.parametrize("edition", ["public", "pro"])
def test_an_authors_page_at_the_workbooks_address_is_an_author_error(tmp_path, edition):
    files = {**MODULE_COURSE, "lessons/c/workbook.md": "---\ntitle: My workbook\nsummary: S\naccess: free\n---\nMine.\n"}
    project = write_tree(tmp_path / "project", files)
    result = run_mkdocs(project, "build", "--strict", "--site-dir", str(tmp_path / "site"), edition=edition)
    assert result.returncode == 1
    assert "lessons/c/workbook.md:1: workbook: this page has the address of the generated workbook of 'Course C'" \
        in result.stderr
    assert "Traceback" not in result.stderr


def test_a_workbook_takes_no_tags_from_its_folders_meta_file(tmp_path):
    """Material's meta plugin tags every page of a folder, the generated workbook too; the pro tags
    index then listed a page the public edition lacks, and the audit refused the public site."""
    files = {**MODULE_COURSE, "lessons/c/.meta.yml": "tags: [course-c]\n",
             "lessons/tags.md": "# Tags\n\n<!-- material/tags -->\n",
             "mkdocs.yml": MODULE_COURSE["mkdocs.yml"].replace("plugins: [courseforge]",
                                                                "plugins: [meta, tags, courseforge]")}
    project = write_tree(tmp_path / "project", files)
    pro = build_in_process(project / "mkdocs.yml", tmp_path / "pro", "pro")
    public = build_in_process(project / "mkdocs.yml", tmp_path / "public", "public")
    listed = [a["href"] for a in soup(pro, "tags").select("article a[href]")]
    assert "../c/intro/" in listed and not [href for href in listed if "workbook" in href], listed
    assert audit(public, pro, project / "lessons") == []


def test_exercise_ids_may_name_files_in_sub_folders(tmp_path):
    files = {**MODULE_COURSE, "exercises/sql/joins.yml": exercise("Joins", "Join two tables.").replace("  - ", "", 1)
             .replace("\n    ", "\n"),
             "lessons/plain/only.md": "---\ntitle: Only\nsummary: S\naccess: free\nexercises: [sql/joins]\n---\nText.\n"}
    project = write_tree(tmp_path / "project", files)
    site = build_in_process(project / "mkdocs.yml", tmp_path / "site", "pro")
    assert "Join two tables." in soup(site, "plain/only").get_text()
