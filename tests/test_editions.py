"""Two editions from one source. The public edition holds no locked text in any file;
the pro edition holds all of it. Canary strings sit in every kind of locked content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from course_builder import without_outline
from sites import FIXTURES, site_files

CANARY = re.compile(r"(?<![A-Z])CANARY[A-Z]+")
SOURCES = FIXTURES / "canary"
# Locked headings (and part titles) may be shown, but only in the paywall outline.
HEADING_CANARIES = {"CANARYHEADING", "CANARYEXAMPLETITLE", "CANARYEXERCISETITLE", "CANARYINLINEEXTITLE",
                    "CANARYVISUALTITLE"}
# Each kind of content the issue names, and the canary that stands for it.
KINDS = {
    "paragraph": "CANARYPARAGRAPH", "list": "CANARYLISTITEM", "table": "CANARYTABLECELL",
    "admonition": "CANARYADMONITIONBODY", "call-out block": "CANARYCALLOUT", "code": "CANARYCODE",
    "mermaid": "CANARYMERMAIDNODE", "footnote": "CANARYFOOTNOTE", "link reference": "CANARYLINKREF",
    "abbreviation": "CANARYABBRDEF", "marker": "CANARYMARKER", "pro section": "CANARYPROSECTION",
    "exercise file": "CANARYEXERCISEINSTRUCTIONS", "hint": "CANARYHINTONE", "inline exercise": "CANARYINLINEEXERCISE",
    "example": "CANARYEXAMPLESCENARIO", "visual": "CANARYVISUALNODE", "visual caption": "CANARYVISUALCAPTION",
    "download file": "CANARYDOWNLOADFILE", "download description": "CANARYDOWNLOADDESC",
    "quiz": "CANARYQUIZFEEDBACK", "image file": "CANARYIMAGEFILE",
}


def source_canaries() -> set[str]:
    return {match for path in SOURCES.rglob("*") if path.is_file()
            for match in CANARY.findall(path.read_text(errors="replace"))}


def test_fixture_covers_every_kind_of_locked_content():
    assert set(KINDS.values()) <= source_canaries()


def test_public_edition_has_no_locked_text_in_any_file(canary_public):
    files = site_files(canary_public)
    assert {"search/search_index.json", "sitemap.xml", "404.html"} <= set(files)
    leaks = {(name, canary) for name, text in files.items() for canary in CANARY.findall(without_outline(text))}
    assert leaks == set()


def test_locked_headings_appear_only_in_the_paywall_outline(canary_public):
    files = site_files(canary_public)
    page = files["course/minutes/index.html"]
    outline = BeautifulSoup(page, "html.parser").select_one(".cf-paywall__outline").get_text()
    assert HEADING_CANARIES <= set(CANARY.findall(outline))
    for name, text in files.items():
        if name != "course/minutes/index.html":
            assert not CANARY.findall(text), name


def test_pro_edition_has_every_canary(canary_pro):
    found = {canary for text in site_files(canary_pro).values() for canary in CANARY.findall(text)}
    assert found == source_canaries()


def test_pro_search_index_holds_locked_text(canary_pro):
    assert "CANARYPARAGRAPH" in (canary_pro / "search" / "search_index.json").read_text()


def test_free_lesson_and_its_download_are_public(canary_public):
    html = (canary_public / "course" / "free" / "index.html").read_text()
    assert "FREECANARYBODY" in html and "FREECANARYSECTION" in html
    assert "cf-paywall" not in html
    assert (canary_public / "course" / "downloads" / "free-template.txt").exists()
    assert not (canary_public / "course" / "downloads" / "secret-template.txt").exists()


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(), "html.parser")


def test_paywall_card_shows_what_the_issue_names(canary_public):
    page = soup(canary_public, "course/minutes")
    header = page.select_one(".cf-lesson__header").get_text(" ", strip=True)
    assert "Canary Course · Lesson 1 of 4" in header and "Minutes Lesson" in header
    assert "The preview of this lesson ends by reading time." in header
    assert re.search(r"\d+ min read", header)
    assert "Free preview: You can read roughly the first minute of this lesson" in header
    paywall = page.select_one("section.cf-paywall")
    text = paywall.get_text(" ", strip=True)
    assert "Pro Lesson" in text and re.search(r"~\d+ min left", text)
    assert "Finish: Minutes Lesson" in text
    assert "2 more sections" in text and "2 diagrams" in text and "2 exercises" in text and "1 download" in text
    assert "Canary Course" in text and "Everything unlocked" in text and "Secure checkout" in text
    assert paywall.select_one("a.cf-paywall__checkout")["href"] == "https://checkout.example.com/canary"
    assert paywall.find("a", string=re.compile("full course"))["href"] == "https://pro.example.com/course/minutes/"
    assert paywall.has_attr("data-search-exclude")


def test_pro_edition_shows_whole_lessons_without_paywall(canary_pro):
    for lesson in ("minutes", "marker", "sections", "free"):
        page = soup(canary_pro, f"course/{lesson}")
        assert page.select_one(".cf-paywall") is None
        assert page.select_one(".cf-preview-note") is None


@pytest.mark.parametrize("lesson", ["minutes", "marker", "sections"])
def test_deep_links_to_locked_headings_land_on_the_outline(canary_public, canary_pro, lesson):
    pro_ids = {h["id"] for h in soup(canary_pro, f"course/{lesson}").select(".cf-lesson__body :is(h2, h3)[id]")}
    public = soup(canary_public, f"course/{lesson}")
    public_ids = {h["id"] for h in public.select(".cf-lesson__body :is(h2, h3)[id]")}
    outline_ids = {li["id"] for li in public.select(".cf-paywall__outline li[id]")}
    assert outline_ids, "a locked lesson lists its locked headings"
    assert outline_ids | public_ids == pro_ids


def test_public_toc_lists_only_preview_headings(canary_public):
    toc = soup(canary_public, "course/marker").select_one(".md-sidebar--secondary")
    titles = [a.get_text(strip=True) for a in toc.select("a.md-nav__link")]
    assert "Public heading before marker" in titles and "Second locked section" not in titles
