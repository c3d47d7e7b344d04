"""Which files the public edition publishes: those the site refers to, decided on small synthetic sites."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courseforge.core.cache import Memo
from courseforge.core.published import prune_unreferenced, referenced_files

IMAGE = b"\x89PNG\r\n"


def make_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """A built-site folder holding `files` (site-relative path -> content)."""
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"


@pytest.mark.parametrize("markup", [
    '<a href="img/x.png">download</a>',
    '<img src="img/x.png" alt="">',
    '<img src="other.png" srcset="img/x.png 2x" alt="">',
    '<picture><source srcset="img/x.png" type="image/png"></picture>',
    '<video poster="img/x.png"></video>',
    '<object data="img/x.png" type="image/png"></object>',
    '<video><source src="img/x.png" type="video/mp4"></video>',
    '<video src="img/x.png"></video>',
    '<audio src="img/x.png"></audio>',
    '<video><track src="img/x.png" kind="captions"></video>',
    '<iframe src="img/x.png"></iframe>',
    '<link rel="preload" href="img/x.png" as="image">',
    '<meta property="og:image" content="https://example.com/img/x.png">',
    '<meta name="twitter:image" content="/img/x.png">',
    '<meta http-equiv="refresh" content="0; url=img/x.png">',
    '<div style="background: url(\'img/x.png\') no-repeat"></div>',
    '<style>.hero { background-image: url(img/x.png); }</style>',
    '<style>@import "img/x.png";</style>',
    '<svg><image xlink:href="img/x.png"/></svg>',
    '<svg><use href="img/x.png#icon"/></svg>',
])
def test_each_kind_of_reference_in_a_page_counts(tmp_path, markup):
    site = make_site(tmp_path, {"index.html": page(markup), "img/x.png": IMAGE, "other.png": IMAGE})
    assert "img/x.png" in referenced_files(site, "https://example.com/")


def test_a_page_refers_to_nothing_else(tmp_path):
    site = make_site(tmp_path, {"index.html": page("<p>No links</p>"), "img/x.png": IMAGE})
    assert referenced_files(site) == set()


def test_srcset_yields_every_candidate_with_or_without_descriptors(tmp_path):
    srcset = "img/a.png 1x, img/b.png 2x,img/c.png,  img/d.png 480w , img/e,1.png 3x"
    site = make_site(tmp_path, {
        "index.html": page(f'<img srcset="{srcset}" alt="">'),
        **{f"img/{name}.png": IMAGE for name in ("a", "b", "c", "d", "e,1")},
    })
    assert referenced_files(site) == {"img/a.png", "img/b.png", "img/c.png", "img/d.png", "img/e,1.png"}


def test_percent_encoding_query_and_fragment(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<img src="img/space%20shot.png" alt=""><a href="doc.pdf?v=2#page=3">PDF</a>'
                           '<a href="notes.txt#part">Notes</a>'),
        "img/space shot.png": IMAGE, "doc.pdf": b"%PDF", "notes.txt": "notes",
    })
    assert referenced_files(site) == {"img/space shot.png", "doc.pdf", "notes.txt"}


def test_relative_urls_resolve_from_a_directory_url_page(tmp_path):
    site = make_site(tmp_path, {
        "c/a/index.html": page('<img src="../img/x.png" alt=""><img src="../../top.png" alt="">'
                               '<img src="local.png" alt=""><img src="../../../../above.png" alt="">'),
        "c/img/x.png": IMAGE, "top.png": IMAGE, "c/a/local.png": IMAGE, "above.png": IMAGE,
    })
    # ".." stops at the site root, as in a browser.
    assert referenced_files(site) == {"c/img/x.png", "top.png", "c/a/local.png", "above.png"}


def test_the_same_relative_url_from_pages_at_different_places(tmp_path):
    site = make_site(tmp_path, {
        "a/index.html": page('<img src="../img.png" alt="">'), "a/b/index.html": page('<img src="../img.png" alt="">'),
        "z/y/index.html": page('<img src="../img.png" alt="">'), "img.png": IMAGE, "a/img.png": IMAGE,
    })
    assert referenced_files(site) == {"img.png", "a/img.png"}


def test_relative_urls_resolve_from_a_plain_html_page(tmp_path):
    site = make_site(tmp_path, {
        "c/a.html": page('<img src="img/x.png" alt=""><img src="../img/y.png" alt="">'),
        "c/img/x.png": IMAGE, "img/y.png": IMAGE,
    })
    assert referenced_files(site) == {"c/img/x.png", "img/y.png"}


def test_root_relative_and_absolute_urls_under_a_site_url_sub_path(tmp_path):
    site = make_site(tmp_path, {
        "c/index.html": page('<img src="/sub/img/x.png" alt=""><img src="https://h.example/sub/img/y.png" alt="">'
                             '<img src="/img/z.png" alt=""><img src="https://h.example/img/z.png" alt="">'
                             '<img src="//h.example/sub/img/w.png" alt=""><img src="../../../img/z.png" alt="">'),
        "img/x.png": IMAGE, "img/y.png": IMAGE, "img/z.png": IMAGE, "img/w.png": IMAGE,
    })
    # "/img/z.png" is on the host but outside the site served from /sub/.
    assert referenced_files(site, "https://h.example/sub/") == {"img/x.png", "img/y.png", "img/w.png"}


def test_root_relative_urls_without_a_site_url(tmp_path):
    site = make_site(tmp_path, {
        "c/index.html": page('<img src="/img/x.png" alt=""><img src="https://h.example/img/y.png" alt="">'),
        "img/x.png": IMAGE, "img/y.png": IMAGE,
    })
    assert referenced_files(site) == {"img/x.png"}


def test_a_url_naming_a_folder_means_its_index_page(tmp_path):
    site = make_site(tmp_path, {
        "c/a/index.html": page('<a href="../b/">B</a><a href="../d">D</a><a href=".">Here</a>'
                               '<a href="../..">Home</a><a href="/x/">None</a><a href="../file.txt/">Not a folder</a>'),
        "c/b/index.html": page(""), "c/d/index.html": page(""), "index.html": page(""), "x/file.txt": "no index",
        "c/file.txt": "a file, not a folder",
    })
    assert referenced_files(site) == {"c/b/index.html", "c/d/index.html", "c/a/index.html", "index.html"}


def test_external_and_non_file_urls_are_ignored(tmp_path):
    links = ["data:image/png;base64,AAAA", "mailto:a@b.example", "javascript:void(0)", "tel:+123",
             "https://other.example/img/x.png", "//other.example/img/x.png", "ftp://example.com/img/x.png",
             "#top", "", "?page=2"]
    site = make_site(tmp_path, {
        "index.html": page("".join(f'<a href="{link}">l</a>' for link in links)), "img/x.png": IMAGE,
    })
    assert referenced_files(site, "https://example.com/") == set()


def test_css_url_and_import_chains_are_followed(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page("", '<link rel="stylesheet" href="css/site.css">'),
        "css/site.css": '@import "parts/fonts.css";\n@import url(\'parts/more.css\');\n'
                        "/* url(../img/commented.png) */ body { background: url( ../img/bg.png ) }",
        "css/parts/fonts.css": '@font-face { src: url("../../fonts/f.woff2?v=1") format("woff2") }',
        "css/parts/more.css": '.x { background: url(deep.svg#id) }\n'
                              '.y { background: image-set("../../img/set.avif" type("image/avif") 1x, url(../../img/set.png) 2x) }',
        "css/parts/deep.svg": '<?xml version="1.0"?><?xml-stylesheet type="text/css" href="svg.css"?>'
                              '<svg xmlns="http://www.w3.org/2000/svg"><image href="../../img/from-svg.png"/></svg>',
        "css/parts/svg.css": "circle { fill: url(../../img/pattern.png) }",
        "img/bg.png": IMAGE, "img/commented.png": IMAGE, "img/from-svg.png": IMAGE, "fonts/f.woff2": b"wOF2",
        "img/set.avif": IMAGE, "img/set.png": IMAGE, "img/pattern.png": IMAGE,
    })
    assert referenced_files(site) == {
        "css/site.css", "css/parts/fonts.css", "css/parts/more.css", "css/parts/deep.svg", "css/parts/svg.css",
        "img/bg.png", "img/from-svg.png", "fonts/f.woff2", "img/set.avif", "img/set.png", "img/pattern.png"}


def test_svg_href_and_xlink_href_are_followed(tmp_path):
    site = make_site(tmp_path, {
        "c/index.html": page('<img src="../icons/logo.svg" alt="">'),
        "icons/logo.svg": '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" '
                          'xmlns:xlink="http://www.w3.org/1999/xlink"><use href="sprite.svg#a"/>'
                          '<image xlink:href="../img/photo.jpg"/><a href="#self"/></svg>',
        "icons/sprite.svg": '<svg xmlns="http://www.w3.org/2000/svg"><symbol id="a"/></svg>',
        "img/photo.jpg": b"JPEG",
    })
    assert referenced_files(site) == {"icons/logo.svg", "icons/sprite.svg", "img/photo.jpg"}


def test_an_unreferenced_stylesheet_keeps_nothing(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<img src="img/used.png" alt="">'),
        "css/orphan.css": "body { background: url(../img/orphan-bg.png) }",
        "icons/orphan.svg": '<svg><image href="../img/orphan-icon.png"/></svg>',
        "img/used.png": IMAGE, "img/orphan-bg.png": IMAGE, "img/orphan-icon.png": IMAGE,
    })
    assert referenced_files(site) == {"img/used.png"}
    candidates = ["css/orphan.css", "icons/orphan.svg", "img/used.png", "img/orphan-bg.png", "img/orphan-icon.png"]
    assert prune_unreferenced(site, candidates) == [
        "css/orphan.css", "icons/orphan.svg", "img/orphan-bg.png", "img/orphan-icon.png"]


def test_the_404_page_and_plain_pages_are_roots(tmp_path):
    site = make_site(tmp_path, {
        "404.html": page('<img src="/img/lost.png" alt="">'), "old/page.htm": page('<img src="x.png" alt="">'),
        "img/lost.png": IMAGE, "old/x.png": IMAGE,
    })
    assert referenced_files(site) == {"img/lost.png", "old/x.png"}


def test_base_href_moves_relative_urls(tmp_path):
    site = make_site(tmp_path, {
        "c/a/index.html": page('<img src="img/x.png" alt="">', '<base href="/media/"><base href="/ignored/">'),
        "off/index.html": page('<img src="img/y.png" alt="">', '<base href="https://cdn.example/">'),
        "media/img/x.png": IMAGE, "c/a/img/x.png": IMAGE, "off/img/y.png": IMAGE,
    })
    assert referenced_files(site, "https://example.com/") == {"media/img/x.png"}


def test_broken_html_odd_bytes_and_missing_files_are_tolerated(tmp_path):
    site = make_site(tmp_path, {
        "index.html": b"<html><body><p>caf\xe9 \xff\xfe<![ weird ]><img src='img/a.png' alt=x><div <a href=gone.png>"
                      b"<img src=\"img/b.png\"><style>.x{background:url(img/c.png)",
        "img/a.png": IMAGE, "img/b.png": IMAGE, "img/c.png": IMAGE,
    })
    assert {"img/a.png", "img/b.png"} <= referenced_files(site)


def test_prune_deletes_only_unreferenced_candidates(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<img src="img/used.png" alt="">'), "orphan/index.html": page(""),
        "img/used.png": IMAGE, "img/locked.png": IMAGE, "theme/unused.js": "", "downloads/locked.txt": "x",
    })
    candidates = ["img/used.png", "img/locked.png", "downloads/locked.txt", "missing.png"]
    assert prune_unreferenced(site, iter(candidates)) == ["downloads/locked.txt", "img/locked.png"]
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == [
        "img/used.png", "index.html", "orphan/index.html", "theme/unused.js"]


def test_an_authors_html_file_is_published_only_when_a_page_refers_to_it(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<a href="demo/shown.html">demo</a>'),
        "demo/shown.html": page('<img src="shown.png" alt="">'), "demo/shown.png": IMAGE,
        "demo/locked.html": page('<img src="locked.png" alt="">'), "demo/locked.png": IMAGE,
    })
    candidates = ["demo/shown.html", "demo/shown.png", "demo/locked.html", "demo/locked.png"]
    assert prune_unreferenced(site, candidates) == ["demo/locked.html", "demo/locked.png"]


def test_prune_keeps_files_matching_keep_globs(tmp_path):
    names = ["CNAME", "robots.txt", "favicon.ico", ".well-known/security.txt", ".well-known/a/b.json",
             "notes.txt", "course/notes.txt", "course/favicon.ico", "course/data/x.csv"]
    site = make_site(tmp_path, {"index.html": page(""), **{name: "x" for name in names}})
    keep = ["CNAME", "/robots.txt", "favicon.ico", ".well-known/**", "*.txt", "**/data/?.csv"]
    # "*" stays within a folder: "*.txt" keeps notes.txt at the root, not course/notes.txt.
    assert prune_unreferenced(site, names, keep) == ["course/favicon.ico", "course/notes.txt"]


def test_prune_removes_folders_left_empty(tmp_path):
    site = make_site(tmp_path, {
        "index.html": page('<img src="course/img/kept.png" alt="">'),
        "course/img/kept.png": IMAGE, "course/img/locked.png": IMAGE,
        "course/downloads/deep/locked.txt": "x", "course/downloads/deep/other/locked.pdf": b"%PDF",
        "gone/only.txt": "x",
    })
    (site / "empty-before").mkdir()
    candidates = ["course/img/kept.png", "course/img/locked.png", "course/downloads/deep/locked.txt",
                  "course/downloads/deep/other/locked.pdf", "gone/only.txt"]
    prune_unreferenced(site, candidates)
    folders = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir())
    assert folders == ["course", "course/img", "empty-before"]


def test_prune_never_reaches_outside_the_site(tmp_path):
    outside = make_site(tmp_path, {"secret.txt": "x"}) / "secret.txt"
    site = make_site(tmp_path / "site", {"index.html": page("")})
    assert prune_unreferenced(site, ["../secret.txt", str(outside)]) == []
    assert outside.exists()


def test_real_pro_build_refers_to_lesson_files_and_theme_assets(canary_pro):
    referenced = referenced_files(canary_pro, "https://public.example.com/")
    # The minutes lesson shows img/secret-figure.png and offers downloads/secret-template.txt; free offers its template.
    assert {"course/img/secret-figure.png", "course/downloads/secret-template.txt",
            "course/downloads/free-template.txt"} <= referenced
    texts = [path.read_text(encoding="utf-8") for path in canary_pro.rglob("*.html")]
    theme = ["assets/images/favicon.png", "assets/stylesheets/main.*.min.css", "assets/javascripts/bundle.*.min.js",
             "assets/courseforge/courseforge.css", "assets/courseforge/courseforge.js"]
    assets = {path.relative_to(canary_pro).as_posix() for pattern in theme for path in canary_pro.glob(pattern)}
    assert len(assets) == len(theme)
    assert all(Path(asset).name in text for asset in assets for text in texts)  # every page links them
    assert assets <= referenced


# One build of a small site: which candidate files exist, and which of the names each page links to.
FILE_NAMES = ["img/a.png", "img/b.png", "img/b/index.html", "docs/c.txt"]
LINKS = ["img/a.png", "img/b.png", "img/b", "img/b/", "../docs/c.txt", "docs/c.txt", "/docs/c.txt"]
a_build = st.tuples(st.sets(st.sampled_from(FILE_NAMES), min_size=1),
                    st.lists(st.sets(st.sampled_from(LINKS)), min_size=1, max_size=3))


@settings(max_examples=60, deadline=None)
@given(st.lists(a_build, min_size=2, max_size=5))
def test_a_memo_of_references_gives_what_a_fresh_look_gives_build_after_build(builds):
    """`serve` keeps each page's references between rebuilds: after any change of pages or of
    files (which decides what a link like `img/b` resolves to), it prunes as a fresh look does."""
    memo = Memo()
    for present, pages in builds:
        memo.next_build()
        files = {name: "x" for name in present}
        files.update({f"p{index}/index.html": page("".join(f'<a href="{link}">x</a>' for link in sorted(links)))
                      for index, links in enumerate(pages)})
        candidates = sorted(present)
        with tempfile.TemporaryDirectory() as with_memo, tempfile.TemporaryDirectory() as fresh:
            expected = prune_unreferenced(make_site(Path(fresh), files), candidates)
            assert prune_unreferenced(make_site(Path(with_memo), files), candidates, memo=memo) == expected

