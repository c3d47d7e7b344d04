"""Progress: completion, the course page, the sidebar, export and import, broken storage."""

from __future__ import annotations

import base64
import json
import re

import pytest
from playwright.sync_api import expect

from cf_browser import KEY, hint_counts, stored

pytestmark = pytest.mark.browser


def completable_lesson(site) -> str:
    return site.first_with("data-cf-complete")


def course_progress(page) -> tuple[str, int]:
    box = page.locator("[data-cf-progress]")
    assert box.is_visible()
    return box.locator("[data-cf-progress-text]").inner_text(), int(box.locator("progress").evaluate("p => p.value"))


def done_marks(page) -> list[str]:
    """data-cf-lesson-link of every syllabus item that shows its visible ✓ Completed mark."""
    return [item.get_attribute("data-cf-lesson-link") for item in page.locator(".cf-syllabus__item").all()
            if item.locator("[data-cf-done]").is_visible()]


def sidebar_done(page) -> list[str]:
    return page.evaluate("""[...document.querySelectorAll('.md-sidebar--primary .md-nav__link.cf-nav--done')]
        .filter(a => getComputedStyle(a, '::after').content.includes('✓')).map(a => a.href)""")


def test_completion_shows_on_the_course_page_and_in_the_sidebar(page, edition_site):
    pro_site = edition_site  # a free lesson in the public edition
    lesson = completable_lesson(pro_site)
    course = pro_site.course_of(lesson)
    page.goto(pro_site.url(lesson))
    key = page.locator("article.cf-lesson").get_attribute("data-cf-lesson")
    button = page.locator("[data-cf-complete] button")
    assert button.is_visible()
    assert "cf-complete__button--done" not in button.get_attribute("class")
    assert button.inner_text() == "Mark lesson complete"
    assert sidebar_done(page) == []

    button.click()
    assert "cf-complete__button--done" in button.get_attribute("class")
    assert button.inner_text() == "Completed ✓ — undo"
    assert button.get_attribute("aria-pressed") is None  # its name says the state; "pressed" would repeat it
    assert sidebar_done(page) == [pro_site.url(lesson)]

    page.goto(pro_site.url(course))
    total = page.locator(".cf-syllabus__item").count()
    assert course_progress(page) == (f"1 of {total} lesson{'s' if total != 1 else ''} completed", 1)
    assert done_marks(page) == [key]
    resume = page.locator("[data-cf-resume]")
    assert resume.is_visible()
    assert resume.evaluate("a => a.href") == pro_site.url(lesson)
    assert pro_site.url(lesson) in sidebar_done(page)

    # The resume link works, and undoing clears every mark.
    resume.click()
    page.wait_for_url(pro_site.url(lesson))
    page.locator("[data-cf-complete] button").click()
    assert "cf-complete__button--done" not in page.locator("[data-cf-complete] button").get_attribute("class")
    assert sidebar_done(page) == []
    page.goto(pro_site.url(course))
    assert course_progress(page)[1] == 0
    assert done_marks(page) == []
    # Visited but nothing completed: resume still points at the last visited lesson.
    assert page.locator("[data-cf-resume]").evaluate("a => a.href") == pro_site.url(lesson)


def test_no_progress_means_no_resume_link(page, pro_site):
    course = pro_site.course_of(completable_lesson(pro_site))
    page.goto(pro_site.url(course))
    assert course_progress(page)[1] == 0
    assert page.locator("[data-cf-resume]").is_hidden()
    assert done_marks(page) == []


def open_tools(page):
    tools = page.locator("[data-cf-progress-tools]")
    assert tools.is_visible()
    if not tools.locator("details").evaluate("d => d.open"):
        tools.locator("summary").click()
    return tools


def test_export_then_clear_then_import_restores_progress(page, pro_site, tmp_path):
    lesson = pro_site.first_with("data-cf-criterion")
    course = pro_site.course_of(lesson)
    page.goto(pro_site.url(lesson))
    page.locator("[data-cf-complete] button").click()
    page.locator("input[data-cf-criterion]").first.check()
    page.locator("textarea[data-cf-notes]").first.fill("Notes in Ünïcode — to carry over")
    page.locator("textarea[data-cf-notes]").first.blur()

    page.goto(pro_site.url(course))
    tools = open_tools(page)
    with page.expect_download() as download_info:
        tools.locator("[data-cf-export]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    exported = json.loads(saved.read_text("utf-8"))
    code = tools.locator("[data-cf-export-code]")
    assert code.is_visible()
    assert json.loads(base64.b64decode(code.input_value()).decode("utf-8")) == exported
    assert any(entry.get("done") for entry in exported["lessons"].values())

    def cleared():
        page.evaluate("localStorage.clear()")
        page.reload()
        assert course_progress(page)[1] == 0
        return open_tools(page)

    # Import the pasted code.
    tools = cleared()
    tools.locator("[data-cf-import-code]").fill(code_value := base64.b64encode(saved.read_bytes()).decode())
    tools.locator("[data-cf-import]").click()
    message = tools.locator("[data-cf-progress-message]")
    expect(message).to_contain_text(re.compile("imported", re.I))
    assert course_progress(page)[1] == 1
    assert len(done_marks(page)) == 1
    assert len(code_value) > 20  # a real code was pasted, not an empty field

    # Import the file.
    tools = cleared()
    tools.locator("[data-cf-import-file]").set_input_files(str(saved))
    tools.locator("[data-cf-import]").click()
    expect(tools.locator("[data-cf-progress-message]")).to_contain_text(re.compile("imported", re.I))
    assert course_progress(page)[1] == 1

    page.goto(pro_site.url(lesson))
    assert page.locator("input[data-cf-criterion]").first.is_checked()
    assert page.locator("textarea[data-cf-notes]").first.input_value() == "Notes in Ünïcode — to carry over"
    assert "cf-complete__button--done" in page.locator("[data-cf-complete] button").get_attribute("class")


@pytest.mark.parametrize("bad", ["not a progress code", base64.b64encode(b'{"foo": 1}').decode(), "{",
                                 base64.b64encode(b"[]").decode()])
def test_invalid_import_says_so_and_changes_nothing(page, pro_site, bad):
    course = pro_site.course_of(completable_lesson(pro_site))
    page.goto(pro_site.url(course))
    before = page.evaluate(f"localStorage.getItem({KEY!r})")
    tools = open_tools(page)
    tools.locator("[data-cf-import-code]").fill(bad)
    tools.locator("[data-cf-import]").click()
    message = tools.locator("[data-cf-progress-message]")
    expect(message).to_contain_text("not a courseforge progress")
    assert "error" in message.get_attribute("class")
    assert page.evaluate(f"localStorage.getItem({KEY!r})") == before


def lesson_with_hints_and_completion(site) -> str:
    found = [path for path in site.pages_with("data-cf-complete")
             if any(n >= 2 for n in hint_counts(site.html(path)))]
    assert found, "no completable lesson with an exercise of two hints or more"
    return found[0]


def features_still_work(page):
    hints = page.locator("[data-cf-hints]").filter(has=page.locator("details.cf-hint >> nth=1"))
    box = hints.first
    box.locator("details.cf-hint summary").first.click()
    expect(box.locator("details.cf-hint").nth(1)).to_be_visible()
    button = page.locator("[data-cf-complete] button")
    button.click()
    assert "cf-complete__button--done" in button.get_attribute("class")


@pytest.mark.parametrize("value", ["{", "[]", '{"lessons":5}',
                                   '{"lessons":{"x":{"done":"yes","notes":[1]},"__proto__":{"done":true}},"last":[]}'])
def test_corrupt_storage_does_not_break_the_page(page, pro_site, value):
    lesson = lesson_with_hints_and_completion(pro_site)
    page.goto(pro_site.url(lesson))
    page.evaluate(f"localStorage.setItem({KEY!r}, {json.dumps(value)})")
    page.reload()
    features_still_work(page)
    repaired = stored(page)
    assert isinstance(repaired, dict) and isinstance(repaired["lessons"], dict)
    page.goto(pro_site.url(pro_site.course_of(lesson)))
    assert course_progress(page)[1] == 1


def test_unavailable_storage_falls_back_to_memory(browser, new_context, pro_site):
    context = new_context()
    # Storage refuses courseforge's key (private mode, quota, policy); Material keeps its own.
    context.add_init_script("""for (const name of ['getItem', 'setItem']) {
        const original = Storage.prototype[name];
        Storage.prototype[name] = function (key, ...rest) {
          if (key === 'courseforge:v1') throw new DOMException('storage disabled', 'SecurityError');
          return original.call(this, key, ...rest);
        };
      }""")
    page = context.new_page()
    lesson = lesson_with_hints_and_completion(pro_site)
    page.goto(pro_site.url(lesson))
    features_still_work(page)
    # Within the page, the in-memory state still drives the display.
    assert page.locator("[data-cf-complete] button").inner_text() == "Completed ✓ — undo"


def test_without_javascript_a_course_page_still_offers_to_start(new_context, pro_site):
    """Progress lives in the browser, so without JavaScript it stays hidden; the way into the course does not."""
    page = new_context(java_script_enabled=False).new_page()
    course = pro_site.course_of(completable_lesson(pro_site))
    page.goto(pro_site.url(course))
    start = page.locator("[data-cf-start]")
    expect(start).to_be_visible()
    start.click()
    expect(page.locator("article.cf-lesson h1")).to_be_visible()
    page.goto(pro_site.url(course))
    expect(page.locator("[data-cf-progress-text]")).to_be_hidden()
    expect(page.locator("[data-cf-progress] progress")).to_be_hidden()
