"""The plugins authors combine with Material, each beside courseforge.

For every plugin, the tiny course of tests/fixtures/plugins is built with the plugin enabled,
in both editions, with real strict MkDocs builds in this process. Every locked passage holds a
token CANARY…, every public one a token PUBLIC…: no CANARY token may appear in any file of the
public site (pages, feeds, search index, print page, llms.txt, …), the pro site holds every
one, and each plugin's own output is checked to exist and to hold the public text, so a plugin
that silently did nothing would fail too. Zensical, which runs no MkDocs plugin, is shown to
publish lessons whole and to be caught by `courseforge audit`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from course_builder import CANARY, PUBLIC, build_in_process, html_pages, page, source_tokens, write_tree
from courseforge.core import syntax
from sites import FIXTURES, build, run_mkdocs, site_files

COURSE = FIXTURES / "plugins"
LOCKED_LESSON = (COURSE / "lessons" / "course" / "locked.md").read_text(encoding="utf-8")
EDITIONS = ("public", "pro")
SYSTEM_FONTS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")]


def translated(text: str) -> str:
    """The same lesson 'in French': its tokens renamed, so each language's text is told apart."""
    return text.replace("CANARY", "CANARYFR").replace("PUBLIC", "PUBLICFR")


def french(layout: str) -> dict[str, str]:
    """The course in French beside the English one, in mkdocs-static-i18n's suffix or folder layout."""
    sources = {path.name: path.read_text(encoding="utf-8") for path in (COURSE / "lessons" / "course").glob("*.md")}
    if layout == "suffix":
        return {f"lessons/course/{name[:-3]}.fr.md": translated(text) for name, text in sources.items()}
    return {f"lessons/{language}/course/{name}": translated(text) if language == "fr" else text
            for name, text in sources.items() for language in ("en", "fr")}


def i18n(layout: str) -> dict:
    return {"i18n": {"docs_structure": layout, "languages": [
        {"locale": "en", "default": True, "name": "English"}, {"locale": "fr", "name": "Français"}]}}


def social_fonts() -> dict[str, bytes]:
    """A system font where Material's social plugin looks before downloading from Google Fonts."""
    for folder in SYSTEM_FONTS:
        regular = sorted(folder.glob("*Sans.ttf")) + sorted(folder.glob("*Sans-Regular.ttf"))
        if regular:
            return {".cache/plugin/social/fonts/Cards/Regular.ttf": regular[0].read_bytes()}
    pytest.skip("no DejaVu or Liberation font on this machine for the social cards (no network here)")


@dataclass(frozen=True)
class Case:
    plugins: list                                  # entries of mkdocs.yml `plugins:` after courseforge
    files: dict[str, str] = field(default_factory=dict)   # project files to add (or replace)
    remove: tuple[str, ...] = ()                   # project folders to delete first
    settings: dict = field(default_factory=dict)   # other top-level mkdocs.yml settings
    git: bool = False                              # make the project a git repository
    package: str = ""                              # the PyPI distribution (for the version)


MACRO_LESSON = """---
title: Macro Lesson
summary: Uses a variable of mkdocs-macros.
order: 4
preview: 30
---
Built for {{ config.site_name }} PUBLICMACRO.

## Anchored heading { #anchored }

Macro preview text PUBLICMACROSECTION.

<!-- pro -->

Locked macro text CANARYMACRO.
"""

INCLUDE_LESSON = """---
title: Include Lesson
summary: Most of it comes from an included file.
order: 5
preview: 30
---
Include preview PUBLICINCLUDE.

{% include-markdown "../../includes/part.md" %}
"""

BLOG = {
    # A blog's index page with a title and a summary: still the blog's, no course.
    "lessons/blog/index.md": "---\ntitle: News\nsummary: What is new in the courses.\n---\n# News\n",
    "lessons/blog/posts/hello.md": ("---\ndate: 2026-01-02\ncategories: [Releases]\n---\n# Hello\n\n"
                                    "A new course is out PUBLICPOST.\n\n<!-- more -->\n\nMore about it PUBLICPOSTMORE.\n"),
}

CASES: dict[str, Case] = {
    "material/blog": Case(["blog"], BLOG, package="mkdocs-material"),
    "material/tags": Case(["tags"], {"lessons/tags.md": "# Tags\n\n<!-- material/tags -->\n",
                                     "lessons/course/locked.md": LOCKED_LESSON.replace("order: 2\n",
                                                                                       "order: 2\ntags: [Basics]\n")},
                          package="mkdocs-material"),
    "material/social": Case([{"social": {"cards_layout_options": {"font_family": "Cards"}}}],
                            package="mkdocs-material"),
    "material/offline": Case(["offline"], package="mkdocs-material"),
    "material/privacy": Case(["privacy"], package="mkdocs-material"),
    "material/search": Case([], package="mkdocs-material"),
    # With an exercise: the pro edition then has a generated workbook page, which crashed rss.
    "mkdocs-rss-plugin": Case(["rss"], {
        "exercises/practice.yml": "title: Practice\ndifficulty: easy\nminutes: 5\ninstructions: Do it.\n"
                                  "expected_outcome: Done.\nhints: [Start small.]\nsuccess_criteria: [It works.]\n",
        "lessons/course/free.md": (COURSE / "lessons/course/free.md").read_text(encoding="utf-8").replace(
            "---\n", "---\nexercises: [practice]\n", 1)}, git=True, package="mkdocs-rss-plugin"),
    "mkdocs-static-i18n (suffix)": Case([i18n("suffix")], french("suffix"), package="mkdocs-static-i18n"),
    "mkdocs-static-i18n (folder)": Case([i18n("folder")], french("folder"), remove=("lessons/course",),
                                        package="mkdocs-static-i18n"),
    "mkdocs-print-site-plugin": Case(["print-site"], package="mkdocs-print-site-plugin"),
    # Its page appended to the nav after courseforge's on_nav, beside the blog's: pruned per-page navs crashed.
    "mkdocs-print-site-plugin (in the nav)": Case(["blog", {"print-site": {"add_to_navigation": True}}], BLOG,
                                                  package="mkdocs-print-site-plugin"),
    "mkdocs-llmstxt": Case([{"llmstxt": {"full_output": "llms-full.txt", "sections": {"Course": ["course/*.md"]}}}],
                           package="mkdocs-llmstxt"),
    "mkdocs-minify-plugin": Case([{"minify": {"minify_html": True, "minify_js": True, "minify_css": True}}],
                                 package="mkdocs-minify-plugin"),
    "mkdocs-redirects": Case([{"redirects": {"redirect_maps": {"old-lesson.md": "course/locked.md"}}}],
                             package="mkdocs-redirects"),
    "mkdocs-git-revision-date-localized-plugin": Case(["git-revision-date-localized"], git=True,
                                                      package="mkdocs-git-revision-date-localized-plugin"),
    "mkdocs-macros-plugin": Case(["macros"], {"lessons/course/macro.md": MACRO_LESSON}, package="mkdocs-macros-plugin"),
    "mkdocs-include-markdown-plugin": Case(["include-markdown"], {
        "lessons/course/included.md": INCLUDE_LESSON,
        "includes/part.md": "Included and public PUBLICINCLUDED.\n\n<!-- pro -->\n\nIncluded and locked CANARYINCLUDED.\n",
    }, package="mkdocs-include-markdown-plugin"),
    "mkdocs-awesome-nav": Case(["awesome-nav"], {"lessons/course/.nav.yml": "nav:\n  - index.md\n  - sections.md\n  - '*'\n"},
                               package="mkdocs-awesome-nav"),
}


def make_project(root: Path, case: Case) -> Path:
    """The tiny course with the case's plugin after courseforge (the config as an author writes it)."""
    project = root / "project"
    shutil.copytree(COURSE, project)
    for folder in case.remove:
        shutil.rmtree(project / folder)
    if case.plugins and "social" in case.plugins[0]:
        write_tree(project, social_fonts())
    write_tree(project, case.files)
    config = yaml.safe_load((COURSE / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] += case.plugins
    config.update(case.settings)
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    if case.git:
        git = ["git", "-c", "user.name=Author", "-c", "user.email=author@example.com"]
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "Course"]):
            subprocess.run([*git, *command], cwd=project, check=True, capture_output=True)
    return project


@dataclass
class Built:
    project: Path
    public: Path
    pro: Path

    def site(self, edition: str) -> Path:
        return self.public if edition == "public" else self.pro


class Builds:
    """Each case built once (both editions), on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.done: dict[str, Built] = {}

    def __getitem__(self, name: str) -> Built:
        if name not in self.done:
            case_root = self.root / re.sub(r"\W+", "-", name)
            project = make_project(case_root, CASES[name])
            # Some plugins resolve their caches and git repository from the working directory.
            with contextlib.chdir(project):
                sites = [build_in_process(project / "mkdocs.yml", case_root / edition, edition) for edition in EDITIONS]
            self.done[name] = Built(project, *sites)
        return self.done[name]


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> Builds:
    return Builds(tmp_path_factory.mktemp("plugins"))


def tokens(site: Path, pattern: re.Pattern) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, text in site_files(site).items():
        for token in pattern.findall(text):
            found.setdefault(token, set()).add(name)
    return found


# --- every plugin: both editions build, nothing locked in the public site --------------------

@pytest.mark.parametrize("name", CASES)
def test_public_site_holds_no_locked_text_with_the_plugin(builds, name):
    assert tokens(builds[name].public, CANARY) == {}


@pytest.mark.parametrize("name", CASES)
def test_pro_site_holds_every_locked_and_public_text(builds, name):
    built = builds[name]
    expected = source_tokens(built.project, CANARY) | source_tokens(built.project, PUBLIC)
    assert expected - tokens(built.pro, CANARY).keys() - tokens(built.pro, PUBLIC).keys() == set()


@pytest.mark.parametrize("name", CASES)
def test_public_site_keeps_the_public_text_and_the_paywall(builds, name):
    built = builds[name]
    missing = source_tokens(built.project, PUBLIC) - tokens(built.public, PUBLIC).keys()
    assert missing == set()
    # Both URL styles (the offline plugin turns directory URLs off).
    locked = [path for path in built.public.rglob("*.html") if "locked" in (path.stem, path.parent.name)]
    assert locked, "the locked lesson is built"
    assert all(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select("[data-cf-paywall]")
               for path in locked)


@pytest.mark.parametrize("name", CASES)
def test_audit_passes_the_public_site_with_the_plugin(builds, name):
    from courseforge.audit import audit
    from courseforge.cli import audit_settings
    from courseforge.project import load_project

    built = builds[name]
    settings = audit_settings(load_project(built.project / "mkdocs.yml"))
    assert [str(finding) for finding in audit(built.public, built.pro, built.project / "lessons", **settings)] == []


# --- each plugin's own output ---------------------------------------------------------------

def test_blog_beside_the_courses_is_no_course(builds):
    public = builds["material/blog"].public
    home = page(public, "").select_one(".md-content").get_text(" ")
    assert "A small course for trying plugins beside courseforge." in home
    assert "What is new in the courses." not in home
    assert "PUBLICPOSTMORE" in (public / "blog" / "2026" / "01" / "02" / "hello" / "index.html").read_text()
    assert (public / "blog" / "category" / "releases" / "index.html").is_file()


def test_blog_builds_again_in_the_same_project(builds, tmp_path):
    built = builds["material/blog"]
    with contextlib.chdir(built.project):
        again = build_in_process(built.project / "mkdocs.yml", tmp_path / "again", "public")
    assert tokens(again, CANARY) == {}
    assert (again / "blog" / "index.html").is_file()


def test_marker_in_a_blog_post_is_an_author_error(tmp_path):
    """Posts are pages outside every course, though the blog sets them aside until its nav is built."""
    post = BLOG["lessons/blog/posts/hello.md"].replace("<!-- more -->", "<!-- pro -->")
    project = make_project(tmp_path, Case(["blog"], {**BLOG, "lessons/blog/posts/hello.md": post}))
    result = run_mkdocs(project, "build")
    assert result.returncode == 1
    assert ("lessons/blog/posts/hello.md:9: <!-- pro -->: a marker on a page that is no lesson: "
            "nothing here is locked") in result.stderr
    assert "Traceback" not in result.stderr


def test_tags_index_lists_the_lesson_and_the_lesson_its_tag(builds):
    public = builds["material/tags"].public
    tags = page(public, "tags/")
    assert "Basics" in tags.get_text()
    assert tags.select_one('a[href$="course/locked/"]') is not None
    assert [tag.get_text(strip=True) for tag in page(public, "course/locked/").select(".md-tag")] == ["Basics"]


def test_social_cards_are_drawn_offline_for_every_page(builds):
    public = builds["material/social"].public
    cards = {path.relative_to(public).as_posix() for path in (public / "assets/images/social").rglob("*.png")}
    assert {"assets/images/social/course/locked.png", "assets/images/social/index.png"} <= cards
    image = page(public, "course/locked/").select_one('meta[property="og:image"]')["content"]
    assert image.endswith("assets/images/social/course/locked.png")


def test_offline_plugin_writes_the_search_index_as_a_script(builds):
    public = builds["material/offline"].public
    script = (public / "search" / "search_index.js").read_text(encoding="utf-8")
    assert "PUBLICPREVIEW" in script


# Every way a page makes the browser fetch something: the privacy plugin's own patterns.
LOADING_ATTRIBUTES = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src", "audio": "src"}
LOADING_LINKS = {"stylesheet", "preload", "modulepreload", "icon", "manifest"}
CSS_URL = re.compile(r"(?:url\(\s*[\"']?|@import\s+[\"'])((?:https?:)?//[^\"')\s]+)", re.IGNORECASE)
JS_URL = re.compile(r"[\"']((?:https?:)?//[^\"']+\.(?:css|js(?:on)?))[\"']")


def off_site(url: str, own_host: str) -> bool:
    """An absolute URL on a host other than the site's own (site_url's)."""
    return url.startswith(("http:", "https:", "//")) and urlsplit(url).netloc not in ("", own_host)


def requests_off_the_machine(site: Path, own_host: str = "public.example.com") -> list[str]:
    found: list[str] = []
    for path in site.rglob("*"):
        name = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            urls = [tag.get(attribute, "") for tag_name, attribute in LOADING_ATTRIBUTES.items()
                    for tag in soup.find_all(tag_name)]
            urls += [link.get("href", "") for link in soup.find_all("link") if LOADING_LINKS & set(link.get("rel", []))]
            urls += [url for style in soup.find_all("style") for url in CSS_URL.findall(style.get_text())]
        elif path.suffix == ".css":
            urls = CSS_URL.findall(path.read_text(encoding="utf-8"))
        elif path.suffix == ".js":
            urls = JS_URL.findall(path.read_text(encoding="utf-8"))
        else:
            continue
        found += [f"{name}: {url}" for url in urls if off_site(url, own_host)]
    return found


def test_privacy_leaves_no_request_off_the_machine(builds):
    public = builds["material/privacy"].public
    assert requests_off_the_machine(public) == []
    # Material's Mermaid is served from the site: the privacy plugin took courseforge's copy.
    assert (public / "assets/external/unpkg.com/mermaid@11/dist/mermaid.min.js").is_file()


def test_privacy_check_sees_what_plain_material_would_request(builds):
    """The check above is not blind: the search case, without privacy, names Material's Mermaid."""
    assert any("unpkg.com/mermaid" in found for found in requests_off_the_machine(builds["material/search"].public))


def test_search_index_has_the_preview_not_the_locked_text(builds):
    for edition, present in (("public", False), ("pro", True)):
        index = (builds["material/search"].site(edition) / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "PUBLICPREVIEW" in index
        assert ("CANARYMARKER" in index) is present


def test_rss_feed_lists_lessons_with_their_summaries(builds):
    feed = (builds["mkdocs-rss-plugin"].public / "feed_rss_created.xml").read_text(encoding="utf-8")
    assert "Its preview ends at the pro marker." in feed
    assert "course/locked/" in feed


@pytest.mark.parametrize("layout", ["suffix", "folder"])
def test_i18n_locks_each_language_in_its_own_course(builds, layout):
    built = builds[f"mkdocs-static-i18n ({layout})"]
    for prefix, token, badge, left in (("", "PUBLICPREVIEW", "Pro Lesson", "min left"),
                                       ("fr/", "PUBLICFRPREVIEW", "Leçon Pro", "encore ~")):
        lesson = page(built.public, f"{prefix}course/locked/")
        # each language's lessons are locked, and the paywall speaks that language
        assert lesson.select_one(".cf-paywall__badge").get_text(" ", strip=True).startswith(badge)
        assert left in lesson.select_one(".cf-paywall__left").get_text()
        assert token in lesson.get_text()
        home = page(built.public, prefix)
        assert home.select_one('a[href="course/"]') is not None
    french_lesson = page(built.pro, "fr/course/locked/").get_text()
    assert "CANARYFRMARKER" in french_lesson and "CANARYMARKER" not in french_lesson


@pytest.mark.parametrize("layout", ["suffix", "folder"])
def test_the_audit_reads_each_language_s_locked_text_from_its_own_source(builds, layout, tmp_path):
    """A French page published with its French locked text: only the French source says it is locked
    (both editions of the page would show it alike)."""
    from courseforge.audit import audit

    built = builds[f"mkdocs-static-i18n ({layout})"]
    site = Path(shutil.copytree(built.public, tmp_path / "site"))
    page = site / "fr" / "course" / "locked" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "PUBLICFRPREVIEW.", "PUBLICFRPREVIEW. Locked after the marker CANARYFRMARKER, with more words to read.", 1),
        encoding="utf-8")
    found = {(f.kind, f.file) for f in audit(site, built.pro, built.project / "lessons")}
    assert ("locked-text", "fr/course/locked/index.html") in found


def test_print_page_holds_the_previews_and_only_the_pro_edition_the_rest(builds):
    built = builds["mkdocs-print-site-plugin"]
    public = (built.public / "print_page" / "index.html").read_text(encoding="utf-8")
    pro = (built.pro / "print_page" / "index.html").read_text(encoding="utf-8")
    assert "PUBLICPREVIEW" in public and "PUBLICSECTIONS" in public
    assert "CANARYMARKER" in pro and "CANARYSECTION" in pro
    assert "<h1>Locked Lesson</h1>" in public
    notices = BeautifulSoup(public, "html.parser").select("[data-cf-paywall]")
    assert [" ".join(notice.get_text().split()) for notice in notices] == [
        f"The rest of “{title}” is part of Matrix Course. Unlock Matrix Course" for title in
        ("Locked Lesson", "Sections Lesson")]
    assert BeautifulSoup(pro, "html.parser").select("[data-cf-paywall]") == []


def test_print_page_is_in_the_pruned_nav_of_every_page(builds):
    built = builds["mkdocs-print-site-plugin (in the nav)"]
    for edition in EDITIONS:
        pages = html_pages(built.site(edition))
        assert {"course/locked/index.html", "blog/index.html", "print_page/index.html"} <= pages.keys()
        for name, soup in pages.items():
            links = {urljoin(f"/{name}", a["href"]): a.get_text(strip=True)
                     for a in soup.select("nav.md-nav--primary > ul > li > a.md-nav__link[href]")}
            assert links.get("/print_page/") == "Print Site", (edition, name, links)
            # the per-page nav: away from the course, the course is one pruned link
            assert bool(soup.select("li.md-nav__item--pruned")) is (not name.startswith("course/")), (edition, name)


def test_llms_txt_and_markdown_copies_hold_the_preview_only(builds):
    built = builds["mkdocs-llmstxt"]
    for edition, present in (("public", False), ("pro", True)):
        site = built.site(edition)
        for text in ((site / "llms-full.txt").read_text(encoding="utf-8"),
                     (site / "course" / "locked" / "index.md").read_text(encoding="utf-8")):
            assert "PUBLICPREVIEW" in text
            assert ("CANARYMARKER" in text) is present
    assert "course/locked/index.md" in (built.public / "llms.txt").read_text(encoding="utf-8")


def test_minify_minifies_lesson_pages(builds):
    html = (builds["mkdocs-minify-plugin"].public / "course" / "locked" / "index.html").read_text(encoding="utf-8")
    assert "PUBLICPREVIEW" in html and "\n    " not in html


def test_redirect_leads_to_the_lesson(builds):
    redirect = (builds["mkdocs-redirects"].public / "old-lesson" / "index.html").read_text(encoding="utf-8")
    assert "course/locked/" in redirect


def test_git_revision_date_shows_on_lessons(builds):
    lesson = page(builds["mkdocs-git-revision-date-localized-plugin"].public, "course/locked/")
    assert lesson.select_one(".git-revision-date-localized-plugin") is not None


def test_macros_render_in_the_preview(builds):
    lesson = page(builds["mkdocs-macros-plugin"].public, "course/macro/")
    assert "Built for Plugin Matrix PUBLICMACRO." in lesson.get_text(" ")
    assert lesson.select_one("h2#anchored") is not None


def test_macros_jinja_comment_clash_is_an_author_error(tmp_path):
    """`{#id}` reads as a Jinja comment under mkdocs-macros: one clear message, no traceback."""
    case = CASES["mkdocs-macros-plugin"]
    clashing = MACRO_LESSON.replace("{ #anchored }", "{#anchored}")
    project = make_project(tmp_path, Case(case.plugins, {"lessons/course/macro.md": clashing}))
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert ("lessons/course/macro.md:9: {#anchored}: mkdocs-macros reads '{#' as the start of a Jinja comment; "
            "write the attribute list as '{ #anchored}' (a space after the brace)") in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("line", "clash"), [
    ("## Title {#anchored}", True), ("A paragraph. {#note .tip}", True), ("## Title { #anchored }", False),
    ("## Title {: #anchored }", False), ("{# a Jinja comment #}", False), ("{#note#}", False), ("{#- trimmed -#}", False),
])
def test_only_attribute_lists_count_as_the_jinja_comment_clash(line, clash):
    assert (syntax.JINJA_COMMENT_ATTRIBUTES.search(line) is not None) is clash


def test_included_file_is_cut_at_its_marker(builds):
    built = builds["mkdocs-include-markdown-plugin"]
    public = page(built.public, "course/included/")
    assert "PUBLICINCLUDED" in public.get_text() and public.select_one("[data-cf-paywall]") is not None
    assert "CANARYINCLUDED" in page(built.pro, "course/included/").get_text()


def test_awesome_nav_orders_the_navigation(builds):
    lesson = page(builds["mkdocs-awesome-nav"].public, "course/")
    links = [a["href"] for a in lesson.select("nav.md-nav--primary a.md-nav__link[href]")]
    assert links.index("sections/") < links.index("free/")


# --- Zensical: runs no MkDocs plugin; the audit is the gate that catches it --------------------

def test_zensical_publishes_lessons_whole_and_the_audit_fails(tmp_path):
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical, "zensical is installed with the test extra"
    project = make_project(tmp_path, Case([], {"lessons/index.md": "---\ntitle: Home\n---\nWelcome.\n"}))
    build = subprocess.run([zensical, "build"], cwd=project, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stderr
    assert "CANARYMARKER" in (project / "site" / "course" / "locked" / "index.html").read_text(encoding="utf-8")
    courseforge = shutil.which("courseforge", path=str(Path(sys.executable).parent))
    audit = subprocess.run([courseforge, "audit", "site"], cwd=project,
                           capture_output=True, text=True, timeout=600)
    assert audit.returncode == 1
    assert "locked-text: course/locked/index.html" in audit.stdout + audit.stderr


# --- the table of the README --------------------------------------------------------------------

def plugin_table(builds: Builds) -> list[tuple[str, str, str, str, int]]:
    rows = []
    for name, case in CASES.items():
        built = builds[name]
        rows.append((name, version(case.package), "yes", "yes", len(tokens(built.public, CANARY))))
    return rows


def test_print_the_plugin_table(builds, capsys):
    rows = plugin_table(builds)
    with capsys.disabled():
        print("\n| plugin | version | public builds | pro builds | leaks |\n|---|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(map(str, row)) + " |")
    assert [row[4] for row in rows] == [0] * len(CASES)


def test_a_lesson_not_yet_translated_in_the_folder_layout_names_the_fallback(builds, tmp_path):
    """mkdocs-static-i18n shows the English lesson in the French site, from the English folder: it
    is in no French course, so courseforge cannot lock it there, and says why."""
    from sites import run_mkdocs

    project = Path(shutil.copytree(builds["mkdocs-static-i18n (folder)"].project, tmp_path / "project",
                                   ignore=shutil.ignore_patterns("site", "site-*", ".cache")))
    (project / "lessons" / "fr" / "course" / "locked.md").unlink()
    result = run_mkdocs(project, "build")
    assert result.returncode != 0 and "Traceback" not in result.stderr + result.stdout
    assert ("lessons/en/course/locked.md:1: translation: mkdocs-static-i18n shows this lesson in place of its "
            "missing 'fr' translation") in result.stderr, result.stderr
    config = project / "mkdocs.yml"
    settings = yaml.safe_load(config.read_text())
    next(p for p in settings["plugins"] if isinstance(p, dict) and "i18n" in p)["i18n"]["fallback_to_default"] = False
    config.write_text(yaml.safe_dump(settings, allow_unicode=True))
    assert run_mkdocs(project, "build").returncode == 0


@pytest.mark.parametrize("layout", ["suffix", "folder"])
def test_check_judges_every_language_as_its_build_does(builds, layout, tmp_path):
    project = Path(shutil.copytree(builds[f"mkdocs-static-i18n ({layout})"].project, tmp_path / "project",
                                   ignore=shutil.ignore_patterns("site", "site-*", ".cache")))

    def check() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "courseforge.cli", "check"], cwd=project, capture_output=True,
                              text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    clean = check()
    assert clean.returncode == 0 and "ok: 2 courses" in clean.stdout, clean.stdout + clean.stderr
    french = project / "lessons" / ("course/locked.fr.md" if layout == "suffix" else "fr/course/locked.md")
    french.write_text(french.read_text(encoding="utf-8").replace("order: 2\n", "order: 2\nexercises: [missing-one]\n"),
                      encoding="utf-8")
    broken = check()
    assert broken.returncode != 0 and "Traceback" not in broken.stdout + broken.stderr
    assert f"{french.relative_to(project).as_posix()}:" in broken.stdout and "missing-one" in broken.stdout, broken.stdout


def test_material_projects_builds_a_course_project_with_courseforge_in_it(tmp_path):
    """Material's projects plugin builds each folder of projects/ as a site of its own, each with its
    own courseforge; it asks where every theme file comes from, minified ones too."""
    lesson = ("---\ntitle: Joins\nsummary: Locked by its marker.\n---\nPUBLICJOINS preview.\n\n<!-- pro -->\n\n"
              "CANARYJOINS locked.\n")
    courseforge = "  - courseforge:\n      edition: !ENV [COURSEFORGE_EDITION, public]\n"
    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": f"site_name: Root\ndocs_dir: lessons\ntheme: {{name: material}}\nplugins:\n  - search\n"
                      f"{courseforge}  - projects\n",
        "lessons/index.md": "# Home\n\nThe [SQL course](sql/).\n",
        "projects/sql/mkdocs.yml": f"site_name: SQL\ndocs_dir: docs\ntheme: {{name: material}}\nplugins:\n"
                                   f"  - search\n{courseforge}",
        "projects/sql/docs/course/index.md": "---\ntitle: SQL\nsummary: A course.\n---\nThe course.\n",
        "projects/sql/docs/course/joins.md": lesson,
    })
    site = build(project, tmp_path / "public", "public")
    joins = (site / "sql" / "course" / "joins" / "index.html").read_text(encoding="utf-8")
    assert "PUBLICJOINS" in joins and "cf-paywall" in joins
    assert not [path for path, text in site_files(site).items() if "CANARYJOINS" in text]
    assert "CANARYJOINS" in (build(project, tmp_path / "pro", "pro") / "sql/course/joins/index.html").read_text()
