"""Whole-site checks: every page is clean, the paywall hides locked parts, phones fit."""

from __future__ import annotations

import re

import pytest

from cf_browser import reveal_diagrams, scroll_through, wait_for_diagrams

pytestmark = pytest.mark.browser

COMPONENT_TEXT = ", ".join([
    ".cf-exercise__instructions", ".cf-exercise__outcome", ".cf-hint", ".cf-criterion",
    ".cf-question legend", ".cf-answer label", ".cf-answer__feedback", ".cf-example__scenario",
    ".cf-example__takeaway", ".cf-download__description", "pre.cf-mermaid code", ".cf-visual figcaption",
])


def visit_like_a_reader(page, url: str) -> None:
    page.goto(url)
    reveal_diagrams(page)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    wait_for_diagrams(page)
    page.wait_for_timeout(100)


@pytest.mark.parametrize("edition", ["public", "pro"])
def test_every_page_has_no_errors_and_no_foreign_requests(new_context, all_sites, watch, edition):
    sites = [site for site in all_sites if site.edition == edition]
    context = new_context()
    page = context.new_page()
    visited = 0
    for site in sites:
        for path in [*site.pages, "404.html"]:
            visit_like_a_reader(page, site.url(path))
            visited += 1
            assert page.locator(".md-content").count() == 1, f"{site.url(path)} did not render"
            assert watch.page_errors == [] and watch.console_errors == [], site.url(path)
    assert visited > 5
    assert watch.foreign_requests == []
    assert all(url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")) for url in watch.requests)


def texts(page) -> list[str]:
    return page.eval_on_selector_all(
        COMPONENT_TEXT, "els => els.map(el => el.textContent.replace(/\\s+/g, ' ').trim())")


def component_only(page) -> set[str]:
    """Texts of the page's components that occur nowhere else on the page (body text, headings,
    outline...), so finding one on another page means the component itself is there."""
    parts = texts(page)
    everything = re.sub(r"\s+", " ", page.evaluate("document.body.textContent"))
    joined = " | ".join(parts)
    return {text for text in parts if len(text) >= 12 and everything.count(text) == joined.count(text)}


def test_public_locked_lessons_show_the_paywall_and_no_locked_parts(page, public_site, pro_site):
    locked_pages = public_site.pages_with('class="cf-paywall"')
    assert locked_pages, "the public edition has no locked lesson"
    checked = 0
    for path in locked_pages:
        page.goto(pro_site.url(path))
        pro_texts = component_only(page)
        page.goto(public_site.url(path))
        paywall = page.locator(".cf-paywall")
        assert paywall.is_visible()
        assert paywall.locator(".cf-paywall__badge").text_content().strip().startswith("Pro Lesson")
        assert page.locator(".cf-lesson__body--preview").count() == 1
        assert page.locator("[data-cf-complete]").count() == 0
        checkout = paywall.locator("a.cf-paywall__checkout")  # both test sites set a checkout_url
        assert checkout.count() == 1 and checkout.is_visible()
        locked = pro_texts - set(texts(page))
        whole = re.sub(r"\s+", " ", page.evaluate("document.documentElement.outerHTML + document.body.innerText"))
        leaked = [text for text in locked if text in whole]
        assert leaked == [], f"{path} shows locked text"
        checked += len(locked)
    assert checked, "no locked component text to look for: the check would prove nothing"


# phone width: the checkout button's least width there (320 px: a small phone, or 1280 px at 400 % zoom)
PHONES = {390: 300, 320: 230}


@pytest.mark.parametrize("phone", PHONES)
def test_phone_width_fits_without_sideways_scrolling(new_context, pro_site, public_site, phone):
    context = new_context(viewport={"width": phone, "height": 844}, is_mobile=True, has_touch=True,
                          device_scale_factor=2)
    page = context.new_page()
    pro_lesson = max(pro_site.lesson_pages(), key=lambda p: len(pro_site.html(p)))
    urls = [pro_site.url(pro_lesson), pro_site.url(pro_site.course_of(pro_lesson)), pro_site.url("")]
    paywalled = public_site.url(public_site.pages_with('class="cf-paywall"')[0])
    for url in [*urls, paywalled]:
        visit_like_a_reader(page, url)
        scroll_through(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= phone, f"{url} is {width}px wide on a {phone}px phone"
    checkout = page.locator(".cf-paywall__checkout")  # the last page visited: a public paywall
    assert checkout.bounding_box()["width"] >= PHONES[phone], "the checkout button should span the card"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_link_to_a_locked_section_shows_the_offer_and_marks_the_section(new_context, public_site, width):
    """The section's id is on its line of the paywall's outline: the learner sees that line marked
    and, above it, why the text is not there (the paywall's title)."""
    path = public_site.first_with('class="cf-outline--h2"')
    anchor = re.search(r'<li id="([^"]+)" class="cf-outline--h2"', public_site.html(path)).group(1)
    page = new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(public_site.url(path) + "#" + anchor)
    target = page.locator(f"li#{anchor}")
    # once courseforge.js has bound: the card from its top, and the section's line still on screen
    page.wait_for_function("""id => { const top = document.querySelector('.cf-paywall__title').getBoundingClientRect().top;
        return top >= 0 && top < innerHeight && document.getElementById(id).getBoundingClientRect().bottom <= innerHeight; }""",
                           arg=anchor, timeout=5000)
    marked = target.evaluate("li => getComputedStyle(li).backgroundColor")
    plain = page.locator(".cf-paywall__outline li:not(:target)").first.evaluate("li => getComputedStyle(li).backgroundColor")
    assert marked != plain
