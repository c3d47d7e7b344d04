"""courseforge.js fetches the files of the features a page has, and only those: a page without a
quiz, an exercise, progress tools or a diagram to draw loads courseforge.js alone; a knowledge
check reached by Material's instant navigation still works, its file fetched once."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cf_browser import mark_with

pytestmark = pytest.mark.browser

FEATURE_FILE = re.compile(r"/assets/courseforge/courseforge-[a-z-]+\.js$")
# What makes courseforge.js fetch a feature file (FEATURES in courseforge.js), as built HTML says it.
FEATURE_MARKUP = re.compile(r"data-cf-(?:hints|exercise|quiz|progress-tools)\b|<pre class=\"cf-mermaid\"")


def feature_files(requests: list[str]) -> list[str]:
    return [url.rsplit("/", 1)[-1] for url in requests if FEATURE_FILE.search(url)]


def test_a_page_without_features_loads_courseforge_js_alone(page, public_site, watch):
    plain = [path for path in public_site.lesson_pages() if not FEATURE_MARKUP.search(public_site.html(path))]
    if not plain:
        pytest.skip("every lesson of this site has an exercise, a quiz or a diagram to draw")
    page.goto(public_site.url(plain[0]))
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/assets/courseforge/courseforge.js") for url in watch.requests)
    assert feature_files(watch.requests) == []


def test_quiz_reached_by_instant_navigation_fetches_its_file_once(page, pro_site, watch):
    course = pro_site.course_of(pro_site.first_with("data-cf-quiz"))
    quizzes = [path for path in pro_site.pages_with("data-cf-quiz") if pro_site.course_of(path) == course]
    page.goto(pro_site.url(course))  # a course page: no quiz on it
    assert "courseforge-quiz.js" not in feature_files(watch.requests)
    page.evaluate("window.cfSamePage = true")
    for number, path in enumerate(quizzes[:2]):
        target = pro_site.url(path)
        page.click(mark_with(page, ".md-sidebar--primary a.md-nav__link[href]",
                             f"new URL(el.href).href === {target!r} && el.offsetParent !== null", f"data-test-{number}"))
        page.wait_for_url(target)
        expect(page.locator("[data-cf-quiz] .cf-question__check").first).to_be_visible()
        assert page.evaluate("window.cfSamePage") is True, "the page reloaded: not an instant navigation"
    assert feature_files(watch.requests).count("courseforge-quiz.js") == 1
