"""Learner-facing strings in the site's language: the tables, plurals, the author's overrides,
and real builds of a small course in German, French and Japanese."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from markupsafe import Markup

from course_builder import build_in_process, page, visible_text, write_tree
from courseforge.core import i18n
from courseforge.plugin.templates import Lookup
from sites import run_mkdocs

LANGUAGES = ["de", "en", "es", "fr", "ja", "pt"]
ENGLISH = i18n.strings("en")


def forms(text) -> list[str]:
    if isinstance(text, dict):
        return list(text.values())
    return list(text) if isinstance(text, list) else [text]


# --- the tables --------------------------------------------------------------------------

def test_the_six_languages_ship_a_table():
    assert i18n.available() == LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_table_has_every_string_with_the_fields_courseforge_fills(language):
    table = i18n._table(language)
    reference = i18n._table("en")
    assert sorted(table["texts"]) == sorted(reference["texts"])
    assert table["script_keys"] == reference["script_keys"]
    for key, text in table["texts"].items():
        assert type(text) is type(reference["texts"][key]), key
        allowed = set().union(*(i18n.fields(form) for form in forms(reference["texts"][key])))
        for form in forms(text):
            assert form.strip(), key
            assert i18n.fields(form) <= allowed, (key, form)
        if isinstance(text, dict):
            assert "other" in text and set(text) <= set(i18n.PLURAL_FORMS), key


@pytest.mark.parametrize("language", ["de", "es", "fr", "ja", "pt"])
def test_a_translation_differs_from_english_where_the_words_differ(language):
    # Words the languages share (Pro, Download, Correct, Notes) and punctuation may stay.
    same = {key for key, text in i18n._table(language)["texts"].items() if text == ENGLISH.texts[key]}
    assert same <= {"badge_pro", "section_download", "paywall_downloads", "list_separator", "label", "quiz_correct",
                    "exercise_minutes", "minutes", "sr_course", "workbook_notes"}, same


# --- plurals and lookup ------------------------------------------------------------------

@pytest.mark.parametrize(("language", "ones"), [("en", {1}), ("de", {1}), ("es", {1}), ("pt", {1}),
                                                ("fr", {0, 1}), ("ja", set())])
def test_plural_categories_follow_cldr(language, ones):
    strings = i18n.strings(language)
    assert {n for n in range(0, 30) if strings.plural(n) == "one"} == ones
    assert strings.plural(101) == "other"


def test_counts_take_the_form_their_number_needs():
    assert ENGLISH("lessons", 1) == "1 lesson"
    assert ENGLISH("lessons", 0) == "0 lessons"
    assert i18n.strings("de")("lessons", 2) == "2 Lektionen"
    assert i18n.strings("fr")("lessons", 0) == "0 leçon"
    assert i18n.strings("fr")("lessons", 2) == "2 leçons"
    assert i18n.strings("ja")("lessons", 1) == "1レッスン"
    assert i18n.strings("de")("preview_minutes", 1) == ("Vor dem Upgrade können Sie etwa die erste Minute "
                                                          "dieser Lektion lesen.")
    assert i18n.strings("es")("paywall_title", title="X") == "Termina: X"


def test_a_plural_string_needs_its_count():
    with pytest.raises(ValueError, match="pass count"):
        ENGLISH("lessons")


@pytest.mark.parametrize(("theme", "table"), [("de", "de"), ("pt-BR", "pt"), ("PT_br", "pt"), ("zh-TW", None),
                                              ("it", None), (None, "en"), ("en", "en")])
def test_a_theme_language_finds_its_table(theme, table):
    assert i18n.resolve(theme) == table


def test_a_language_without_a_table_is_english():
    assert i18n.strings("it").language == "en"
    assert i18n.strings("it")("syllabus") == "Syllabus"


def test_the_script_gets_only_its_strings_and_the_plural_rule():
    table = i18n.strings("fr").script_table()
    assert table["plural_one"] == [0, 1] and table["language"] == "fr"
    assert table["strings"]["quiz_check"] == "Vérifier la réponse"
    assert "paywall_title" not in table["strings"]
    json.dumps(table)  # the page embeds it as JSON


def test_templates_get_escaped_text_and_values():
    t = Lookup(i18n.strings("en", {"paywall_continue": "Read <on> in {course}."}))
    assert t("paywall_title", title="<b>A & B</b>") == "Finish: &lt;b&gt;A &amp; B&lt;/b&gt;"
    assert t("paywall_continue", course=Markup("<strong>C</strong>")) == "Read &lt;on&gt; in <strong>C</strong>."
    assert isinstance(t("syllabus"), Markup)


def test_a_kept_string_is_escaped_as_its_value_asks():
    # t() keeps what it made: a value and the same text as Markup are different values.
    t = Lookup(i18n.strings("en"))
    for _ in range(2):
        assert t("paywall_title", title="<b>A</b>") == "Finish: &lt;b&gt;A&lt;/b&gt;"
        assert t("paywall_title", title=Markup("<b>A</b>")) == "Finish: <b>A</b>"
        assert t("lessons", 1) != t("lessons", 2)


@pytest.mark.parametrize(("language", "joined"), [("en", "a, b and c"), ("de", "a, b und c"), ("fr", "a, b et c"),
                                                  ("es", "a, b y c"), ("pt", "a, b e c"), ("ja", "a、b、c")])
def test_lists_join_the_way_each_language_lists(language, joined):
    t = Lookup(i18n.strings(language))
    assert t.join(["a", "b", "c"]) == joined
    assert t.join(["<a>"]) == "&lt;a&gt;"


# --- the author's overrides ---------------------------------------------------------------

def test_an_override_replaces_the_table_in_every_language():
    strings = i18n.strings("de", {"paywall_title": "Jetzt weiterlesen: {title}", "lessons": "{count} Kapitel"})
    assert strings("paywall_title", title="X") == "Jetzt weiterlesen: X"
    assert strings("lessons", 1) == strings("lessons", 3).replace("3", "1") == "1 Kapitel"
    assert strings("syllabus") == "Lehrplan"


def test_override_problems_name_each_key_with_a_suggestion():
    problems = i18n.override_problems({
        "paywal_title": "x",                        # unknown key
        "paywall_left": {"one": "x", "few": "y"},   # no such plural form, no 'other'
        "paywall_title": "Finish {titel}",          # unknown field
        "syllabus": "Plan {",                       # broken brace
        "paywall_benefits": "one benefit",          # a list is needed
        "preview_label": ["a"],                     # a text is needed
        "read_time": "{count} min",                 # fine: one text for every count
    })
    assert problems == [
        "'paywal_title' is not a courseforge string; did you mean 'paywall_title'?",
        "'paywall_left': plural forms are one and other ('other' required), each a text",
        "'paywall_title': unknown field {titel}; did you mean 'title'?; its fields: {title}",
        "'syllabus': Single '{' encountered in format string in 'Plan {' (write {{ and }} for a literal brace)",
        "'paywall_benefits': needs a list of texts",
        "'preview_label': needs a text",
    ]


# --- real builds ------------------------------------------------------------------------

WORDS = "\n\n".join(" ".join(f"lorem{n} ipsum dolor" for n in range(start, start + 10)) for start in range(0, 120, 10))
COURSE = {
    "docs/kurs/index.md": "---\ntitle: Kurs Eins\nsummary: Zusammenfassung eins.\n---\nKurstext.\n",
    "docs/kurs/frei.md": """---
title: Freie Lektion
summary: Frei zu lesen.
order: 1
access: free
examples:
  - title: Beispiel eins
    scenario: Szenario lorem.
    takeaway: Merksatz lorem.
exercises:
  - title: Aufgabe eins
    difficulty: easy
    minutes: 5
    instructions: Tu lorem.
    expected_outcome: Ergebnis lorem.
    hints: [Tipp lorem eins, Tipp lorem zwei]
    success_criteria: [Kriterium lorem]
quiz:
  - question: Frage lorem?
    answers:
      - text: Antwort A
        correct: true
        feedback: Gut lorem.
      - text: Antwort B
        feedback: Schade lorem.
---
Freier Text lorem.
""",
    "docs/kurs/pro.md": f"""---
title: Bezahlte Lektion
summary: Teilweise gesperrt.
order: 2
preview: 1
quiz:
  - question: Gesperrte Frage?
    answers:
      - text: Ja
        correct: true
        feedback: Ja lorem.
      - text: Nein
        feedback: Nein lorem.
---
Vorschau {WORDS}

## Erster Abschnitt

{WORDS}

## Zweiter Abschnitt

{WORDS}
""",
}
CONFIG = """site_name: Sprachkurs
site_url: https://example.com/
theme:
  name: material
  font: false
  language: {language}
  features: [navigation.instant]
plugins:
  - courseforge:
      checkout_url: https://checkout.example.com/
{options}
markdown_extensions: [admonition, attr_list, md_in_html, footnotes, abbr, tables, toc, pymdownx.details,
                      pymdownx.superfences]
"""


def make_course(root: Path, language: str, options: str = "") -> Path:
    write_tree(root, {**COURSE, "mkdocs.yml": CONFIG.format(language=language, options=options)})
    return root / "mkdocs.yml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The course built in an edition (public unless said), once per language and edition."""
    cache: dict[tuple[str, str], Path] = {}

    def get(language: str, edition: str = "public") -> Path:
        if (language, edition) not in cache:
            root = tmp_path_factory.mktemp(f"course-{language}-{edition}")
            cache[language, edition] = build_in_process(make_course(root, language), root / "site", edition)
        return cache[language, edition]
    return get


def page_text(site: Path, url: str) -> str:
    soup = page(site, url)
    return visible_text(soup.select_one("article") or soup)


def english_leftovers(text: str, language: str) -> list[str]:
    """English phrases of courseforge's table on the page, where the language's own differ.
    A phrase is a run of two or more words between a string's fields."""
    found = []
    own = i18n._table(language)["texts"]
    for key, english in ENGLISH.texts.items():
        if own[key] == english:
            continue
        for form in forms(english):
            for phrase in re.split(r"\{\w+\}", form):
                phrase = phrase.strip(" .:~")
                if len(phrase.split()) >= 2 and phrase in text:
                    found.append(phrase)
    return found


CASES = {
    "de": {"read": "Min. Lesezeit", "preview": "Kostenlose Vorschau", "paywall": "Weiterlesen: Bezahlte Lektion",
           "left": "noch ca.", "counts": "Weiter mit 2 weiteren Abschnitten und 1 Wissenstest aus Kurs Eins.",
           "benefit": "Einmalkauf mit lebenslangem Zugang und Updates", "syllabus": "Lehrplan",
           "lessons": "2 Lektionen", "workbook": "Arbeitsheft: Kurs Eins", "from": "Aus der Lektion Freie Lektion", "section": "Wissenstest", "hint": "Hinweis 1 von 2"},
    "fr": {"read": "min de lecture", "preview": "Aperçu gratuit", "paywall": "Terminer : Bezahlte Lektion",
           "left": "encore ~", "counts": "Poursuivez avec 2 autres sections et 1 quiz de Kurs Eins.",
           "benefit": "Achat unique, accès à vie et mises à jour incluses", "syllabus": "Programme",
           "lessons": "2 leçons", "workbook": "Cahier d’exercices : Kurs Eins", "from": "Tiré de la leçon Freie Lektion", "section": "Testez vos connaissances", "hint": "Indice 1 sur 2"},
    "ja": {"read": "分で読めます", "preview": "無料プレビュー", "paywall": "続きを読む：Bezahlte Lektion",
           "left": "残り約", "counts": "「Kurs Eins」で残り2セクション、理解度チェック1件に進みましょう。",
           "benefit": "買い切りで、永久アクセスとアップデート付き", "syllabus": "カリキュラム",
           "lessons": "2レッスン", "workbook": "ワークブック：Kurs Eins", "from": "出典レッスン：Freie Lektion", "section": "理解度チェック", "hint": "ヒント 1/2"},
}


@pytest.mark.parametrize("language", sorted(CASES))
def test_a_lesson_speaks_the_theme_language(built, language):
    site, expect = built(language), CASES[language]
    soup = page(site, "kurs/pro")
    assert soup.html["lang"] == language  # Material's own UI follows the same setting
    header = visible_text(soup.select_one(".cf-lesson__header"))
    assert expect["read"] in header and expect["preview"] in header
    paywall = visible_text(soup.select_one(".cf-paywall"))
    for part in ("paywall", "left", "benefit"):
        assert expect[part] in paywall, (part, paywall)
    assert " ".join(soup.select_one(".cf-paywall__unlocks").get_text().split()) == expect["counts"]
    text = page_text(site, "kurs/pro")
    assert english_leftovers(text, language) == []


@pytest.mark.parametrize("language", sorted(CASES))
def test_parts_and_course_pages_speak_the_theme_language(built, language):
    site, expect = built(language), CASES[language]
    free = page_text(site, "kurs/frei")
    assert expect["section"] in [h.get_text(strip=True).rstrip("¶") for h in page(site, "kurs/frei").select("h2")]
    assert expect["hint"] in free
    course = page_text(site, "kurs")
    assert expect["syllabus"] in course and expect["lessons"] in course
    home = page_text(site, "")
    assert expect["lessons"] in home
    for text in (free, course, home):
        assert english_leftovers(text, language) == []


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_page_hands_the_script_its_strings(built, language):
    block = page(built(language), "kurs/frei").select_one("#cf-strings[hidden]")
    table = json.loads(block["data-cf-strings"])
    assert table == i18n.strings(language).script_table()


@pytest.mark.parametrize("language", sorted(CASES))
def test_both_editions_pass_the_audit_in_every_language(built, language):
    # The audit compares the editions word by word: a pro-only label that a language words
    # longer must not read to it as locked text (Japanese is one "word" per phrase).
    public, pro = built(language), built(language, "pro")
    audit = subprocess.run([sys.executable, "-m", "courseforge.cli", "audit", str(public), "--pro", str(pro)],
                           capture_output=True, text=True, timeout=300)
    assert audit.returncode == 0, audit.stdout + audit.stderr


@pytest.mark.parametrize("language", sorted(CASES))
def test_the_workbook_speaks_the_theme_language(built, language):
    site, expect = built(language, "pro"), CASES[language]
    workbook = page(site, "kurs/workbook")
    assert workbook.h1.get_text(strip=True) == expect["workbook"]
    assert " ".join(workbook.select_one(".cf-workbook__meta").get_text().split()).startswith(expect["from"])
    text = page_text(site, "kurs/workbook")
    assert english_leftovers(text, language) == []


def test_an_author_override_wins_and_the_benefits_option_still_applies(tmp_path):
    options = ('      benefits: [Alles freigeschaltet]\n'
               '      strings:\n        paywall_title: "Gleich geht es weiter: {title}"\n'
               '        paywall_secure: Sicher bezahlen')
    site = build_in_process(make_course(tmp_path, "de", options), tmp_path / "site", "public")
    paywall = visible_text(page(site, "kurs/pro").select_one(".cf-paywall"))
    assert "Gleich geht es weiter: Bezahlte Lektion" in paywall and "Sicher bezahlen" in paywall
    assert "Alles freigeschaltet" in paywall and "Einmalkauf" not in paywall


def test_an_unknown_override_key_stops_the_build_with_a_suggestion(tmp_path):
    make_course(tmp_path, "de", '      strings:\n        paywal_title: "x"\n        syllabus: "{plan}"')
    result = run_mkdocs(tmp_path, "build", "--strict")
    assert result.returncode == 1
    assert "'paywal_title' is not a courseforge string; did you mean 'paywall_title'?" in result.stderr
    assert "'syllabus': unknown field {plan}; its fields: none" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_language_without_a_table_warns_and_falls_back_to_english(tmp_path):
    make_course(tmp_path, "it")
    strict = run_mkdocs(tmp_path, "build", "--strict")
    assert strict.returncode == 1 and "theme.language 'it'" in strict.stderr
    result = run_mkdocs(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    assert "WARNING" in result.stderr and "theme.language 'it': courseforge has no strings" in result.stderr
    header = visible_text(page(tmp_path / "site", "kurs/pro").select_one(".cf-lesson__header"))
    assert "min read" in header and "Free preview" in header
