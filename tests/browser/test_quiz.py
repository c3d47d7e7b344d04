"""The knowledge check: nothing revealed before "Check answer" (keyboard included), verdict and
feedback after it, the correct answer after a wrong try, a score, "Try again", answers kept
across reloads and in the progress export, a stable per-browser shuffle; opened hints kept."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect
from test_accessibility import AXE_INTEGRITY

from cf_browser import KEY, hint_counts, stored
from npm_asset import npm_file

pytestmark = pytest.mark.browser

# What a question shows of its answers: visible feedback, verdict colours, the live region, the
# no-script fallback.
REVEALED = """q => ({
    feedback: [...q.querySelectorAll('.cf-answer__feedback')].filter(f => f.checkVisibility()).length,
    marked: q.querySelectorAll('.cf-answer--correct, .cf-answer--wrong').length,
    status: q.querySelector('[role=status]').textContent.trim(),
    fallback: [...q.querySelectorAll('details.cf-question__answers')].filter(d => d.checkVisibility()).length,
})"""
NOTHING = {"feedback": 0, "marked": 0, "status": "", "fallback": 0}
ORDER = "q => [...q.querySelectorAll('[data-cf-answer] input[type=radio]')].map(r => +r.value)"
ORDERS = f"() => [...document.querySelectorAll('[data-cf-question]')].map({ORDER})"


def quiz_lesson(site) -> str:
    return site.first_with("data-cf-quiz")


def open_quiz(page, site):
    """The first knowledge check of the first lesson that has one, and the lesson's key."""
    page.goto(site.url(quiz_lesson(site)))
    quiz = page.locator("[data-cf-quiz]").first
    expect(quiz.locator(".cf-question__check").first).to_be_visible()
    return quiz, page.locator("article.cf-lesson").get_attribute("data-cf-lesson")


def revealed(question) -> dict:
    return question.evaluate(REVEALED)


def is_focused(locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def check_wrong(question):
    question.locator("[data-cf-answer]:not([data-correct]) input").first.check()
    question.locator(".cf-question__check").click()


def check_right(question):
    question.locator("[data-cf-answer][data-correct] input").first.check()
    question.locator(".cf-question__check").click()


def test_keyboard_only_reveals_nothing_before_check_answer(page, pro_site):
    quiz, _ = open_quiz(page, pro_site)
    first, second = quiz.locator("[data-cf-question]").nth(0), quiz.locator("[data-cf-question]").nth(1)
    radios = first.locator("input[type=radio]")
    n = radios.count()
    assert n >= 2
    assert revealed(first) == NOTHING

    # Start sequential focus navigation at the question, then use only the keyboard.
    first.locator("legend").click()
    page.keyboard.press("Tab")
    assert is_focused(radios.nth(0)), "Tab should enter the answers"
    page.keyboard.press("Space")
    assert radios.nth(0).is_checked()
    assert revealed(first) == NOTHING
    # Arrow keys move the selection through every answer, and still nothing is revealed.
    for i in range(1, n + 1):
        page.keyboard.press("ArrowDown")
        assert radios.nth(i % n).is_checked()
        assert revealed(first) == NOTHING, f"moving to answer {i % n + 1} revealed something"
    page.keyboard.press("ArrowUp")
    assert revealed(first) == NOTHING
    chosen = first.locator("[data-cf-answer]").filter(has=page.locator("input:checked"))

    page.keyboard.press("Tab")
    check = first.locator(".cf-question__check")
    assert is_focused(check), "Tab should move from the answers to Check answer"
    assert check.evaluate("el => getComputedStyle(el).outlineStyle") != "none", "focus is not visible"
    page.keyboard.press("Enter")
    shown = revealed(first)
    assert shown["feedback"] >= 1 and shown["marked"] >= 1
    expect(chosen.locator(".cf-answer__feedback")).to_be_visible()
    assert is_focused(chosen.locator(".cf-answer__feedback")), "the feedback is read out where the focus lands"
    expect(chosen.locator(".cf-answer__verdict")).to_have_text(["Correct", "Not quite"][chosen.get_attribute("data-correct") is None])
    assert check.is_hidden()

    # On to the next question: Tab, Space to choose, Enter on the radio checks it.
    page.keyboard.press("Tab")
    second_radios = second.locator("input[type=radio]")
    assert is_focused(second_radios.nth(0)), "Tab should reach the next question's answers"
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")
    assert revealed(second) == NOTHING
    page.keyboard.press("Enter")
    assert revealed(second)["feedback"] >= 1


def test_check_without_a_choice_asks_for_one(page, pro_site):
    quiz, _ = open_quiz(page, pro_site)
    question = quiz.locator("[data-cf-question]").first
    question.locator(".cf-question__check").click()
    assert revealed(question) == {**NOTHING, "status": "Choose an answer first."}


def test_wrong_try_shows_verdict_feedback_and_the_correct_answer(page, pro_site):
    quiz, _ = open_quiz(page, pro_site)
    question = quiz.locator("[data-cf-question]").first
    wrong = question.locator("[data-cf-answer]:not([data-correct])").first
    right = question.locator("[data-cf-answer][data-correct]").first
    check_wrong(question)

    expect(wrong.locator(".cf-answer__feedback")).to_be_visible()
    expect(wrong.locator(".cf-answer__verdict")).to_have_text("Not quite")
    assert "cf-answer--wrong" in wrong.get_attribute("class")
    expect(right.locator(".cf-answer__feedback")).to_be_visible()
    expect(right.locator(".cf-answer__verdict")).to_have_text("Correct answer")
    assert "cf-answer--correct" in right.get_attribute("class")
    assert revealed(question)["feedback"] == 2
    # colour is not the only signal: the focus lands on the verdict and feedback, which reads them
    # out, and the live region adds the correct answer (saying the feedback again read it twice)
    assert is_focused(wrong.locator(".cf-answer__feedback"))
    status = revealed(question)["status"]
    assert status == f"The correct answer: {right.locator('label').text_content().strip()}."
    assert wrong.locator(".cf-answer__feedback").text_content().strip() not in status
    # one try: the answers are locked until "Try again"
    radios = question.locator("input[type=radio]")
    assert [radios.nth(i).is_disabled() for i in range(radios.count())] == [True] * radios.count()


def test_right_try_shows_only_its_feedback(page, pro_site):
    quiz, _ = open_quiz(page, pro_site)
    question = quiz.locator("[data-cf-question]").first
    right = question.locator("[data-cf-answer][data-correct]").first
    check_right(question)
    expect(right.locator(".cf-answer__verdict")).to_have_text("Correct")
    assert revealed(question)["feedback"] == 1
    assert is_focused(right.locator(".cf-answer__feedback"))  # read out there: the live region stays quiet
    assert revealed(question)["status"] == ""
    assert question.locator(".cf-answer--wrong").count() == 0


def test_score_then_try_again(page, pro_site):
    quiz, key = open_quiz(page, pro_site)
    ref = quiz.get_attribute("data-cf-quiz")
    questions = quiz.locator("[data-cf-question]")
    n = questions.count()
    score, retry = quiz.locator(".cf-quiz__score"), quiz.locator(".cf-quiz__retry")
    assert n >= 2
    assert retry.is_hidden()
    assert score.text_content() == ""

    check_right(questions.nth(0))
    expect(retry).to_be_visible()
    for i in range(1, n):
        assert score.text_content() == "", "no score before every question is checked"
        check_wrong(questions.nth(i))
    expect(score).to_have_text(f"1 of {n} correct")
    assert score.get_attribute("aria-live") == "polite"
    assert len(stored(page)["lessons"][key]["quiz"][ref]) == n

    retry.click()
    assert score.text_content() == ""
    assert retry.is_hidden()
    for i in range(n):
        assert revealed(questions.nth(i)) == NOTHING
        radios = questions.nth(i).locator("input[type=radio]")
        assert [radios.nth(j).is_checked() or radios.nth(j).is_disabled() for j in range(radios.count())] \
            == [False] * radios.count()
        expect(questions.nth(i).locator(".cf-question__check")).to_be_visible()
    assert is_focused(questions.nth(0).locator("input[type=radio]").first)
    assert "quiz" not in stored(page)["lessons"][key]
    page.reload()
    assert [revealed(quiz.locator("[data-cf-question]").nth(i)) for i in range(n)] == [NOTHING] * n


def test_answers_and_checks_survive_a_reload(page, pro_site):
    quiz, key = open_quiz(page, pro_site)
    ref = quiz.get_attribute("data-cf-quiz")
    first, second = quiz.locator("[data-cf-question]").nth(0), quiz.locator("[data-cf-question]").nth(1)
    check_wrong(first)
    picked = second.locator("input[type=radio]").last
    picked.check()
    value = int(picked.get_attribute("value"))
    before = revealed(first)
    wrong_value = int(first.locator("input:checked").get_attribute("value"))
    assert stored(page)["lessons"][key]["quiz"][ref][:2] == [{"pick": wrong_value, "checked": True}, {"pick": value}]

    page.reload()
    first, second = quiz.locator("[data-cf-question]").nth(0), quiz.locator("[data-cf-question]").nth(1)
    expect(first.locator(".cf-question__check")).to_be_hidden()
    assert revealed(first) == before
    assert int(first.locator("input:checked").get_attribute("value")) == wrong_value
    assert int(second.locator("input:checked").get_attribute("value")) == value
    assert revealed(second) == NOTHING
    expect(second.locator(".cf-question__check")).to_be_visible()


def test_answer_order_is_shuffled_and_stable_in_this_browser(page, pro_site):
    lesson = quiz_lesson(pro_site)
    page.goto(pro_site.url(lesson))
    expect(page.locator(".cf-question__check").first).to_be_visible()
    orders = page.evaluate(ORDERS)
    assert len(orders) >= 2
    assert all(sorted(o) == list(range(len(o))) for o in orders), "every answer is shown once"
    assert any(o != sorted(o) for o in orders), "no question was shuffled"
    seed = stored(page)["seed"]
    assert isinstance(seed, (int, float, str)) and str(seed) != ""

    page.reload()
    expect(page.locator(".cf-question__check").first).to_be_visible()
    assert page.evaluate(ORDERS) == orders
    # Material's instant navigation binds again: the order holds.
    page.evaluate("document$.next(document)")
    page.wait_for_timeout(100)
    assert page.evaluate(ORDERS) == orders
    assert page.locator(".cf-question__check").count() == len(orders)
    assert stored(page)["seed"] == seed

    # A pinned question keeps the author's order.
    page.evaluate("document.querySelector('[data-cf-question]').setAttribute('data-cf-pinned', '')")
    page.evaluate("document$.next(document)")
    page.wait_for_timeout(100)
    assert page.evaluate(ORDERS)[0] == sorted(orders[0])
    assert page.evaluate(ORDERS)[1:] == orders[1:]


def test_instant_navigation_binds_the_quiz(page, pro_site):
    lesson = quiz_lesson(pro_site)
    page.goto(pro_site.url(pro_site.course_of(lesson)))
    page.locator(f".cf-syllabus a[href$='{lesson.rstrip('/').rsplit('/', 1)[-1]}/']").first.click()
    page.wait_for_url(pro_site.url(lesson))
    question = page.locator("[data-cf-question]").first
    expect(question.locator(".cf-question__check")).to_be_visible()
    question.locator("input[type=radio]").first.check()
    assert revealed(question) == NOTHING
    question.locator(".cf-question__check").click()
    assert revealed(question)["feedback"] >= 1
    assert page.locator("[data-cf-question]").count() == page.locator(".cf-question__check").count()


def test_export_contains_quiz_state_and_import_restores_it(page, pro_site, tmp_path):
    quiz, key = open_quiz(page, pro_site)
    ref = quiz.get_attribute("data-cf-quiz")
    check_wrong(quiz.locator("[data-cf-question]").first)
    wrong_value = int(quiz.locator("[data-cf-question]").first.locator("input:checked").get_attribute("value"))
    seed = stored(page)["seed"]

    page.goto(pro_site.url(pro_site.course_of(quiz_lesson(pro_site))))
    tools = page.locator("[data-cf-progress-tools]")
    tools.locator("summary").click()
    with page.expect_download() as download_info:
        tools.locator("[data-cf-export]").click()
    saved = tmp_path / "progress.json"
    download_info.value.save_as(saved)
    exported = json.loads(saved.read_text("utf-8"))
    assert exported["lessons"][key]["quiz"][ref] == [{"pick": wrong_value, "checked": True}]
    assert exported["seed"] == seed

    page.evaluate("localStorage.clear()")
    page.reload()
    tools.locator("summary").click()
    tools.locator("[data-cf-import-file]").set_input_files(str(saved))
    tools.locator("[data-cf-import]").click()
    expect(tools.locator("[data-cf-progress-message]")).to_contain_text("imported")
    assert stored(page)["lessons"][key]["quiz"][ref] == [{"pick": wrong_value, "checked": True}]
    assert stored(page)["seed"] == seed

    page.goto(pro_site.url(quiz_lesson(pro_site)))
    first = page.locator("[data-cf-quiz]").first.locator("[data-cf-question]").first
    expect(first.locator(".cf-answer--wrong")).to_have_count(1)
    assert int(first.locator("input:checked").get_attribute("value")) == wrong_value


def test_opened_hints_are_remembered(page, pro_site):
    lesson = next(p for p in pro_site.pages_with("data-cf-hints") if any(n >= 2 for n in hint_counts(pro_site.html(p))))
    page.goto(pro_site.url(lesson))
    box = page.locator("[data-cf-hints]").filter(has=page.locator("details.cf-hint >> nth=1")).first
    hints = box.locator("details.cf-hint")
    hints.nth(0).locator("summary").click()
    hints.nth(1).locator("summary").click()
    assert [hints.nth(i).evaluate("d => d.open") for i in range(2)] == [True, True]

    page.reload()
    box = page.locator("[data-cf-hints]").filter(has=page.locator("details.cf-hint >> nth=1")).first
    hints = box.locator("details.cf-hint")
    assert [hints.nth(i).evaluate("d => d.open") for i in range(2)] == [True, True]
    expect(hints.nth(1)).to_be_visible()
    n = hints.count()
    assert [hints.nth(i).is_visible() for i in range(n)] == [True] * min(3, n) + [False] * (n - 3)

    hints.nth(1).locator("summary").click()  # closing is remembered too
    page.reload()
    hints = page.locator("[data-cf-hints]").filter(has=page.locator("details.cf-hint >> nth=1")).first \
        .locator("details.cf-hint")
    assert [hints.nth(i).evaluate("d => d.open") for i in range(2)] == [True, False]


@pytest.fixture(scope="module")
def axe_js():
    return npm_file("axe-core", "4.11.0", AXE_INTEGRITY, "axe.min.js")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_checked_quiz_has_no_serious_accessibility_violations(new_context, pro_site, scheme, axe_js):
    page = new_context(color_scheme=scheme).new_page()
    quiz, _ = open_quiz(page, pro_site)
    assert page.evaluate("document.body.dataset.mdColorScheme") == ("slate" if scheme == "dark" else "default")
    questions = quiz.locator("[data-cf-question]")
    check_wrong(questions.nth(0))
    for i in range(1, questions.count()):
        check_right(questions.nth(i))
    page.add_script_tag(path=str(axe_js))
    violations = page.evaluate("""axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))""")
    assert violations == []
    assert KEY in page.evaluate("Object.keys(localStorage)")


def test_without_javascript_every_answer_is_readable(new_context, pro_site):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(pro_site.url(quiz_lesson(pro_site)))
    question = page.locator("[data-cf-question]").first
    fallback = question.locator("details.cf-question__answers")
    expect(fallback).to_be_visible()
    fallback.locator("summary").click()
    items = fallback.locator("li")
    assert items.count() == question.locator("[data-cf-answer]").count()
    expect(items.filter(has_text="Correct:")).to_have_count(1)
    assert question.locator(".cf-question__check").count() == 0
    radios = question.locator("input[type=radio]")
    assert [radios.nth(i).is_disabled() for i in range(radios.count())] == [True] * radios.count()
