"""courseforge's stylesheets and scripts as the site serves them: minified, print styles folded in.

The readable sources stay in templates/assets/courseforge/. MkDocs takes each theme file from
the first theme folder that has it, so an author's `overrides/assets/courseforge/<name>` has
already replaced courseforge's own by the time they are minified here: the author's file wins,
and is served minified too.

The print styles are all inside `@media print`: served within courseforge.css they cost a few
hundred bytes, where their own stylesheet was one more request on every page.
"""

from __future__ import annotations

import posixpath

import rcssmin
import rjsmin
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

ASSET_DIR = "assets/courseforge"
STYLESHEET = f"{ASSET_DIR}/courseforge.css"
PRINT_STYLESHEET = f"{ASSET_DIR}/courseforge-print.css"
MINIFIERS = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}


def minify_assets(files: Files, config: MkDocsConfig) -> None:
    """Replace courseforge's CSS and JS files by minified copies, the print styles in courseforge.css."""
    printed = files.get_file_from_path(PRINT_STYLESHEET)
    for file in [file for file in files if _ours_to_minify(file)]:
        text = MINIFIERS[posixpath.splitext(file.src_uri)[1]](file.content_string)
        if file.src_uri == STYLESHEET and printed is not None:
            text += rcssmin.cssmin(printed.content_string)
        files.remove(file)
        minified = File.generated(config, file.src_uri, content=text)
        # Its content is what MkDocs writes; the source it came from is for plugins that ask
        # where a file comes from (Material's projects plugin hoists the theme's own files).
        minified.abs_src_path = file.abs_src_path
        files.append(minified)
    if printed is not None:
        files.remove(printed)


def _ours_to_minify(file: File) -> bool:
    path = file.src_uri
    return (path.startswith(f"{ASSET_DIR}/") and posixpath.splitext(path)[1] in MINIFIERS
            and path != PRINT_STYLESHEET and ".min." not in posixpath.basename(path))
