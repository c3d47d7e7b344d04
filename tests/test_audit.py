"""The independent deploy gate on real builds: correct editions pass; every kind of leak is named.

Each break is made in a copy of a real public build and checked against the findings of the
unbroken build, so a test names exactly what its break adds.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from courseforge.audit import Finding, audit, words
from courseforge.cli import audit_settings
from courseforge.project import load_project
from sites import FIXTURES, ROOT, build

LOCKED = ("The locked paragraph explains how the retention model weighs recent support tickets, failed card "
          "payments and fewer weekly logins before the account managers call anyone.")

PREVIEW = "The preview paragraph says that a churn model ranks every customer by how likely they are to leave next month."
LESSON_A = f"""---
title: Lesson A
summary: How a churn model decides which customers to call first.
downloads:
  - title: Call script
    file: downloads/call-script.txt
---
{PREVIEW}

<!-- pro -->

{LOCKED}

![Ranking diagram](img/ranking.png)

Next lesson: [Lesson B](b.md)
"""

FILES = {
    "lessons/c/index.md": """---
title: Churn Course
summary: A course about predicting which customers are about to leave.
---
The course page body is public. Take the [course notes](downloads/notes.txt) with you.
""",
    "lessons/c/b.md": """---
title: Lesson B
summary: What to say when the model flags a customer.
---
The second lesson is short and entirely free to read in the preview.
""",
    "lessons/c/downloads/notes.txt": "Course notes: bring questions.\n",
    "lessons/c/downloads/call-script.txt": "Call script: hello, we noticed you have not logged in lately.\n",
}


def png() -> bytes:
    """A real one-pixel PNG image."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@dataclass(frozen=True)
class Course:
    public: Path
    pro: Path
    docs: Path
    baseline: frozenset[Finding]

    def added(self, public: Path) -> set[tuple[str, str, str]]:
        """What a broken copy of the public site adds to the findings of the real build."""
        return {(f.kind, f.file, f.page) for f in set(audit(public, self.pro, self.docs)) - self.baseline}

    def copy(self, target: Path) -> Path:
        return Path(shutil.copytree(self.public, target / "site"))


def write_project(project: Path, lesson_a: str, config: str = "") -> Path:
    project.mkdir(parents=True, exist_ok=True)
    canary = (FIXTURES / "canary" / "mkdocs.yml").read_text().replace("Canary Course", "Churn Course")
    (project / "mkdocs.yml").write_text(canary.replace("preview: 1", "preview: 3") + config)
    for name, text in {**FILES, "lessons/c/a.md": lesson_a}.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    (project / "lessons/c/img").mkdir()
    (project / "lessons/c/img/ranking.png").write_bytes(png())
    return project


# Lesson A with its preview also linking to Lesson B (see test_small_course_passes).
LINKED_LESSON_A = LESSON_A.replace(PREVIEW, PREVIEW.replace("month.", "month ([Lesson B](b.md) covers what to say)."))


def built_course(project: Path, config: str = "") -> Course:
    """The small course (Lesson A's preview links to Lesson B)."""
    write_project(project, LINKED_LESSON_A, config)
    public, pro = build(project, project / "site", "public"), build(project, project / "site-pro", "pro")
    return Course(public, pro, project / "lessons", frozenset(audit(public, pro, project / "lessons")))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    return built_course(tmp_path_factory.mktemp("audit-course"))


def test_sample_course_passes(sample_public, sample_pro):
    assert audit(sample_public, sample_pro, ROOT / "lessons") == []


def test_canary_course_passes(canary_public, canary_pro, canary_project):
    assert audit(canary_public, canary_pro, canary_project / "lessons") == []


def test_small_course_with_locked_next_lesson_link_passes(course):
    """"Next lesson: [Lesson B](b.md)" is locked, and its words hold B's title: no evidence of a leak."""
    assert course.baseline == frozenset()


def test_small_course_passes(tmp_path):
    project = write_project(tmp_path / "project", LESSON_A)
    public, pro = build(project, tmp_path / "site", "public"), build(project, tmp_path / "site-pro", "pro")
    assert audit(public, pro, project / "lessons") == []


def test_locked_paragraph_in_search_index(course, tmp_path):
    site = course.copy(tmp_path)
    index = json.loads((site / "search/search_index.json").read_text())
    index["docs"][0]["text"] += f"<p>{LOCKED}</p>"
    (site / "search/search_index.json").write_text(json.dumps(index))
    assert course.added(site) == {("locked-text", "search/search_index.json", "c/a/index.html")}


def test_locked_paragraph_in_another_page(course, tmp_path):
    site = course.copy(tmp_path)
    page = site / "c/index.html"
    page.write_text(page.read_text().replace("</article>", f"<p>{LOCKED}</p></article>", 1))
    assert [str(f) for f in audit(site, course.pro, course.docs)] == [
        'c/index.html: locked text of c/a/index.html: "the locked paragraph explains how the retention model"']


def test_locked_paragraph_in_a_download(course, tmp_path):
    site = course.copy(tmp_path)
    with (site / "c/downloads/notes.txt").open("a") as notes:
        notes.write(LOCKED)
    findings = set(audit(site, course.pro, course.docs)) - course.baseline
    assert {(f.kind, f.file, f.page) for f in findings} == {("locked-text", "c/downloads/notes.txt", "c/a/index.html")}
    assert all(f.evidence in " ".join(words(LOCKED)) for f in findings)


def test_pro_page_published_as_public_page(course, tmp_path):
    """A broken cut: public and pro pages agree, so only the sources (and the marker the pro page
    keeps as a comment) can tell the text is locked."""
    site = course.copy(tmp_path)
    shutil.copyfile(course.pro / "c/a/index.html", site / "c/a/index.html")
    findings = set(audit(site, course.pro, course.docs)) - course.baseline
    assert {(f.kind, f.file, f.page) for f in findings} == {
        ("locked-text", "c/a/index.html", "c/a/index.html"), ("missing-paywall", "c/a/index.html", "c/a/index.html"),
        ("marker", "c/a/index.html", "c/a/index.html")}
    assert {f.evidence for f in findings if f.kind == "missing-paywall"} == {"c/a.md locks text with a <!-- pro --> line"}


def test_pages_without_directory_urls(tmp_path):
    """`use_directory_urls: false` builds c/a.html; a pro page published whole is caught there too."""
    course = built_course(tmp_path / "project", "use_directory_urls: false\n")
    assert course.baseline == frozenset()
    site = course.copy(tmp_path)
    shutil.copyfile(course.pro / "c/a.html", site / "c/a.html")
    assert course.added(site) == {("locked-text", "c/a.html", "c/a.html"), ("missing-paywall", "c/a.html", "c/a.html"),
                                  ("marker", "c/a.html", "c/a.html")}


def test_pro_section_published_whole(canary_public, canary_pro, canary_project, tmp_path):
    """The same for a lesson whose preview ends at a heading listed in `pro_sections`."""
    site = Path(shutil.copytree(canary_public, tmp_path / "site"))
    shutil.copyfile(canary_pro / "course/sections/index.html", site / "course/sections/index.html")
    findings = audit(site, canary_pro, canary_project / "lessons")
    assert [(f.kind, f.file, f.evidence) for f in findings] == [
        ("locked-text", "course/sections/index.html", "locked section text canaryprosection"),
        ("missing-paywall", "course/sections/index.html", "course/sections.md locks text with pro_sections")]


def test_pro_only_files_copied_into_public_site(course, tmp_path):
    site = course.copy(tmp_path)
    (site / "c/img").mkdir()
    shutil.copyfile(course.pro / "c/img/ranking.png", site / "c/img/ranking.png")
    shutil.copyfile(course.pro / "c/img/ranking.png", site / "assets/images/renamed.png")
    shutil.copyfile(course.pro / "c/downloads/call-script.txt", site / "c/downloads/renamed.txt")
    findings = set(audit(site, course.pro, course.docs)) - course.baseline
    assert {(f.kind, f.file, f.page, f.evidence) for f in findings} == {
        ("locked-file", "c/img/ranking.png", "c/a/index.html", "c/img/ranking.png"),
        ("locked-file", "assets/images/renamed.png", "c/a/index.html", "c/img/ranking.png"),
        ("locked-file", "c/downloads/renamed.txt", "c/a/index.html", "c/downloads/call-script.txt")}


def test_paywall_removed(course, tmp_path):
    site = course.copy(tmp_path)
    page = site / "c/a/index.html"
    html, removed = re.subn(r"<section[^>]*data-cf-paywall.*?</section>", "", page.read_text(), flags=re.DOTALL)
    assert removed == 1
    page.write_text(html)
    assert course.added(site) == {("missing-paywall", "c/a/index.html", "c/a/index.html")}


def test_public_page_deleted(course, tmp_path):
    site = course.copy(tmp_path)
    (site / "c/index.html").unlink()
    assert course.added(site) == {("missing-page", "c/index.html", "c/index.html")}



# --- A pro page may show less than the public one: words it leaves out are no evidence ---------

B_TEXT = "The second lesson is short and entirely free to read in the preview."
# B's public page no longer shows its pro text, which the public search index still holds.
UNSHOWN_B = {("missing-paywall", "c/b/index.html", "c/b/index.html"),
             ("locked-text", "search/search_index.json", "c/b/index.html")}


def edit_page(site: Path, rel: str, old: str, new: str) -> None:
    page = site / rel
    text = page.read_text()
    assert text.count(old) == 1, f"{rel} holds {old!r} once"
    page.write_text(text.replace(old, new))


def test_course_page_with_pro_badges_passes(course):
    """The public syllabus marks pro lessons "Pro"; the pro one does not. Both say the same otherwise."""
    public, pro = (site / "c/index.html" for site in (course.public, course.pro))
    assert "cf-badge--pro" in public.read_text() and "cf-badge--pro" not in pro.read_text()
    assert audit(course.public, course.pro, course.docs) == []


def test_words_the_public_page_adds_inside_a_passage_are_no_evidence(course, tmp_path):
    site = course.copy(tmp_path)
    edit_page(site, "c/b/index.html", "short and entirely", 'short <span class="cf-badge">Pro only</span> and entirely')
    assert course.added(site) == set()


def test_words_the_public_page_leaves_out_of_a_passage_are_locked(course, tmp_path):
    site = course.copy(tmp_path)
    edit_page(site, "c/b/index.html", "short and entirely free", "short and free")
    assert course.added(site) == UNSHOWN_B


def test_a_passage_scattered_over_twice_its_length_is_not_shown(course, tmp_path):
    """The public page has B's words in order, each followed by two others: not the passage it shows."""
    site = course.copy(tmp_path)
    scattered = " ".join(f"{word} la la" for word in B_TEXT.split())
    edit_page(site, "c/b/index.html", B_TEXT, scattered)
    assert course.added(site) == UNSHOWN_B


def test_a_locked_paragraph_stays_locked_though_the_page_has_each_of_its_words(course, tmp_path):
    """The public lesson page without its paywall, holding the locked paragraph's words in another order."""
    site = course.copy(tmp_path)
    page = site / "c/a/index.html"
    html, removed = re.subn(r"<section[^>]*data-cf-paywall.*?</section>", f"<p>{' '.join(sorted(words(LOCKED)))}</p>",
                            page.read_text(), flags=re.DOTALL)
    assert removed == 1
    page.write_text(html)
    findings = set(audit(site, course.pro, course.docs)) - course.baseline
    assert {(f.kind, f.file, f.evidence) for f in findings} == {
        ("missing-paywall", "c/a/index.html", "its pro edition shows text this one does not")}


# --- A lesson whose preview ends by reading time; markers and locked headings in included files ---

def prose(tag: str, count: int) -> str:
    """`count` words of plain text in sentences, ending in a token of its own."""
    vocabulary = ("cohort", "signal", "weekly", "review", "team", "metric", "churn", "ranks", "before", "calls")
    body = [vocabulary[(i * 7 + len(tag)) % len(vocabulary)] for i in range(count - 1)] + [tag]
    sentences = [" ".join(body[i:i + 12]).capitalize() + "." for i in range(0, len(body), 12)]
    return "\n\n".join(" ".join(sentences[i:i + 4]) for i in range(0, len(sentences), 4))


def lesson(title: str, order: int, body: str, front_matter: str = "") -> str:
    return f"---\ntitle: {title}\nsummary: What {title} teaches.\norder: {order}\n{front_matter}---\n{body}\n"


READING_FILES = {
    # The site's preview is 3 minutes at 200 words a minute: 600 words.
    "lessons/c/long.md": lesson("Long Lesson", 3, prose("longlessonend", 1000)),
    "lessons/c/own-preview.md": lesson("Own Preview", 4, prose("ownpreviewend", 450), "preview: 1\n"),
    "lessons/c/snippet.md": lesson("Snippet Marker", 5, "The snippet lesson opens for everyone snippetlessonopen.\n\n"
                                   '--8<-- "marker-part.md"\n\nIts own text after the snippet snippetlessonafter.'),
    "lessons/c/block.md": lesson("Block Snippet", 6, "The block lesson opens for everyone blocklessonopen.\n\n"
                                 "--8<--\nsections-part.md\n--8<--", "pro_sections: [Snippet secret]\n"),
    "lessons/c/include.md": lesson("Included Marker", 7, "The include lesson opens for everyone includelessonopen.\n\n"
                                   '{% include-markdown "../../includes/marker-part.md" %}'),
    "lessons/c/include-docs.md": lesson("Included Section", 8, "The other include lesson opens includedocsopen.\n\n"
                                        '{% include-markdown "c/parts/sections.inc" %}', "pro_sections: [Included secret]\n"),
    "snippets/marker-part.md": "Snippet preview text for every visitor snippetpreview.\n\n<!-- pro -->\n\n"
                               "The locked text of a snippet file that only buyers may read snippetlocked.\n",
    "snippets/sections-part.md": "Block snippet text before the secret heading blockpreview.\n\n## Snippet secret\n\n"
                                 "The locked section of a block snippet that only buyers may read blocklocked.\n",
    "includes/marker-part.md": "Included preview text for every visitor includepreview.\n\n<!-- pro -->\n\n"
                               "The locked text of an included file that only buyers may read includelocked.\n",
    "lessons/c/parts/sections.inc": "Included text before the secret heading includedocspreview.\n\n"
                                    "## Included secret\n\nThe locked section of an included file includedocslocked.\n",
}


@dataclass(frozen=True)
class ReadingCourse(Course):
    settings: dict

    def findings(self, public: Path, **settings) -> set[tuple[str, str, str]]:
        """The findings of a broken copy, audited with `settings` (the real build has none)."""
        return {(f.kind, f.file, f.evidence) for f in audit(public, self.pro, self.docs, **settings)}

    def published_whole(self, target: Path, rel: str) -> Path:
        site = self.copy(target)
        shutil.copyfile(self.pro / rel, site / rel)
        return site


@pytest.fixture(scope="module")
def reading(tmp_path_factory) -> ReadingCourse:
    """The small course with lessons that end by reading time or lock text in included files,
    on a site with pymdownx.snippets (base path `snippets/`) and mkdocs-include-markdown-plugin."""
    project = write_project(tmp_path_factory.mktemp("audit-reading") / "project", LINKED_LESSON_A)
    config = (project / "mkdocs.yml").read_text()
    config = config.replace("  - search\n", "  - search\n  - include-markdown\n", 1)
    config = config.replace("  - tables\n", "  - tables\n  - pymdownx.snippets:\n      base_path: [snippets]\n"
                                             "      check_paths: true\n", 1)
    (project / "mkdocs.yml").write_text(config)
    for name, text in READING_FILES.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    public, pro = build(project, project / "site", "public"), build(project, project / "site-pro", "pro")
    settings = audit_settings(load_project(project / "mkdocs.yml"))
    docs = project / "lessons"
    return ReadingCourse(public, pro, docs, frozenset(audit(public, pro, docs, **settings)), settings)


def test_settings_come_from_mkdocs_yml(reading):
    assert reading.settings["preview_minutes"] == 3 and reading.settings["words_per_minute"] == 200
    assert reading.docs.parent / "snippets" in reading.settings["include_paths"]


def test_reading_course_passes(reading):
    for url in ("c/long/", "c/own-preview/", "c/snippet/", "c/block/", "c/include/", "c/include-docs/"):
        assert 'data-cf-access="pro"' in (reading.pro / url / "index.html").read_text()
        assert "data-cf-paywall" in (reading.public / url / "index.html").read_text(), url
    assert reading.baseline == frozenset()


def test_lesson_past_its_reading_time_published_whole(reading, tmp_path):
    """Both editions agree and no source marks where the preview ends: only reading time tells."""
    site = reading.published_whole(tmp_path, "c/long/index.html")
    assert reading.findings(site) == set()  # without the settings the audit cannot tell
    [(kind, file, evidence)] = reading.findings(site, **reading.settings)
    assert (kind, file) == ("missing-paywall", "c/long/index.html")
    assert re.fullmatch(r"its lesson has 10\d\d words, well past a 3-minute preview", evidence), evidence


BODY = re.compile(r'(<div class="cf-lesson__body[^"]*">)(.*?)(</div>\s*<section class="cf-paywall")', re.DOTALL)


def test_a_preview_that_reading_time_ends_clearly_past_its_minutes(reading, tmp_path):
    """A cut that took the whole lesson for short (markup it misread) but kept the paywall: both
    editions show that text, so only its length tells."""
    site = reading.copy(tmp_path)
    public = site / "c/long/index.html"
    whole = BODY.search((reading.pro / "c/long/index.html").read_text().replace("</article>", "</div>\n<section "
                                                                                  'class="cf-paywall"', 1))
    assert whole is not None and BODY.search(public.read_text()) is not None
    public.write_text(BODY.sub(lambda m: m.group(1) + whole.group(2) + m.group(3), public.read_text(), count=1))
    assert reading.findings(site) == set()  # without the settings the audit cannot tell
    [(kind, file, evidence)] = reading.findings(site, **reading.settings)
    assert (kind, file) == ("long-preview", "c/long/index.html")
    assert re.fullmatch(r"its preview has 10\d\d words, well past a 3-minute preview", evidence), evidence


def test_a_marker_comment_in_a_public_page_is_a_finding(reading, tmp_path):
    """A marker that reached the page was honoured by no cut (a plugin expanded it after courseforge)."""
    site = reading.copy(tmp_path)
    page = site / "c/b/index.html"
    page.write_text(page.read_text().replace("</article>", "<!--  PRO -->\n<p>After.</p></article>", 1))
    assert reading.findings(site) == {("marker", "c/b/index.html", "")}
    assert str(audit(site, reading.pro, reading.docs)[0]) == (
        "c/b/index.html: a <!-- pro --> comment reached the page, so what follows it may be locked text")


def test_a_lessons_own_preview_sets_its_budget(reading, tmp_path):
    """450 words are within the site's 3 minutes (with the margin), not within the lesson's own `preview: 1`."""
    site = reading.published_whole(tmp_path, "c/own-preview/index.html")
    [(kind, file, evidence)] = reading.findings(site, **reading.settings)
    assert (kind, file) == ("missing-paywall", "c/own-preview/index.html")
    assert re.fullmatch(r"its lesson has 4\d\d words, well past a 1-minute preview", evidence), evidence


@pytest.mark.parametrize("rel, source, how", [
    ("c/snippet/index.html", "c/snippet.md", "a <!-- pro --> line"),
    ("c/block/index.html", "c/block.md", "pro_sections"),
    ("c/include/index.html", "c/include.md", "a <!-- pro --> line"),
    ("c/include-docs/index.html", "c/include-docs.md", "pro_sections")])
def test_locked_text_of_an_included_file_published_whole(reading, tmp_path, rel, source, how):
    """The marker or the locked heading is in the included file, not in the lesson's own lines."""
    site = reading.published_whole(tmp_path, rel)
    found = reading.findings(site, include_paths=reading.settings["include_paths"])
    marker = {("marker", rel)} if how.startswith("a <!--") else set()  # the pro page keeps it as a comment
    assert {(kind, file) for kind, file, _ in found} == {("locked-text", rel), ("missing-paywall", rel), *marker}
    assert ("missing-paywall", rel, f"{source} locks text with {how}") in found


@pytest.mark.parametrize("marker", ["> <!-- pro -->", "><!-- pro -->"])
def test_a_marker_in_a_blockquote_locks_what_follows(reading, tmp_path, marker):
    """The build refuses such a marker; were one published whole anyway, the audit reads it as a marker."""
    docs = Path(shutil.copytree(reading.docs, tmp_path / "lessons"))
    source = docs / "c" / "long.md"
    head, body = source.read_text().rsplit("---\n", 1)
    first, rest = body.split("\n\n", 1)
    source.write_text(f"{head}---\n{first}\n\n> Quoted.\n{marker}\n\n{rest}")
    site = reading.published_whole(tmp_path / "site", "c/long/index.html")
    found = {(f.kind, f.file, f.evidence) for f in audit(site, reading.pro, docs)}
    assert {(kind, file) for kind, file, _ in found} == {("locked-text", "c/long/index.html"),
                                                         ("missing-paywall", "c/long/index.html")}


def test_a_preview_that_is_not_a_number_means_the_sites(reading, tmp_path):
    """NaN compares false with everything: read as a budget, it would let any lesson through."""
    docs = Path(shutil.copytree(reading.docs, tmp_path / "lessons"))
    source = docs / "c" / "long.md"
    source.write_text(source.read_text().replace("order: 3\n", "order: 3\npreview: .nan\n"))
    site = reading.published_whole(tmp_path / "site", "c/long/index.html")
    found = {(f.kind, f.file) for f in audit(site, reading.pro, docs, **reading.settings)}
    assert found == {("missing-paywall", "c/long/index.html")}


def sources_copy(reading: ReadingCourse, target: Path) -> Path:
    """The course's sources (its docs folder and the files it includes from beside it), to edit."""
    ignore = shutil.ignore_patterns("site", "site-pro", ".cache")
    return Path(shutil.copytree(reading.docs.parent, target / "project", ignore=ignore)) / "lessons"


def test_a_page_including_a_source_that_locks_text_republishes_it(reading, tmp_path):
    """Both editions show the including page alike: check 1 alone would take its text for public."""
    docs = sources_copy(reading, tmp_path)
    (docs / "c" / "long.md").write_text((docs / "c" / "long.md").read_text() + '\n{% include-markdown "c/include.md" %}\n')
    found = {(f.kind, f.file, f.page) for f in audit(reading.public, reading.pro, docs, include_paths=reading.settings["include_paths"])}
    assert found == {("locked-include", "c/long/index.html", "c/include.md")}


def test_a_page_including_a_lesson_cut_by_reading_time_republishes_it(reading, tmp_path):
    """Nothing in c/long.md marks where its preview ends: its public page's paywall says it locks text."""
    docs = sources_copy(reading, tmp_path)
    (docs / "c" / "b.md").write_text((docs / "c" / "b.md").read_text() + '\n{% include-markdown "c/long.md" %}\n')
    found = {(f.kind, f.file, f.page) for f in audit(reading.public, reading.pro, docs)}
    assert found == {("locked-include", "c/b/index.html", "c/long.md")}


def test_a_file_a_locking_source_includes_is_no_page_of_its_own(reading, tmp_path):
    docs = sources_copy(reading, tmp_path)
    (docs / "c" / "include.md").write_text((docs / "c" / "include.md").read_text() + '\n{% include-markdown "c/b.md" %}\n')
    found = {(f.kind, f.file, f.page) for f in audit(reading.public, reading.pro, docs, include_paths=reading.settings["include_paths"])}
    assert found == {("locked-include", "c/b/index.html", "c/include.md")}
    assert str(next(iter(audit(reading.public, reading.pro, docs)))) == (
        "c/b/index.html: its source c/b.md is included by c/include.md, so it publishes locked text of c/include.md")


def test_snippets_are_followed_only_with_their_base_paths(reading, tmp_path):
    """Without base paths `--8<--` lines are plain text (the site does not use snippets): no source
    locks text; only the marker comment the pro page keeps tells."""
    site = reading.published_whole(tmp_path, "c/snippet/index.html")
    assert reading.findings(site) == {("marker", "c/snippet/index.html", "")}


def test_the_canary_lesson_that_ends_by_reading_time_published_whole(canary_public, canary_pro, canary_project,
                                                                      tmp_path):
    site = Path(shutil.copytree(canary_public, tmp_path / "site"))
    shutil.copyfile(canary_pro / "course/minutes/index.html", site / "course/minutes/index.html")
    docs = canary_project / "lessons"
    assert audit(site, canary_pro, docs) == []
    settings = audit_settings(load_project(canary_project / "mkdocs.yml"))
    assert audit(canary_public, canary_pro, docs, **settings) == []
    assert [(f.kind, f.file) for f in audit(site, canary_pro, docs, **settings)] == [
        ("missing-paywall", "course/minutes/index.html")]


def test_a_run_of_numbers_alone_is_no_evidence(reading, tmp_path):
    """A locked code block's line numbers turn up by chance in minified scripts: no finding."""
    pro = Path(shutil.copytree(reading.pro, tmp_path / "pro"))
    page = pro / "c/long/index.html"
    locked = '<pre>1 2 3 4 5 6 7 8 9</pre><p>The numbers sum to forty five</p>'
    page.write_text(page.read_text().replace("</article>", locked + "</article>", 1))
    site = reading.copy(tmp_path)
    (site / "assets" / "chance.js").write_text("var a=[1,2,3,4,5,6,7,8,9];var b='the numbers sum to forty five';")
    found = {(f.kind, f.file, f.evidence) for f in audit(site, pro, reading.docs)}
    assert found == {("locked-text", "assets/chance.js", "the numbers sum to forty five")}


def test_a_preview_s_tooltips_count_toward_its_length(reading, tmp_path):
    """A link's title is lesson text a learner can read: 900 words of it make a preview long."""
    site = reading.copy(tmp_path)
    public = site / "c/long/index.html"
    title = " ".join(f"tip{i}" for i in range(900))
    public.write_text(BODY.sub(lambda m: m.group(1) + f'<p>Short <a href="#x" title="{title}">text</a>.</p>' + m.group(3),
                               public.read_text(), count=1))
    [(kind, file, evidence)] = reading.findings(site, **reading.settings)
    assert (kind, file) == ("long-preview", "c/long/index.html")
    assert evidence.startswith("its preview has 90"), evidence


def test_a_marker_lessons_preview_is_held_to_its_minutes_too(reading, tmp_path):
    """The minutes end every preview at the latest, marker or not: a site built before `preview`
    was lowered shows longer previews than its sources allow."""
    site = reading.copy(tmp_path)
    public = site / "c/snippet/index.html"
    earlier = " ".join(f"earlier{i}" for i in range(900))
    public.write_text(BODY.sub(lambda m: m.group(1) + f"<p>{earlier}</p>" + m.group(2) + m.group(3),
                               public.read_text(), count=1))
    assert [(kind, file) for kind, file, _ in reading.findings(site, **reading.settings)] == [
        ("long-preview", "c/snippet/index.html")]


def test_a_page_the_sources_do_not_build_is_a_finding(reading, tmp_path):
    """A site built from older sources keeps a deleted lesson: nothing left says what it locks."""
    site = reading.copy(tmp_path)
    gone = site / "c" / "deleted" / "index.html"
    gone.parent.mkdir()
    shutil.copyfile(reading.pro / "c/long/index.html", gone)
    found = {(f.kind, f.file) for f in audit(site, reading.pro, reading.docs)}
    assert ("stale-page", "c/deleted/index.html") in found


def test_a_footnote_the_public_page_prints_but_never_refers_to_is_a_finding(tmp_path):
    """A preview takes along the footnotes it refers to; one printed without a reference is a locked
    footnote carried along (one referred to in code, say), whatever the sources say."""
    noted = LESSON_A.replace(PREVIEW, PREVIEW + "[^source]") + "\n[^source]: From the retention team's churn report.\n"
    project = write_project(tmp_path / "project", noted)
    public, pro = build(project, tmp_path / "site", "public"), build(project, tmp_path / "site-pro", "pro")
    assert "retention team" in (public / "c/a/index.html").read_text()  # the preview refers to it: it goes along
    assert audit(public, pro, project / "lessons") == []
    edit_page(public, "c/a/index.html", '<a class="footnote-ref" href="#fn:source">', '<a class="footnote-ref">')
    found = audit(public, pro, project / "lessons")
    assert [(f.kind, f.file, f.evidence) for f in found] == [("unreferenced-footnote", "c/a/index.html", "fn:source")]
