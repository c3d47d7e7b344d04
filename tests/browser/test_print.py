"""Printing in Chromium: a lesson and a course's workbook on paper (print media and real PDFs).

`page.pdf()` prints as "Print to PDF" does: Chromium fires `beforeprint`, lays the page out for
print media, and `afterprint` when done. The PDF's text (read with pypdf) shows what paper shows:
text inside a closed <details> is not laid out, so a hint found in the PDF was opened for print.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from test_accessibility import axe  # noqa: F401 - the axe-core fixture

pytestmark = pytest.mark.browser

CHROME = ".md-header, .md-sidebar--primary, .md-sidebar--secondary, .md-footer, .md-top, .md-search"
WORD = re.compile(r"[^\W_]+")

def words(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), words(" ".join(page.extract_text() for page in reader.pages))


def visible(page, selector: str) -> list[str]:
    """Selectors of the elements matching `selector` that take up room on the page."""
    return page.evaluate("""s => [...document.querySelectorAll(s)]
        .filter(e => getComputedStyle(e).display !== 'none' && e.getClientRects().length)
        .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))""", selector)


def details_state(page) -> list[list[bool]]:
    return page.evaluate("""() => [...document.querySelectorAll('.md-content details')]
        .map(d => [d.open, d.hidden])""")


def lesson_with_hints(site) -> str:
    return site.first_with(re.compile(r'data-cf-quiz.*<details class="cf-hint"|<details class="cf-hint".*data-cf-quiz',
                                      re.S))


def test_a_lesson_prints_its_content_only_with_every_hint_and_answer_open(page, pro_site):
    url = lesson_with_hints(pro_site)
    page.goto(pro_site.url(url))
    notes = page.locator("textarea[data-cf-notes]").first
    notes.fill("My first line\n" + "More thoughts on the exercise\n" * 12)
    closed = details_state(page)
    assert sum(not is_open for is_open, _ in closed) >= 4
    assert any(hidden for _, hidden in closed)  # later hints wait for the one before them

    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert visible(page, CHROME) == []
    assert visible(page, ".cf-complete, .cf-progress-tools, .md-content .md-button") == []
    assert details_state(page) == [[True, False]] * len(closed)
    assert len(visible(page, ".md-content details")) == len(closed)
    grown = notes.evaluate("t => [t.scrollHeight, t.clientHeight, getComputedStyle(t).display]")
    assert grown[1] >= grown[0] - 2 and grown[2] != "none"
    assert page.evaluate("document.querySelector('.md-content').getBoundingClientRect().left") < 40

    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert details_state(page) == closed
    page.emulate_media(media="screen")
    assert visible(page, ".md-header") != []


def test_a_lesson_prints_to_a_pdf_with_its_hints_and_notes(page, pro_site):
    url = lesson_with_hints(pro_site)
    page.goto(pro_site.url(url))
    page.locator("textarea[data-cf-notes]").first.fill("Zebra crossing notes for the printout")
    last_hint = page.locator("details.cf-hint").last
    assert last_hint.is_hidden()
    hint_text = words(last_hint.evaluate("d => d.lastElementChild.textContent"))
    closed = details_state(page)

    pages, text = pdf_text(page.pdf(format="A4"))
    assert pages >= 3
    assert hint_text in text
    assert "zebra crossing notes for the printout" in text
    assert "mark lesson complete" not in text and "table of contents" not in text
    assert details_state(page) == closed  # afterprint put everything back


def test_the_workbooks_button_prints(page, pro_site):
    page.goto(pro_site.url(pro_site.first_with("data-cf-workbook=")))
    page.evaluate("window.cfPrinted = 0; addEventListener('beforeprint', () => { window.cfPrinted += 1; })")
    page.get_by_role("button", name="Print or save as PDF").click()
    page.wait_for_function("window.cfPrinted === 1")


def test_the_workbook_prints_every_exercise_on_its_own_sheets(page, pro_site):
    page.goto(pro_site.url(pro_site.first_with("data-cf-workbook=")))
    assert page.locator("button[data-cf-print]").is_visible()
    page.emulate_media(media="print")
    assert visible(page, CHROME) == []
    assert visible(page, "button[data-cf-print]") == []
    sections = page.locator("section.cf-workbook__exercise")
    count = sections.count()
    assert count >= 4
    breaks = sections.evaluate_all("s => s.map(e => getComputedStyle(e).breakBefore)")
    assert breaks == ["auto"] + ["page"] * (count - 1)
    lines = page.locator(".cf-workbook__line")
    assert lines.count() == 12 * count
    assert lines.first.evaluate("l => parseFloat(getComputedStyle(l).borderBottomWidth)") >= 1

    titles = [words(t) for t in sections.locator("h2").all_text_contents()]
    pages, text = pdf_text(page.pdf(format="A4"))
    assert pages >= count
    positions = [text.find(title) for title in titles]
    assert -1 not in positions and positions == sorted(positions)
    assert "print or save as pdf" not in text


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_is_dark_text_on_white_in_either_palette(new_context, pro_site, scheme):
    page = new_context(color_scheme=scheme).new_page()
    page.goto(pro_site.url(pro_site.first_with("data-cf-workbook=")))
    page.emulate_media(media="print", color_scheme=scheme)
    colour = page.evaluate("getComputedStyle(document.querySelector('.cf-exercise__instructions p')).color")
    channels = [int(c) for c in re.findall(r"\d+", colour)[:3]]
    assert max(channels) < 80, colour


def test_paper_stays_white_around_a_lesson_printed_from_the_dark_palette(page, public_site):
    """With backgrounds printed, the dark palette's page colour framed every printed page."""
    page.goto(public_site.url(public_site.first_with("data-cf-paywall")))
    page.evaluate("document.body.setAttribute('data-md-color-scheme', 'slate')")
    page.emulate_media(media="print")
    # The page's margins show the root's background, or the dark palette's canvas if it has none.
    for element in ("document.documentElement", "document.body"):
        assert page.evaluate(f"getComputedStyle({element}).backgroundColor") == "rgb(255, 255, 255)"


def test_a_printed_table_stays_within_the_page(page, pro_site):
    """Material pulls tables to the screen's edges (a negative margin): on paper past the page's edge."""
    page.goto(pro_site.url(pro_site.first_with("<table")))
    page.wait_for_selector(".md-typeset__scrollwrap")  # Material wraps tables in it when the page loads
    page.emulate_media(media="print")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_public_lesson_prints_its_preview_without_paywall_buttons(page, public_site):
    url = public_site.first_with('class="cf-paywall')
    page.goto(public_site.url(url))
    assert visible(page, ".cf-paywall .md-button, .cf-paywall__secure") != []
    page.emulate_media(media="print")
    # no button, and no "Secure checkout" line that would name one
    assert visible(page, ".cf-paywall .md-button, .cf-paywall__secure") == []
    assert visible(page, CHROME) == []
    assert page.locator(".cf-paywall").evaluate("card => getComputedStyle(card).breakInside") == "avoid"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_workbook_has_no_serious_accessibility_violations(new_context, pro_site, scheme, axe):  # noqa: F811
    page = new_context(color_scheme=scheme).new_page()
    page.goto(pro_site.url(pro_site.first_with("data-cf-workbook=")))
    page.wait_for_selector("button[data-cf-print]", state="visible")
    page.add_script_tag(path=str(axe))
    violations = page.evaluate("""axe.run(document, {resultTypes: ['violations']}).then(r => r.violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`))""")
    assert violations == []


def test_links_print_readably_with_the_address_of_other_sites(page, pro_site):
    page.goto(pro_site.url(pro_site.first_with("data-cf-workbook=")))
    # An author's link to another site, as exercise instructions may hold (the sample has none).
    page.evaluate("""() => document.querySelector('.cf-exercise__instructions').insertAdjacentHTML(
        'beforeend', '<p><a id="outside" href="https://example.org/guide">the guide</a></p>')""")
    after = "sel => getComputedStyle(document.querySelector(sel), '::after').content"
    page.emulate_media(media="print")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert page.evaluate(after, "#outside") == '" (https://example.org/guide)"'
    for inside in (".cf-eyebrow a", ".cf-workbook__meta a"):
        assert page.evaluate(after, inside) == "none"
        assert page.evaluate("sel => getComputedStyle(document.querySelector(sel)).textDecorationLine", inside) \
            == "underline"
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert page.evaluate(after, "#outside") == "none"
