"""Where front matter ends and the body starts, and which line each key sits on."""

import re

import pytest
import yaml

from courseforge.core.frontmatter import parse_markdown, parse_yaml

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


@pytest.mark.parametrize(("text", "expected"), [
    ("---\ntitle: x\n\tsummary: y\n---\n", "l.md:3: front matter: malformed YAML: a tab character: indent with spaces"),
    # An unclosed quote or list is found at the closing `---`; the message points where it opens.
    ('---\ntitle: x\nsummary: "open\norder: 2\n---\n', "l.md:3: front matter: malformed YAML: a quote that is never closed"),
    ("---\ntitle: x\ntags: [a, b\norder: 2\n---\n", "l.md:3: front matter: malformed YAML: a [list] that is never closed"),
    ("---\ntitle: x\nmeta: {a: 1\norder: 2\n---\n", "l.md:3: front matter: malformed YAML: a {mapping} that is never closed"),
    ("---\ntitle: SQL: basics\n---\n", "l.md:2: front matter: malformed YAML: a colon inside a value"),
    ("---\ntitle: x\nsummary: y\n--\nbody\n", "l.md:1: front matter: not closed: add a line '---'"),
])
def test_yaml_problems_are_told_in_an_authors_words(text, expected):
    problems = [str(problem) for problem in parse_markdown("l.md", text).problems]
    assert len(problems) == 1 and problems[0].startswith(expected), problems


def test_an_exercise_file_is_named_as_such():
    problems = parse_yaml("exercises/e.yml", "title: [x\n", what="exercise file").problems
    assert [(p.line, p.key) for p in problems] == [(1, "exercise file")]  # where the list opens


# YAML the plain walk (strings, lists, mappings) and PyYAML's own constructor must read alike.
DOCUMENTS = [
    "a: 1\nb: [1, 2.5, true, null, ~, 2020-01-02, 0x1f, '3', 12:30:00, .inf, 1_000]\nc: {d: e}\n",
    "base: &b {x: 1, y: [1, 2]}\nother:\n  <<: *b\n  z: 3\n",
    "=: 1\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [{a: 1}]\nd: !!str 12\ne: !!int '7'\n",
    "s: &s shared\nt: *s\nl: &l [1]\nm: *l\n",
    "1: one\ntrue: yes\nnull: nothing\n",
    "x: 1\nx: 2\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_front_matter_data_is_what_pyyaml_makes(text):
    assert parse_yaml("x.md", text).data == yaml.load(text, Loader=yaml.SafeLoader)


def test_an_alias_is_the_same_object_as_in_pyyaml():
    data = parse_yaml("x.md", "l: &l [1]\nm: *l\n").data
    assert data["l"] is data["m"]


@pytest.mark.parametrize("text", ["? [1, 2]\n: v\n", "a: !custom x\n", "a: !!python/name:os.system\n"])
def test_yaml_pyyaml_refuses_is_an_author_error(text):
    document = parse_yaml("x.md", text)
    assert document.data == {}
    assert [p.key for p in document.problems] == ["front matter"]


@pytest.mark.parametrize("text", ["title: T\na: &r [1, *r]\n", "title: T\nm: &m {k: *m}\n"])
def test_a_value_that_contains_itself_is_an_author_error(text):
    document = parse_yaml("x.md", text)
    assert document.data == {}
    assert [(p.line, p.key) for p in document.problems] == [(2, "front matter")]
    assert "refers to a value that contains it" in document.problems[0].message


def test_aliases_of_aliases_are_walked_once():
    """Nine aliases of nine aliases of …: PyYAML shares them; walking each for its lines took
    minutes and gigabytes (an alias 'bomb'), so a value already walked is not walked again."""
    levels = ["a0: &a0 [" + ", ".join(f"w{i}" for i in range(9)) + "]"]
    levels += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, 6)]
    document = parse_yaml("bomb.md", "\n".join(["title: T", *levels]) + "\n")
    assert document.problems == []
    assert len(document.data["a5"][0][0][0][0][0]) == 9  # the data is PyYAML's, shared as it shares it
    assert len(document.lines) < 100, len(document.lines)
    assert document.line_of(("a5", 3, 0)) == 6  # an alias's lines are those of the value it names
