"""Diagrams: Mermaid loads lazily from the site itself and draws every diagram as inline SVG."""

from __future__ import annotations

import json

import pytest

from cf_browser import mark_with, reveal_diagrams, scroll_through, wait_for_diagrams

pytestmark = pytest.mark.browser

DIAGRAM = 'class="cf-mermaid"'


def diagram_pages(site) -> list[str]:
    pages = sorted(site.pages_with(DIAGRAM), key=lambda p: -site.count(p, DIAGRAM))
    if not pages:
        pytest.fail(f"no page with a diagram in the {site.edition} site")
    return pages


def library_url(page) -> str:
    return page.evaluate("new URL(document.querySelector('article.cf-lesson').dataset.cfDiagramLibrary, location.href).href")


def assert_all_drawn(page, expected: int) -> None:
    wait_for_diagrams(page)
    assert page.locator("pre.cf-mermaid").count() == 0, "a diagram failed to render"
    assert page.locator(".cf-diagram > svg").count() == expected
    assert page.locator("div.mermaid").count() == 0, "Material must not draw diagrams itself"
    names = page.evaluate("""[...document.querySelectorAll('.cf-diagram > svg')].map(svg => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        return (svg.getAttribute('aria-label') || ids.map(id => document.getElementById(id)?.textContent || '').join(' ')).trim();
    })""")
    assert all(names), f"diagram without an accessible name: {names}"


def test_every_diagram_becomes_an_svg_when_scrolled_to(page, pro_site, watch):
    path = diagram_pages(pro_site)[0]
    expected = pro_site.count(path, DIAGRAM)
    page.goto(pro_site.url(path))
    library = library_url(page)
    far = page.evaluate("document.querySelector('pre.cf-mermaid').getBoundingClientRect().top > innerHeight + 400")
    if far:  # nothing near the viewport yet: Mermaid is not even downloaded
        page.wait_for_timeout(300)
        assert library not in watch.requests
        assert page.locator(".cf-diagram").count() == 0
    reveal_diagrams(page)
    assert_all_drawn(page, expected)
    assert watch.requests.count(library) == 1
    assert [url for url in watch.requests if "mermaid" in url] == [library]


def test_diagrams_render_after_instant_navigation(page, pro_site):
    pages = diagram_pages(pro_site)
    start = pro_site.course_of(pages[0])
    page.goto(pro_site.url(start))
    page.evaluate("window.__noReload = true")
    for path in pages[:2]:
        target = pro_site.url(path)
        link = mark_with(page, ".md-sidebar--primary a.md-nav__link[href]",
                         f"new URL(el.href).href === {json.dumps(target)} && el.offsetParent !== null",
                         name=f"data-test-{len(path)}")
        page.click(link)
        page.wait_for_url(target)
        page.wait_for_selector("article.cf-lesson")
        assert page.evaluate("window.__noReload === true"), "the page reloaded: not an instant navigation"
        scroll_through(page)
        assert_all_drawn(page, pro_site.count(path, DIAGRAM))


def test_a_broken_diagram_shows_its_source_and_a_message(browser, new_context, pro_site, watch):
    context = new_context()
    # Break the first diagram's source before courseforge sees it.
    context.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        const code = document.querySelector('pre.cf-mermaid code');
        if (code) code.textContent = 'flowchart LR\\n  A -->|broken';
    });""")
    page = context.new_page()
    path = diagram_pages(pro_site)[0]
    page.goto(pro_site.url(path))
    scroll_through(page)
    wait_for_diagrams(page)
    failed = page.locator("pre.cf-mermaid[data-cf-state=failed]")
    assert failed.count() == 1
    assert "A -->|broken" in failed.inner_text()
    assert page.locator(".cf-diagram__error").is_visible()
    assert page.locator(".cf-diagram > svg").count() == pro_site.count(path, DIAGRAM) - 1


def test_a_missing_library_leaves_readable_sources(browser, new_context, pro_site, watch):
    context = new_context()
    context.route("**/*mermaid*.js", lambda route: route.fulfill(status=404, body="gone"))
    page = context.new_page()
    path = diagram_pages(pro_site)[0]
    page.goto(pro_site.url(path))
    scroll_through(page)
    wait_for_diagrams(page)
    assert page.locator("pre.cf-mermaid[data-cf-state=failed]").count() == pro_site.count(path, DIAGRAM)
    assert page.locator(".cf-diagram__error").first.is_visible()
    # The browser itself reports the 404; nothing else may be logged.
    watch.console_errors[:] = [e for e in watch.console_errors if "404" not in e]


def test_diagrams_follow_the_colour_scheme(page, pro_site):
    path = diagram_pages(pro_site)[0]
    page.goto(pro_site.url(path))
    if not page.locator("link[href*='palette']").count():
        pytest.skip("this site has no palette (no dark scheme) configured")
    scroll_through(page)
    wait_for_diagrams(page)
    # Node fills and label colours come from Material's --md-mermaid-* variables ...
    colours = """() => {
        const svg = document.querySelector('.cf-diagram svg'), css = getComputedStyle(svg);
        const node = svg.querySelector('.node rect, .node polygon, .node circle, .node path');
        const label = svg.querySelector('.nodeLabel, .label');
        const probe = document.createElement('span');
        probe.style.color = 'var(--md-mermaid-label-fg-color)';
        svg.parentElement.append(probe);
        const expected = getComputedStyle(probe).color;
        probe.style.color = 'var(--md-mermaid-node-bg-color)';
        const fill = getComputedStyle(probe).color;
        probe.remove();
        return {label: getComputedStyle(label).color, expected, fill: getComputedStyle(node).fill, expectedFill: fill};
    }"""
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    light = page.evaluate(colours)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.evaluate(colours)
    for scheme in (light, dark):
        assert scheme["label"] == scheme["expected"]
        assert scheme["fill"] == scheme["expectedFill"]
    # ... so switching to dark mode recolours drawn diagrams without drawing them again.
    assert light["label"] != dark["label"]
