"""Where front matter ends and the body starts, and which line each key sits on."""

import re

import pytest

from courseforge.core.frontmatter import parse_markdown

# The convention written as one regex: the reference the faster line-by-line scan must agree with.
REFERENCE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)

SOURCES = [
    "---\ntitle: A\n---\nBody\n",
    "---\ntitle: A\n...\nBody\n",
    "---  \r\ntitle: A\r\n---\t\r\nBody\r\n",
    "---\n---\nBody right after empty front matter\n",
    "---\ntitle: A\n---",
    "---\ntitle: A\n----\nnot closed by four dashes\n---\nBody\n",
    "---\ntitle: A\n--- trailing text\nsummary: B\n---\nBody\n",
    "---\nnote: |\n  ---\n  indented dashes stay inside\n---\nBody\n",
    "---\ntitle: A\n.... four dots\n...\nBody\n",
    "---\ntitle: never closed\n",
    "No front matter\n---\ntitle: A\n---\n",
    "----\ntitle: A\n---\n",
    "",
]


@pytest.mark.parametrize("source", SOURCES)
def test_front_matter_split_follows_the_convention(source):
    document = parse_markdown("lesson.md", source)
    expected = REFERENCE.match(source)
    if expected is None:
        assert (document.body, document.body_line) == (source, 1)
    else:
        assert document.body == source[expected.end():]
        assert document.body_line == source.count("\n", 0, expected.end()) + 1


def test_keys_keep_their_lines():
    document = parse_markdown("lesson.md", "---\ntitle: A\nexamples:\n  - title: B\n    body: C\n---\nBody\n")
    assert document.data["examples"][0]["body"] == "C"
    assert document.line_of(("title",)) == 2
    assert document.line_of(("examples", 0, "body")) == 5
    assert document.body_line == 7
