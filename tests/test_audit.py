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


def built_course(project: Path, config: str = "") -> Course:
    """The small course, with Lesson A's preview also linking to Lesson B (see test_small_course_passes)."""
    preview = PREVIEW.replace("month.", "month ([Lesson B](b.md) covers what to say).")
    write_project(project, LESSON_A.replace(PREVIEW, preview), config)
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


@pytest.mark.xfail(reason="when only locked text links to b.md, the plugin drops it from the public edition: "
                          "the strict build stops at the nav's reference to c/b.md (without --strict, the "
                          "audit reports c/b/index.html as missing-page); the plugin is being fixed",
                   strict=False)
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
    """A broken cut: public and pro pages agree, so only the sources can tell the text is locked."""
    site = course.copy(tmp_path)
    shutil.copyfile(course.pro / "c/a/index.html", site / "c/a/index.html")
    findings = set(audit(site, course.pro, course.docs)) - course.baseline
    assert {(f.kind, f.file, f.page) for f in findings} == {
        ("locked-text", "c/a/index.html", "c/a/index.html"), ("missing-paywall", "c/a/index.html", "c/a/index.html")}
    assert {f.evidence for f in findings if f.kind == "missing-paywall"} == {"c/a.md locks text with a <!-- pro --> line"}


def test_pages_without_directory_urls(tmp_path):
    """`use_directory_urls: false` builds c/a.html; a pro page published whole is caught there too."""
    course = built_course(tmp_path / "project", "use_directory_urls: false\n")
    assert course.baseline == frozenset()
    site = course.copy(tmp_path)
    shutil.copyfile(course.pro / "c/a.html", site / "c/a.html")
    assert course.added(site) == {("locked-text", "c/a.html", "c/a.html"), ("missing-paywall", "c/a.html", "c/a.html")}


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

