"""What other MkDocs plugins need from courseforge, or courseforge from them, in one place.

Each function names the plugin it serves and why; the matrix in tests/test_plugin_matrix.py
builds both editions with every one of them.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

import pathspec
from markupsafe import escape
from material.plugins.blog.plugin import BlogPlugin
from material.plugins.group.plugin import GroupPlugin
from material.plugins.meta.plugin import MetaPlugin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# What MkDocs itself leaves out of docs_dir before `exclude_docs` (mkdocs/structure/files.py).
AUTHOR_EXCLUDED = pathspec.GitIgnoreSpec.from_lines([".*", "/templates/"])


def pages_to_check(files: Files, config: MkDocsConfig) -> list[str]:
    """Every page of docs_dir MkDocs may build: drafts (`serve` renders them) and pages another
    plugin set aside for now (Material's blog takes its posts out of the nav until on_nav), but
    none the author excluded (`exclude_docs`, dot-files): an excluded snippet file is no lesson."""
    excluded = AUTHOR_EXCLUDED + config.exclude_docs if config.exclude_docs else AUTHOR_EXCLUDED
    return [file.src_uri for file in files.documentation_pages(inclusion=lambda _: True) if not file.generated_by
            and (file.inclusion.is_in_serve() or not excluded.match_file(file.src_uri))]


def blog_folders(config: MkDocsConfig) -> tuple[str, ...]:
    """Material's blogs: a blog's index page may have a title and a summary, yet holds no course."""
    return tuple(posixpath.normpath(plugin.config.blog_dir) for plugin in config.plugins.values()
                 if isinstance(plugin, BlogPlugin) and plugin.config.enabled)


def grouped(name: str, config: MkDocsConfig) -> bool:
    """Whether Material's group plugin lists the plugin `name` (it loads it only during a build)."""
    return any(isinstance(plugin, GroupPlugin) and any(name in (entry if isinstance(entry, dict) else [entry])
                                                       for entry in plugin.config.plugins or ())
               for plugin in config.plugins.values())


def meta_file(config: MkDocsConfig) -> str:
    """Material's meta plugin: the name of the files whose keys it merges into every page of their folder."""
    plugin = next((p for p in config.plugins.values() if isinstance(p, MetaPlugin) and p.config.enabled), None)
    return plugin.config.meta_file if plugin else ""


def jinja_pass(config: MkDocsConfig) -> str:
    """'mkdocs-macros' when it renders pages with Jinja's default comment tag `{#`, else ''."""
    macros = config.plugins.get("macros")
    if macros is None or macros.config.get("j2_comment_start_string") not in ("", "{#"):
        return ""
    return "mkdocs-macros"


def language_folder(config: MkDocsConfig) -> str:
    """The folder mkdocs-static-i18n builds the current language into ('' for the default one)."""
    i18n = config.plugins.get("i18n")
    if i18n is None or i18n.is_default_language_build:
        return ""
    return i18n.current_language


def other_languages(config: MkDocsConfig) -> Iterator[str]:
    """mkdocs-static-i18n: switch its build to each language but the current one, in turn, as
    its own post-build step does before it builds that language again."""
    i18n = config.plugins.get("i18n")
    others = [] if i18n is None else [code for code in i18n.build_languages if code != i18n.current_language]
    for language in others:
        i18n.current_language = language
        yield language


def language_fallbacks(files: Files) -> dict[str, str]:
    """mkdocs-static-i18n's stand-ins: each page of another language shown in place of a missing
    translation (`fallback_to_default`), by its path, with the language it stands in for."""
    return {file.src_uri: file.locale_alternate_of for file in files.documentation_pages()
            if getattr(file, "locale", None) not in (None, getattr(file, "locale_alternate_of", None))}


def print_site_kept(page: Page) -> bool:
    """Whether mkdocs-print-site-plugin kept the page's body (`page.html`) for its print page."""
    return isinstance(getattr(page, "html", None), str)


def print_site_page(page: Page, title: str, ending: str) -> None:
    """mkdocs-print-site-plugin prints each page's body without its template: give it the title
    (else it warns, failing `--strict`) and, after a preview, the paywall's notice."""
    heading = "" if page.html.lstrip().startswith("<h1") else f"<h1>{escape(title)}</h1>\n"
    page.html = f"{heading}{page.html}{ending}"
