"""axe-core on representative pages, light and dark, after the interactive parts were used.

axe-core comes from the npm registry, pinned and integrity-checked (tests/npm_asset.py);
AXE_CORE_JS may name another axe.min.js.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cf_browser import KEY, reveal_diagrams, wait_for_diagrams
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(new_context, pro_site, public_site, scheme, axe):
    context = new_context(color_scheme=scheme)
    page = context.new_page()
    lesson = pro_site.first_with("data-cf-quiz")
    course = pro_site.course_of(lesson)
    page.goto(pro_site.url(course))
    page.evaluate(f"localStorage.setItem({KEY!r}, JSON.stringify({{lessons: {{{lesson!r}: {{done: true}}}}, last: {{}}}}))")
    urls = [pro_site.url(""), pro_site.url(course), pro_site.url(lesson)]
    urls += [public_site.url(p) for p in public_site.pages_with('class="cf-paywall"')[:1]]
    problems = []
    for url in urls:
        page.goto(url)
        if scheme == "dark" and page.evaluate("document.body.dataset.mdColorScheme") != "slate":
            pytest.skip("this site has no dark palette")
        reveal_diagrams(page)
        wait_for_diagrams(page)
        page.evaluate(USE_EVERYTHING)
        page.wait_for_timeout(200)
        page.add_script_tag(path=str(axe))
        violations = page.evaluate("""axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))""")
        problems += [f"{url} [{scheme}] {v}" for v in violations]
    assert problems == []
