"""Includes of mkdocs-include-markdown-plugin, then of pymdownx.snippets, expanded in a page before the cut.

MkDocs runs include-markdown in `on_page_markdown`, then snippets while converting the Markdown;
the expansion follows that order. Both run again on the expanded text when MkDocs renders the
page, so no live directive of either is left in it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from ..core.includes import Expanded, compose, snippets_expander, splice

PLUGIN = "include-markdown"


def page_expander(config: MkDocsConfig) -> Callable[[str, Path], Expanded]:
    """Expands a page's Markdown (without front matter) whose source file is at the given absolute path."""
    include_markdown = IncludeMarkdown.of(config)
    snippets = snippets_expander(config.markdown_extensions, config.mdx_configs)

    def expand(text: str, page: Path) -> Expanded:
        expanded = include_markdown.expand(text, page) if include_markdown else Expanded.unchanged(text)
        if snippets:
            expanded = compose(expanded, snippets(expanded.text))
        return include_markdown.settle(expanded, page) if include_markdown else expanded
    return expand


class IncludeMarkdown:
    """The directives of mkdocs-include-markdown-plugin, expanded by the plugin itself with its settings."""

    def __init__(self, plugin: BasePlugin, config: MkDocsConfig) -> None:
        from mkdocs_include_markdown_plugin.directive import create_include_tag  # only sites using it have it

        self.plugin = plugin
        self.config = config
        settings = plugin.config
        names = settings.directives
        self.name = names.get(PLUGIN, PLUGIN)
        # The plugin looks for include-markdown directives first, then for include in what is left.
        self.tags = [create_include_tag(settings.opening_tag, settings.closing_tag, names.get(name, name))
                     for name in (PLUGIN, "include")]
        # Where the plugin notes every file it includes (for `serve` to watch): which files a page is made of.
        self.watcher = getattr(plugin, "_files_watcher", None)
        if self.watcher is None:
            raise PluginError("courseforge cannot tell which files this version of mkdocs-include-markdown-plugin "
                              "includes (it has no _files_watcher), so it cannot keep pro lessons' text off other "
                              "pages; use 7.x, the major version courseforge is tested with")

    @classmethod
    def of(cls, config: MkDocsConfig) -> IncludeMarkdown | None:
        plugin = config.plugins.get(PLUGIN)
        return cls(plugin, config) if plugin else None

    def expand(self, text: str, page: Path) -> Expanded:
        """Each directive expanded on its own, so that its lines map to its line; a failing one is reported."""
        replacements = []
        problems = []
        sources = []
        for match in self._directives(text):
            start, end = match.span()
            line = text.count("\n", 0, start) + 1
            try:
                expanded, read = self._run(match[0], page, line)
            except PluginError as error:
                problems.append((line, str(error)))
                continue
            replacements.append((start, end, expanded))
            sources += [(line, os.path.realpath(path)) for path in read]
        return replace(splice(text, replacements), problems=problems, sources=tuple(sources))

    def settle(self, expanded: Expanded, page: Path) -> Expanded:
        """Disarm every directive left in the text: the plugin would expand it when MkDocs renders the page.

        Left are failed directives, directives in files included with `recursive=false`, and directives
        in snippets (MkDocs expands those after include-markdown). Each one's opening character becomes
        an HTML entity: the same character in running text, shown as the entity in code.
        """
        text = expanded.text
        left = self._directives(text)
        if not left or self._skips(page):
            return expanded
        reported = {line for line, _ in expanded.problems}
        problems = list(expanded.problems)
        for match in reversed(left):
            at = match.end("_includer_indent")
            text = f"{text[:at]}&#{ord(text[at])};{text[at + 1:]}"
            line = expanded.origins[text.count("\n", 0, at)]
            if line not in reported:
                problems.append((line, "an include-markdown plugin directive is left unexpanded (recursive=false, "
                                       "or in a snippet); its first character is escaped so that rendering "
                                       "does not expand it"))
        return replace(expanded, text=text, problems=sorted(problems))

    def _directives(self, text: str) -> list[re.Match[str]]:
        markdown_tag, include_tag = self.tags
        found = list(markdown_tag.finditer(text))
        # The plugin has replaced those by placeholders when it looks for include directives.
        rest = markdown_tag.sub(lambda match: "\0" * len(match[0]), text)
        found += [match for match in include_tag.finditer(rest) if "\0" not in match[0]]
        return sorted(found, key=lambda match: match.start())

    def _run(self, directive: str, page: Path, line: int) -> tuple[str, list[str]]:
        """The directive's expansion, and the files the plugin read for it (nested includes too)."""
        # Blank lines before it make the plugin's messages give the directive's line in the page.
        padding = "\n" * (line - 1)
        stand_in = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(page)))
        # Left noted: `serve` watches them, and the plugin's own run sees no directive to note them again.
        noted = self.watcher.included_files
        before = len(noted)
        expanded = self.plugin.on_page_markdown(padding + directive, page=stand_in, config=self.config,
                                                files=None)[len(padding):]
        return expanded, noted[before:]

    def _skips(self, page: Path) -> bool:
        """Whether the plugin leaves this page alone (its `exclude` setting): a pathless directive fails otherwise."""
        probe = f"{self.plugin.config.opening_tag} {self.name} {self.plugin.config.closing_tag}"
        try:
            return self._run(probe, page, 1)[0] == probe
        except PluginError:
            return False
