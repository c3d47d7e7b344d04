"""courseforge.js speaks the site's language: on a German site the knowledge check, the
"complete" button, course progress and the progress export show German text, which the
script takes from the page's strings block."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from course_builder import build_in_process
from courseforge.core import i18n
from test_i18n import make_course

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def german_site(tmp_path_factory, serve) -> str:
    root = tmp_path_factory.mktemp("german")
    site = build_in_process(make_course(root, "de"), root / "site", "public")
    return serve(site)


def english_script_strings() -> list[str]:
    """The English texts of the script's strings, without their fields."""
    english = i18n.strings("en")
    texts = []
    for key in english.script_keys:
        text = english.texts[key]
        for form in (text.values() if isinstance(text, dict) else [text]):
            texts += [part.strip(" .:") for part in form.replace("}", "{").split("{")[::2]]
    return [text for text in texts if len(text) > 3]


def test_the_knowledge_check_speaks_german(page, german_site):
    page.goto(german_site + "kurs/frei/")
    question = page.locator("[data-cf-question]").first
    check = question.locator(".cf-question__check")
    expect(check).to_have_text("Antwort prüfen")
    check.click()
    expect(question.locator("[role=status]")).to_have_text("Wählen Sie zuerst eine Antwort.")
    question.locator("[data-cf-answer]:not([data-correct]) input").check()
    check.click()
    expect(question.locator(".cf-answer--chosen .cf-answer__verdict")).to_have_text("Nicht ganz")
    expect(question.locator(".cf-answer--correct .cf-answer__verdict")).to_have_text("Richtige Antwort")
    expect(question.locator("[role=status]")).to_have_text("Die richtige Antwort: Antwort A.")
    quiz = page.locator("[data-cf-quiz]")
    expect(quiz.locator(".cf-quiz__score")).to_have_text("0 von 1 richtig")
    quiz.locator(".cf-quiz__retry").click()
    expect(quiz.locator(".cf-quiz__retry")).to_be_hidden()
    question.locator("[data-cf-answer][data-correct] input").check()
    check.click()
    expect(question.locator(".cf-answer--chosen .cf-answer__verdict")).to_have_text("Richtig")
    expect(quiz.locator(".cf-quiz__score")).to_have_text("1 von 1 richtig")
    expect(quiz.locator(".cf-quiz__retry")).to_have_text("Erneut versuchen")
    text = page.locator("article.cf-lesson").inner_text()
    assert [english for english in english_script_strings() if english in text] == []


def test_instant_navigation_brings_the_strings_along(page, german_site):
    # Material's instant navigation swaps the page's container, strings and all, and runs
    # every script it holds: the strings must not be one.
    page.goto(german_site)
    page.locator("[data-cf-start]").click()
    page.wait_for_url("**/kurs/frei/")
    expect(page.locator(".cf-question__check")).to_have_text("Antwort prüfen")
    expect(page.locator("[data-cf-complete] button")).to_have_text("Lektion als abgeschlossen markieren")


def test_progress_and_its_export_speak_german(page, german_site):
    page.goto(german_site + "kurs/frei/")
    button = page.locator("[data-cf-complete] button")
    expect(button).to_have_text("Lektion als abgeschlossen markieren")
    button.click()
    expect(button).to_have_text("Abgeschlossen ✓ – rückgängig machen")

    page.goto(german_site + "kurs/")
    expect(page.locator("[data-cf-progress-text]")).to_have_text("1 von 2 Lektionen abgeschlossen")
    expect(page.locator("[data-cf-progress-bar]")).to_have_attribute("aria-label", "Kursfortschritt")
    page.locator("[data-cf-progress-tools] summary").click()
    page.locator("[data-cf-export]").click()
    expect(page.locator("[data-cf-progress-message]")).to_have_text(
        "Fortschritt exportiert (1 abgeschlossene Lektion). Bewahren Sie die Datei auf oder kopieren Sie den "
        "Code unten.")
    page.locator("[data-cf-import]").click()
    expect(page.locator("[data-cf-progress-message]")).to_have_text(
        "Wählen Sie zuerst eine Fortschrittsdatei oder fügen Sie einen Fortschrittscode ein.")
    page.locator("[data-cf-import-code]").fill("kein Code")
    page.locator("[data-cf-import]").click()
    expect(page.locator("[data-cf-progress-message]")).to_have_text(
        "Das ist kein courseforge-Fortschrittscode. Es wurde nichts geändert.")

    page.goto(german_site)
    card = page.locator(".cf-course-card")
    expect(card.locator(".cf-course-progress__text")).to_have_text("1 von 2 Lektionen abgeschlossen")
    expect(card.locator("[data-cf-resume]")).to_have_text("Fortsetzen: Kurs Eins")  # the name for screen readers
    expect(card.locator("progress")).to_have_attribute("aria-label", "Fortschritt in Kurs Eins")

    page.goto(german_site + "kurs/frei/")
    expect(page.locator(".cf-lesson__header .cf-course-progress__text")).to_have_text("1 von 2 Lektionen abgeschlossen")
