"""Reading time from Markdown source: what counts as a word, and the image rule."""

import pytest

from courseforge.core.readtime import count_images, count_words, minutes, seconds


@pytest.mark.parametrize(("markdown", "words"), [
    ("A model's state-of-the-art F1, e.g. 0.93.", 6),
    ("See [the churn guide](../churn/guide.md#step-2 \"Churn\") first.", 5),
    ("<span class=\"cf-badge\">Easy</span> start {: .lead #intro }", 2),
    ("Before\n\n```mermaid\nflowchart LR\n  A[Collect data] --> B[Train]\n```\n\nAfter", 2),
    ("Before\n\n```\nprint(total)\n```", 3),  # code is read too
    ("Café naïve façade — l’équipe’s résumé", 5),
    ("| Stage | Owner |\n|---|---|\n| Data | PM |", 4),
    # Text Markdown shows, though a looser pattern would take it for a tag or an attribute list:
    ("Keep latency < 200 ms so request -> answer stays fast.", 9),
    ("| < 5% | low |\n| > 10% | high |", 4),
    ("A set {alpha, beta, gamma} of three.", 7),
    ("x<b and c>y <!-- a\nnote --> z", 3),  # a tag and a comment to Markdown too
    ("", 0),
])
def test_count_words_counts_what_a_reader_reads(markdown, words):
    assert count_words(markdown) == words


def test_ascii_and_unicode_text_split_words_alike():
    ascii_text = "Precision-recall trade-offs aren't free: 3.5 points of recall."
    assert count_words(ascii_text) == count_words(ascii_text + " é") - 1 == 8


def test_images_and_diagrams_add_seconds_on_a_falling_scale():
    markdown = "![Funnel](funnel.png) and <img src=\"x.png\" alt=\"x\">\n\n~~~mermaid\ngraph TD\n~~~\n"
    assert count_images(markdown) == 3
    assert seconds(0, 3, 230) == 12 + 11 + 10
    assert seconds(230, 0, 230) == 60
    assert minutes(seconds(230 * 4, 0, 230)) == 4
    assert minutes(1) == 1 and minutes(0) == 0
