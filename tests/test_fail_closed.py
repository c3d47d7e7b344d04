"""The public edition fails closed for courses we did not write for the code.

Each folder of tests/fixtures/cases is a small course project that an author could have
written, built once per edition with the real `mkdocs build --strict`. Every locked passage
holds a token CANARY…, every passage that must stay public a token PUBLIC…; no locked
heading holds a token, so a token may not appear anywhere in the public site, not even in the
paywall outline. The author-error cases build projects that must fail.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
from PIL import Image

from course_builder import (
    CANARY,
    CASES,
    PUBLIC,
    body_elements,
    heading_text,
    html_pages,
    page,
    source_tokens,
    visible_text,
    write_tree,
)
from sites import copy_project, run_mkdocs, site_files

EDITIONS = ("public", "pro")

# Per case: the pages (directory URLs) whose public edition locks something, and pages that
# must be public whole (course pages, free lessons, pages outside every course).
LOCKED = {
    "discovery": ["c/intro/", "c/advanced/deep/", "c/advanced/deeper/deepest/", "track/ml-course/lesson-one/",
                  "en/sql-course/joins/"],
    "inline-code-html": ["c/figure-marker/", "c/details-sections/"],
    "locked-files": ["c/assets-lesson/"],
    "includes": ["c/snippet-marker/", "c/snippet-sections/", "c/include-marker/", "c/include-sections/",
                 "c/long-snippet/", "c/long-include/"],
    "definitions-off": ["c/definitions/"],
    "next-up": ["c/a/", "c/b/"],
    "headings": ["c/headings/"],
    "odd-titles": ["c/join/", "c/after/"],
    "constructs": [f"c/{name}/" for name in ("tabs", "list", "admonition", "blocks", "details", "html-details",
                                              "div", "table", "fence")],
    "free-and-zero": ["paid/zero/", "paid/marked/"],
    "ordinary": ["product-analytics/01-foundations/what-is-a-metric/", "product-analytics/02-metrics/funnels/",
                 "product-analytics/02-metrics/retention/", "product-analytics/02-metrics/joins/"],
}
OPEN = {
    "discovery": ["c/", "c/advanced/free-extra/", "track/overview/", "track/ml-course/", "en/", "en/sql-course/"],
    "inline-code-html": ["c/"],
    "locked-files": ["c/", "about/"],
    "includes": ["c/"],
    "definitions-off": ["c/"],
    "next-up": ["c/", "c/free/", "faq/"],
    "headings": ["c/", "c/links/"],
    "odd-titles": ["c/", "c/tags/"],
    "constructs": ["c/"],
    "free-and-zero": ["open-course/", "open-course/one/", "open-course/two/", "paid/"],
    "ordinary": ["product-analytics/", "product-analytics/01-foundations/north-star/", "faq/"],
}
BUILT = list(LOCKED)


# --- building every case once, both editions, two builds at a time --------------------------

@dataclass
class Build:
    project: Path
    site: Path
    result: subprocess.CompletedProcess

    def ok(self) -> Path:
        returncode, stderr = self.result.returncode, self.result.stderr[-4000:]
        assert returncode == 0, f"mkdocs build --strict failed:\n{stderr}"
        return self.site


class Builds:
    def __init__(self, root: Path) -> None:
        self.projects = {case: copy_project(CASES / case, root / case / "project") for case in BUILT}
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.futures: dict[tuple[str, str], Future] = {
            (case, edition): self.pool.submit(self._build, case, edition, root / case / edition)
            for case in BUILT for edition in EDITIONS}

    def _build(self, case: str, edition: str, site: Path) -> Build:
        project = self.projects[case]
        return Build(project, site, run_mkdocs(project, "build", "--strict", "--site-dir", str(site), edition=edition))

    def build(self, case: str, edition: str) -> Build:
        return self.futures[case, edition].result()

    def site(self, case: str, edition: str) -> Path:
        return self.build(case, edition).ok()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    builds = Builds(tmp_path_factory.mktemp("fail-closed"))
    yield builds
    builds.pool.shutdown()


def tokens_in(site: Path, pattern: re.Pattern) -> dict[str, set[str]]:
    """token -> the site files that hold it (every file, decoded leniently)."""
    found: dict[str, set[str]] = {}
    for name, text in site_files(site).items():
        for token in pattern.findall(text):
            found.setdefault(token, set()).add(name)
    return found


def resolve(base_url: str, href: str) -> str:
    """A link's target as a site-relative directory URL."""
    return urljoin("https://site.test/" + base_url, href).removeprefix("https://site.test/")


# --- every case: no locked token in any public file; everything in the pro edition --------

@pytest.mark.parametrize("case", BUILT)
def test_both_editions_build_strict(builds, case):
    for edition in EDITIONS:
        assert (builds.site(case, edition) / "index.html").is_file()


@pytest.mark.parametrize("case", BUILT)
def test_public_site_holds_no_locked_token_in_any_file(builds, case):
    site = builds.site(case, "public")
    assert {"search/search_index.json", "sitemap.xml", "404.html"} <= set(site_files(site))
    assert tokens_in(site, CANARY) == {}


@pytest.mark.parametrize("case", BUILT)
def test_public_site_keeps_every_public_token(builds, case):
    expected = source_tokens(CASES / case, PUBLIC)
    assert expected, "the case has public passages"
    assert expected - tokens_in(builds.site(case, "public"), PUBLIC).keys() == set()


@pytest.mark.parametrize("case", BUILT)
def test_pro_site_holds_every_token(builds, case):
    expected = source_tokens(CASES / case, CANARY) | source_tokens(CASES / case, PUBLIC)
    found = tokens_in(builds.site(case, "pro"), CANARY).keys() | tokens_in(builds.site(case, "pro"), PUBLIC).keys()
    assert expected - found == set()


@pytest.mark.parametrize("case", BUILT)
@pytest.mark.parametrize("edition", EDITIONS)
def test_no_id_repeats_on_a_page(builds, case, edition):
    """An author's heading never shares an id with courseforge's own elements or the outlines."""
    repeated = {}
    for name, soup in html_pages(builds.site(case, edition)).items():
        counts = Counter(tag["id"] for tag in soup.find_all(id=True))
        if twice := sorted(i for i, n in counts.items() if n > 1):
            repeated[name] = twice
    assert repeated == {}


@pytest.mark.parametrize("case", BUILT)
def test_paywall_on_every_locked_lesson_and_nowhere_else(builds, case):
    public, pro = builds.site(case, "public"), builds.site(case, "pro")
    for url in LOCKED[case]:
        assert page(public, url).select("[data-cf-paywall]"), f"{url} has a paywall"
        assert page(pro, url).select("[data-cf-paywall]") == [], f"{url} (pro) has no paywall"
    for url in OPEN[case]:
        assert page(public, url).select("[data-cf-paywall]") == [], f"{url} has no paywall"


@pytest.mark.parametrize("case", BUILT)
def test_public_lesson_body_is_a_prefix_of_the_pro_body(builds, case):
    """Rule 2: the cut never changes how anything renders."""
    for url in LOCKED[case]:
        public = body_elements(page(builds.site(case, "public"), url), missing_ok=True)
        pro = body_elements(page(builds.site(case, "pro"), url))
        assert len(public) < len(pro), url
        assert public == pro[:len(public)], url


@pytest.mark.parametrize("case", BUILT)
def test_outline_carries_every_locked_heading_id_of_the_pro_page(builds, case):
    for url in LOCKED[case]:
        pro = page(builds.site(case, "pro"), url)
        assert pro.select_one(".cf-lesson__body") is not None, f"{url} is a lesson page"
        pro_ids = [h["id"] for h in pro.select(".cf-lesson__body :is(h2, h3)[id]")]
        public = page(builds.site(case, "public"), url)
        shown = [h["id"] for h in public.select(".cf-lesson__body :is(h2, h3)[id]")]
        outline = [li.get("id") for li in public.select(".cf-paywall__outline li")]
        assert shown + outline == pro_ids, url


# --- (1) discovery: courses and lessons at any depth -----------------------------------------

def syllabus_targets(site: Path, course_url: str) -> set[str]:
    syllabus = page(site, course_url).select_one("ol.cf-syllabus")
    assert syllabus is not None, f"{course_url} has a syllabus"
    return {resolve(course_url, a["href"]) for a in syllabus.select("a[href]")}


@pytest.mark.parametrize("edition", EDITIONS)
def test_lessons_in_module_folders_belong_to_their_course(builds, edition):
    site = builds.site("discovery", edition)
    assert syllabus_targets(site, "c/") == {"c/intro/", "c/advanced/deep/", "c/advanced/deeper/deepest/",
                                            "c/advanced/free-extra/"}


def test_module_folders_group_the_syllabus_and_the_nav(builds):
    site = builds.site("discovery", "public")
    syllabus = page(site, "c/").select_one("ol.cf-syllabus")
    assert "advanced" in visible_text(syllabus).casefold() and "deeper" in visible_text(syllabus).casefold()
    deep = page(site, "c/advanced/deep/")
    sections = [item for item in deep.select("nav.md-nav--primary li.md-nav__item--nested")
                if "advanced" in visible_text(item.select_one(".md-nav__link")).casefold()]
    assert len(sections) == 1
    assert "c/advanced/deep/" in {resolve("c/advanced/deep/", a["href"]) for a in sections[0].select("a[href]")}


@pytest.mark.parametrize("course, lessons", [("track/ml-course/", {"track/ml-course/lesson-one/"}),
                                             ("en/sql-course/", {"en/sql-course/joins/"})])
def test_courses_below_other_folders_are_found(builds, course, lessons):
    site = builds.site("discovery", "public")
    assert syllabus_targets(site, course) == lessons
    assert page(site, course).select("section.cf-cta")


# --- (2) an HTML tag in inline code before the marker or a pro_sections heading -----------------

def test_marker_after_an_html_tag_in_inline_code_is_honoured(builds):
    public = page(builds.site("inline-code-html", "public"), "c/figure-marker/")
    codes = {code.get_text() for code in public.select(".cf-lesson__body code")}
    assert {"<figure>", "<section>", '<div class="chart">'} <= codes
    assert public.select("[data-cf-paywall]")


def test_pro_sections_heading_after_an_html_tag_in_inline_code_is_found(builds):
    public = page(builds.site("inline-code-html", "public"), "c/details-sections/")
    assert [heading_text(h) for h in public.select(".cf-lesson__body h2")] == ["Public heading"]
    assert [(li.get("id"), visible_text(li)) for li in public.select(".cf-paywall__outline li")] == \
        [("locked-details", "Locked details")]


# --- (3) files that only locked content refers to ------------------------------------------

LOCKED_ONLY_FILES = {
    "reference-style image": "c/img/ref-figure.png",
    "URL-encoded path": "c/img/space shot.png",
    "raw HTML link": "c/files/locked-guide.pdf",
    "raw HTML image": "c/img/raw-figure.png",
    "image in exercise instructions": "c/img/exercise-chart.png",
    "docs file included with --8<--": "c/data/locked-steps.txt",
    "file nothing refers to": "c/drafts/answer-key.txt",
}
SHARED_FILES = {
    "used by the preview too": "c/img/shared-preview.png",
    "used by the course page too": "c/img/course-cover.png",
    "used by a root page too": "img/root-logo.png",
    "extra CSS from the config": "css/extra.css",
    "image the extra CSS uses": "img/pattern.png",
    "theme logo": "img/brand.png",
    "theme favicon": "img/favicon.png",
}
ORDINARY_LOCKED_FILES = [
    "product-analytics/01-foundations/img/metric-tree.png", "product-analytics/02-metrics/img/cohort chart.png",
    "product-analytics/02-metrics/img/funnel-audit.png", "product-analytics/02-metrics/files/funnel-worksheet.pdf",
    "product-analytics/02-metrics/files/retention-sheet.csv", "product-analytics/02-metrics/files/funnel-template.xlsx",
]
ORDINARY_SHARED_FILES = ["img/logo.png", "product-analytics/img/cover.png",
                         "product-analytics/01-foundations/img/north-star.png"]


@pytest.mark.parametrize("kind", LOCKED_ONLY_FILES)
def test_file_only_locked_content_refers_to_is_not_published(builds, kind):
    path = LOCKED_ONLY_FILES[kind]
    assert (builds.site("locked-files", "pro") / path).is_file()
    assert not (builds.site("locked-files", "public") / path).exists()


def test_the_build_names_the_files_it_left_out_and_how_to_keep_one(tmp_path):
    """A file only a script or a web manifest uses is left out too: the log says which files went."""
    result = run_mkdocs(copy_project(CASES / "locked-files", tmp_path / "project"), "build")
    assert result.returncode == 0, result.stderr
    line = next(line for line in result.stderr.splitlines() if "no public page refers to were left out" in line)
    assert sorted(LOCKED_ONLY_FILES.values())[0] in line and "public_files keeps a file" in line, line


@pytest.mark.parametrize("kind", SHARED_FILES)
def test_file_that_public_content_uses_stays(builds, kind):
    assert (builds.site("locked-files", "public") / SHARED_FILES[kind]).is_file()


def test_ordinary_course_publishes_only_the_files_public_pages_use(builds):
    public, pro = builds.site("ordinary", "public"), builds.site("ordinary", "pro")
    assert [path for path in ORDINARY_LOCKED_FILES + ORDINARY_SHARED_FILES if not (pro / path).is_file()] == []
    assert [path for path in ORDINARY_LOCKED_FILES if (public / path).exists()] == []
    assert [path for path in ORDINARY_SHARED_FILES if not (public / path).is_file()] == []


# --- (4) includes are expanded before the cut ----------------------------------------------

@pytest.mark.parametrize("url, heading, anchor", [("c/snippet-sections/", "Snippet secret", "snippet-secret"),
                                                  ("c/include-sections/", "Include secret", "include-secret")])
def test_pro_sections_heading_inside_an_included_file_starts_the_locked_part(builds, url, heading, anchor):
    public = page(builds.site("includes", "public"), url)
    assert [(li.get("id"), visible_text(li)) for li in public.select(".cf-paywall__outline li")] == \
        [(anchor, heading)]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("url", ["c/long-snippet/", "c/long-include/"])
def test_included_text_counts_toward_reading_time(builds, edition, url):
    """A body that is one include of 1,000 words reads in 1000 / 230 = 4.3 minutes."""
    header = visible_text(page(builds.site("includes", edition), url).select_one(".cf-lesson__header"))
    minutes = re.search(r"(\d+) min read", header)
    assert minutes is not None, header
    assert int(minutes.group(1)) >= 4


# --- (5) definitions whose extension is off are ordinary text ---------------------------------

def test_link_reference_used_by_the_preview_goes_with_it(builds):
    public = page(builds.site("definitions-off", "public"), "c/definitions/")
    assert [a["href"] for a in public.select(".cf-lesson__body a[href^='https://example.com/']")] == \
        ["https://example.com/PUBLICLINKREFURL"]


def test_definition_lines_without_their_extension_stay_where_they_stand(builds):
    pro = visible_text(page(builds.site("definitions-off", "pro"), "c/definitions/").select_one(".cf-lesson__body"))
    public = visible_text(page(builds.site("definitions-off", "public"), "c/definitions/"))
    assert "*[PM]: Product manager" in pro and "[^n]: A locked note" in pro
    assert "Product manager" not in public and "[^n]:" not in public


# --- (6) the deploy gate agrees: nothing to report in a correct public site --------------------

def audit_findings(builds: Builds, case: str, public: Path | None = None) -> list:
    from courseforge.audit import audit
    from courseforge.cli import audit_settings
    from courseforge.project import load_project

    project = builds.projects[case]
    return audit(public or builds.site(case, "public"), builds.site(case, "pro"), project / "lessons",
                 **audit_settings(load_project(project / "mkdocs.yml")))


@pytest.mark.parametrize("case", BUILT)
def test_audit_finds_nothing_in_the_public_site(builds, case):
    assert [str(finding) for finding in audit_findings(builds, case)] == []


@pytest.mark.parametrize("case", ["discovery", "includes", "constructs", "ordinary"])
def test_audit_catches_the_pro_search_index_in_the_public_site(builds, case, tmp_path):
    tampered = shutil.copytree(builds.site(case, "public"), tmp_path / "site")
    shutil.copy(builds.site(case, "pro") / "search" / "search_index.json", tampered / "search" / "search_index.json")
    flagged = {f.page for f in audit_findings(builds, case, tampered) if f.file == "search/search_index.json"}
    assert {url + "index.html" for url in LOCKED[case]} <= flagged


@pytest.mark.parametrize("case, url", [
    ("discovery", "c/advanced/deep/"), ("discovery", "en/sql-course/joins/"),
    ("includes", "c/snippet-marker/"), ("includes", "c/include-sections/"), ("constructs", "c/tabs/"),
    ("ordinary", "product-analytics/01-foundations/what-is-a-metric/"),
    ("ordinary", "product-analytics/02-metrics/funnels/"), ("ordinary", "product-analytics/02-metrics/retention/")])
def test_audit_catches_a_locked_lesson_page_published_whole(builds, case, url, tmp_path):
    tampered = shutil.copytree(builds.site(case, "public"), tmp_path / "site")
    shutil.copy(builds.site(case, "pro") / url / "index.html", tampered / url / "index.html")
    assert url + "index.html" in {f.file for f in audit_findings(builds, case, tampered)}


@pytest.mark.parametrize("case, files", [
    ("locked-files", [path for kind, path in LOCKED_ONLY_FILES.items() if kind != "file nothing refers to"]),
    ("ordinary", ORDINARY_LOCKED_FILES)])
def test_audit_catches_locked_files_copied_into_the_public_site(builds, case, files, tmp_path):
    public, pro = builds.site(case, "public"), builds.site(case, "pro")
    tampered = shutil.copytree(public, tmp_path / "site")
    for name in files:
        (tampered / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(pro / name, tampered / name)
    flagged = {f.file for f in audit_findings(builds, case, tampered)}
    assert set(files) - flagged == set()


# --- (7) locked links never remove pages or shared files --------------------------------------

def test_next_up_link_in_locked_text_keeps_the_pages_it_names(builds):
    site = builds.site("next-up", "public")
    for url in ("c/b/", "c/free/", "faq/"):
        assert (site / url / "index.html").is_file(), url
        assert f"https://public.example.com/{url}" in (site / "sitemap.xml").read_text()
    assert "PUBLICLESSONB" in visible_text(page(site, "c/b/").select_one(".cf-lesson__body"))


@pytest.mark.parametrize("path", ["c/img/shared-chart.png", "c/downloads/shared-template.txt"])
def test_file_used_by_a_free_lesson_and_locked_text_stays(builds, path):
    assert (builds.site("next-up", "public") / path).is_file()


# --- (8) locked headings with emoji, inline HTML, code, emphasis, links, custom ids -------------

def test_locked_heading_ids_in_the_outline_match_the_pro_page(builds):
    pro = page(builds.site("headings", "pro"), "c/headings/")
    public = page(builds.site("headings", "public"), "c/headings/")
    locked = [h["id"] for h in pro.select(".cf-lesson__body :is(h2, h3)[id]")][1:]
    assert locked == ["ship-it", "the-kpi-tree", "using-select-well", "what-you-get", "read-the-style-guide",
                      "pro-lesson", "syllabus", "my-custom-id"]
    assert [li.get("id") for li in public.select(".cf-paywall__outline li")] == locked


def test_locked_headings_show_as_plain_text(builds):
    pro = page(builds.site("headings", "pro"), "c/headings/")
    public = page(builds.site("headings", "public"), "c/headings/")
    pro_text = {h["id"]: heading_text(h) for h in pro.select(".cf-lesson__body :is(h2, h3)[id]")}
    outline = {li.get("id"): li for li in public.select(".cf-paywall__outline li")}
    for anchor in ("the-kpi-tree", "using-select-well", "what-you-get", "read-the-style-guide", "my-custom-id"):
        assert visible_text(outline[anchor]) == pro_text[anchor], anchor
        assert outline[anchor].find(True) is None, f"{anchor}: no markup inside the outline entry"
    assert visible_text(outline["ship-it"]).startswith("Ship it")


# --- (9) titles are escaped once -------------------------------------------------------------

ENTITIES = ("&#39;", "&#x27;", "&amp;", "&lt;", "&gt;", "&#34;", "&quot;")
TITLES = {"c/join/": "What's a JOIN & why?", "c/tags/": 'Use <b> & "quotes" safely',
          "c/after/": "Rock 'n' Roll & <Data>", "c/": "SQL & Friends: 'Joins' 101"}


@pytest.mark.parametrize("edition", EDITIONS)
def test_titles_show_exactly_as_written(builds, edition):
    site = builds.site("odd-titles", edition)
    assert {url: page(site, url).select_one("h1").get_text(strip=True) for url in TITLES} == TITLES


def test_paywall_heading_names_the_lesson_once(builds):
    site = builds.site("odd-titles", "public")
    for url in ("c/join/", "c/after/"):
        headings = [visible_text(h) for h in page(site, url).select("[data-cf-paywall] :is(h2, h3)")]
        assert f"Finish: {TITLES[url]}" in headings, headings


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_entity_shows_as_text_in_pages_or_aria_labels(builds, edition):
    pages = html_pages(builds.site("odd-titles", edition))
    labels = [element["aria-label"] for soup in pages.values() for element in soup.select("[aria-label]")]
    assert [label for label in labels if "JOIN" in label and TITLES["c/join/"] not in label] == []
    assert any(TITLES["c/join/"] in label for label in labels)
    assert [label for label in labels if any(entity in label for entity in ENTITIES)] == []
    shown = {name: [e for e in ENTITIES if e in visible_text(soup)] for name, soup in pages.items()}
    assert {name: found for name, found in shown.items() if found} == {}


# --- (10) constructs at the limit; markers inside constructs -------------------------------------

@pytest.mark.parametrize("url", LOCKED["constructs"])
def test_preview_ends_before_a_construct_that_straddles_the_limit(builds, url):
    public = page(builds.site("constructs", "public"), url)
    pro = page(builds.site("constructs", "pro"), url)
    assert body_elements(public) == body_elements(pro)[:1]
    assert re.search(r"PUBLIC[A-Z]+INTRO", visible_text(public.select_one(".cf-lesson__body")))


@pytest.mark.parametrize("strict", [True, False])
def test_marker_inside_a_construct_is_an_author_error(tmp_path, strict):
    project = copy_project(CASES / "nested-marker", tmp_path / "project")
    result = run_mkdocs(project, "build", *(["--strict"] if strict else []))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert re.search(r"lessons/c/admonition\.md:10: \S", result.stderr), result.stderr
    assert re.search(r"lessons/c/list\.md:7: \S", result.stderr), result.stderr
    assert "fine.md" not in result.stderr and "SECRET" not in result.stderr


# --- (1) lesson-only keys and markers outside every course are author errors --------------------

OUTSIDE_KEYS = {
    "access": "access: pro",
    "preview": "preview: 2",
    "pro_sections": "pro_sections: [Intro]",
    "exercises": "exercises: [practice]",
    "examples": "examples: [{title: T, scenario: S, takeaway: K}]",
    "visuals": "visuals: [{title: T, caption: C, diagram: flowchart LR}]",
    "downloads": "downloads: [{title: T, file: notes.txt}]",
    "quiz": "quiz: [{question: Q, answers: [{text: A, feedback: F, correct: true}, {text: B, feedback: G}]}]",
    "summary": "summary: A page that is not a course page",
}


def outside_page(key: str) -> str:
    """Where the page using `key` sits: the root, a language folder that is no course, a plain folder."""
    folder = "lessons" if key in ("access", "summary", "quiz") else "lessons/en" if key == "preview" else "lessons/guides"
    return f"{folder}/{key}-page.md"


@pytest.fixture(scope="module")
def outside_course(tmp_path_factory) -> Path:
    files = {
        "mkdocs.yml": (CASES / "nested-marker" / "mkdocs.yml").read_text(),
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\nIntro.\n\n## Intro\n\nText.\n",
        "lessons/guides/notes.txt": "notes\n",
        "lessons/en/index.md": "---\ntitle: English home\n---\nNot a course: no summary.\n",
        "lessons/en/marker.md": "---\ntitle: Marker page\n---\nPublic words.\n\n<!-- pro -->\n\nSECRET words.\n",
        "exercises/practice.yml": "title: P\ndifficulty: easy\ninstructions: I\nexpected_outcome: O\n"
                                  "hints: [h]\nsuccess_criteria: [c]\n",
    }
    for key, line in OUTSIDE_KEYS.items():
        files[outside_page(key)] = f"---\ntitle: Page\n{line}\n---\n## Intro\n\nBody SECRET text.\n"
    return write_tree(tmp_path_factory.mktemp("outside") / "project", files)


@pytest.mark.parametrize("strict", [True, False])
def test_lesson_keys_and_markers_outside_a_course_are_author_errors(outside_course, strict):
    result = run_mkdocs(outside_course, "build", *(["--strict"] if strict else []))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    for key in OUTSIDE_KEYS:
        assert re.search(rf"{re.escape(outside_page(key))}:3: {key}: \S", result.stderr), (key, result.stderr)
    assert re.search(r"lessons/en/marker\.md:6: \S", result.stderr), result.stderr
    assert "lessons/course/" not in result.stderr and "SECRET" not in result.stderr


HOOK = """from pathlib import Path
from mkdocs.structure.files import File


def on_files(files, config):
    for source in sorted(Path("generated").glob("*.md")):
        target = source.stem.replace("--", "/") + ".md"
        files.append(File.generated(config, target, abs_src_path=str(source.resolve())))
    return files
"""


@pytest.mark.parametrize(("name", "text", "why"), [
    ("course--bonus", "---\ntitle: Bonus\nsummary: S\n---\nOpen.\n\n<!-- pro -->\n\nSECRET bonus.\n",
     "it sits in a course folder"),
    ("extra", "---\ntitle: Extra\naccess: pro\n---\nSECRET extra.\n", "it has lesson keys (access)"),
    ("notes", "# Notes\n\nOpen.\n\n<!-- pro -->\n\nSECRET notes.\n", "it has a <!-- pro --> line"),
])
def test_a_page_a_hook_generates_after_courseforge_read_the_site_stops_the_build(tmp_path, name, text, why):
    """courseforge cannot cut a page it never read: one that may be a lesson stops the build."""
    result = run_mkdocs(hooked_project(tmp_path, name, text), "build")
    assert_stopped(result, f"(made by hooks.py) reached the build after courseforge read the site's pages, and {why}")


def test_an_ordinary_page_a_hook_generates_outside_every_course_is_built(tmp_path):
    project = hooked_project(tmp_path, "notes", "# Notes\n\nAn ordinary generated page.\n")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "An ordinary generated page." in (project / "site" / "notes" / "index.html").read_text()


@pytest.mark.parametrize("include", ['--8<-- "course/lesson.md"', '--8<-- "course/lesson.md:later"'])
def test_a_page_a_hook_generates_may_not_include_a_pro_lesson(tmp_path, include):
    """An ordinary generated page is checked as a page on disk is: including a pro lesson's file (or
    a section of it) would publish text the lesson locks, by reading time here, without any marker."""
    project = hooked_project(tmp_path, "cheatsheet", f"# Cheat sheet\n\n{include}\n")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - tables\n", "  - tables\n  - pymdownx.snippets:\n"
                                                 "      base_path: [lessons]\n      check_paths: true\n"))
    (project / "lessons" / "course" / "lesson.md").write_text(
        "---\ntitle: Lesson\nsummary: A real lesson.\npreview: 0.1\n---\nIntro.\n\n"
        + "\n\n".join(" ".join(f"SECRET{p}w{w}" for w in range(30)) for p in range(8))
        + "\n\n<!-- --8<-- [start:later] -->\nSECRET later part.\n<!-- --8<-- [end:later] -->\n")
    result = run_mkdocs(project, "build")
    assert_stopped(result, "cheatsheet.md:3: include: includes the pro lesson lessons/course/lesson.md, "
                           "so this page would publish its locked text")


EARLY_HOOK = """from mkdocs.plugins import event_priority


@event_priority(200)
def on_page_markdown(markdown, page, **kwargs):
    return markdown + "\\n\\nHOOKWORDS added."
"""


def test_a_hook_that_edits_a_lesson_before_courseforge_is_told_its_edit_is_dropped(tmp_path):
    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": (CASES / "nested-marker" / "mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n",
        "hooks.py": EARLY_HOOK,
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\nIntro.\n",
    })
    strict = run_mkdocs(project, "build", "--strict")
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert ("courseforge: course/lesson.md: a plugin or hook changed this lesson's Markdown before courseforge"
            in strict.stderr), strict.stderr
    assert run_mkdocs(project, "build").returncode == 0
    assert "HOOKWORDS" not in (project / "site" / "course" / "lesson" / "index.html").read_text()
    assert "HOOKWORDS" in (project / "site" / "course" / "index.html").read_text()  # a course page keeps it


NOTEBOOK_PAGES = """def on_files(files, config):
    for file in files:  # as mkdocs-jupyter does with its `include` patterns (*.py, *.ipynb by default)
        if file.src_uri.endswith((".py", ".ipynb")):
            file.is_documentation_page = lambda: True
    return files
"""


def test_a_page_of_another_format_in_a_course_folder_is_an_author_error(tmp_path):
    """A plugin such as mkdocs-jupyter makes a lesson's download script a page: it would be published
    whole, and it is no Markdown lesson courseforge can cut."""
    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": (CASES / "nested-marker" / "mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n",
        "hooks.py": NOTEBOOK_PAGES,
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\nIntro.\n",
        "lessons/course/downloads/solution.py": "print('SECRET solution')\n",
    })
    result = run_mkdocs(project, "build")
    assert_stopped(result, "lessons/course/downloads/solution.py:1: page: a page made from a .py file (by a plugin "
                           "such as mkdocs-jupyter) sits in a course folder")
    assert "required key" not in result.stderr


def hooked_project(tmp_path: Path, name: str, text: str) -> Path:
    """A course whose hooks.py adds generated/<name>.md (`--` for `/`) to the site after courseforge."""
    return write_tree(tmp_path / "project", {
        "mkdocs.yml": (CASES / "nested-marker" / "mkdocs.yml").read_text() + "hooks:\n  - hooks.py\n",
        "hooks.py": HOOK,
        f"generated/{name}.md": text,
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\nIntro.\n",
    })


def macros_project(tmp_path: Path, lesson: str, part: str) -> Path:
    """A pro lesson whose text mkdocs-macros expands after courseforge cut it (`parts/part.md`)."""
    config = (CASES / "nested-marker" / "mkdocs.yml").read_text().replace("preview: 30", "preview: 1")
    return write_tree(tmp_path / "project", {
        "mkdocs.yml": config.replace("  - mermaid2\n", "  - mermaid2\n  - macros:\n      include_dir: parts\n"),
        "parts/part.md": part,
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": f"---\ntitle: Lesson\nsummary: A real lesson.\n---\n{lesson}",
    })


@pytest.mark.parametrize(("lesson", "part", "added"), [
    ('{% include "part.md" %}\n\nOwn words.\n\n<!-- pro -->\n\nSECRET own.\n',
     "Shared intro.\n\n<!-- pro -->\n\nSECRET shared.\n", "holds a <!-- pro --> line"),
    ('Short intro.\n\n{% include "part.md" %}\n', " ".join(f"SECRET{i}" for i in range(300)) + "\n",
     "reads 302 words where the preview courseforge cut has 4"),
])
def test_text_a_later_plugin_adds_to_a_preview_stops_the_build(tmp_path, lesson, part, added):
    """courseforge cuts the Markdown it reads; mkdocs-macros expands its includes later."""
    result = run_mkdocs(macros_project(tmp_path, lesson, part), "build")
    assert_stopped(result, f"lessons/course/lesson.md: the public page of this lesson {added}: a plugin added text")


def assert_stopped(result, message: str) -> None:
    """The build failed with this message, no traceback, and no locked word in what it printed."""
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert message in result.stderr, result.stderr
    assert "SECRET" not in result.stderr


def meta_project(tmp_path: Path, extra: dict[str, str]) -> Path:
    """A course built with Material's meta plugin, which merges folder `.meta.yml` files into pages."""
    config = (CASES / "nested-marker" / "mkdocs.yml").read_text().replace("preview: 30", "preview: 1")
    return write_tree(tmp_path / "project", {
        "mkdocs.yml": config.replace("  - mermaid2\n", "  - mermaid2\n  - meta\n"),
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\nIntro.\n\n"
                                    "<!-- pro -->\n\n## Secret part\n\nSECRET words.\n",
        **extra,
    })


def test_lesson_settings_in_a_meta_plugin_file_are_author_errors(tmp_path):
    """Material's meta plugin merges `.meta.yml` after courseforge cut the pages: `preview: 0` or
    `pro_sections` there would lock nothing, in a course or outside one. Each key is named where it stands."""
    project = meta_project(tmp_path, {
        "lessons/course/.meta.yml": "tags: [shared]\naccess: pro\npreview: 0\npro_sections: [Secret part]\n",
        "lessons/guides/.meta.yml": "pro_sections: [Members only]\n",
        "lessons/guides/guide.md": "# Guide\n\nOpen.\n\n## Members only\n\nSECRET guide.\n",
    })
    result = run_mkdocs(project, "build")
    assert_stopped(result, "lessons/course/.meta.yml:2: access: courseforge reads 'access' from each page's own "
                           "front matter, not from the meta plugin's .meta.yml")
    for where in ("lessons/course/.meta.yml:3: preview:", "lessons/course/.meta.yml:4: pro_sections:",
                  "lessons/guides/.meta.yml:1: pro_sections:"):
        assert where in result.stderr, result.stderr
    assert "tags" not in result.stderr


def test_a_meta_plugin_file_with_public_keys_only_builds(tmp_path):
    project = meta_project(tmp_path, {"lessons/course/.meta.yml": "tags: [shared]\n"})
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "SECRET" not in (project / "site" / "course" / "lesson" / "index.html").read_text()


def test_lesson_keys_a_later_plugin_sets_on_a_page_stop_the_build(tmp_path):
    """Any plugin or hook: a key set on page.meta after courseforge cut the page would lock nothing."""
    project = meta_project(tmp_path, {"hooks.py": "def on_page_markdown(markdown, page, **kwargs):\n"
                                                  "    page.meta['pro_sections'] = ['Secret part']\n"})
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - hooks.py\n")
    result = run_mkdocs(project, "build")
    assert_stopped(result, ": a plugin set pro_sections on this page after courseforge cut it, so they lock nothing")


SHARED_LOCKED = "Shared open words.\n\n<!-- pro -->\n\nSECRET shared words.\n"
LONG_SHARED = " ".join(f"SECRET{i}" for i in range(400)) + "\n"


def snippet_project(tmp_path: Path, shared: str, pages: dict[str, str]) -> Path:
    """A course with pymdownx.snippets (base path snippets/, outside docs_dir): a pro lesson with a
    one-minute preview includes snippets/shared.md after its opening; `pages` include it too."""
    config = (CASES / "includes" / "mkdocs.yml").read_text().replace("preview: 30", "preview: 1")
    return write_tree(tmp_path / "project", {
        "mkdocs.yml": config.replace("words_per_minute: 230", "words_per_minute: 200"),
        "snippets/shared.md": shared,
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\n"
                                    + " ".join(["Opening words."] * 120) + '\n\n--8<-- "shared.md"\n',
        **pages,
    })


@pytest.mark.parametrize(("page_path", "text", "line"), [
    ("lessons/about.md", "# About\n\n--8<-- \"shared.md\"\n", 3),
    ("lessons/course/index.md", "---\ntitle: Course\nsummary: A real course.\n---\n--8<-- \"shared.md\"\n", 5),
])
def test_a_marker_a_page_that_is_no_lesson_includes_is_an_author_error(tmp_path, page_path, text, line):
    """The marker locks the pro lesson's part of a shared file; a page outside every course or a course
    page including that file would publish it whole, and the marker there locks nothing."""
    result = run_mkdocs(snippet_project(tmp_path, SHARED_LOCKED, {page_path: text}), "build")
    assert_stopped(result, f"{page_path}:{line}: <!-- pro -->: a marker (from snippets/shared.md, which it includes) "
                           "on a page that is no lesson: nothing here is locked")


def test_a_free_lesson_including_a_file_that_locks_part_of_it_is_an_author_error(tmp_path):
    """The shared file's marker locks what follows it in the pro lesson; a free lesson shows it whole."""
    page = "---\ntitle: Free\nsummary: S.\naccess: free\n---\nIntro.\n\n--8<-- \"shared.md\"\n"
    result = run_mkdocs(snippet_project(tmp_path, SHARED_LOCKED, {"lessons/course/free.md": page}), "build")
    assert_stopped(result, "lessons/course/free.md:8: include: includes snippets/shared.md, whose <!-- pro --> line "
                           "locks what follows it, but this lesson is free and would publish it whole")


SHARED_EXAMPLE = "To end a preview, write this line:\n\n```markdown\n<!-- pro -->\n```\n\nOr indented:\n\n    <!-- pro -->\n"


@pytest.mark.parametrize("page_path", ["lessons/about.md", "lessons/course/index.md", "lessons/course/free.md"])
def test_a_marker_shown_in_code_is_an_example_on_any_page(tmp_path, page_path):
    """Only a marker that stands as a line of the text locks; one in a fence is shown, anywhere, also included."""
    front = {"lessons/about.md": "", "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\n",
             "lessons/course/free.md": "---\ntitle: Free\nsummary: S.\naccess: free\n---\n"}[page_path]
    project = snippet_project(tmp_path, "Open words.\n", {page_path: front + SHARED_EXAMPLE + '\n--8<-- "example.md"\n',
                                                          "snippets/example.md": SHARED_EXAMPLE})
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    for command in (["check", "--strict"], ["audit", "site"]):
        done = subprocess.run([sys.executable, "-m", "courseforge.cli", *command], cwd=project,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, (command, done.stdout + done.stderr)


def test_a_file_a_pro_lesson_shows_in_its_preview_may_be_shared(tmp_path):
    project = snippet_project(tmp_path, "Shared open words.\n", {"lessons/about.md": "# About\n\n--8<-- \"shared.md\"\n"})
    lesson = project / "lessons" / "course" / "lesson.md"
    lesson.write_text(lesson.read_text().replace(" ".join(["Opening words."] * 120), "Opening words.")
                      + "\n" + LONG_SHARED.replace("SECRET", "LOCKED"))
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "Shared open words." in (project / "site" / "about" / "index.html").read_text()
    assert "LOCKED9 " not in (project / "site" / "course" / "lesson" / "index.html").read_text()


def test_a_marker_a_later_plugin_renders_on_a_page_that_is_no_lesson_stops_the_build(tmp_path):
    """courseforge never reads what mkdocs-macros includes: the rendered page is checked instead."""
    project = macros_project(tmp_path, "Intro.\n", SHARED_LOCKED)
    (project / "lessons" / "about.md").write_text('# About\n\n{% include "part.md" %}\n')
    result = run_mkdocs(project, "build")
    assert_stopped(result, "courseforge: about.md: this page holds a <!-- pro --> line, but it is no lesson")


def test_images_a_later_plugin_copies_after_the_build_are_pruned_too(tmp_path):
    """Material's optimize plugin takes images out of MkDocs' files and copies them in its own
    post-build step: listed after courseforge, an image only locked text shows must still go."""
    config = (CASES / "nested-marker" / "mkdocs.yml").read_text()
    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": config.replace("  - mermaid2\n", "  - mermaid2\n  - optimize\n"),
        # pngquant's --skip-if-larger writes nothing: the plugin then copies the original image
        "bin/pngquant": "#!/bin/sh\nexit 0\n",
        "lessons/course/index.md": "---\ntitle: Course\nsummary: A real course.\n---\nCourse page.\n",
        "lessons/course/lesson.md": "---\ntitle: Lesson\nsummary: A real lesson.\n---\nOpen words.\n\n"
                                    "![Shown](shown.png)\n\n<!-- pro -->\n\nSECRET words.\n\n![Locked](locked.png)\n",
    })
    (project / "bin" / "pngquant").chmod(0o755)
    for name in ("shown", "locked"):
        Image.new("RGB", (8, 8), "teal").save(project / "lessons" / "course" / f"{name}.png")
    path = f"{project / 'bin'}:{Path(sys.executable).parent}:/usr/bin:/bin"
    for edition in EDITIONS:
        result = run_mkdocs(project, "build", "--strict", "--site-dir", f"site-{edition}", edition=edition,
                            env={"PATH": path})
        assert result.returncode == 0, result.stderr
    assert (project / "site-public" / "course" / "shown.png").is_file()
    assert not (project / "site-public" / "course" / "locked.png").exists()
    assert (project / "site-pro" / "course" / "locked.png").is_file()


def test_variables_a_later_plugin_expands_in_a_preview_are_fine(tmp_path):
    lesson = "Welcome to {{ config.site_name }}.\n\n<!-- pro -->\n\nLocked words.\n"
    project = macros_project(tmp_path, lesson, "unused\n")
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    page_text = (project / "site" / "course" / "lesson" / "index.html").read_text()
    assert "Welcome to Nested Marker Cases." in page_text and "Locked words" not in page_text


# --- (11) free-only course; preview: 0; a lesson shorter than its preview -----------------------

@pytest.mark.parametrize("url", ["open-course/", "open-course/one/", "open-course/two/"])
def test_free_only_course_offers_nothing_to_unlock(builds, url):
    soup = page(builds.site("free-and-zero", "public"), url)
    assert soup.select("section.cf-cta") == []
    text = visible_text(soup).casefold()
    assert "unlock" not in text and "free preview" not in text


def test_course_with_pro_lessons_keeps_its_call_to_action(builds):
    assert page(builds.site("free-and-zero", "public"), "paid/").select("section.cf-cta")


def test_zero_minute_preview_shows_no_body_and_names_the_course(builds):
    soup = page(builds.site("free-and-zero", "public"), "paid/zero/")
    body = soup.select_one(".cf-lesson__body")
    assert body is None or visible_text(body) == ""
    assert soup.select("[data-cf-paywall]")
    note = soup.select_one("aside.cf-preview-note")
    assert note is not None
    assert "This lesson is part of Paid Course" in visible_text(note)
    assert not re.search(r"\b0 minutes?\b", visible_text(note))


def test_check_warns_about_a_pro_lesson_shorter_than_its_preview(tmp_path):
    project = copy_project(CASES / "free-and-zero", tmp_path / "project")
    path = f"{Path(sys.executable).parent}:/usr/bin:/bin"
    result = subprocess.run([sys.executable, "-m", "courseforge.cli", "check"], cwd=project, capture_output=True,
                            text=True, timeout=600, env={"NO_MKDOCS_2_WARNING": "1", "PATH": path})
    assert result.returncode == 0, result.stdout + result.stderr
    warnings = [line for line in (result.stdout + result.stderr).splitlines() if "shorter than its preview" in line]
    assert [line for line in warnings if "short.md" in line] != [], result.stdout + result.stderr
    assert [line for line in warnings if "short.md" not in line] == []


# --- (12) an ordinary author's course ----------------------------------------------------------

def test_ordinary_course_lists_every_lesson_of_its_modules(builds):
    site = builds.site("ordinary", "public")
    assert syllabus_targets(site, "product-analytics/") == {
        "product-analytics/01-foundations/what-is-a-metric/", "product-analytics/01-foundations/north-star/",
        "product-analytics/02-metrics/funnels/", "product-analytics/02-metrics/retention/",
        "product-analytics/02-metrics/joins/"}


@pytest.mark.parametrize("edition", EDITIONS)
def test_ordinary_odd_title_shows_as_written(builds, edition):
    soup = page(builds.site("ordinary", edition), "product-analytics/02-metrics/joins/")
    assert soup.select_one("h1").get_text(strip=True) == "What's a JOIN & why?"
    course = page(builds.site("ordinary", edition), "product-analytics/")
    assert course.select_one("h1").get_text(strip=True) == "Product Analytics: Metrics & Meaning"


def test_ordinary_minute_limited_lesson_previews_its_intro_only(builds):
    url = "product-analytics/02-metrics/retention/"
    public = body_elements(page(builds.site("ordinary", "public"), url))
    pro = body_elements(page(builds.site("ordinary", "pro"), url))
    assert public == pro[:3]


def test_ordinary_definitions_used_by_the_preview_are_public(builds):
    soup = page(builds.site("ordinary", "public"), "product-analytics/01-foundations/what-is-a-metric/")
    assert [abbr.get("title") for abbr in soup.select(".cf-lesson__body abbr")] == ["Product manager PUBLICABBRPM"]
    footnotes = soup.select(".cf-lesson__body div.footnote li")
    assert [re.findall(r"[A-Z]{6,}", visible_text(li)) for li in footnotes] == [["PUBLICFOOTNOTEPM"]]
