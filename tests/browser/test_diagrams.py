"""Diagrams, in both modes of the `diagrams` option, on the sample course's pro edition:
- `client`: Mermaid loads lazily from the site itself and draws every diagram as inline SVG;
- `static` (the sample's setting): drawn at build time and inlined; no Mermaid is loaded.
Either way a diagram follows the palette, keeps readable text and passes axe.
"""

from __future__ import annotations

import io
import json
import os

import pytest

from cf_browser import blend, contrast, mark_with, reveal_diagrams, rgba, scroll_through, wait_for_diagrams
from sites import ROOT, build, copy_project

pytestmark = pytest.mark.browser

DIAGRAM = 'class="cf-mermaid"'            # a diagram the page draws (client)
STATIC_DIAGRAM = 'class="cf-diagram"'     # a diagram drawn at build time (static)
UNFRAMED = ".cf-diagram:not(.cf-diagram-view > .cf-diagram)"


@pytest.fixture(scope="module")
def client_site(tmp_path_factory, serve, pro_site):
    """The sample's pro edition built with `diagrams: client` (the sample itself uses static)."""
    project = copy_project(ROOT, tmp_path_factory.mktemp("client-diagrams") / "project")
    config = project / "mkdocs.yml"
    assert "diagrams: static" in config.read_text()
    config.write_text(config.read_text().replace("diagrams: static", "diagrams: client"))
    folder = build(project, tmp_path_factory.mktemp("client-diagrams-site") / "site", "pro")
    return type(pro_site)(folder=folder, base=serve(folder), edition="pro")


@pytest.fixture(params=["client", "static"])
def diagram_site(request, pro_site):
    """Each mode in turn: the sample built with `diagrams: client`, and as it is (static)."""
    site = request.getfixturevalue("client_site") if request.param == "client" else pro_site
    if request.param == "static" and not site.pages_with(STATIC_DIAGRAM):
        pytest.fail("the sample course is not built with `diagrams: static`")
    return site


def diagram_count(site, path: str) -> int:
    return site.count(path, DIAGRAM) + site.count(path, STATIC_DIAGRAM)


def diagram_pages(site) -> list[str]:
    pages = sorted({*site.pages_with(DIAGRAM), *site.pages_with(STATIC_DIAGRAM)}, key=lambda p: -diagram_count(site, p))
    if not pages:
        pytest.fail(f"no page with a diagram in the {site.edition} site")
    return pages


def library_url(page) -> str:
    return page.evaluate("new URL(document.querySelector('article.cf-lesson').dataset.cfDiagramLibrary, location.href).href")


def wait_until_drawn(page) -> None:
    """Drawn in the page (client) or framed by courseforge.js (static)."""
    wait_for_diagrams(page)
    page.wait_for_function(f"!document.querySelector({UNFRAMED!r})")


def assert_all_drawn(page, expected: int) -> None:
    wait_until_drawn(page)
    assert page.locator("pre.cf-mermaid").count() == 0, "a diagram failed to render"
    assert page.locator(".cf-diagram-box > .cf-diagram-view > .cf-diagram > svg").count() == expected
    assert page.locator("div.mermaid").count() == 0, "Material must not draw diagrams itself"
    names = page.evaluate("""[...document.querySelectorAll('.cf-diagram > svg')].map(svg => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
        return (svg.getAttribute('aria-label') || ids.map(id => document.getElementById(id)?.textContent || '').join(' ')).trim();
    })""")
    assert all(names), f"diagram without an accessible name: {names}"
    roles = page.evaluate("[...document.querySelectorAll('.cf-diagram > svg')].map(svg => svg.getAttribute('role'))")
    assert set(roles) == {"img"}, f"each diagram is one image, drawn in the page or at build time: {roles}"
    sizes = page.evaluate("[...document.querySelectorAll('.cf-diagram > svg')].map(s => s.getBoundingClientRect())"
                          ".map(r => [r.width, r.height])")
    assert all(width > 50 and height > 20 for width, height in sizes), f"a diagram drawn empty: {sizes}"


def test_every_diagram_becomes_an_svg_when_scrolled_to(page, client_site, watch):
    # a page whose first diagram starts well below the first screen
    far = False
    for path in diagram_pages(client_site):
        start = len(watch.requests)  # what this page asked for, not the pages looked at before it
        page.goto(client_site.url(path))
        far = page.evaluate("document.querySelector('pre.cf-mermaid').getBoundingClientRect().top > innerHeight + 400")
        if far:
            break
    assert far, "every diagram page has a diagram on its first screen"
    expected = diagram_count(client_site, path)
    library = library_url(page)
    # nothing near the viewport yet: Mermaid is not even downloaded
    page.wait_for_timeout(300)
    assert library not in watch.requests[start:]
    assert page.locator(".cf-diagram").count() == 0
    reveal_diagrams(page)
    assert_all_drawn(page, expected)
    assert watch.requests[start:].count(library) == 1
    assert [url for url in watch.requests[start:] if "mermaid" in url] == [library]


def test_diagrams_render_after_instant_navigation(page, diagram_site):
    pages = diagram_pages(diagram_site)
    start = diagram_site.course_of(pages[0])
    page.goto(diagram_site.url(start))
    page.evaluate("window.__noReload = true")
    for path in pages[:2]:
        target = diagram_site.url(path)
        link = mark_with(page, ".md-sidebar--primary a.md-nav__link[href]",
                         f"new URL(el.href).href === {json.dumps(target)} && el.offsetParent !== null",
                         name=f"data-test-{len(path)}")
        page.click(link)
        page.wait_for_url(target)
        page.wait_for_selector("article.cf-lesson")
        assert page.evaluate("window.__noReload === true"), "the page reloaded: not an instant navigation"
        scroll_through(page)
        assert_all_drawn(page, diagram_count(diagram_site, path))


def test_a_broken_diagram_shows_its_source_and_a_message(browser, new_context, client_site, watch):
    context = new_context()
    # Break the first diagram's source before courseforge sees it.
    context.add_init_script("""document.addEventListener('DOMContentLoaded', () => {
        const code = document.querySelector('pre.cf-mermaid code');
        if (code) code.textContent = 'flowchart LR\\n  A -->|broken';
    });""")
    page = context.new_page()
    path = diagram_pages(client_site)[0]
    page.goto(client_site.url(path))
    scroll_through(page)
    wait_for_diagrams(page)
    failed = page.locator("pre.cf-mermaid[data-cf-state=failed]")
    assert failed.count() == 1
    assert "A -->|broken" in failed.inner_text()
    assert page.locator(".cf-diagram__error").is_visible()
    assert page.locator(".cf-diagram > svg").count() == diagram_count(client_site, path) - 1


def test_a_missing_library_leaves_readable_sources(browser, new_context, client_site, watch):
    context = new_context()
    context.route("**/*mermaid*.js", lambda route: route.fulfill(status=404, body="gone"))
    page = context.new_page()
    path = diagram_pages(client_site)[0]
    page.goto(client_site.url(path))
    scroll_through(page)
    wait_for_diagrams(page)
    assert page.locator("pre.cf-mermaid[data-cf-state=failed]").count() == diagram_count(client_site, path)
    assert page.locator(".cf-diagram__error").first.is_visible()
    # The browser itself reports the 404; nothing else may be logged.
    watch.console_errors[:] = [e for e in watch.console_errors if "404" not in e]


def open_with_palette(page, site) -> str:
    """Open the first diagram page; skip on a site without a dark scheme to compare with."""
    path = diagram_pages(site)[0]
    page.goto(site.url(path))
    if not page.locator("link[href*='palette']").count():
        pytest.skip("this site has no palette (no dark scheme) configured")
    return path


def test_diagrams_follow_the_colour_scheme(page, diagram_site):
    open_with_palette(page, diagram_site)
    scroll_through(page)
    wait_until_drawn(page)
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
        probe.style.color = 'var(--md-default-bg-color)';
        const page = getComputedStyle(probe).color;
        probe.remove();
        return {label: getComputedStyle(label).color, expected, fill: getComputedStyle(node).fill, expectedFill: fill, page};
    }"""
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    light = page.evaluate(colours)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.evaluate(colours)
    for scheme in (light, dark):
        assert scheme["label"] == scheme["expected"]
        assert scheme["fill"] == scheme["expectedFill"]
    # ... so switching to dark mode recolours drawn diagrams without drawing them again,
    assert light["label"] != dark["label"] and light["page"] != dark["page"]
    # and labels stay readable on their nodes in both (WCAG AA for text).
    for scheme in (light, dark):
        node = blend(rgba(scheme["fill"]), rgba(scheme["page"]))
        assert contrast(rgba(scheme["label"]), node) >= 4.5, scheme


def test_edge_labels_sit_on_the_palette_s_label_colour(page, diagram_site):
    """Mermaid tints the box around an edge label light: in dark mode it showed as hairlines."""
    open_with_palette(page, diagram_site)
    scroll_through(page)
    wait_until_drawn(page)
    probe = """() => {
        const wrappers = [...document.querySelectorAll('.cf-diagram .labelBkg')];
        const probe = document.createElement('span');
        probe.style.backgroundColor = 'var(--md-mermaid-label-bg-color)';
        document.querySelector('.cf-diagram').append(probe);
        const expected = getComputedStyle(probe).backgroundColor;
        probe.remove();
        return {expected, found: wrappers.map(w => getComputedStyle(w).backgroundColor)};
    }"""
    for scheme in ("default", "slate"):
        page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
        colours = page.evaluate(probe)
        assert colours["found"] and set(colours["found"]) == {colours["expected"]}, (scheme, colours)


def test_static_diagram_pages_request_no_mermaid(page, pro_site, watch):
    """`diagrams: static`: drawn in the HTML; no Mermaid script, no request for one."""
    pages = diagram_pages(pro_site)
    for path in pages:
        assert pro_site.count(path, STATIC_DIAGRAM) > 0 and pro_site.count(path, DIAGRAM) == 0, path
        page.goto(pro_site.url(path))
        scroll_through(page)
        assert_all_drawn(page, diagram_count(pro_site, path))
        assert page.evaluate("typeof window.mermaid") == "undefined"
        assert page.locator("script[src*='mermaid']").count() == 0
        assert page.locator("article.cf-lesson[data-cf-diagram-library]").count() == 0
    assert [url for url in watch.requests if "mermaid" in url.lower()] == []
    assert len(watch.requests) > len(pages)


# ---------------------------------------------------------------- readable everywhere

READABLE_PX = 11.5  # courseforge draws text at 12 px or more; a little slack for rounding

MEASURE = """() => [...document.querySelectorAll('.cf-diagram > svg')].map(svg => {
    const frame = svg.parentElement, box = frame.closest('.cf-diagram-box');
    const view = box && box.querySelector('.cf-diagram-view');
    const hint = box && box.querySelector('.cf-diagram__hint');
    const texts = [...svg.querySelectorAll('text, foreignObject *')].filter(t =>
        (t.tagName === 'text' || !t.children.length) && t.textContent.trim() && t.getClientRects().length);
    const drawn = texts.map(t => {
        const m = t.closest('text, foreignObject').getScreenCTM();
        return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    });
    const boxes = texts.map(t => t.getBoundingClientRect().height);
    return {
        name: frame.getAttribute('aria-label') || svg.getAttribute('aria-label') || '',
        texts: texts.length,
        smallest: Math.min(...drawn),
        smallestBox: Math.min(...boxes),
        scrolls: frame.scrollWidth > frame.clientWidth + 1,
        overflowX: getComputedStyle(frame).overflowX,
        tabIndex: frame.tabIndex,
        role: frame.getAttribute('role'),
        label: frame.getAttribute('aria-label') || '',
        hint: !!hint && !hint.hidden && hint.getClientRects().length > 0 && hint.textContent.trim(),
        fadeRight: view ? getComputedStyle(view, '::after').opacity : null,
        fadeImage: view ? getComputedStyle(view, '::after').backgroundImage : '',
    };
})"""

FADES_SETTLED = """() => [...document.querySelectorAll('.cf-diagram-box--scrolls .cf-diagram-view')]
    .every(v => getComputedStyle(v, '::after').opacity === '1')"""


def draw_all(page, site, path: str) -> list[dict]:
    page.goto(site.url(path))
    reveal_diagrams(page)
    assert_all_drawn(page, diagram_count(site, path))
    page.wait_for_function(FADES_SETTLED)
    return page.evaluate(MEASURE)


@pytest.mark.parametrize("width", [390, 1280])
def test_every_diagram_is_drawn_with_readable_text(new_context, diagram_site, width):
    """No diagram text below ~12 px; a diagram wider than its frame scrolls there, visibly and by keyboard."""
    page = new_context(viewport={"width": width, "height": 844}).new_page()
    wide_seen = 0
    for path in diagram_pages(diagram_site):
        diagrams = draw_all(page, diagram_site, path)
        assert diagrams, f"{path}: no diagram drawn"
        assert all(d["texts"] > 0 for d in diagrams), f"{path}: a diagram without text to measure: {diagrams}"
        small = [(d["name"], round(d["smallest"], 1), round(d["smallestBox"], 1)) for d in diagrams
                 if d["smallest"] < READABLE_PX or d["smallestBox"] < READABLE_PX]
        assert small == [], f"{path} at {width} px: diagram text below {READABLE_PX} px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path}: the page scrolls sideways"
        assert all(d["overflowX"] == "auto" for d in diagrams)
        wide = [d for d in diagrams if d["scrolls"]]
        fitting = [d for d in diagrams if not d["scrolls"]]
        wide_seen += len(wide)
        for d in wide:
            assert d["tabIndex"] == 0, f"{path}: a scrolling diagram cannot be focused: {d}"
            assert d["role"] == "region" and len(d["label"]) > len(" (scrolls sideways)"), d
            assert d["hint"] and "scroll" in d["hint"].lower(), f"{path}: no scroll hint: {d}"
            assert d["fadeRight"] == "1" and "gradient" in d["fadeImage"], f"{path}: no fade at the edge that has more: {d}"
        for d in fitting:
            assert d["tabIndex"] == -1 and d["role"] is None and not d["hint"], f"{path}: a fitting diagram looks scrollable: {d}"
        # the keyboard scrolls every wide diagram
        frames = page.locator(".cf-diagram")
        for index in [i for i, d in enumerate(diagrams) if d["scrolls"]]:
            frame = frames.nth(index)
            frame.focus()
            assert frame.evaluate("el => document.activeElement === el")
            assert frame.evaluate("el => el.scrollLeft") == 0
            page.keyboard.press("ArrowRight")
            page.wait_for_function("el => el.scrollLeft > 0", arg=frame.element_handle())
            page.wait_for_function("el => el.closest('.cf-diagram-box').classList.contains('cf-diagram-box--more-left')",
                                   arg=frame.element_handle())
    assert wide_seen > 0, f"no diagram of the sample is wider than its frame at {width} px: the scrolling frame went untested"


def test_diagrams_refit_when_the_window_narrows(new_context, diagram_site):
    """A diagram that fits on a desktop but would shrink below 12 px on a phone switches to scrolling."""
    page = new_context(viewport={"width": 1280, "height": 844}).new_page()
    paths = diagram_pages(diagram_site)
    before = {path: draw_all(page, diagram_site, path) for path in paths}
    fit_then = [path for path in paths if not all(d["scrolls"] for d in before[path])]
    assert fit_then, "no diagram fits its frame at 1280 px"
    path = fit_then[0]
    page.goto(diagram_site.url(path))
    reveal_diagrams(page)
    wait_until_drawn(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("document.documentElement.scrollWidth <= 390")
    page.wait_for_timeout(200)
    after = page.evaluate(MEASURE)
    assert min(d["smallest"] for d in after) >= READABLE_PX
    assert all(d["tabIndex"] == 0 for d in after if d["scrolls"])
    assert any(d["scrolls"] for d in after), f"{path}: nothing scrolls at 390 px"


def test_the_scroll_cue_follows_the_dark_palette(new_context, diagram_site):
    page = new_context(viewport={"width": 390, "height": 844}).new_page()
    open_with_palette(page, diagram_site)
    reveal_diagrams(page)
    wait_until_drawn(page)
    cue = """() => {
        const view = document.querySelector('.cf-diagram-box--scrolls .cf-diagram-view');
        const probe = document.createElement('span');
        probe.style.color = 'var(--md-default-bg-color)';
        view.append(probe);
        const bg = getComputedStyle(probe).color;
        probe.remove();
        return {bg, image: getComputedStyle(view, '::after').backgroundImage};
    }"""
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'default')")
    light = page.evaluate(cue)
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    dark = page.evaluate(cue)
    assert light["bg"] in light["image"] and dark["bg"] in dark["image"]
    assert light["image"] != dark["image"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagram_pages_on_a_phone_pass_axe(new_context, diagram_site, scheme):
    """The scrolling frames are named, focusable regions: axe finds nothing serious in any diagram at 390 px."""
    from test_accessibility import AXE_INTEGRITY, npm_file

    axe = os.environ.get("AXE_CORE_JS") or str(npm_file("axe-core", "4.11.0", AXE_INTEGRITY, "axe.min.js"))
    page = new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme).new_page()
    problems = []
    scrolling = 0
    for path in diagram_pages(diagram_site):
        scrolling += sum(d["scrolls"] for d in draw_all(page, diagram_site, path))
        page.add_script_tag(path=axe)
        # the diagrams only: Material's wide tables are another matter (their scroll wrappers)
        problems += page.evaluate("""axe.run({include: [['.cf-diagram-box']]}, {resultTypes: ['violations']}).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${location.pathname} ${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))""")
    assert problems == []
    assert scrolling > 0


# One of each kind of diagram a course draws: compaction must not change a pixel of any.
KINDS = {
    "flowchart": "flowchart LR\n  subgraph Team\n    A[Draft] -->|review| B{OK?}\n  end\n  B -->|yes| C([Ship])\n"
                 "  B -. no .-> A\n  classDef hot fill:#f96\n  class C hot",
    "sequence": "sequenceDiagram\n  autonumber\n  Learner->>Site: Open lesson\n  Site-->>Learner: Preview\n"
                "  Note over Learner,Site: Paywall\n  loop Every save\n    Site->>Site: Rebuild\n  end",
    "class": "classDiagram\n  Lesson <|-- Exercise\n  Lesson : +str title\n  Lesson : +read() int",
    "state": "stateDiagram-v2\n  [*] --> Draft\n  Draft --> Review\n  state Review {\n    [*] --> Open\n  }\n"
             "  Review --> [*]",
    "er": "erDiagram\n  COURSE ||--o{ LESSON : has\n  LESSON { string title }",
    "pie": 'pie title Time\n  "Reading" : 60\n  "Exercises" : 40',
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_compacted_diagram_draws_as_mermaid_drew_it(page, pro_site, kind):
    """Unused style rules and Mermaid's own data attributes are gone; what a learner sees is not
    (both palettes, pixel for pixel, on a page of the site)."""
    import mermaidx
    from PIL import Image, ImageChops

    from courseforge.core.diagrams import compact_svg, inline_svg
    from courseforge.plugin.mermaid import THEME_CSS

    drawn = mermaidx.render(KINDS[kind], config={"securityLevel": "strict", "theme": "base", "themeCSS": THEME_CSS}).svg()
    compacted = compact_svg(drawn)
    assert len(compacted) < len(drawn) and "data-points" not in compacted
    page.goto(pro_site.url(pro_site.lesson_pages()[0]))
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; animation: none !important; }")
    shots = []
    for scheme in ("default", "slate"):
        page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
        for svg in (drawn, compacted):
            page.evaluate("""svg => {
                document.getElementById('cf-probe')?.remove();
                const box = Object.assign(document.createElement('div'), {id: 'cf-probe', className: 'md-typeset', innerHTML: svg});
                Object.assign(box.style, {position: 'absolute', top: '0', left: '0', width: '900px', background: 'var(--md-default-bg-color)'});
                document.body.append(box);
            }""", inline_svg(svg, "cf-svg-probe"))
            shots.append(Image.open(io.BytesIO(page.locator("#cf-probe").screenshot())).convert("RGB"))
    light_drawn, light_compacted, dark_drawn, dark_compacted = shots
    assert light_drawn.size == light_compacted.size and light_drawn.size[1] > 50
    assert ImageChops.difference(light_drawn, light_compacted).getbbox() is None
    assert ImageChops.difference(dark_drawn, dark_compacted).getbbox() is None
    assert ImageChops.difference(light_drawn, dark_drawn).getbbox() is not None  # the palettes differ
