"""courseforge's stylesheets and scripts as a real build serves them: minified, the print styles
inside courseforge.css, and an author's replacement in overrides/ winning (minified too)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from course_builder import page, write_tree
from courseforge.plugin.assets import ASSET_DIR
from sites import ROOT, build, copy_project

SOURCES = ROOT / "src" / "courseforge" / "templates" / ASSET_DIR
COMMENT = re.compile(r"/\*(?!!).*?\*/", re.S)  # a comment rcssmin/rjsmin would drop
OVERRIDE_CSS = """/* the author's own look: replaces courseforge.css */
.cf-lesson {
  border-top: 3px solid rebeccapurple;
}
"""


@pytest.fixture(scope="module")
def overridden_site(tmp_path_factory) -> Path:
    """The canary course with its own courseforge.css in overrides/."""
    project = copy_project(ROOT / "tests" / "fixtures" / "canary", tmp_path_factory.mktemp("assets") / "project")
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("  font: false\n", "  font: false\n  custom_dir: overrides\n"))
    write_tree(project, {f"overrides/{ASSET_DIR}/courseforge.css": OVERRIDE_CSS})
    return build(project, project / "site", "public")


def served(site: Path, name: str) -> str:
    return (site / ASSET_DIR / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["courseforge.js", "courseforge-catalog.css", "courseforge-workbook.css"])
def test_shipped_assets_are_served_minified(canary_public, name):
    source, site = (SOURCES / name).read_text(encoding="utf-8"), served(canary_public, name)
    assert COMMENT.search(source) and not COMMENT.search(site)
    assert len(site) < 0.85 * len(source) and "\n " not in site  # no indentation left


def test_served_script_is_valid_javascript(canary_public):
    check = subprocess.run(["node", "--check", str(canary_public / ASSET_DIR / "courseforge.js")],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_print_styles_are_inside_the_stylesheet_every_page_loads(canary_public):
    css = served(canary_public, "courseforge.css")
    assert not (canary_public / ASSET_DIR / "courseforge-print.css").exists()
    assert "@media print{@page{margin:16mm 15mm 18mm}" in css
    assert css.index(".cf-lesson") < css.index("@media print{@page")  # screen rules first, as before
    lesson = page(canary_public, "course/free")
    assert not lesson.select('link[href*="courseforge-print"]')
    assert lesson.select('link[rel=stylesheet][href$="courseforge/courseforge.css"]')


def test_an_override_in_overrides_wins_and_is_minified(overridden_site):
    css = served(overridden_site, "courseforge.css")
    assert css.startswith(".cf-lesson{border-top:3px solid rebeccapurple}")
    assert "the author's own look" not in css
    shipped = (SOURCES / "courseforge.css").read_text(encoding="utf-8")
    assert ".cf-paywall" in shipped and ".cf-paywall" not in css.split("@media print")[0]
