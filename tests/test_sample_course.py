"""The sample course builds in both editions and shows every feature of the product."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from courseforge.core.blocks import Kind
from courseforge.core.model import Download, Example, Exercise, Quiz, Visual
from courseforge.project import load_course, load_project
from sites import ROOT


@pytest.fixture(scope="module")
def edition():
    return load_course(load_project(ROOT / "mkdocs.yml", "public")).edition


@pytest.fixture(scope="module")
def catalog(edition):
    return edition.catalog


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text(), "html.parser")


def test_lessons_are_long_enough_for_minute_previews(catalog):
    lessons = catalog.lessons()
    assert len(lessons) >= 8 and len(catalog.courses) == 2
    for lesson in lessons:
        words = sum(s.words for s in lesson.segments if s.kind is not Kind.PART)
        assert 1200 <= words <= 2500, (lesson.path, words)


def test_sample_uses_every_feature(catalog, edition):
    lessons = catalog.lessons()
    bodies = "\n".join(s.text for lesson in lessons for s in lesson.segments)
    assert any(s.kind is Kind.MARKER for lesson in lessons for s in lesson.segments)
    assert any(lesson.pro_sections for lesson in lessons)
    assert "/// why-this-matters" in bodies and "/// key-steps" in bodies and "```mermaid" in bodies
    for course in catalog.courses:
        assert sum(lesson.is_free for lesson in course.lessons) == 1, course.slug
    for lesson in lessons:
        assert any(isinstance(p, Exercise) for p in lesson.parts), lesson.path
    kinds = {type(part) for lesson in lessons for part in lesson.parts}
    assert {Exercise, Example, Visual, Quiz, Download} <= kinds
    cut_by_minutes = [lesson for lesson in lessons if not lesson.is_free and not lesson.pro_sections
                      and not any(s.kind is Kind.MARKER for s in lesson.segments)]
    assert cut_by_minutes
    for lesson in cut_by_minutes:
        assert edition.view(lesson).preview_minutes in (2, 3)


def test_check_passes(tmp_path):
    result = subprocess.run([sys.executable, "-m", "courseforge.cli", "check"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    assert "ok: 2 courses, 8 lessons" in result.stdout and "warning" not in result.stdout


def test_public_pro_lessons_show_paywall_and_free_lessons_do_not(catalog, sample_public, sample_pro):
    for course in catalog.courses:
        for number, lesson in enumerate(course.lessons, 1):
            url = lesson.path.removesuffix(".md")
            public = page(sample_public, url)
            assert (public.select_one(".cf-paywall") is None) == lesson.is_free, url
            assert page(sample_pro, url).select_one(".cf-paywall") is None
            header = public.select_one(".cf-lesson__header").get_text(" ", strip=True)
            assert f"{course.title} · Lesson {number} of {len(course.lessons)}" in header and lesson.title in header


def test_lesson_navigation_lists_only_its_own_course(catalog, sample_public):
    for course in catalog.courses:
        others = {lesson.title for c in catalog.courses if c is not course for lesson in c.lessons}
        own = {lesson.title for lesson in course.lessons}
        nav = page(sample_public, course.lessons[0].path.removesuffix(".md")).select_one(".md-sidebar--primary")
        titles = {a.get_text(" ", strip=True) for a in nav.select("a.md-nav__link")}
        assert own <= titles and not (others & titles)


def test_home_nav_links_each_course_without_its_lessons(catalog, sample_public):
    nav = page(sample_public, "").select_one(".md-sidebar--primary")
    links = {a.get_text(" ", strip=True): a["href"] for a in nav.select("a.md-nav__link")}
    for course in catalog.courses:
        assert links[course.title].rstrip("/").endswith(course.path.removesuffix("/index.md"))
        assert not {lesson.title for lesson in course.lessons} & set(links)


def test_public_edition_passes_the_audit_and_both_pass_linkcheck(sample_public, sample_pro):
    run = [sys.executable, "-m", "courseforge.cli"]
    audit = subprocess.run([*run, "audit", str(sample_public), "--pro", str(sample_pro)], cwd=ROOT,
                           capture_output=True, text=True)
    assert audit.returncode == 0, audit.stdout
    wrong_way = subprocess.run([*run, "audit", str(sample_pro), "--pro", str(sample_pro)], cwd=ROOT,
                               capture_output=True, text=True)
    assert wrong_way.returncode == 1 and "missing-paywall" in wrong_way.stdout
    for site in (sample_public, sample_pro):
        links = subprocess.run([*run, "linkcheck", str(site)], cwd=ROOT, capture_output=True, text=True)
        assert links.returncode == 0, links.stdout + links.stderr


def test_home_lists_both_courses(sample_public):
    cards = page(sample_public, "").select(".cf-course-card")
    assert [c.h2.get_text(strip=True) for c in cards] == ["AI Fundamentals for PMs", "Working With ML Teams"]
    assert all("4 lessons" in c.get_text() and "1 free" in c.get_text() for c in cards)


@pytest.mark.parametrize("exercise", sorted((ROOT / "exercises").glob("*.yml")), ids=lambda p: p.stem)
def test_exercise_steps_render_as_written(exercise, sample_pro):
    """A sub-list indented too little merges into its numbered list ("4 steps" shown as 1 to 8)."""
    import yaml

    source = yaml.safe_load(exercise.read_text())["instructions"]
    steps = [line for line in source.splitlines() if re.match(r"\d+\. ", line)]
    card = next(c for page in sample_pro.rglob("index.html")
                for c in BeautifulSoup(page.read_text(), "html.parser").select(f'[data-cf-exercise="{exercise.stem}"]'))
    numbered = card.select_one(".cf-exercise__instructions > ol")
    assert (numbered is None and steps == []) or len(numbered.find_all("li", recursive=False)) == len(steps)


def test_a_pinned_question_keeps_its_order_for_every_learner(tmp_path):
    """`pinned: true` on a question reaches the page, where the script leaves its answers unshuffled."""
    from course_builder import build_in_process, write_tree

    quiz = ("quiz:\n  - question: Pinned?\n    pinned: true\n    answers:\n      - {text: A, feedback: a, correct: true}\n"
            "      - {text: B, feedback: b}\n  - question: Free?\n    answers:\n"
            "      - {text: C, feedback: c, correct: true}\n      - {text: D, feedback: d}\n")
    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": "site_name: S\ndocs_dir: lessons\ntheme: {name: material, font: false}\nplugins: [courseforge]\n",
        "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
        "lessons/c/a.md": f"---\ntitle: A\nsummary: S\naccess: free\n{quiz}---\nBody.\n",
    })
    site = build_in_process(project / "mkdocs.yml", tmp_path / "site", "pro")
    questions = BeautifulSoup((site / "c" / "a" / "index.html").read_text(), "html.parser").select("[data-cf-question]")
    assert [q.has_attr("data-cf-pinned") for q in questions] == [True, False]


def test_reading_numbers_add_up_on_every_locked_lesson(catalog, sample_public):
    """The header's "N min read" is the preview note's minutes plus the paywall's "~N min left"."""
    pro_lessons = [lesson for lesson in catalog.lessons() if not lesson.is_free]
    assert len(pro_lessons) == 6
    for lesson in pro_lessons:
        soup = page(sample_public, lesson.path.removesuffix(".md"))
        total = int(re.search(r"(\d+) min read", soup.select_one(".cf-readtime").get_text()).group(1))
        left = int(re.search(r"~(\d+) min left", soup.select_one("[data-cf-paywall]").get_text()).group(1))
        shown = re.search(r"first (\d+) minute", soup.select_one("aside.cf-preview-note").get_text())
        assert int(shown.group(1)) + left == total, lesson.path
