"""The plugin inside MkDocs: author preview under serve, generated pages, navigation."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bs4 import BeautifulSoup
from jinja2 import Environment
from mkdocs.commands.build import build
from mkdocs.config import load_config

from courseforge.plugin.nav import PageNavs
from courseforge.plugin.templates import defer_scripts
from sites import ROOT, copy_project


def build_as(project: Path, site: Path, command: str, edition: str = "public") -> Path:
    """Build through MkDocs' API after the startup event of `command`, as `mkdocs serve` does."""
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(site))
    config.plugins["courseforge"].config["edition"] = edition
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:
        config.plugins.on_shutdown()
    return site


def page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(), "html.parser")


def test_author_preview_under_serve_marks_the_cut_in_both_editions(canary_project, tmp_path):
    public = page(build_as(canary_project, tmp_path / "public", "serve"), "course/marker")
    note = public.select_one(".cf-author-note").get_text(" ", strip=True)
    assert "public preview ends here" in note and "words" in note and "min locked" in note
    pro = page(build_as(canary_project, tmp_path / "pro", "serve", "pro"), "course/marker")
    body = pro.select_one(".cf-lesson__body")
    blocks = [el for el in body.children if getattr(el, "name", None)]
    note_at = next(i for i, el in enumerate(blocks) if "cf-author-note" in el.get("class", []))
    assert "MARKERPUBLIC" in " ".join(el.get_text() for el in blocks[:note_at])
    assert "CANARYMARKER" in " ".join(el.get_text() for el in blocks[note_at:])


def test_author_preview_never_reaches_a_build(canary_public, canary_pro):
    for site in (canary_public, canary_pro):
        assert not [p for p in site.rglob("*.html") if "cf-author-note" in p.read_text()]


def test_generated_home_lists_every_course(canary_public):
    home = page(canary_public, "")
    card = home.select_one(".cf-course-card").get_text(" ", strip=True)
    assert "Canary Course" in card and "4 lessons" in card and "1 free" in card
    assert "min of reading" in card


def test_course_page_lists_lessons_in_order_with_badges(canary_public):
    course = page(canary_public, "course")
    items = course.select(".cf-syllabus__item")
    titles = [item.a.get_text(strip=True) for item in items]
    assert titles == ["Minutes Lesson", "Marker Lesson", "Sections Lesson", "Free Lesson"]
    assert [i.select_one(".cf-badge").get_text(strip=True) for i in items] == ["Pro", "Pro", "Pro", "Free"]
    assert course.select_one(".cf-cta a")["href"] == "https://checkout.example.com/canary"


def test_previous_and_next_follow_lesson_order(canary_public):
    footer = page(canary_public, "course/marker").select_one(".md-footer__inner")
    titles = [a.get("aria-label", "") for a in footer.select("a")]
    assert any("Minutes Lesson" in t for t in titles) and any("Sections Lesson" in t for t in titles)


def test_per_page_nav_renders_what_the_full_nav_renders(sample_public, tmp_path, monkeypatch):
    # The collapsed stand-ins are a speed-up only: with the full nav every page must look the same.
    monkeypatch.setattr(PageNavs, "for_page", lambda self, page: self.nav)
    full = build_as(ROOT, tmp_path / "full-nav", "build")
    pages = sorted(path.relative_to(full) for path in full.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        assert _lines(sample_public / path) == _lines(full / path), path


def _lines(path: Path) -> list[str]:
    """A page's non-blank lines: a shorter nav loop leaves fewer blank template lines."""
    return [line for line in path.read_text().splitlines() if line.strip()]


def test_scripts_of_courseforge_pages_never_block_the_first_render(sample_public):
    for path in ("", "ai-fundamentals", "ai-fundamentals/how-machine-learning-works"):
        scripts = page(sample_public, path).select("script[src]")
        assert any("bundle" in script["src"] for script in scripts), path
        assert all(script.has_attr("defer") for script in scripts), path


def test_defer_keeps_order_and_leaves_what_an_inline_script_may_need():
    block = '<script src="a.js"></script>\n<script src="b.js" async></script><script type="module" src="m.js"></script>'
    assert defer_scripts(block) == block.replace('<script src="a.js">', '<script defer src="a.js">')
    data = '<script id="__config" type="application/json">{"base": "."}</script>'
    assert defer_scripts(data + block).startswith(data + '<script defer src="a.js">')
    inline = '<script src="a.js"></script><script>document$.subscribe(() => {})</script>'
    assert defer_scripts(inline) == inline


def test_compiled_templates_are_reused_between_builds_and_follow_edits(canary_project, tmp_path, monkeypatch):
    project = copy_project(canary_project, tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  name: material\n", "  name: material\n  custom_dir: overrides\n"))
    override = project / "overrides" / "courseforge" / "parts" / "example.html"
    override.parent.mkdir(parents=True)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))  # where Jinja keeps the cache
    compiled: list[str] = []
    real_compile = Environment.compile

    def compile_(env, source, name=None, *args, **kwargs):
        if env.bytecode_cache is not None:  # Material compiles its language partial apart
            compiled.append(name)
        return real_compile(env, source, name, *args, **kwargs)

    monkeypatch.setattr(Environment, "compile", compile_)
    for build_number, card in enumerate(("FIRSTCARDTEXT", "FIRSTCARDTEXT", "EDITEDCARDTEXT")):
        override.write_text(f'<div class="cf-test-card">{card}</div>\n')
        compiled.clear()
        site = build_as(project, tmp_path / f"site-{build_number}", "build", "pro")
        assert page(site, "course/minutes").select_one(".cf-test-card").get_text() == card
        files = {name for name in compiled if name and name.endswith(".html")}
        if build_number == 0:
            assert {"base.html", "courseforge/lesson.html", "courseforge/parts/example.html"} <= files
        else:  # only the edited template is compiled again
            assert files == ({"courseforge/parts/example.html"} if build_number == 2 else set())


def test_pages_mkdocs_excludes_are_not_lessons(tmp_path, monkeypatch):
    """A snippet file kept in a course folder and excluded with `exclude_docs` is no lesson."""
    from course_builder import build_in_process, write_tree

    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": "site_name: S\ndocs_dir: lessons\ntheme: {name: material, font: false}\n"
                      "plugins: [courseforge]\nmarkdown_extensions:\n  - pymdownx.snippets: {base_path: [lessons]}\n"
                      "exclude_docs: |\n  _*.md\n",
        "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
        "lessons/c/a.md": "---\ntitle: A\nsummary: S\naccess: free\n---\n--8<-- \"c/_part.md\"\n",
        "lessons/c/_part.md": "Shared text SNIPPETTEXT, no front matter.\n",
    })
    monkeypatch.chdir(project)  # snippets' base_path is relative to the working folder, as with `mkdocs build`
    site = build_in_process(project / "mkdocs.yml", tmp_path / "site", "public")
    assert not (site / "c" / "_part").exists()
    assert "SNIPPETTEXT" in (site / "c" / "a" / "index.html").read_text()


def test_an_authors_own_nav_needs_no_entry_for_the_generated_home_page(tmp_path):
    """The author never wrote index.md: a strict build must not ask for it in their `nav:`."""
    from course_builder import write_tree
    from sites import run_mkdocs

    project = write_tree(tmp_path / "project", {
        "mkdocs.yml": "site_name: S\ndocs_dir: lessons\ntheme: {name: material, font: false}\nplugins: [courseforge]\n"
                      "nav:\n  - Course:\n    - c/index.md\n    - c/a.md\n"
                      "validation:\n  omitted_files: warn\n",  # as the starter's mkdocs.yml sets it
        "lessons/c/index.md": "---\ntitle: C\nsummary: S\n---\n",
        "lessons/c/a.md": "---\ntitle: A\nsummary: S\naccess: free\n---\nText.\n",
    })
    result = run_mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    home = BeautifulSoup((project / "site" / "index.html").read_text(), "html.parser")
    assert [a["href"] for a in home.select(".cf-course-card a, a.cf-course-card")][:1] == ["c/"]


def test_the_public_edition_refuses_a_dirty_build(canary_project, tmp_path):
    """--dirty renders only pages whose own file changed: a changed include or setting would leave
    text it now locks on the others. The pro edition locks nothing, so it may."""
    from sites import run_mkdocs

    project = copy_project(canary_project, tmp_path / "project")
    public = run_mkdocs(project, "build", "--dirty")
    assert public.returncode != 0 and "Traceback" not in public.stderr + public.stdout
    assert "courseforge: the public edition cannot be built with --dirty" in public.stderr, public.stderr
    pro = run_mkdocs(project, "build", "--dirty", edition="pro")
    assert pro.returncode == 0, pro.stderr
