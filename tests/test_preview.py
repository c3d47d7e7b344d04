"""The preview cutoff rules, on the core with real Python-Markdown."""

from pathlib import Path

import pytest

from courseforge.core.edition import Edition, LessonView, Settings
from courseforge.core.model import Lesson
from editions import load_edition

SETTINGS = Settings(words_per_minute=100, preview_minutes=1)


def words(count: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{i}" for i in range(count))


def edition_with(tmp_path: Path, body: str, edition: str = "public", **front) -> tuple[Edition, Lesson]:
    course = tmp_path / "docs" / "c"
    course.mkdir(parents=True, exist_ok=True)
    (course / "index.md").write_text("---\ntitle: C\nsummary: S\n---\n")
    lines = ["title: L", "summary: S", *(f"{k}: {v}" for k, v in front.items())]
    (course / "l.md").write_text("---\n" + "\n".join(lines) + "\n---\n" + body)
    loaded, problems = load_edition(tmp_path / "docs", edition, SETTINGS)
    assert problems == []
    return loaded, loaded.catalog.lessons()[0]


def public(tmp_path: Path, body: str, **front) -> LessonView:
    loaded, lesson = edition_with(tmp_path, body, **front)
    return loaded.view(lesson)


def visible_text(lesson_view: LessonView) -> str:
    return "\n\n".join(s.text for s in lesson_view.visible)


def test_marker_ends_the_preview_exactly_there(tmp_path):
    shown = public(tmp_path, "free part\n\n<!-- pro -->\n\nlocked part\n", preview=30)
    assert visible_text(shown) == "free part"
    assert [s.text for s in shown.locked] == ["locked part"]
    assert shown.markdown == "free part\n"


def test_first_pro_section_heading_ends_the_preview(tmp_path):
    body = "intro\n\n## Open\n\nopen text\n\n## Secret\n\nsecret text\n\n## Later\n\nlater\n"
    shown = public(tmp_path, body, preview=30, pro_sections="[secret]")
    assert visible_text(shown) == "intro\n\n## Open\n\nopen text"
    assert [(h.text, h.id) for h in shown.outline] == [("Secret", "secret"), ("Later", "later")]


def test_the_minute_limit_ends_the_preview_before_the_block_it_falls_in(tmp_path):
    # 100 words per minute, 1 minute of preview: the limit falls inside the second paragraph.
    body = f"{words(60, 'a')}\n\n{words(60, 'b')}\n\n{words(60, 'c')}\n"
    shown = public(tmp_path, body)
    assert visible_text(shown) == words(60, "a")
    assert shown.preview_minutes == 1 and shown.total_minutes == 2 and shown.locked_minutes == 1


@pytest.mark.parametrize("block", [
    "- item\n- item\n\n- " + words(200, "l"),
    "| a |\n|---|\n| " + words(200, "t") + " |",
    "```python\n" + words(200, "c") + "\n\nmore\n```",
    "!!! note\n    " + words(200, "n") + "\n\n    " + words(10, "m"),
    "/// note\n" + words(200, "k") + "\n\n- step\n///",
    "<div markdown>\n\n" + words(200, "h") + "\n\n</div>",
])
def test_a_construct_the_limit_falls_in_is_locked_whole(tmp_path, block):
    shown = public(tmp_path, f"{words(95)}\n\n{block}\n\n{words(300, 'r')}\n")
    assert [s.text for s in shown.visible] == [words(95)]
    assert [s.text for s in shown.locked] == [block, words(300, "r")]


def test_never_ends_on_a_bare_heading(tmp_path):
    shown = public(tmp_path, f"{words(90)}\n\n## Next section\n\n{words(50, 'z')}\n")
    assert visible_text(shown) == words(90)
    shown = public(tmp_path / "2", f"{words(10)}\n\n## Heading then marker\n\n<!-- pro -->\n\nlocked\n", preview=30)
    assert visible_text(shown) == words(10)
    assert shown.outline[0].text == "Heading then marker"


def test_free_lessons_and_the_pro_edition_show_everything(tmp_path):
    body = "a\n\n<!-- pro -->\n\nb\n"
    for (loaded, lesson) in [edition_with(tmp_path / "1", body, access="free"),
                             edition_with(tmp_path / "2", body, "pro")]:
        shown = loaded.view(lesson)
        assert not shown.is_locked
        assert visible_text(shown) == "a\n\nb"  # the marker is never a visible block
        # the author's own text, which renders exactly as the source; on a free lesson's public page
        # without the marker, which locks nothing there (a pro page keeps it, for the audit)
        assert shown.markdown == (body if loaded.name == "pro" else "a\n\nb\n")


def test_preview_zero_locks_everything(tmp_path):
    shown = public(tmp_path, "only paragraph\n", preview=0)
    assert shown.visible == [] and shown.is_locked and shown.markdown == "\n"


def test_footnotes_follow_their_references(tmp_path):
    body = "open[^a]\n\n[^c]: locked note placed early\n\n<!-- pro -->\n\nclosed[^b] and[^c]\n\n[^a]: public note\n[^b]: locked note\n"
    shown = public(tmp_path, body, preview=30)
    assert [d.key for d in shown.moved_definitions] == ["^a"]
    assert "locked note" not in shown.markdown and "public note" in shown.markdown


@pytest.mark.parametrize("mention", ["`[^a]` in code", r"an escaped \[^a]", "text\n\n<!-- cite [^a] -->",
                                     "text\n\n    indented code [^a]"])
def test_a_footnote_the_preview_only_mentions_keeps_its_locked_text(tmp_path, mention):
    """Python-Markdown, not a pattern, says which footnotes the preview references: one written in
    code, escaped or in a comment references nothing, and its definition would print its text."""
    body = f"Public {mention}.\n\n<!-- pro -->\n\nLocked[^a].\n\n[^a]: SECRET note\n"
    shown = public(tmp_path, body, preview=30)
    assert shown.moved_definitions == [] and "SECRET" not in shown.markdown
    assert visible_text(shown).startswith("Public")


@pytest.mark.parametrize(("used", "definition"), [
    ("the [glossary][]", "[glossary]: glossary.md"),
    ("[our glossary][course\nglossary]", "[course glossary]: glossary.md"),
    ("the [glossary][g]", "[g]:\n    glossary.md"),
    ("the [glossary][g]", '[g]: glossary.md\n"The glossary"'),
    ("an A/B test", "*[A/B test]: A controlled experiment"),
    ("the report says[^ar]: it grew", "[^ar]: The annual report"),
])
def test_the_preview_takes_along_every_definition_markdown_says_it_uses(tmp_path, used, definition):
    """Collapsed and wrapped references, a URL or title on its own line, a several-word abbreviation,
    a footnote before a colon: each definition after the marker goes with the preview that uses it,
    which otherwise renders unlike the whole lesson and was cut to nothing."""
    body = f"Public PUBLICWORD with {used}.\n\n<!-- pro -->\n\nSECRET part.\n\n{definition}\n"
    shown = public(tmp_path, body, preview=30)
    assert "PUBLICWORD" in shown.markdown and "SECRET" not in shown.markdown
    assert len(shown.moved_definitions) == 1


def test_definitions_are_text_where_their_extension_is_off(tmp_path):
    course = tmp_path / "docs" / "c"
    course.mkdir(parents=True)
    (course / "index.md").write_text("---\ntitle: C\nsummary: S\n---\n")
    (course / "l.md").write_text("---\ntitle: L\nsummary: S\npreview: 30\n---\nThe PM decides.\n\n"
                                 "<!-- pro -->\n\n*[PM]: Product manager, a locked sentence\n")
    loaded, problems = load_edition(tmp_path / "docs", extensions=["toc", "md_in_html", "attr_list"])
    assert problems == []
    shown = loaded.view(loaded.catalog.lessons()[0])
    assert "locked sentence" not in shown.markdown and shown.is_locked


def test_locked_minutes_and_counts_cover_parts(tmp_path):
    body = f"{words(90)}\n\n## Locked\n\n{words(400, 'k')}\n\n```mermaid\nflowchart TD\n  accTitle: x\n  A-->B\n```\n"
    shown = public(tmp_path, body)
    assert shown.locked_sections == 1 and shown.locked_diagrams == 1
    assert shown.total_minutes == 5 and shown.preview_minutes == 1 and shown.locked_minutes == 4


def test_an_html_tag_in_inline_code_does_not_hide_the_marker(tmp_path):
    body = "Wrap each chart in a `<figure>` element.\n\n<!-- pro -->\n\nLocked text.\n"
    shown = public(tmp_path, body, preview=30)
    assert visible_text(shown) == "Wrap each chart in a `<figure>` element."


def test_a_content_tab_group_stays_whole(tmp_path):
    tabs = f'=== "Excel"\n\n    {words(60, "x")}\n\n=== "Python"\n\n    {words(60, "p")}'
    course = tmp_path / "docs" / "c"
    course.mkdir(parents=True)
    (course / "index.md").write_text("---\ntitle: C\nsummary: S\n---\n")
    (course / "l.md").write_text(f"---\ntitle: L\nsummary: S\n---\n{words(10)}\n\n{tabs}\n\n{words(200, 'z')}\n")
    loaded, problems = load_edition(tmp_path / "docs", settings=SETTINGS,
                                   extensions=["toc", "pymdownx.superfences", "pymdownx.tabbed"])
    shown = loaded.view(loaded.catalog.lessons()[0])
    assert problems == [] and visible_text(shown) == words(10)


@pytest.mark.parametrize(("body", "line"), [
    ("!!! note\n    intro\n\n    <!-- pro -->\n\n    locked\n", 8),
    ("- one\n\n    <!-- pro -->\n\n- two\n", 7),
    # In a blockquote the line is no marker to a line-based reader: the quote must not publish the rest.
    ("Preview.\n\n> quoted\n>\n> <!-- pro -->\n>\n> locked\n", 9),
    ("Preview.\n\n> quoted\n><!-- pro -->\n\nlocked after the quote\n", 8),
])
def test_a_marker_inside_a_construct_is_an_author_error(tmp_path, body, line):
    problems = lesson_problems(tmp_path, body)
    assert [(p.path, p.line, p.key) for p in problems] == [("docs/c/l.md", line, "<!-- pro -->")]


def lesson_problems(tmp_path: Path, body: str, front: str = "") -> list:
    """The author problems of a course holding one lesson with this body (and more front matter)."""
    course = tmp_path / "docs" / "c"
    course.mkdir(parents=True)
    (course / "index.md").write_text("---\ntitle: C\nsummary: S\n---\n")
    (course / "l.md").write_text(f"---\ntitle: L\nsummary: S\n{front}---\n{body}")
    return load_edition(tmp_path / "docs")[1]


@pytest.mark.parametrize(("body", "message"), [
    ("!!! note\n    intro\n\n    <!-- pro -->\n\n    locked\n",
     "the marker is inside the construct that starts on line 5 (!!! note); put it on a line of its own"),
    # Markdown ends the HTML block at its blank line; the line reader still sees the fence in it open.
    ("Intro.\n\n<div>\n```\n</div>\n\n<!-- pro -->\n\nLocked.\n",
     "courseforge reads this marker as inside the construct that starts on line 7 (<div>), though Markdown "
     "ends that construct before it"),
])
def test_a_nested_marker_s_message_names_the_construct(tmp_path, body, message):
    [problem] = lesson_problems(tmp_path, body)
    assert problem.message.startswith(message), problem.message


def test_a_marker_in_fenced_code_is_an_example(tmp_path):
    body = "Write:\n\n```markdown\n<!-- pro -->\n```\n\nmore text\n"
    shown = public(tmp_path, body, preview=30)
    assert not shown.is_locked


def test_a_marker_after_html_that_markdown_could_not_pair_is_still_top_level(tmp_path):
    """Found by the property test: an inline `<!--` makes md_in_html leave `</details>` unpaired,
    right before the marker; the marker is still a top-level block."""
    body = ("Echo `<!--` value.\n\n<details markdown>\n<summary>S</summary>\n\nWrite `<!-- pro -->` alone.\n\n"
            "</details>\n\n<!-- pro -->\n\nLocked text.\n")
    shown = public(tmp_path, body, preview=30)
    assert shown.is_locked and "Locked text" not in shown.markdown and "Write" in shown.markdown


def test_prose_with_angle_brackets_counts_toward_the_limit(tmp_path):
    """`< 200 ms … request -> answer` is text to Markdown: it must not hide its words from the clock."""
    body = f"{words(20)}\n\nKeep latency < 200 ms {words(150, 'k')} and request -> answer.\n\n{words(50, 'z')}\n"
    assert visible_text(public(tmp_path, body)) == words(20)


def test_indented_code_after_a_link_definition_is_a_block_of_its_own(tmp_path):
    """Markdown reads a link definition from its line: the code after it is timed (and locked) on its own."""
    code = "".join(f"    call_{i}(token)\n" for i in range(150))
    body = f"Intro to [the docs][api].\n\n[api]: https://example.com/api\n{code}\n{words(50, 'z')}\n"
    shown = public(tmp_path, body)
    assert visible_text(shown) == "Intro to [the docs][api]."
    assert "call_0" not in shown.markdown and "https://example.com/api" in shown.markdown


def test_a_link_title_on_the_next_line_stays_with_its_definition(tmp_path):
    body = f'Intro to [the docs][api].\n\n[api]: https://example.com/api\n    "The API"\n\n{words(200, "z")}\n'
    shown = public(tmp_path, body)
    assert visible_text(shown) == "Intro to [the docs][api]." and '"The API"' in shown.markdown


def test_a_preview_that_renders_clearly_past_its_limit_is_cut_shorter(tmp_path):
    """Whatever the splitter miscounts, the preview Markdown renders is timed again before it is accepted."""
    from dataclasses import replace

    from courseforge.core.compose import compose

    loaded, lesson = edition_with(tmp_path, f"{words(50)}\n\n{words(300, 'k')}\n\n{words(10, 'z')}\n")
    miscounted = replace(lesson, segments=[replace(segment, words=0) for segment in lesson.segments])

    def write(shown, definitions):
        return compose(miscounted, shown, loaded.write_part, definitions)

    whole = loaded.cutter.renderer.render(write(miscounted.segments, []))
    assert loaded.cutter.cut(miscounted, 1, whole, write).index == 1
    assert loaded.cutter.cut(miscounted, 5, whole, write).index == len(miscounted.segments)  # 3.6 min fit in 5


@pytest.mark.parametrize("ending", ["<!-- pro -->\n\nLocked text.\n", f"{words(200, 'k')}\n"])
def test_the_footnotes_placeholder_is_no_block_opener(tmp_path, ending):
    """`///Footnotes Go Here///` is where footnotes go, not a `///` block: it holds nothing after it."""
    body = f"Preview text.[^a]\n\n///Footnotes Go Here///\n\nMore preview.\n\n{ending}\n[^a]: The note.\n"
    shown = public(tmp_path, body)
    assert visible_text(shown) == "Preview text.[^a]\n\n///Footnotes Go Here///\n\nMore preview."
    assert "[^a]: The note." in shown.markdown and "Locked" not in shown.markdown and "k0" not in shown.markdown


def test_a_pro_lesson_whose_only_marker_is_code_is_reported_shown_whole(tmp_path):
    body = "Short text.\n\n~~~\n```\n\n<!-- pro -->\n\nexample\n~~~\n"
    loaded, lesson = edition_with(tmp_path, body)
    assert lesson.marker_lines and not loaded.view(lesson).is_locked
    [warning] = loaded.warnings()
    assert (warning.key, warning.message.split(":")[0]) == ("preview", "this pro lesson is shorter than its preview (2 s of reading, 1 min preview)")


@pytest.mark.parametrize("long_text", [
    f'[a link](https://example.com "{words(200, "t")}")',  # a tooltip the source count leaves out
    "A note.[^long]",  # the footnote the preview takes along
])
def test_text_the_preview_takes_along_is_timed_with_it(tmp_path, long_text):
    body = f"{words(20)}\n\n{long_text}\n\n{words(50, 'z')}\n\n{words(300, 'k')}\n\n[^long]: {words(200, 'f')}\n"
    assert visible_text(public(tmp_path, body)) == words(20)


def test_a_nested_marker_is_placed_in_the_author_s_lines_not_a_generated_section(tmp_path):
    """A lesson with examples gets a section heading courseforge adds: it has no line of the file."""
    [problem] = lesson_problems(tmp_path, "Intro.\n\n- Keep it cold\n\n    <!-- pro -->\n\n- Rest it\n",
                                front="examples:\n  - {title: T, scenario: S, takeaway: K}\n")
    assert problem.line == 11 and "starts on line 9 (- Keep it cold)" in problem.message, problem


def test_a_glossary_s_tooltips_are_not_timed_at_every_use(tmp_path):
    """An abbreviation's title repeats wherever the term stands: a learner does not read it each time."""
    first, second = f"{'PM ' * 10}{words(30)}", words(50, "b")
    body = f"{first}\n\n{second}\n\n{words(300, 'k')}\n\n*[PM]: {words(40, 'g')}\n"
    assert visible_text(public(tmp_path, body)) == f"{first}\n\n{second}"
