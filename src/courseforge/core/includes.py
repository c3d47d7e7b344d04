"""Includes expanded before the preview is cut, by the extensions' own code with the site's settings.

A `<!-- pro -->` line or a `pro_sections` heading inside an included file must end the preview,
and included text counts toward reading time, so the cut works on the expanded text. The real
extensions run again on that text when MkDocs renders the page: the expanded text is made such
that this second run changes nothing.

Lines are those of `text.split("\\n")`, as Python-Markdown splits them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import markdown
from pymdownx.snippets import SnippetExtension, SnippetMissingError, SnippetPreprocessor


@dataclass(frozen=True)
class Expanded:
    text: str                         # the Markdown with every include expanded
    origins: list[int]                # per line of `text`: the 1-based line of the original text it comes from
    problems: list[tuple[int, str]]   # (line in the original text, message) for includes that failed
    # (line in the original text, real path of a file the extension read there): which files a page
    # is made of, so that a pro lesson's text cannot reach the site through another page.
    sources: tuple[tuple[int, str], ...] = ()

    @classmethod
    def unchanged(cls, text: str) -> Expanded:
        return cls(text, list(range(1, text.count("\n") + 2)), [])


def compose(first: Expanded, second: Expanded) -> Expanded:
    """`second` expanded `first.text`: map its lines, problems and sources back to the text `first` expanded."""
    def back(line: int) -> int:
        return first.origins[line - 1]
    return Expanded(second.text, [back(line) for line in second.origins],
                    first.problems + [(back(line), message) for line, message in second.problems],
                    first.sources + tuple((back(line), path) for line, path in second.sources))


def splice(text: str, replacements: list[tuple[int, int, str]]) -> Expanded:
    """`text` with each (start, end) span replaced; a line starting in or just after one maps to its first line."""
    pieces: list[str] = []
    origins = [1]
    line = position = 0
    for start, end, new in replacements:
        literal = text[position:start]
        origins.extend(range(line + 2, line + 2 + literal.count("\n")))
        line += literal.count("\n")
        origins.extend([line + 1] * new.count("\n"))
        line += text.count("\n", start, end)
        pieces += [literal, new]
        position = end
    rest = text[position:]
    origins.extend(range(line + 2, line + 2 + rest.count("\n")))
    return Expanded("".join(pieces) + rest, origins, [])


# --- pymdownx.snippets ----------------------------------------------------------------

def snippets_expander(extensions: list, configs: dict) -> Callable[[str], Expanded] | None:
    """An expander using pymdownx.snippets with the site's settings, or None when the site does not enable it."""
    found = _snippets(extensions, configs)
    if found is None:
        return None
    md, settings = found
    # auto_append is left to the real extension: it appends on every run, so the text must not hold it already.
    return _Snippets(SnippetPreprocessor({**settings, "auto_append": []}, md)).expand


def missing_auto_append(extensions: list, configs: dict) -> list[str]:
    """The files pymdownx.snippets' `auto_append` lists but cannot find, when it is told to fail on
    them (`check_paths`): Markdown would then fail on every page."""
    if not configs.get("pymdownx.snippets", {}).get("auto_append"):  # most sites: no Markdown to set up
        return []
    found = _snippets(extensions, configs)
    if found is None or not found[1]["check_paths"]:
        return []
    preprocessor = SnippetPreprocessor(found[1], found[0])
    return [name for name in found[1]["auto_append"] if preprocessor.get_snippet_path(name) is None]


def _snippets(extensions: list, configs: dict) -> tuple[markdown.Markdown, dict] | None:
    md = markdown.Markdown(extensions=extensions, extension_configs=configs)
    extension = next((e for e in md.registeredExtensions if isinstance(e, SnippetExtension)), None)
    return None if extension is None else (md, extension.getConfigs())


@dataclass(frozen=True)
class _Unit:
    """Lines the preprocessor expands on their own, so that their output maps to a known line."""

    index: int              # 0-based line of the first of `lines`
    lines: list[str]
    include: bool           # an include: all output maps to `index`; else output is line for line
    verbatim: list[str]     # what stands in the text when the include fails: the real extension fails on it too


class _Snippets:
    def __init__(self, preprocessor: SnippetPreprocessor) -> None:
        self.preprocessor = preprocessor
        self._read: list[str] = []
        find = preprocessor.get_snippet_path

        def recording(path: str) -> str | None:  # the extension's own lookup, nested includes too
            found = find(path)
            if found is not None:
                self._read.append(os.path.realpath(found))
            return found
        preprocessor.get_snippet_path = recording

    def expand(self, text: str) -> Expanded:
        if "8<-" not in text:  # no snippet notation: most pages cost one scan
            return Expanded.unchanged(text)
        lines: list[str] = []
        origins: list[int] = []
        problems: list[tuple[int, str]] = []
        sources: list[tuple[int, str]] = []
        for unit in self._units(text.split("\n")):
            self._read.clear()
            try:
                # A file saved with a byte order mark would start with it: "\ufeff<!-- pro -->" is no marker.
                output = [self._escape(line.removeprefix("\ufeff")) for line in self.preprocessor.run(unit.lines)]
            except SnippetMissingError as error:
                problems.append((unit.index + 1, str(error)))
                output = unit.verbatim
            lines += output
            first = unit.index + 1
            origins += [first] * len(output) if unit.include else range(first, first + len(output))
            sources += [(first, path) for path in self._read]
        return Expanded("\n".join(lines), origins, problems, tuple(sources))

    def _units(self, lines: list[str]) -> Iterator[_Unit]:
        """Runs of plain lines; each inline include; each path of a block with the block's opening marker."""
        opener: str | None = None
        start = 0
        for index, notation in enumerate(self.preprocessor.get_syntax_mask(lines)):
            if not notation:
                continue
            if start < index:
                yield _Unit(start, lines[start:index], False, lines[start:index])
            start = index + 1
            line = lines[index]
            match = self.preprocessor.RE_ALL_SNIPPETS.match(line)
            if match and match["block_marker"]:
                opener = line if opener is None else None
            elif opener is None:
                yield _Unit(index, [line], True, [line])
            else:
                yield _Unit(index, [opener, line], True, [opener, line, opener])
        if start < len(lines):
            yield _Unit(start, lines[start:], False, lines[start:])

    def _escape(self, line: str) -> str:
        """Escape notation the preprocessor un-escaped (`;--8<--`): the real extension runs again on it."""
        if "8<-" not in line:
            return line
        if match := self.preprocessor.RE_ALL_SNIPPETS.match(line):
            at = match.end("space")
        elif match := self.preprocessor.match_section(line):
            at = match.start("escape")
        else:
            return line
        return f"{line[:at]};{line[at:]}"
