"""A lesson's interactive parts: hints, notes, success criteria, quiz, keyboard use."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cf_browser import hint_counts, stored

pytestmark = pytest.mark.browser


def page_with_hints(site, at_least: int = 2) -> tuple[str, int]:
    """A lesson page and the index of a hints box with at least `at_least` hints."""
    for path in site.pages_with("data-cf-hints"):
        for index, count in enumerate(hint_counts(site.html(path))):
            if count >= at_least:
                return path, index
    if site.edition == "public":
        pytest.skip("no free lesson with an exercise in the public edition")
    pytest.fail(f"no exercise with {at_least}+ hints in the {site.edition} site")


def visible(locator) -> list[bool]:
    return [locator.nth(i).is_visible() for i in range(locator.count())]


def test_hints_reveal_one_at_a_time(page, edition_site):
    path, box_index = page_with_hints(edition_site)
    page.goto(edition_site.url(path))
    box = page.locator("[data-cf-hints]").nth(box_index)
    hints = box.locator("details.cf-hint")
    n = hints.count()
    assert visible(hints) == [True] + [False] * (n - 1)

    for i in range(n):
        hints.nth(i).locator("summary").click()
        assert hints.nth(i).evaluate("d => d.open")
        if i + 1 < n:
            expect(hints.nth(i + 1)).to_be_visible()
        # opening hint i reveals hint i + 1, and nothing beyond it
        assert visible(hints) == [True] * min(i + 2, n) + [False] * (n - i - 2)


def test_keyboard_opens_hints_in_order(page, pro_site):
    path, box_index = page_with_hints(pro_site)
    page.goto(pro_site.url(path))
    box = page.locator("[data-cf-hints]").nth(box_index)
    first, second = box.locator("details.cf-hint summary").nth(0), box.locator("details.cf-hint summary").nth(1)
    # Start sequential focus navigation at the hints label, then use only the keyboard.
    box.locator(".cf-label").first.click()
    for _ in range(10):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the first hint")
    assert first.evaluate("el => getComputedStyle(el).outlineStyle") != "none", "focus is not visible"
    assert second.is_hidden()

    page.keyboard.press("Enter")
    assert box.locator("details.cf-hint").nth(0).evaluate("d => d.open")
    expect(second).to_be_visible()
    page.keyboard.press("Tab")
    assert second.evaluate("el => el === document.activeElement"), "Tab should move to the revealed hint"
    page.keyboard.press("Enter")
    assert box.locator("details.cf-hint").nth(1).evaluate("d => d.open")


def test_notes_survive_a_reload(page, pro_site):
    path = pro_site.first_with("data-cf-notes")
    page.goto(pro_site.url(path))
    notes = page.locator("textarea[data-cf-notes]")
    text = "Precision matters more here — false alarms cost trust ✓"
    notes.first.fill(text)
    page.reload()  # immediately: the pending save must not be lost
    assert page.locator("textarea[data-cf-notes]").first.input_value() == text
    for i in range(1, notes.count()):  # notes belong to one exercise only
        assert notes.nth(i).input_value() == ""

    lesson = page.locator("article.cf-lesson").get_attribute("data-cf-lesson")
    exercise = page.locator("[data-cf-exercise]").first.get_attribute("data-cf-exercise")
    assert stored(page)["lessons"][lesson]["notes"] == {exercise: text}

    # Another lesson with notes starts empty.
    others = [p for p in pro_site.pages_with("data-cf-notes") if p != path]
    assert others, "the test site needs two lessons with exercises"
    page.goto(pro_site.url(others[0]))
    assert page.locator("textarea[data-cf-notes]").first.input_value() == ""


def test_success_criteria_survive_a_reload(page, pro_site):
    path = pro_site.first_with("data-cf-criterion")
    page.goto(pro_site.url(path))
    boxes = page.locator("input[data-cf-criterion]")
    n = boxes.count()
    ticked = [i for i in range(n) if i % 2 == 0]
    for i in ticked:
        boxes.nth(i).check()
    page.reload()
    boxes = page.locator("input[data-cf-criterion]")
    assert [boxes.nth(i).is_checked() for i in range(n)] == [i in ticked for i in range(n)]

    boxes.nth(0).uncheck()
    page.reload()
    assert not page.locator("input[data-cf-criterion]").nth(0).is_checked()


def test_quiz_gives_correct_and_wrong_feedback(page, pro_site):
    path = pro_site.first_with("data-cf-quiz")
    page.goto(pro_site.url(path))
    quiz = page.locator("[data-cf-quiz]").first
    question = quiz.locator("[data-cf-question]").first
    # The no-script fallback (every answer spelled out) is replaced by live radios.
    assert quiz.locator("details.cf-question__answers").first.is_hidden()
    radios = question.locator("input[type=radio]")
    assert radios.count() >= 2
    assert all(radios.nth(i).is_enabled() for i in range(radios.count()))
    assert all(f.is_hidden() for f in question.locator(".cf-answer__feedback").all())

    answers = question.locator("[data-cf-answer]")
    right = question.locator("[data-cf-answer][data-correct]").first
    wrong = question.locator("[data-cf-answer]:not([data-correct])").first
    status = question.locator("[role=status]")
    assert status.count() == 1

    check = question.locator(".cf-question__check")
    assert wrong.count() >= 1
    wrong.locator("input").check()
    assert all(f.is_hidden() for f in question.locator(".cf-answer__feedback").all()), "choosing reveals nothing"
    check.click()
    feedback = wrong.locator(".cf-answer__feedback")
    assert feedback.is_visible()
    assert "Not quite" in feedback.inner_text()
    assert "cf-answer--wrong" in wrong.get_attribute("class")
    assert status.text_content().strip()
    # after a wrong try, the correct answer is shown too
    assert sum(f.is_visible() for f in question.locator(".cf-answer__feedback").all()) == 2
    assert right.locator(".cf-answer__feedback").is_visible()

    quiz.locator(".cf-quiz__retry").click()
    right.locator("input").check()
    check.click()
    feedback = right.locator(".cf-answer__feedback")
    assert feedback.is_visible() and "Correct" in feedback.inner_text()
    assert "cf-answer--correct" in right.get_attribute("class")
    assert sum(f.is_visible() for f in question.locator(".cf-answer__feedback").all()) == 1
    assert not any("cf-answer--wrong" in (a.get_attribute("class") or "") for a in answers.all())
    # colour is not the only signal: the verdict is text, read out where the focus lands (so the
    # live region stays quiet rather than say it twice)
    assert feedback.evaluate("el => el === document.activeElement")
    assert status.text_content().strip() == ""


def test_binding_twice_changes_nothing(page, pro_site):
    """Material re-emits document$ on instant navigation; a second bind must not double anything."""
    path = pro_site.first_with("data-cf-quiz")
    page.goto(pro_site.url(path))
    page.evaluate("document$.next(document)")
    page.wait_for_timeout(100)
    questions = page.locator("[data-cf-question]").count()
    assert page.locator("[data-cf-question] [role=status]").count() == questions
    assert page.locator(".cf-answer__verdict").count() == page.locator("[data-cf-answer]").count()
    assert page.locator("[data-cf-question] .cf-question__check").count() == questions
    assert page.locator("[data-cf-quiz] .cf-quiz__footer").count() == page.locator("[data-cf-quiz]").count()
    button = page.locator("[data-cf-complete] button")  # a pro lesson page ends with it
    button.click()  # one click, one toggle (two listeners would cancel each other out)
    assert "cf-complete__button--done" in button.get_attribute("class")


def test_each_copy_button_copies_its_own_code_block(new_context, serve, tmp_path):
    """Material names a code block after the closest element with an id around it: nothing of
    courseforge's around a lesson's text may have one, or every button copies the first block."""
    from sites import FIXTURES, build, copy_project

    project = copy_project(FIXTURES / "canary", tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("navigation.footer]", "navigation.footer, content.code.copy]"))
    (project / "lessons" / "course" / "code.md").write_text(
        "---\ntitle: Code\nsummary: Two blocks.\naccess: free\norder: 9\n---\n"
        "First:\n\n```\nFIRSTBLOCK\n```\n\nSecond:\n\n```\nSECONDBLOCK\n```\n")
    site = build(project, tmp_path / "site", "public")
    page = new_context().new_page()
    page.goto(serve(site) + "course/code/")
    buttons = page.locator("button[data-clipboard-target]")
    expect(buttons).to_have_count(2)
    targets = [buttons.nth(i).get_attribute("data-clipboard-target") for i in range(2)]
    assert [page.locator(target).inner_text().strip() for target in targets] == ["FIRSTBLOCK", "SECONDBLOCK"]
