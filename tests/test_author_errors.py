"""Author errors: one clear message per problem, naming file, line and key; all at once;
non-zero exit with or without --strict; no traceback; sources untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from course_builder import write_tree
from editions import load_edition
from sites import run_mkdocs

MKDOCS_YML = """site_name: Broken
docs_dir: lessons
theme: {name: material, font: false}
plugins:
  - courseforge:
      checkout_url: https://checkout.example.com/x
  - mermaid2
"""

BROKEN = {
    "lessons/course/index.md": "---\ntitle: Course\nsummary: S\ncheckout_url: ftp://shop.example.com/buy\n---\n",
    "lessons/course/malformed.md": "---\ntitle: Broken: yaml: here\nsummary: [unclosed\n---\nSECRET body\n",
    "lessons/course/misspelt.md": "---\ntitle: T\nsumary: oops\n---\nbody\n",
    "lessons/course/types.md": "---\ntitle: T\nsummary: S\norder: first\npro_sections: Heading\n---\n## Heading\n",
    "lessons/course/missing.md": "---\nsummary: no title here\n---\nbody\n",
    "lessons/course/negative.md": "---\ntitle: T\nsummary: S\npreview: -2\n---\nbody\n",
    "lessons/course/wordy.md": "---\ntitle: T\nsummary: S\npreview: three\n---\nbody\n",
    "lessons/course/endless.md": "---\ntitle: T\nsummary: S\npreview: .nan\n---\nbody\n",
    "lessons/course/huge.md": "---\ntitle: T\nsummary: S\norder: 1" + "0" * 320 + "\n---\nbody\n",
    "lessons/course/yes.md": "---\ntitle: 2024-01-01\nsummary: yes\n---\nbody\n",
    "lessons/course/sections.md": "---\ntitle: T\nsummary: S\npro_sections:\n  - Nowhere\n---\n## Somewhere\n",
    "lessons/course/parts.md": (
        "---\ntitle: T\nsummary: S\nexercises:\n  - no-such-exercise\n  - bad-exercise\n  - ../mkdocs\n"
        "downloads:\n  - title: D\n    file: downloads/gone.txt\n---\n"
        "```mermaid\nflowchart TD\n  A --> B\n```\n"),
    "lessons/about.md": "---\ntitle: About\n  bad: indent\n---\nSECRET about\n",
    "lessons/stray.md": "---\ntitle: Stray\naccess: pro\n---\nopen\n<!-- pro -->\nSECRET stray\n",
    "exercises/bad-exercise.yml": "title: E\ndifficulty: impossible\ninstructions: I\nexpected_outcome: O\n"
                                  "hints: [h]\nsuccess_criteria: [c]\nhint: extra\n",
}

EXPECTED = [
    "lessons/about.md:3: front matter: malformed YAML: a colon inside a value, or a line indented under a key",
    "lessons/course/index.md:4: checkout_url: must be an http:// or https:// address; got 'ftp://shop.example.com/buy'",
    "lessons/course/malformed.md:2: front matter: malformed YAML: a colon inside a value, or a line indented",
    "lessons/course/misspelt.md:3: sumary: unknown key; did you mean 'summary'?",
    "lessons/course/misspelt.md:2: summary: required key is missing: summary",
    "lessons/course/types.md:4: order: must be a number; got 'first'",
    "lessons/course/types.md:5: pro_sections: must be a list of texts; got 'Heading'",
    "lessons/course/missing.md:2: title: required key is missing: title",
    "lessons/course/negative.md:4: preview: must not be negative; got -2",
    "lessons/course/wordy.md:4: preview: must be a number; got 'three'",
    "lessons/course/endless.md:4: preview: must be a finite number; got nan",
    "lessons/course/huge.md:4: order: must be a finite number; got a number of 321 digits",
    # as written, not as Python prints it (True, datetime.date(2024, 1, 1))
    "lessons/course/yes.md:2: title: must be text; got the date 2024-01-01 (quote text)",
    "lessons/course/yes.md:3: summary: must be text; got true (yes, no, on and off read as true or false: quote text)",
    "lessons/course/sections.md:5: pro_sections[0]: no heading 'Nowhere' in this lesson",
    "lessons/course/parts.md:5: exercises[0]: no exercise file exercises/no-such-exercise.yml for id 'no-such-exercise'",
    "lessons/course/parts.md:7: exercises[2]: '../mkdocs' is no exercise id: an id is the path of a file in "
    "exercises/ without '.yml'",
    "lessons/course/parts.md:10: downloads[0].file: file not found: lessons/course/downloads/gone.txt",
    "lessons/course/parts.md:12: diagram: a Mermaid diagram needs a text alternative",
    "exercises/bad-exercise.yml:2: difficulty: must be one of easy, medium, hard; got 'impossible'",
    "exercises/bad-exercise.yml:7: hint: unknown key; did you mean 'hints'?",
    "lessons/stray.md:3: access: a lesson key on a page outside every course",
    "lessons/stray.md:6: <!-- pro -->: a marker on a page that is no lesson",
]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    for name, text in BROKEN.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def fingerprint(project: Path) -> dict[str, str]:
    return {p.relative_to(project).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("lessons", "exercises") for p in sorted((project / folder).rglob("*")) if p.is_file()}


def test_core_reports_every_problem_with_file_line_and_key(broken):
    _, problems = load_edition(broken / "lessons")
    reported = [str(problem) for problem in problems]
    for expected in EXPECTED:
        assert any(line.startswith(expected) for line in reported), f"{expected}\nnot in:\n" + "\n".join(reported)
    assert len(reported) == len(EXPECTED)


@pytest.mark.parametrize("strict", [True, False])
def test_mkdocs_build_fails_cleanly_listing_all_problems(broken, strict):
    before = fingerprint(broken)
    result = run_mkdocs(broken, "build", *(["--strict"] if strict else []))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    for expected in EXPECTED:
        assert expected in result.stderr
    assert "SECRET" not in result.stderr
    assert fingerprint(broken) == before
    assert not (broken / "site" / "course").exists()


@pytest.mark.parametrize(("option", "message"), [
    ("words_per_minute: 0", "option 'words_per_minute': must be a finite number above 0; got 0"),
    ("words_per_minute: -5", "option 'words_per_minute': must be a finite number above 0; got -5"),
    ("words_per_minute: true", "option 'words_per_minute': Expected a number but received: True"),
    ("preview: .nan", "option 'preview': must be a finite number at least 0; got nan"),
    ("preview: .inf", "option 'preview': must be a finite number at least 0; got inf"),
    ("preview: -1", "option 'preview': must be a finite number at least 0; got -1"),
    # a misspelt option left the default preview in place: MkDocs only warns of an unknown one
    ("previwe: 0.5", "option 'previwe': unknown option; did you mean 'preview'?"),
    # too large for a float: math.isfinite raised OverflowError, a traceback that hid every other problem
    ("preview: 1" + "0" * 320, "option 'preview': must be a finite number at least 0; got a number of 321 digits"),
])
def test_a_reading_setting_that_would_lock_nothing_stops_the_build(tmp_path, option, message):
    # NaN compares false with everything and a negative speed makes every lesson short: both
    # would publish whole lessons; zero divided by zero.
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML.replace("  - mermaid2\n", f"      {option}\n  - mermaid2\n"))
    course = tmp_path / "lessons" / "course"
    course.mkdir(parents=True)
    (course / "index.md").write_text("---\ntitle: Course\nsummary: S\n---\n")
    (course / "l.md").write_text("---\ntitle: T\nsummary: S\n---\n" + "word " * 900 + "\n")
    result = run_mkdocs(tmp_path, "build")
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "site" / "course").exists()


def test_front_matter_text_is_escaped_in_html(tmp_path):
    project = tmp_path
    (project / "mkdocs.yml").write_text(MKDOCS_YML)
    course = project / "lessons" / "course"
    course.mkdir(parents=True)
    (course / "index.md").write_text('---\ntitle: Course <i>x</i>\nsummary: S & "q"\n---\n')
    (course / "l.md").write_text('---\ntitle: \'"quoted" <b>bold</b>\'\nsummary: \'<script>alert(1)</script>\'\naccess: free\n'
                                 'examples:\n  - title: Ex <em>1</em>\n    scenario: s\n    takeaway: t\n---\nbody\n')
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    html = (project / "site" / "course" / "l" / "index.html").read_text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert '<meta name="description" content="&lt;script&gt;' in html


def test_misspelt_references_get_a_did_you_mean(tmp_path):
    """An exercise id, a download path and a pro_sections heading, each one letter off."""
    files = {
        "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
        "lessons/c/l.md": ("---\ntitle: L\nsummary: S\nexercises: [defin-the-problem]\npro_sections: [Secret sectoin]\n"
                           "downloads:\n  - title: T\n    file: downloads/templte.txt\n---\nIntro.\n\n## Secret section\n\nText.\n"),
        "lessons/c/downloads/template.txt": "x",
        "exercises/define-the-problem.yml": "title: E\ndifficulty: easy\ninstructions: I\nexpected_outcome: O\n"
                                            "hints: [h]\nsuccess_criteria: [c]\n",
    }
    write_tree(tmp_path, files)
    _, problems = load_edition(tmp_path / "lessons")
    messages = {problem.key: problem.message for problem in problems}
    assert messages["exercises[0]"].endswith("did you mean 'define-the-problem'?")
    assert messages["downloads[0].file"].endswith("did you mean 'downloads/template.txt'?")
    assert "did you mean 'Secret section'?" in messages["pro_sections[0]"]


def test_an_exercise_file_s_own_problems_come_with_the_misspelt_id_that_left_it_unused(tmp_path):
    """All at once: not the lesson's typo first, then, once fixed, the file's own mistake."""
    write_tree(tmp_path, {
        "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
        "lessons/c/l.md": "---\ntitle: L\nsummary: S\nexercises: [first-exercize]\n---\nIntro.\n",
        "exercises/first-exercise.yml": "title: E\ndifficulty: extreme\ninstructions: I\nexpected_outcome: O\n"
                                        "hints: [h]\nsuccess_criteria: [c]\n",
    })
    _, problems = load_edition(tmp_path / "lessons")
    assert sorted((problem.path, problem.key) for problem in problems) == [
        ("exercises/first-exercise.yml", "difficulty"), ("lessons/c/l.md", "exercises[0]")]


CROSSING = {
    "lessons/course/index.md": "---\ntitle: Course\nsummary: S\n---\n",
    "lessons/course/paid.md": "---\ntitle: Paid\nsummary: S\n---\nOpen words.\n\n<!-- pro -->\n\n"
                              "SECRETPAID locked words.\n\n--8<-- \"partials/locked.md\"\n",
    "lessons/partials/locked.md": "SECRETPARTIAL words of the locked part.\n",
    "lessons/course/recap.md": "---\ntitle: Recap\nsummary: S\naccess: free\n---\nRecap.\n\n--8<-- \"course/paid.md\"\n",
    "lessons/about.md": "# About\n\n{% include-markdown \"course/paid.md\" %}\n",
}
INCLUDES_YML = MKDOCS_YML + "  - include-markdown\nmarkdown_extensions:\n  - pymdownx.snippets:\n      base_path: [lessons]\n"


def test_a_pro_lessons_text_reaches_the_site_through_its_own_page_only(tmp_path):
    # A page including a pro lesson's file, or a page of its own that a pro lesson includes,
    # would publish locked text whole: MkDocs builds every Markdown file of docs_dir.
    write_tree(tmp_path, {"mkdocs.yml": INCLUDES_YML, **CROSSING})
    result = run_mkdocs(tmp_path, "build")
    assert result.returncode != 0
    for expected in (
        "lessons/course/paid.md:11: include: includes lessons/partials/locked.md, which is also a page of the site",
        "lessons/course/recap.md:8: include: includes the pro lesson lessons/course/paid.md",
        "lessons/about.md:3: include: includes the pro lesson lessons/course/paid.md",
    ):
        assert expected in result.stderr
    assert "Traceback" not in result.stderr and "SECRET" not in result.stderr
    assert not (tmp_path / "site").exists()


def test_a_partial_kept_out_of_the_site_stays_out_of_the_public_edition(tmp_path):
    files = {**CROSSING, "lessons/course/recap.md": "---\ntitle: Recap\nsummary: S\naccess: free\n---\nRecap.\n",
             "lessons/about.md": "# About\n\nSee [the paid lesson](course/paid.md).\n"}
    write_tree(tmp_path, {"mkdocs.yml": INCLUDES_YML + "exclude_docs: |\n  partials/\n", **files})
    result = run_mkdocs(tmp_path, "build", "--strict")
    assert result.returncode == 0, result.stderr
    published = [path for path in (tmp_path / "site").rglob("*") if path.is_file()]
    assert any(path.name == "index.html" and path.parent.name == "paid" for path in published)
    assert [path for path in published if b"SECRET" in path.read_bytes()] == []


def test_an_extra_template_is_kept_in_the_public_edition(tmp_path):
    # Nothing links to it, but mkdocs.yml asks for it by name: not a copied file to prune.
    files = {**CROSSING, "lessons/course/recap.md": "---\ntitle: Recap\nsummary: S\naccess: free\n---\nRecap.\n",
             "lessons/about.md": "# About\n", "lessons/extra.html": "<p>Built {{ config.site_name }}</p>\n"}
    write_tree(tmp_path, {"mkdocs.yml": INCLUDES_YML + "exclude_docs: |\n  partials/\nextra_templates: [extra.html]\n",
                          **files})
    result = run_mkdocs(tmp_path, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "extra.html").read_text() == "<p>Built Broken</p>"


@pytest.mark.parametrize(("index", "why"), [
    ("---\ntitle: Course\nsumary: S\n---\n", "has no 'summary' ('sumary' misspelt?)"),
    ("---\ntitle: Course\nsummary: S\nsummary: T\n---\n", "cannot be read (its own problem is listed too)"),
])
def test_a_course_index_that_makes_no_course_is_named_once_not_at_each_lesson(tmp_path, index, why):
    """A misspelt or broken index.md leaves its folder no course: its lessons would each read as a
    page outside every course, while the page to fix went unnamed."""
    (tmp_path / "mkdocs.yml").write_text(MKDOCS_YML)
    course = tmp_path / "lessons" / "course"
    course.mkdir(parents=True)
    (course / "index.md").write_text(index)
    for name in ("one", "two"):
        (course / f"{name}.md").write_text(f"---\ntitle: {name}\nsummary: S\naccess: pro\npreview: 1\n---\nBody.\n")
    result = run_mkdocs(tmp_path, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (f"lessons/course/index.md:1: course: pages of course/ are written as lessons (course/one.md, "
            f"course/two.md), but its index.md {why}, so the folder is no course") in result.stderr
    assert "outside every course" not in result.stderr


def test_a_broken_exercise_file_is_reported_once_not_again_at_its_placement(tmp_path):
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML, "lessons/course/index.md": "---\ntitle: Course\nsummary: S\n---\n",
        "lessons/course/l.md": "---\ntitle: T\nsummary: S\nexercises: [practice]\n---\nIntro.\n\n"
                               "<!-- exercise: practice -->\n",
        "exercises/practice.yml": "- a list, not an exercise\n"})
    result = run_mkdocs(tmp_path, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "exercises/practice.yml:1: exercise file: must be a mapping of keys to values" in result.stderr
    assert "placement" not in result.stderr, result.stderr


def test_a_lesson_listed_as_an_extra_template_stops_the_build(tmp_path):
    """MkDocs renders an extra template's whole file; a draft lesson listed there has no page to replace it."""
    write_tree(tmp_path, {
        "mkdocs.yml": MKDOCS_YML + "draft_docs: |\n  course/recap.md\nextra_templates: [course/recap.md]\n",
        "lessons/course/index.md": "---\ntitle: Course\nsummary: S\n---\n",
        "lessons/course/recap.md": "---\ntitle: Recap\nsummary: S\n---\nOpen.\n\n<!-- pro -->\n\nSECRET recap.\n"})
    result = run_mkdocs(tmp_path, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "courseforge: extra_templates lists the lesson course/recap.md" in result.stderr
    assert not list(tmp_path.glob("site/**/*.html"))
