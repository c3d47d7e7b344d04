"""Which files of a built site the site refers to, so the public edition publishes only those.

A file copied from docs_dir may serve only locked text (an image, a download). Rather than
guess which text used it, keep what a published page, stylesheet, SVG or author HTML file refers to and delete
the other candidates: a file that nothing published names cannot leak.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from .cache import Memo, ResultCache

PAGE_SUFFIXES = (".html", ".htm")
FOLLOWED_SUFFIXES = (".css", ".svg")  # published files that refer to others in turn
URL_ATTRIBUTES = frozenset({"href", "src", "poster", "xlink:href", "background"})
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
WEB_SCHEMES = ("http", "https")
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
URL_CLEANUP = str.maketrans({"\t": None, "\n": None, "\r": None, "\\": "/"})  # as browsers read URLs
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
CSS_REFERENCE = re.compile(
    r"""(?<![\w-])url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s'"]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""",
    re.IGNORECASE)
IMAGE_SET = re.compile(r"image-set\(((?:[^()]|\([^()]*\))*)\)", re.IGNORECASE)  # its bare "…" strings are URLs
CSS_STRING = re.compile(r""""([^"]*)"|'([^']*)'""")
XML_STYLESHEET = re.compile(r"""xml-stylesheet\b.*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.DOTALL)
CLIMB = re.compile(r"(?:\.\./)+(?=[\w%-])")  # leading "../" steps, then a plain name
SRCSET_CANDIDATE = re.compile(r"[\s,]*(\S+)")
SRCSET_DESCRIPTORS = re.compile(r"[^,]*")
REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\"\s]+)", re.IGNORECASE)
GLOB_TOKEN = re.compile(r"(\*\*/|\*\*|\*|\?|\[!?\]?[^\]]*\])")


def referenced_files(site_dir: Path, site_url: str | None = None) -> set[str]:
    """Site-relative POSIX paths of the files that the site's HTML pages refer to, followed through CSS and SVG."""
    return _referenced(_Site(site_dir, site_url))


def prune_unreferenced(site_dir: Path, candidates: Iterable[str], keep: Sequence[str] = (),
                       site_url: str | None = None, cache: ResultCache | None = None,
                       memo: Memo | None = None) -> list[str]:
    """Delete the candidate files (site-relative POSIX paths) nothing refers to; return the deleted paths, sorted.
    Also removes folders left empty by the deletion. `memo` (`serve`) keeps each file's references
    for the next call, by the file's bytes and the site's files."""
    site = _Site(site_dir, site_url, cache, memo)
    candidates = set(candidates)
    # An author's own HTML file is a candidate like any other: it is published, and read for
    # what it refers to, only when a page refers to it (it may embed locked material).
    referenced = _referenced(site, roots_exclude=candidates)
    kept = _glob_matcher(keep)
    # Only paths of the site's own files: a candidate like "../x" must not reach outside it.
    doomed = sorted({path for path in candidates
                     if path in site.files and path not in referenced and not kept(path)})
    for path in doomed:
        (site_dir / path).unlink()
    for path in doomed:
        _remove_empty_folders(site_dir, path)
    return doomed


def _urls(text: str, is_css: bool) -> tuple[list[str], str | None]:
    """The URLs a stylesheet, or an HTML or SVG file, holds; and the HTML's <base href>, if any."""
    if is_css:
        return sorted(set(css_urls(text))), None
    parser = _ReferenceParser()
    parser.feed(text)
    parser.close()
    return sorted(parser.urls), parser.base


def _referenced(site: _Site, roots_exclude: set[str] = frozenset()) -> set[str]:
    """Every page is a root; a referenced stylesheet, SVG or HTML file is read (once) for its own references."""
    pending = [path for path in site.files if path.lower().endswith(PAGE_SUFFIXES) and path not in roots_exclude]
    read = set(pending)
    found: set[str] = set()
    while pending:
        for path in site.references(pending.pop()):
            found.add(path)
            if path not in read and path.lower().endswith(FOLLOWED_SUFFIXES + PAGE_SUFFIXES):
                read.add(path)
                pending.append(path)
    return found


class _Site:
    """The built site's files, and how a URL found in one of them maps onto them."""

    def __init__(self, site_dir: Path, site_url: str | None, cache: ResultCache | None = None,
                 memo: Memo | None = None) -> None:
        self.root = site_dir
        self.cache = cache or ResultCache(None, "")
        self.memo = memo
        self.files, self.folders = _inventory(site_dir)
        parts = urlsplit(site_url or "")
        self.host = parts.netloc.lower()
        self.prefix = parts.path.rstrip("/") + "/"  # the site root's URL path, e.g. "/sub/"
        # What a URL resolves to depends on these alone, besides the URL and the referring file.
        self.layout = hashlib.sha256("\0".join([self.host, self.prefix, *sorted(self.files), "",
                                                 *sorted(self.folders)]).encode()).hexdigest() if memo else ""
        self._climbs: dict[tuple[str, str], str | None] = {}

    def references(self, path: str) -> list[str]:
        """The site files that the file at `path` refers to."""
        raw = (self.root / path).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if self.memo is None:
            return self._resolved(path, raw, digest)
        key = ("references", path, digest, self.layout)
        found = self.memo.get(key)
        return found if found is not None else self.memo.put(key, self._resolved(path, raw, digest))

    def _resolved(self, path: str, raw: bytes, digest: str) -> list[str]:
        folder: str | None = self.prefix + quote(posixpath.dirname(path) + "/").lstrip("/")
        is_css = path.lower().endswith(".css")
        # Parsing is most of the cost; the URLs a file holds depend on its bytes alone.
        urls, base = self.cache.get_or_make(lambda: _urls(raw.decode("utf-8", "replace"), is_css),
                                            "urls", is_css, digest)
        if base is not None:
            folder = self._base_folder(base, folder)
        return [found for url in urls if (found := self.resolve(url, folder)) is not None]

    def resolve(self, url: str, folder: str | None) -> str | None:
        """The site file `url` names, resolved from the URL path `folder` as a browser would; None if none."""
        climb = CLIMB.match(url) if folder is not None else None
        if climb is None:
            path = self._url_path(url, folder)
            return None if path is None else self._site_file(path)
        # Nav links climb to a shared ancestor ("../../c/l/"): every page of that depth names the
        # same target, so resolve it once, not once per page.
        key = (_ancestor(folder, climb.end() // 3), url[climb.end():])
        if key not in self._climbs:
            self._climbs[key] = self.resolve(key[1], key[0])
        return self._climbs[key]

    def _url_path(self, url: str, folder: str | None) -> str | None:
        """The absolute URL path `url` points to on the site's host; None for other hosts, schemes and fragments."""
        url = url.strip().translate(URL_CLEANUP)
        if not url or url[0] == "#":
            return None
        if SCHEME.match(url) or url.startswith("//"):
            parts = urlsplit(url)
            if parts.scheme not in ("", *WEB_SCHEMES) or not self.host or parts.netloc.lower() != self.host:
                return None
            return parts.path or "/"
        path = url.partition("#")[0].partition("?")[0]
        if not path or folder is None:  # "?q" names the referring page itself; no folder: base is off-site
            return None
        return path if path[0] == "/" else folder + path

    def _site_file(self, url_path: str) -> str | None:
        path = unquote(url_path)
        names_folder = path.endswith(("/", "/.", "/.."))
        path = posixpath.normpath(path)  # an absolute path: ".." stops at the host root, as in browsers
        if not (path + "/").startswith(self.prefix):
            return None  # above a site served from a sub-path
        path = path[len(self.prefix):]
        if names_folder or not path:
            path = posixpath.join(path, "index.html")
        elif path in self.folders:
            path += "/index.html"
        return path if path in self.files else None

    def _base_folder(self, base: str, folder: str | None) -> str | None:
        """The folder a `<base href>` sets for the page's relative URLs; None when it points off the site."""
        path = self._url_path(base, folder)
        if path is None:
            return None
        path = posixpath.normpath(path if path.endswith("/") else posixpath.dirname(path))
        return path.rstrip("/") + "/"


def _ancestor(folder: str, steps: int) -> str:
    """The URL path `steps` folders above `folder`, stopping at the host root as browsers do."""
    parts = folder.split("/")
    return "/".join(parts[:max(1, len(parts) - 1 - steps)]) + "/"


def _inventory(site_dir: Path) -> tuple[set[str], set[str]]:
    """Site-relative POSIX paths of every file and every folder under site_dir."""
    files: set[str] = set()
    folders: set[str] = set()
    for top, dirs, names in os.walk(site_dir):
        relative = Path(top).relative_to(site_dir).as_posix()
        prefix = "" if relative == "." else relative + "/"
        folders.update(prefix + name for name in dirs)
        files.update(prefix + name for name in names)
    return files, folders


class _ReferenceParser(HTMLParser):
    """Collects the raw URLs an HTML or SVG document refers to, in one pass."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: set[str] = set()
        self.base: str | None = None
        self._style: list[str] | None = None  # text of the <style> block being read

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base":
            if self.base is None:  # browsers honour the first <base href> only
                self.base = dict(attrs).get("href")
            return
        urls = self.urls
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                urls.add(value)
            elif name in SRCSET_ATTRIBUTES:
                urls.update(srcset_urls(value))
            elif name == "style":
                urls.update(css_urls(value))
        if tag == "meta":
            self._meta(dict(attrs))
        elif tag == "object":
            self._add(dict(attrs).get("data"))
        elif tag == "style":
            self._style = []

    def handle_data(self, data: str) -> None:
        if self._style is not None:
            self._style.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._style is not None:
            self.urls.update(css_urls("".join(self._style)))
            self._style = None

    def handle_pi(self, data: str) -> None:
        if (match := XML_STYLESHEET.match(data)) is not None:  # an SVG's <?xml-stylesheet href="…"?>
            self.urls.add(match[match.lastindex])

    def updatepos(self, i: int, j: int) -> int:
        return j  # skip line counting: nothing here reads getpos(), and it costs a tenth of the parse

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:  # `<![` without a known keyword: browsers read a bogus comment
            return self.parse_bogus_comment(i, report)

    def _meta(self, attrs: dict[str, str | None]) -> None:
        content = attrs.get("content") or ""
        if (attrs.get("http-equiv") or "").lower() == "refresh":
            match = REFRESH_URL.search(content)
            self._add(match and match[1])
        elif content and not any(char.isspace() for char in content):  # prose is no URL; og:image is
            self.urls.add(content)

    def _add(self, url: str | None) -> None:
        if url:
            self.urls.add(url)


def css_urls(css: str) -> Iterator[str]:
    """The URLs of a stylesheet's `url(…)` values, `@import "…"` rules and `image-set("…")`, comments skipped."""
    if "/*" in css:
        css = CSS_COMMENT.sub(" ", css)
    for match in CSS_REFERENCE.finditer(css):
        yield match[match.lastindex]
    for image_set in IMAGE_SET.finditer(css):
        for match in CSS_STRING.finditer(image_set[1]):
            yield match[match.lastindex]


def srcset_urls(srcset: str) -> Iterator[str]:
    """Every candidate URL of a srcset, as HTML's parsing algorithm splits it (URLs may hold commas)."""
    position = 0
    while (match := SRCSET_CANDIDATE.match(srcset, position)) is not None:
        url = match[1]
        position = match.end()
        if url.endswith(","):  # a candidate without descriptors
            url = url.rstrip(",")
        else:
            position = SRCSET_DESCRIPTORS.match(srcset, position).end() + 1
        if url:
            yield url


def _glob_matcher(globs: Sequence[str]) -> Callable[[str], bool]:
    """Whether a site-relative path matches one of the globs: `*`, `?` stay in a folder, `**` spans folders."""
    if not globs:
        return lambda path: False
    pattern = re.compile("|".join(f"(?:{_glob_regex(glob)})" for glob in globs))
    return lambda path: pattern.fullmatch(path) is not None


def _glob_regex(glob: str) -> str:
    regex = []
    for index, token in enumerate(GLOB_TOKEN.split(glob.lstrip("/"))):
        if index % 2 == 0:  # literal text between wildcards
            regex.append(re.escape(token))
        elif token == "**/":
            regex.append("(?:.*/)?")
        elif token == "**":
            regex.append(".*")
        elif token == "*":
            regex.append("[^/]*")
        elif token == "?":
            regex.append("[^/]")
        else:
            regex.append("[^" + token[2:] if token.startswith("[!") else token)
    return "".join(regex)


def _remove_empty_folders(site_dir: Path, path: str) -> None:
    """Remove the folders above a deleted file that the deletion left empty."""
    folder = (site_dir / path).parent
    while folder != site_dir:
        try:
            folder.rmdir()
        except OSError:  # not empty: something published still lives there
            return
        folder = folder.parent
