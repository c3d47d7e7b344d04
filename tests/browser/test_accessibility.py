"""axe-core on representative pages, light and dark, after the interactive parts were used.

axe-core comes from the npm registry, pinned and integrity-checked (tests/npm_asset.py);
AXE_CORE_JS may name another axe.min.js.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cf_browser import KEY, blend, contrast, reveal_diagrams, rgba, wait_for_diagrams
from npm_asset import npm_file

pytestmark = pytest.mark.browser

AXE_INTEGRITY = "sha512-ilYanEU8vxxBexpJd8cWM4ElSQq4QctCLKih0TSfjIfCQTeyH/6zVrmIJfLPrKTKJRbiG+cfnZbQIjAlJmF1jQ=="


@pytest.fixture(scope="session")
def axe() -> Path:
    configured = os.environ.get("AXE_CORE_JS")
    return Path(configured) if configured else npm_file("axe-core", "4.11.0", AXE_INTEGRITY, "axe.min.js")

USE_EVERYTHING = """() => {
    document.querySelectorAll('details.cf-hint summary').forEach(s => s.click());
    document.querySelectorAll('[data-cf-question]').forEach((q, i) => {
        const radios = q.querySelectorAll('input[type=radio]');
        if (radios.length) radios[i % 2 ? 0 : radios.length - 1].click();
    });
    document.querySelectorAll('details.cf-progress-tools__panel').forEach(d => { d.open = true; });
}"""


def pages_to_check(pro_site, public_site) -> list[str]:
    """Home, course page and lessons of both editions: a pro lesson whole and with its paywall,
    and a lesson with a table (Material's scroll wrapper must be keyboard reachable)."""
    lesson = pro_site.first_with("data-cf-quiz")
    course = pro_site.course_of(lesson)
    paywalled = public_site.pages_with('class="cf-paywall"')[0]
    table = public_site.first_with("<table")
    return [pro_site.url(""), pro_site.url(course), pro_site.url(lesson),
            public_site.url(""), public_site.url(course), public_site.url(paywalled), public_site.url(table)]


def serious_violations(page, url: str, axe: Path) -> list[str]:
    page.goto(url)
    reveal_diagrams(page)
    wait_for_diagrams(page)
    page.evaluate(USE_EVERYTHING)
    page.wait_for_timeout(200)
    page.add_script_tag(path=str(axe))
    return page.evaluate("""axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations(new_context, pro_site, public_site, scheme, width, axe):
    context = new_context(color_scheme=scheme, viewport={"width": width, "height": 900})
    page = context.new_page()
    lesson = pro_site.first_with("data-cf-quiz")
    page.goto(pro_site.url(pro_site.course_of(lesson)))
    # Some progress, so every progress display is on screen.
    slug = re.search(r'data-cf-course="([^"]+)"', pro_site.html(lesson)).group(1)
    state = {"lessons": {lesson: {"done": True, "course": slug}}, "last": {slug: {"lesson": lesson, "at": 1}}}
    page.evaluate("([key, state]) => localStorage.setItem(key, JSON.stringify(state))", [KEY, state])
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    problems = []
    for url in pages_to_check(pro_site, public_site):
        problems += [f"{url} [{scheme}, {width}px] {v}" for v in serious_violations(page, url, axe)]
    assert problems == []


BUTTON_COLOURS = """b => { const s = getComputedStyle(b);
    return [s.color, s.backgroundColor, getComputedStyle(document.body).backgroundColor]; }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_focused_button_keeps_its_text_readable(new_context, pro_site, scheme):
    """Keyboard users see every button focused: Material fills it with the accent colour, which
    the sample's indigo accent fails with white text (4.25:1); WCAG AA asks for 4.5:1."""
    page = new_context(color_scheme=scheme).new_page()
    lesson = pro_site.first_with("data-cf-quiz")
    page.goto(pro_site.url(lesson))
    page.wait_for_selector(".cf-lesson .md-button >> nth=1")  # the quiz's and completion's, once bound
    buttons = page.locator(".cf-lesson .md-button:visible")
    ratios = {}
    for index in range(buttons.count()):
        buttons.nth(index).focus()
        page.wait_for_timeout(300)  # Material's buttons fade to their focused colours
        text, fill, paper = (rgba(c) for c in buttons.nth(index).evaluate(BUTTON_COLOURS))
        background = blend(fill, paper)
        ratios[buttons.nth(index).inner_text().strip()] = round(contrast(blend(text, background), background), 2)
    assert ratios and min(ratios.values()) >= 4.5, ratios


def test_wide_tables_scroll_by_keyboard(new_context, public_site):
    """On a phone a wide table scrolls inside Material's wrapper: it takes the focus and has a name."""
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(public_site.url(public_site.first_with("<table")))
    wrapper = page.locator(".md-typeset__scrollwrap").filter(has=page.locator("table")).first
    expect(wrapper).to_have_attribute("tabindex", "0")
    assert wrapper.evaluate("w => w.scrollWidth > w.clientWidth")
    assert wrapper.get_attribute("role") == "region" and wrapper.get_attribute("aria-label").strip() != ""
    wrapper.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("w => w.scrollLeft > 0", arg=wrapper.element_handle())


def test_skip_to_content_lands_on_the_lesson_not_past_its_opening(new_context, public_site):
    """Material's skip link targets the first h2: on a lesson, past the title, summary and intro."""
    page = new_context().new_page()
    page.goto(public_site.url(public_site.first_with("data-cf-paywall")))
    expect(page.locator(".md-skip")).to_have_attribute("href", "#__cf_lesson")  # once courseforge.js binds
    page.keyboard.press("Tab")
    expect(page.locator(".md-skip")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#__cf_lesson'")
    assert page.evaluate("document.querySelector('article.cf-lesson h1').getBoundingClientRect().top") >= 0
    page.keyboard.press("Tab")  # the next stop is the lesson's first link, not a heading's permalink
    assert page.evaluate("document.activeElement.closest('article.cf-lesson .cf-lesson__header') !== null")


def test_a_lesson_whose_page_has_no_heading_gets_a_skip_link_too(new_context, all_sites):
    """Material writes its skip link only for a page with a table of contents: a short preview has none."""
    found = [(site, path) for site in all_sites for path in site.lesson_pages()
             if "md-skip" not in site.html(path) and "data-cf-paywall" in site.html(path)]
    if not found:
        pytest.fail("no public lesson without a heading to try")
    site, path = found[0]
    page = new_context().new_page()
    page.goto(site.url(path))
    page.wait_for_selector(".md-skip", state="attached")  # courseforge.js adds it when the page binds
    page.keyboard.press("Tab")
    expect(page.locator(".md-skip")).to_be_focused()
    assert page.locator(".md-skip").inner_text().strip() == "Skip to content"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#__cf_lesson'")
