"""Front matter parsing that fails loudly.

MkDocs swallows malformed YAML and renders it as page text, which would publish locked
front-matter content; courseforge parses every source itself and reports the error instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import Problem

OPENING = re.compile(r"---[ \t]*\r?\n")
CLOSING = re.compile(r"(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")

KeyPath = tuple[str | int, ...]


@dataclass
class Document:
    """A parsed source: its data, its Markdown body and where each key sits."""

    path: str
    data: dict[str, Any]
    body: str = ""
    body_line: int = 1
    lines: dict[KeyPath, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: KeyPath) -> int:
        """Line of a key, or of its nearest parent that has one."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def parse_markdown(path: str, text: str) -> Document:
    """Split a Markdown file into front matter and body."""
    found = _front_matter(text)
    if found is None:
        document = Document(path, {}, text, 1)
        if OPENING.match(text):  # opened, never closed: the whole file would be read as YAML or as text
            document.problems.append(Problem(path, 1, "front matter", "not closed: add a line '---' after its "
                                                                     "last key, before the lesson text"))
        return document
    front_matter, body_start = found
    document = parse_yaml(path, front_matter, first_line=2)
    document.body, document.body_line = text[body_start:], text.count("\n", 0, body_start) + 1
    return document


def _front_matter(text: str) -> tuple[str, int] | None:
    """The text between a leading `---` line and the next `---` or `...` line, and where the body starts.

    Jumps from one candidate closing line to the next: a lazy regex would step through every
    character of every front matter on every build.
    """
    opening = OPENING.match(text)
    if opening is None:
        return None
    line = opening.end()
    while (closing := CLOSING.match(text, line)) is None:
        candidates = [at for at in (text.find("\n---", line), text.find("\n...", line)) if at >= 0]
        if not candidates:
            return None
        line = min(candidates) + 1
    return text[opening.end():line], closing.end()


# libyaml's parser is about four times faster; the pure-Python one words errors better.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(path: str, text: str, first_line: int = 1, what: str = "front matter") -> Document:
    """Parse a YAML mapping, recording the line of every key and flagging duplicates.

    `what` names the YAML in messages: "front matter", or "exercise file" for exercises/*.yml.
    """
    try:
        return _parse_yaml(path, text, first_line, FAST_LOADER, what)
    except yaml.YAMLError:
        return _parse_yaml(path, text, first_line, yaml.SafeLoader, what, report=True)


# What PyYAML's wording usually means in a hand-written front matter.
LIKELY_CAUSES = (
    ("'\\t'", "a tab character: indent with spaces"),
    ("mapping values are not allowed", "a colon inside a value, or a line indented under a key that has a "
                                       "value: quote the value (title: \"SQL: the basics\") or line the key up "
                                       "with the others"),
    ("expected <block end>", "this line's indentation does not match the lines above it"),
    ("could not find expected ':'", "a line without 'key: value', or a value that runs over lines without quotes"),
    ("did not find expected key", "this line's indentation does not match the lines above it"),
    ("found unexpected end of stream", "a quote that is never closed"),
    ("expected ',' or ']'", "a [list] that is never closed"),
    ("expected ',' or '}'", "a {mapping} that is never closed"),
)


# PyYAML's context of a problem found inside something still open: the context mark is its start.
OPENED_CONTEXTS = ("while scanning a quoted scalar", "while parsing a flow sequence", "while parsing a flow mapping")


def plain_yaml_error(problem: str) -> str:
    """PyYAML's message in an author's words, keeping PyYAML's for reference."""
    cause = next((plain for fragment, plain in LIKELY_CAUSES if fragment in problem), None)
    return f"malformed YAML: {cause} (PyYAML: {problem})" if cause else f"malformed YAML: {problem}"


def _parse_yaml(path: str, text: str, first_line: int, loader_class: type, what: str,
                report: bool = False) -> Document:
    document = Document(path, {})
    try:
        loader = loader_class(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _record_lines(node, (), first_line, document)
                data = _constructed(node, loader)
            else:
                data = {}
        finally:
            loader.dispose()
    except yaml.YAMLError as error:
        if not report:
            raise
        mark = _where_to_look(error)
        line = first_line + mark.line if mark else first_line
        reason = getattr(error, "problem", None) or str(error)
        document.problems.append(Problem(path, line, what, plain_yaml_error(reason)))
        return document
    if not isinstance(data, dict):
        document.problems.append(Problem(path, first_line, what, "must be a mapping of keys to values"))
        return document
    document.data = data
    return document


def _where_to_look(error: yaml.YAMLError) -> yaml.Mark | None:
    """The line an author should fix: where an unclosed quote, [list] or {mapping} opens (PyYAML
    notices it lines later, often at the closing `---`), else where PyYAML stopped."""
    context = getattr(error, "context", None) or ""
    if context.startswith(OPENED_CONTEXTS) and getattr(error, "context_mark", None):
        return error.context_mark
    return getattr(error, "problem_mark", None)


STR, SEQ, MAP, MERGE, VALUE = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map", "merge", "value"))


class _Unusual(Exception):
    """A node the plain walk leaves to PyYAML: a merge key, a collection key, a tagged collection."""


def _constructed(node: yaml.Node, loader: Any) -> Any:
    """The data PyYAML's `construct_document` makes of the node.

    Front matter is strings, lists and mappings: they are built here in one walk, without PyYAML's
    per-node dispatch and generators (a fifth of reading a course); every other scalar is PyYAML's
    own, and a document with anything unusual is PyYAML's whole.
    """
    try:
        return _plain(node, loader, {})
    except _Unusual:
        return loader.construct_document(node)


def _plain(node: yaml.Node, loader: Any, made: dict[int, Any]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return node.value if node.tag == STR else loader.construct_object(node, deep=True)
    if id(node) in made:  # an alias: the same object, as PyYAML shares it (even inside itself)
        return made[id(node)]
    if node.tag == SEQ and isinstance(node, yaml.SequenceNode):
        items = made[id(node)] = []
        items.extend(_plain(item, loader, made) for item in node.value)
        return items
    if node.tag == MAP and isinstance(node, yaml.MappingNode):
        mapping = made[id(node)] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag in (MERGE, VALUE):
                raise _Unusual
            mapping[_plain(key_node, loader, made)] = _plain(value_node, loader, made)
        return mapping
    raise _Unusual


def _record_lines(node: yaml.Node, path: KeyPath, first_line: int, document: Document,
                  inside: frozenset[int] = frozenset(), walked: set[int] | None = None) -> None:
    if id(node) in inside:  # `a: &x [1, *x]`: every later step would recurse without end
        raise yaml.constructor.ConstructorError(None, None, "an alias (*name) refers to a value that contains it",
                                                node.start_mark)
    lines = document.lines
    lines[path] = first_line + node.start_mark.line
    walked = set() if walked is None else walked
    if id(node) in walked:  # an alias of a value walked already: its lines are known; nine aliases
        return              # of nine aliases of … would be walked nine times nine times …
    walked.add(id(node))
    inside |= {id(node)}
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = first_line + key_node.start_mark.line
            if key in seen:
                document.problems.append(Problem(document.path, line, key, "key appears twice"))
            seen.add(key)
            if not isinstance(value_node, yaml.ScalarNode):  # scalars need no call of their own
                _record_lines(value_node, (*path, key), first_line, document, inside, walked)
            lines[(*path, key)] = line  # a key's own line wins over its value's
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            if isinstance(item, yaml.ScalarNode):
                lines[(*path, index)] = first_line + item.start_mark.line
            else:
                _record_lines(item, (*path, index), first_line, document, inside, walked)
