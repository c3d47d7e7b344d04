"""The course-product look: a home page that orients and resumes, a lesson header with the
course and the lesson's place in it, the lesson outline in place of a table of contents, the
author's footer, and a pro edition without anything that sells."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from cf_browser import KEY, mark_with, stored
from sites import FIXTURES, ROOT, copy_project

browser = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


def _config(path: Path) -> dict:
    """mkdocs.yml as plain data: the tags MkDocs resolves (!ENV, python names) read as None."""
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    return yaml.load(path.read_text("utf-8"), Loader=Loader)


def courses(page, site) -> list[dict]:
    """Each home page card: its course slug, course URL and lesson URLs in course order."""
    found = []
    page.goto(site.url(""))
    for card in page.locator(".cf-course-card").all():
        course_url = card.locator("h2 a").evaluate("a => a.href")
        found.append({"slug": card.get_attribute("data-cf-course"), "url": course_url})
    for course in found:
        page.goto(course["url"])
        course["lessons"] = page.locator(".cf-syllabus__item > a").evaluate_all("links => links.map(a => a.href)")
        course["title"] = page.locator("article.cf-course h1").inner_text()
    return found


@browser
def test_home_orients_a_first_time_visitor(page, public_site, pro_site):
    """Description, one card per course with its numbers and a Start button; nothing to back up."""
    config = _config(ROOT / "mkdocs.yml")
    for site in (public_site, pro_site):
        listed = courses(page, site)
        page.goto(site.url(""))
        assert page.locator("h1").inner_text() == config["site_name"]
        assert page.locator(".cf-home__lead").inner_text() == config["site_description"]
        cards = page.locator(".cf-course-card")
        assert cards.count() == len(listed) >= 2
        for card, course in zip(cards.all(), listed, strict=True):
            count = len(course["lessons"])
            assert card.locator(".cf-course-card__summary").inner_text().strip() != ""
            meta = card.locator(".cf-course-card__meta").inner_text()
            assert re.search(rf"\b{count} lessons\b", meta) and re.search(r"\b\d+ min of reading\b", meta)
            assert bool(re.search(r"\b\d+ free\b", meta)) == (site.edition == "public")
            start = card.locator("[data-cf-start]")
            expect(start).to_be_visible()
            assert start.evaluate("a => a.href") == course["lessons"][0]
            expect(card.locator("[data-cf-resume]")).to_be_hidden()
            expect(card.locator("[data-cf-course-progress]")).to_be_hidden()
        # Progress tools stay a quiet link, offering only the import to a first-time visitor.
        tools = page.locator("[data-cf-progress-tools]")
        expect(tools.locator("summary [data-cf-when-empty]")).to_be_visible()
        assert tools.locator("summary").inner_text() == "Learning on another device? Bring your progress here"
        expect(tools.locator("details")).not_to_have_attribute("open", "")
        assert tools.bounding_box()["height"] < 60
        tools.locator("summary").click()
        expect(tools.locator("[data-cf-export]")).to_be_hidden()
        expect(tools.locator("[data-cf-import]")).to_be_visible()
        # A landing page at desktop width: no sidebars, no previous/next links.
        assert page.locator(".md-sidebar--primary").is_hidden() and page.locator(".md-footer__inner").is_hidden()


@browser
def test_home_shows_progress_and_resumes_after_a_lesson(page, pro_site):
    course, other = courses(page, pro_site)[:2]
    lesson = course["lessons"][1]
    page.goto(lesson)
    page.goto(pro_site.url(""))
    card = page.locator(f'.cf-course-card[data-cf-course="{course["slug"]}"]')
    resume = card.locator("[data-cf-resume]")
    expect(resume).to_be_visible()
    assert resume.evaluate("a => a.href") == lesson
    expect(card.locator("[data-cf-start]")).to_be_hidden()
    total = len(course["lessons"])
    expect(card.locator("[data-cf-course-progress]")).to_have_text(f"0 of {total} lessons completed")
    # The course not visited still starts at its first lesson.
    untouched = page.locator(f'.cf-course-card[data-cf-course="{other["slug"]}"]')
    expect(untouched.locator("[data-cf-start]")).to_be_visible()
    expect(untouched.locator("[data-cf-resume]")).to_be_hidden()
    # With progress stored, the tools offer the backup too.
    tools = page.locator("[data-cf-progress-tools]")
    expect(tools.locator("summary [data-cf-when-progress]")).to_be_visible()
    assert tools.locator("summary").inner_text() == "Back up or move your progress"

    page.goto(lesson)
    page.locator("[data-cf-complete] button").click()
    page.goto(pro_site.url(""))
    expect(card.locator("[data-cf-course-progress]")).to_have_text(f"1 of {total} lessons completed")
    assert card.locator("[data-cf-course-progress] progress").evaluate("p => p.value") == 1
    resume.click()
    page.wait_for_url(lesson)


@browser
def test_lesson_header_names_the_course_the_position_and_the_progress(page, pro_site):
    course = courses(page, pro_site)[0]
    total = len(course["lessons"])
    for number, lesson in enumerate(course["lessons"], 1):
        page.goto(lesson)
        bar = page.locator(".cf-course-bar")
        expect(bar.locator(".cf-eyebrow")).to_have_text(f"{course['title']} · Lesson {number} of {total}")
        assert bar.locator(".cf-eyebrow a").evaluate("a => a.href") == course["url"]
        # Only a visit so far: no progress to show yet.
        expect(bar.locator("[data-cf-course-progress]")).to_be_hidden()
    page.goto(course["lessons"][0])
    page.locator("[data-cf-complete] button").click()
    page.goto(course["lessons"][1])
    progress = page.locator(".cf-course-bar [data-cf-course-progress]")
    expect(progress).to_have_text(f"1 of {total} lessons completed")
    assert progress.locator("progress").evaluate("p => [p.value, p.max]") == [1, total]
    assert page.locator(".cf-eyebrow").evaluate("el => getComputedStyle(el).textTransform") == "uppercase"
    assert page.locator("article.cf-lesson h1").evaluate("h => +getComputedStyle(h).fontWeight") >= 700


def body_headings(page) -> list[tuple[str, str]]:
    return page.locator(".cf-lesson__body h2[id]").evaluate_all(
        "hs => hs.map(h => [h.id, h.textContent.replace(/\u00b6/g, '').trim()])")


@browser
def test_pro_lesson_shows_its_outline_instead_of_a_table_of_contents(page, pro_site):
    lesson = max(pro_site.lesson_pages(), key=lambda p: pro_site.count(p, "<h2 id="))
    page.goto(pro_site.url(lesson))
    expect(page.get_by_text("Table of contents").filter(visible=True)).to_have_count(0)
    outline = page.locator(".md-sidebar--secondary .cf-outline")
    expect(outline).to_be_visible()
    expect(outline.locator(".cf-outline__title")).to_have_text("In this lesson")
    links = outline.locator("a.md-nav__link").evaluate_all(
        "as => as.map(a => [a.hash.slice(1), a.textContent.trim()])")
    assert links == [list(h) for h in body_headings(page)] and len(links) >= 3
    assert outline.locator(".cf-outline__locked").count() == 0
    # Material's scroll tracking still marks the section being read.
    target = links[2][0]
    page.evaluate(f"document.getElementById({target!r}).scrollIntoView()")
    expect(outline.locator("a.md-nav__link--active")).to_have_count(1)


@browser
def test_public_pro_lesson_outline_lists_the_locked_sections(page, public_site):
    lesson = max(public_site.pages_with('class="cf-paywall"'), key=lambda p: public_site.count(p, "cf-outline--h2"))
    page.goto(public_site.url(lesson))
    expect(page.get_by_text("Table of contents").filter(visible=True)).to_have_count(0)
    outline = page.locator(".md-sidebar--secondary .cf-outline")
    links = outline.locator("a.md-nav__link").evaluate_all("as => as.map(a => a.hash.slice(1))")
    assert links == [h[0] for h in body_headings(page)]
    locked = outline.locator(".cf-outline__locked")
    paywall = page.locator(".cf-paywall__outline li.cf-outline--h2").evaluate_all("lis => lis.map(li => li.textContent.trim())")
    assert locked.count() == len(paywall) >= 1
    assert [t.replace("(locked)", "").strip() for t in locked.all_inner_texts()] == paywall
    assert locked.locator("a").count() == 0
    assert locked.first.evaluate("li => getComputedStyle(li.firstElementChild, '::before').maskImage").startswith("url(")


@browser
def test_footer_is_the_authors(page, pro_site, public_site):
    config = _config(ROOT / "mkdocs.yml")
    social = [item["link"] for item in config["extra"]["social"]]
    for site in (public_site, pro_site):
        for path in ("", site.lesson_pages()[0]):
            page.goto(site.url(path))
            footer = page.locator(".md-footer-meta")
            expect(footer.locator(".md-copyright__highlight")).to_contain_text("Example Learning")
            assert footer.locator(".md-copyright a").evaluate_all("as => as.map(a => a.textContent.trim())") == ["Terms", "Contact"]
            assert footer.locator(".md-social a").evaluate_all("as => as.map(a => a.href)") == social
            expect(footer).not_to_contain_text("Made with")


def test_theme_credit_only_when_the_author_asks(tmp_path, canary_public):
    from course_builder import build_in_process

    assert "Made with" not in (canary_public / "index.html").read_text("utf-8")
    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "extra:\n  generator: true\n", "utf-8")
    site = build_in_process(config, tmp_path / "site", "public")
    assert "Made with" in (site / "index.html").read_text("utf-8")


SELLS = re.compile(r"\bunlock|checkout|\bupgrad|\bpro lesson\b|cf-badge--pro|cf-paywall|\bbuy\b", re.I)
# What the author wrote may say anything ("which data to unlock"): only courseforge's own parts count.
AUTHORS = ".cf-lesson__body, .cf-course__intro, .cf-home__intro"


def without_authors_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(AUTHORS):
        element.decompose()
    return str(soup)


@browser
def test_pro_edition_has_nothing_that_sells(page, pro_site, public_site):
    """No Pro badge, checkout, Unlock or paywall in the pro edition's pages, in HTML or on screen."""
    assert public_site.pages_with(SELLS), "the public edition sells: the pattern finds what it looks for"
    assert [p for p in pro_site.pages if SELLS.search(without_authors_text(pro_site.html(p)))] == []
    for path in pro_site.pages:
        page.goto(pro_site.url(path))
        text = page.evaluate(f"() => {{ document.querySelectorAll({AUTHORS!r}).forEach(el => el.remove());"
                             " return document.body.innerText; }")
        assert SELLS.search(text) is None, path
        assert re.search(r"\bPro\b", text) is None, path
        assert re.search(r"\bFree\b", text) is None, path  # access badges mean nothing to an owner


@browser
def test_progress_tools_stay_secondary_and_import_still_works_on_a_new_device(page, pro_site):
    """A new device has no progress: the tools offer the import, and a code brings the progress in."""
    lesson = pro_site.first_with("data-cf-complete")
    page.goto(pro_site.url(lesson))
    page.locator("[data-cf-complete] button").click()
    code = stored(page)
    page.evaluate("localStorage.clear()")
    page.goto(pro_site.url(""))
    tools = page.locator("[data-cf-progress-tools]")
    tools.locator("summary").click()
    expect(tools.locator("[data-cf-export]")).to_be_hidden()
    tools.locator("[data-cf-import-code]").fill(json.dumps({"courseforge": 1, **code}))
    tools.locator("[data-cf-import]").click()
    expect(tools.locator("[data-cf-progress-message]")).to_contain_text("imported")
    expect(tools.locator("[data-cf-export]")).to_be_visible()
    assert tools.locator("summary").inner_text() == "Back up or move your progress"
    assert page.evaluate(f"JSON.parse(localStorage.getItem({KEY!r})).lessons") == code["lessons"]


CONTRAST = """([selector, property]) => {
    const rgba = (c) => c.match(/[\\d.]+/g).map(Number);
    const body = rgba(getComputedStyle(document.body).backgroundColor);
    const [r, g, b, a = 1] = rgba(getComputedStyle(document.querySelector(selector))[property]);
    const over = [r, g, b].map((v, i) => v * a + body[i] * (1 - a));
    const lum = (c) => c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
        .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
    const [hi, lo] = [lum(over), lum(body)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
}"""


@browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cards_keep_their_borders_and_call_outs_read_at_body_size(new_context, pro_site, scheme):
    page = new_context(color_scheme=scheme, viewport=DESKTOP).new_page()
    lesson = pro_site.first_with('class="admonition')
    page.goto(pro_site.url(pro_site.course_of(lesson)))
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    # A card's border stands out from the page in both palettes (Material's lightest line vanishes on slate).
    assert page.evaluate(CONTRAST, [".cf-syllabus__item", "borderTopColor"]) >= 1.3
    page.goto(pro_site.url(""))
    assert page.evaluate(CONTRAST, [".cf-course-card", "borderLeftColor"]) >= 1.3
    page.goto(pro_site.url(lesson))
    sizes = page.evaluate("""() => [
        getComputedStyle(document.querySelector('.cf-lesson__body > p')).fontSize,
        getComputedStyle(document.querySelector('.cf-lesson__body .admonition > p:not(.admonition-title)')).fontSize]""")
    assert sizes[0] == sizes[1]


@browser
def test_header_and_outline_follow_instant_navigation(page, public_site):
    course = courses(page, public_site)[0]
    page.goto(course["lessons"][0])
    page.evaluate("window.cfSamePage = true")
    for number, lesson in enumerate(course["lessons"][1:], 2):
        page.click(mark_with(page, ".md-sidebar--primary a.md-nav__link", f"el.href === {lesson!r}", f"data-test-{number}"))
        page.wait_for_url(lesson)
        expect(page.locator(".cf-eyebrow")).to_contain_text(f"Lesson {number} of {len(course['lessons'])}")
        assert page.evaluate("window.cfSamePage") is True, "Material's instant navigation loaded the page in place"
        links = page.locator(".cf-outline a.md-nav__link").evaluate_all("as => as.map(a => a.hash.slice(1))")
        assert links == [h[0] for h in body_headings(page)]


def test_the_preview_fades_out_unless_it_ends_with_a_part_a_learner_works_with(page, public_site):
    """A quiz's score and "Try again" (or an exercise's notes) at the end of a preview stay readable."""
    page.goto(public_site.url(public_site.first_with("data-cf-paywall")))
    mask = "() => getComputedStyle(document.querySelector('.cf-lesson__body--preview')).maskImage"
    assert "gradient" in page.evaluate(mask)
    page.evaluate("""() => document.querySelector('.cf-lesson__body--preview')
        .append(Object.assign(document.createElement('div'), {className: 'cf-quiz', textContent: '0 of 1 correct'}))""")
    assert page.evaluate(mask) == "none"
