"""Block splitting: the preview may only end between blocks, so nothing here may be split."""

from courseforge.core.blocks import Kind, split_blocks


def kinds(markdown: str) -> list[str]:
    return [block.kind.value for block in split_blocks(markdown)]


def texts(markdown: str) -> list[str]:
    return [block.text for block in split_blocks(markdown)]


def test_paragraphs_split_on_blank_lines_and_keep_their_lines():
    assert texts("one\ntwo\n\nthree\n") == ["one\ntwo", "three"]


def test_loose_list_with_indented_continuation_is_one_block():
    markdown = "- a\n- b\n\n- c\n\n    more of c\n\nafter"
    assert texts(markdown) == ["- a\n- b\n\n- c\n\n    more of c", "after"]


def test_fenced_code_with_blank_lines_and_headings_is_one_block():
    markdown = "```python\n# not a heading\n\nx = 1\n```\n\nafter"
    assert texts(markdown) == ["```python\n# not a heading\n\nx = 1\n```", "after"]


def test_mermaid_fence_is_a_diagram_block():
    assert kinds("```mermaid\nflowchart TD\n\n  A --> B\n```") == ["diagram"]


def test_pymdownx_block_with_blank_lines_is_one_block_even_nested():
    markdown = "//// note\nouter\n\n/// why-this-matters\ninner\n\ntext\n///\n\nend\n////\n\nafter"
    assert len(split_blocks(markdown)) == 2


def test_admonition_body_stays_with_its_header():
    markdown = "!!! note \"Title\"\n    body\n\n    second paragraph\n\nafter"
    assert texts(markdown)[0] == "!!! note \"Title\"\n    body\n\n    second paragraph"


def test_table_is_one_block():
    assert kinds("| a | b |\n|---|---|\n| 1 | 2 |\n\nafter") == ["text", "text"]


def test_html_block_with_blank_lines_is_one_block():
    markdown = "<div markdown>\n\ninside\n\n<div>nested</div>\n\n</div>\n\nafter"
    assert texts(markdown) == ["<div markdown>\n\ninside\n\n<div>nested</div>\n\n</div>", "after"]


def test_headings_stand_alone_and_keep_titles_and_ids():
    blocks = split_blocks("text\n## Title {#custom .x}\nmore")
    assert [b.kind for b in blocks] == [Kind.TEXT, Kind.HEADING, Kind.TEXT]
    assert (blocks[1].level, blocks[1].title, blocks[1].anchor) == (2, "Title", "custom")


def test_marker_and_placements_are_recognised():
    blocks = split_blocks("a\n\n<!-- pro -->\n\n<!-- exercise: define-it -->\n")
    assert [b.kind for b in blocks] == [Kind.TEXT, Kind.MARKER, Kind.PLACEMENT]
    assert blocks[2].key == "exercise:define-it"


def test_definitions_are_separate_and_end_with_their_line():
    blocks = split_blocks("text[^1]\n\n[^1]: note\n    continued\n[ref]: https://x.org\nparagraph")
    assert [(b.kind, b.key) for b in blocks] == [
        (Kind.TEXT, ""), (Kind.DEFINITION, "^1"), (Kind.DEFINITION, "ref"), (Kind.TEXT, "")]


def test_line_numbers_count_from_the_file_start():
    assert [b.line for b in split_blocks("a\n\nb\n", first_line=5)] == [5, 7]


def test_definitions_are_text_when_their_extension_is_off():
    blocks = split_blocks("a\n\n*[PM]: Product manager\n\n[^1]: note\n", definitions=frozenset({"link"}))
    assert [b.kind for b in blocks] == [Kind.TEXT, Kind.TEXT, Kind.TEXT]


def test_blocks_keep_their_source_line_range():
    blocks = split_blocks("a\nb\n\n\n- c\n\n    d\n\ne\n")
    assert [(b.start, b.end) for b in blocks] == [(0, 2), (4, 7), (8, 9)]


def test_inline_code_mentioning_a_tag_opens_no_html_block():
    blocks = split_blocks("Wrap each chart in a `<figure>` element.\n\n<!-- pro -->\n\nlocked\n")
    assert [b.kind for b in blocks] == [Kind.TEXT, Kind.MARKER, Kind.TEXT]
