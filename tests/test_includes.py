"""Includes expanded before the cut, by pymdownx.snippets and mkdocs-include-markdown-plugin themselves."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from pymdownx.snippets import SnippetMissingError

from courseforge.core.includes import Expanded, snippets_expander
from courseforge.plugin.includes import IncludeMarkdown, page_expander


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def lines(expanded: Expanded) -> list[tuple[int, str]]:
    """(origin, line) for each line of the expanded text."""
    text_lines = expanded.text.split("\n")
    assert len(text_lines) == len(expanded.origins)
    return list(zip(expanded.origins, text_lines, strict=True))


# --- pymdownx.snippets ----------------------------------------------------------------

SNIPPETS = {
    "snips/a.md": "Inner A\n<!-- pro -->\nInner B\n",
    "snips/nest.md": "Nest\n--8<-- \"a.md\"\nNest end",
    "snips/parts.md": "skip\n# --8<-- [start:mid]\n    Middle line\n    ;--8<-- [start:shown]\n# --8<-- [end:mid]\nskip\n",
    "snips/code.md": "Escaped in a snippet:\n;--8<-- \"a.md\"\n",
    "snips/footer.md": "Appended footer",
}


@pytest.fixture
def snips(tmp_path, monkeypatch) -> Path:
    write(tmp_path, SNIPPETS)
    monkeypatch.chdir(tmp_path)  # base_path is relative to the working directory, as in `mkdocs build`
    return tmp_path


def snippets(**settings):
    config = {"base_path": ["snips"], **settings}
    return snippets_expander(["toc", "pymdownx.snippets"], {"pymdownx.snippets": config})


def render(text: str, **settings) -> str:
    """The page as the site's Markdown renders it, snippets included."""
    config = {"base_path": ["snips"], **settings}
    return markdown.Markdown(extensions=["toc", "pymdownx.snippets"],
                             extension_configs={"pymdownx.snippets": config}).convert(text)


def test_inline_snippet_lines_map_to_the_directive(snips):
    expanded = snippets()("Before\n--8<-- \"a.md\"\nAfter")
    assert lines(expanded) == [(1, "Before"), (2, "Inner A"), (2, "<!-- pro -->"), (2, "Inner B"), (2, ""),
                               (3, "After")]
    assert expanded.problems == []


def test_block_snippets_map_to_the_line_of_their_path(snips):
    expanded = snippets()("Before\n\n-8<-\na.md\n\nnest.md\n-8<-\n\nAfter")
    assert lines(expanded) == [
        (1, "Before"), (2, ""),
        (4, "Inner A"), (4, "<!-- pro -->"), (4, "Inner B"), (4, ""),
        (5, ""),  # an empty line in a block is a blank line
        (6, "Nest"), (6, "Inner A"), (6, "<!-- pro -->"), (6, "Inner B"), (6, ""), (6, "Nest end"),
        (8, ""), (9, "After")]


def test_nested_snippet_maps_to_the_top_level_directive(snips):
    expanded = snippets()("Intro\n\n    --8<-- \"nest.md\"\n\nEnd\n")
    assert lines(expanded) == [(1, "Intro"), (2, ""), (3, "    Nest"), (3, "    Inner A"),
                               (3, "    <!-- pro -->"), (3, "    Inner B"), (3, "    "), (3, "    Nest end"),
                               (4, ""), (5, "End"), (6, "")]


def test_the_files_a_snippet_reads_are_its_sources_nested_ones_too(snips):
    expanded = snippets()("Intro\n\n--8<-- \"nest.md\"\n\n--8<-- \"gone.md\"\n")
    assert expanded.sources == ((3, str((snips / "snips/nest.md").resolve())),
                                (3, str((snips / "snips/a.md").resolve())))


def test_a_pro_marker_in_a_snippet_is_a_top_level_line(snips):
    expanded = snippets()("Free text.\n\n--8<-- \"a.md\"\n")
    assert "<!-- pro -->" in expanded.text.split("\n")


def test_sections_and_line_ranges_are_selected_by_the_extension(snips):
    expanded = snippets(dedent_subsections=True)("--8<-- \"parts.md:mid\"\n--8<-- \"a.md:3:3\"")
    assert lines(expanded) == [(1, "Middle line"), (1, ";--8<-- [start:shown]"), (2, "Inner B")]


def test_escaped_snippet_lines_stay_literal_after_the_second_pass(snips):
    page = ('Show the syntax:\n\n;--8<-- "a.md"\n\n;;--8<-- "a.md"\n\n;-8<-\n\na.md\n\n;-8<-\n\n'
            ';--8<-- [start:name]\n\n--8<-- "code.md"\n')
    expanded = snippets()(page)
    assert render(expanded.text) == render(page)
    html = render(page)
    assert '<p>--8&lt;-- "a.md"</p>' in html and '<p>;--8&lt;-- "a.md"</p>' in html
    assert "<p>--8&lt;-- [start:name]</p>" in html and html.count("Inner A") == 0


def test_the_expanded_text_renders_like_the_original(snips):
    page = ("# Lesson\n\nIntro\n\n--8<-- \"nest.md\"\n\n!!! note\n\n    --8<-- \"a.md\"\n\n-8<-\na.md\n;code.md\n"
            "-8<-\n\n--8<-- \"parts.md:mid\"\n\n--8<-- \"code.md\"\n\n# --8<-- [start:x]\nEnd\n")
    settings = {"auto_append": ["footer.md"], "dedent_subsections": True}
    expanded = snippets(**settings)(page)
    assert render(expanded.text, **settings) == render(page, **settings)
    assert render(page, **settings).count("Appended footer") == 1
    assert "Appended footer" not in expanded.text  # the real extension appends it at render time


def test_a_missing_snippet_with_check_paths_is_a_problem_at_its_line(snips):
    page = "Intro\n--8<-- \"nest.md\"\n--8<-- \"gone.md\"\n\n-8<-\na.md\nlost.md\n-8<-\nEnd"
    expanded = snippets(check_paths=True)(page)
    assert expanded.problems == [(3, "Snippet at path 'gone.md' could not be found"),
                                 (7, "Snippet at path 'lost.md' could not be found")]
    assert (3, '--8<-- "gone.md"') in lines(expanded)
    assert [(7, "-8<-"), (7, "lost.md"), (7, "-8<-"), (9, "End")] == lines(expanded)[-4:]
    with pytest.raises(SnippetMissingError):  # left as written: rendering fails on it as without courseforge
        render(expanded.text, check_paths=True)


def test_a_missing_nested_snippet_is_a_problem_at_the_top_level_directive(snips):
    write(snips, {"snips/broken.md": "Text\n--8<-- \"gone.md\"\n"})
    assert snippets(check_paths=True)("Intro\n\n--8<-- \"broken.md\"\n").problems == [
        (3, "Snippet at path 'gone.md' could not be found")]


def test_without_check_paths_a_missing_snippet_is_dropped_as_the_extension_does(snips):
    page = "Intro\n--8<-- \"gone.md\"\nEnd"
    expanded = snippets()(page)
    assert lines(expanded) == [(1, "Intro"), (3, "End")] and expanded.problems == []


def test_a_page_without_snippet_notation_is_unchanged(snips):
    page = "# Title\n\nText with no include.\n"
    assert snippets()(page) == Expanded(page, [1, 2, 3, 4], [])


def test_no_expander_when_the_site_does_not_enable_snippets():
    assert snippets_expander(["toc", "pymdownx.superfences"], {}) is None


# --- mkdocs-include-markdown-plugin and both together ---------------------------------

MKDOCS_YML = """\
site_name: Includes
markdown_extensions:
  - pymdownx.snippets:
      base_path: [snips]
      check_paths: true
plugins:
  - include-markdown
"""

DOCS = {
    "docs/course/part.md": "Not this\n<!-- start -->\nPart A\n{% include-markdown \"./deep.md\" %}\n"
                           "<!-- end -->\nNor this\n",
    "docs/course/deep.md": "Deep\n<!-- pro -->\n",
    "docs/course/literal.md": "Shown as text: {% include \"course/deep.md\" %}\n",
    "docs/course/snippet.md": "From a snippet\n--8<-- \"s.md\"\n",
    "snips/s.md": "Snippet line\n<!-- pro -->\n",
    "snips/raw.md": "{% include-markdown \"course/deep.md\" %}\n",
}


@pytest.fixture
def site(tmp_path, monkeypatch):
    write(tmp_path, {"mkdocs.yml": MKDOCS_YML, **DOCS})
    monkeypatch.chdir(tmp_path)
    return load_config(str(tmp_path / "mkdocs.yml"))


def plugin_pass(config, text: str, page: Path) -> str:
    """What include-markdown does to the page in `on_page_markdown` when MkDocs renders it."""
    stand_in = SimpleNamespace(file=SimpleNamespace(abs_src_path=str(page)))
    return config.plugins["include-markdown"].on_page_markdown(text, page=stand_in, config=config, files=None)


def test_include_markdown_with_start_and_end_and_nesting(site, tmp_path):
    page = tmp_path / "docs/course/lesson.md"
    text = "Intro\n{% include-markdown \"./part.md\" start=\"<!-- start -->\" end=\"<!-- end -->\" %}\nAfter\n"
    expanded = IncludeMarkdown.of(site).expand(text, page)
    assert lines(expanded) == [(1, "Intro"), (2, ""), (2, "Part A"), (2, "Deep"), (2, "<!-- pro -->"),
                               (2, ""), (2, ""), (3, "After"), (4, "")]
    assert expanded.text == plugin_pass(site, text, page)  # the plugin's own result, in one run
    assert plugin_pass(site, expanded.text, page) == expanded.text  # its second run changes nothing


def test_the_files_include_markdown_reads_are_sources_and_stay_noted_for_serve(site, tmp_path):
    page = tmp_path / "docs/course/lesson.md"
    noted = site.plugins["include-markdown"]._files_watcher.included_files
    noted.append("noted before")
    text = "Intro\n\n{% include-markdown \"./part.md\" %}\n\n--8<-- \"s.md\"\n"
    expanded = page_expander(site)(text, page)
    assert expanded.sources == ((3, str((tmp_path / "docs/course/part.md").resolve())),
                                (3, str((tmp_path / "docs/course/deep.md").resolve())),
                                (5, str((tmp_path / "snips/s.md").resolve())))
    # The page the plugin then renders holds no directive: `serve` watches what this expansion noted.
    assert [Path(path).name for path in noted] == ["noted before", "part.md", "deep.md"]


def test_include_directive_mid_line_and_over_several_lines(site, tmp_path):
    page = tmp_path / "docs/course/lesson.md"
    text = "One\nSee {% include\n  \"course/deep.md\" %} then\nTwo\n"
    expanded = IncludeMarkdown.of(site).expand(text, page)
    assert lines(expanded) == [(1, "One"), (2, "See Deep"), (2, "See <!-- pro -->"), (2, " then"), (4, "Two"),
                               (5, "")]
    assert expanded.text == plugin_pass(site, text, page)


def test_a_failing_include_markdown_directive_is_a_problem_at_its_line(site, tmp_path):
    page = tmp_path / "docs/course/lesson.md"
    text = "Intro\n\n{% include-markdown \"course/gone.md\" %}\n"
    assert IncludeMarkdown.of(site).expand(text, page) == Expanded(
        text, [1, 2, 3, 4], [(3, "No files found including 'course/gone.md' at course/lesson.md:3")])
    with pytest.raises(PluginError):  # the plugin alone fails on it too
        plugin_pass(site, text, page)
    expanded = page_expander(site)(text, page)  # reported once, and disarmed for the second run
    assert expanded.problems == [(3, "No files found including 'course/gone.md' at course/lesson.md:3")]
    assert expanded.text == "Intro\n\n&#123;% include-markdown \"course/gone.md\" %}\n"
    assert plugin_pass(site, expanded.text, page) == expanded.text


def test_directives_left_as_text_are_disarmed_for_the_second_run(site, tmp_path):
    page = tmp_path / "docs/course/lesson.md"
    text = ("{% include-markdown \"course/literal.md\" recursive=false %}\n\n--8<-- \"raw.md\"\n\n"
            "{% include-markdown \"course/snippet.md\" %}\n")
    expanded = page_expander(site)(text, page)
    assert lines(expanded) == [
        (1, "Shown as text: &#123;% include \"course/deep.md\" %}"), (1, ""), (2, ""),
        (3, "&#123;% include-markdown \"course/deep.md\" %}"), (3, ""), (4, ""),
        (5, "From a snippet"), (5, "Snippet line"), (5, "<!-- pro -->"), (5, ""), (5, ""), (6, "")]
    assert [line for line, _ in expanded.problems] == [1, 3]
    assert plugin_pass(site, expanded.text, page) == expanded.text


def test_page_expander_expands_both_kinds_from_a_loaded_config(site, tmp_path):
    page = tmp_path / "docs/course/lesson.md"
    text = ("Intro\n\n{% include-markdown \"./part.md\" start=\"<!-- start -->\" end=\"<!-- end -->\" %}\n\n"
            "--8<-- \"s.md\"\n\nEnd\n")
    expanded = page_expander(site)(text, page)
    assert lines(expanded) == [(1, "Intro"), (2, ""), (3, ""), (3, "Part A"), (3, "Deep"), (3, "<!-- pro -->"),
                               (3, ""), (3, ""), (4, ""), (5, "Snippet line"), (5, "<!-- pro -->"), (5, ""),
                               (6, ""), (7, "End"), (8, "")]
    assert expanded.problems == []
    rendered = markdown.Markdown(extensions=site.markdown_extensions, extension_configs=site.mdx_configs)
    twice = plugin_pass(site, expanded.text, page)
    once = plugin_pass(site, text, page)
    assert rendered.convert(twice) == rendered.reset().convert(once)


def test_a_page_the_plugin_excludes_keeps_its_directives(tmp_path, monkeypatch):
    settings = "  - include-markdown:\n      exclude: [course/raw.md]\n"
    write(tmp_path, {"mkdocs.yml": MKDOCS_YML.replace("  - include-markdown\n", settings), **DOCS,
                     "docs/course/raw.md": "Literal {% include-markdown \"course/deep.md\" %}\n"})
    monkeypatch.chdir(tmp_path)
    config = load_config("mkdocs.yml")
    page = tmp_path / "docs/course/raw.md"
    text = page.read_text()
    assert plugin_pass(config, text, page) == text
    assert page_expander(config)(text, page) == Expanded.unchanged(text)


def test_page_expander_without_includes_configured(tmp_path, monkeypatch):
    write(tmp_path, {"mkdocs.yml": "site_name: Plain\n", "docs/index.md": "# Home\n"})
    monkeypatch.chdir(tmp_path)
    text = "Text {% include-markdown \"x.md\" %}\n--8<-- \"x.md\"\n"
    assert page_expander(load_config("mkdocs.yml"))(text, tmp_path / "docs/index.md") == Expanded.unchanged(text)
