"""The deploy gate: prove that a built public site holds no locked lesson content.

Independent on purpose: nothing here comes from courseforge, so a bug in the preview cut, the
plugin or the templates cannot hide itself by being re-run. The audit compares the two built
editions of one mkdocs.yml and scans the Markdown sources line by line.

Evidence is shingles: runs of eight consecutive words; a passage of four to seven words is one
shingle of all its words, and shorter ones are too common to prove anything. A shingle that some
page shows in both editions is public by design (titles, navigation, previews) and never counts.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

SHINGLE = 8
SHORTEST = 4
WORD = re.compile(r"[^\W_]+")
Shingle = tuple[str, ...]
BySize = dict[int, set[Shingle]]

# Phrasing elements do not end a passage; every other element does (labels and buttons are
# widgets of their own: Material's nav puts a page's title in a label and a link side by side).
INLINE = frozenset((
    "a abbr b bdi bdo br cite code data del dfn em font i img input ins kbd mark meter "
    "output progress q s samp select small span strong sub sup svg time u var wbr").split())
HIDDEN = frozenset(("script", "style"))  # not visible text, but still scanned
REF_ATTRIBUTES = frozenset(("href", "src", "srcset", "poster", "data"))
MARKUP = (".html", ".htm", ".xml", ".svg")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
TAG = re.compile(r"<[^>]*>")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 800 lessons' front matter

MESSAGES = {
    "locked-text": '{file}: locked text of {page}: "{evidence}"',
    "locked-file": "{file}: same bytes as {evidence}, which only locked content of {page} refers to",
    "missing-paywall": "{file}: no paywall (no data-cf-paywall element), although {evidence}",
    "missing-page": "{file}: built in the pro edition only",
}


@dataclass(frozen=True)
class Finding:
    kind: str      # "locked-text" | "locked-file" | "missing-paywall" | "missing-page"
    file: str      # a public-site file (posix, relative to the site) or a source file
    page: str      # the page or lesson source whose locked content it is
    evidence: str  # the words or file name found

    def __str__(self) -> str:
        return MESSAGES[self.kind].format(file=self.file, page=self.page, evidence=self.evidence)


def audit(public_dir: Path, pro_dir: Path, docs_dir: Path) -> list[Finding]:
    """Every way the public edition shows or ships what only the pro edition should."""
    public = _read_site(public_dir, docs_dir, scan=True)
    pro = _read_site(pro_dir, docs_dir, scan=False)
    pages = sorted(pro.pages & public.html.keys())
    page_locked = {page: _page_locked(pro.html[page], public.html[page]) for page in pages}
    sources = [_Source.read(path, docs_dir, pro.pages | public.pages) for path in sorted(docs_dir.rglob("*.md"))]
    findings = [
        *_locked_text(public, pro, page_locked, sources),
        *_locked_files(public, pro),
        *_missing_paywalls(public, page_locked, sources),
        *_missing_pages(public, pro),
    ]
    return sorted(set(findings), key=lambda f: (f.kind, f.file, f.page, f.evidence))


# Words and shingles

def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def _grams(sequence: list[str], size: int) -> Iterator[Shingle]:
    return zip(*(sequence[i:] for i in range(size)), strict=False)


def _passage_shingles(passage: list[str]) -> Iterable[Shingle]:
    if len(passage) < SHORTEST:
        return ()
    if len(passage) < SHINGLE:
        return (tuple(passage),)
    return _grams(passage, SHINGLE)


def _by_size(shingles: Iterable[Shingle]) -> BySize:
    grouped: BySize = defaultdict(set)
    for shingle in shingles:
        grouped[len(shingle)].add(shingle)
    return grouped


def _present(wanted: BySize, segments: Iterable[str]) -> set[Shingle]:
    """The wanted shingles that occur in any segment (word runs that never join each other)."""
    found: set[Shingle] = set()
    for segment in segments:
        sequence = segment.split()
        for size, shingles in wanted.items():
            found |= shingles.intersection(_grams(sequence, size))
    return found


# Reading the built sites

class _HtmlReader(HTMLParser):
    """Visible text split into passages at block boundaries; attribute values, scripts and comments apart."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.passages: list[str] = []
        self.extras: list[str] = []
        self.refs: list[str] = []
        self.paywall = False
        self._run: list[str] = []
        self._hidden = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.paywall |= name == "data-cf-paywall"
            if value:
                self._extra(value)
                if name in REF_ATTRIBUTES:
                    self.refs += [part.split()[0] for part in value.split(",") if part.strip()] \
                        if name == "srcset" else [value]
        self._hidden = tag in HIDDEN
        if tag == "br":
            self._run.append(" ")
        elif tag not in INLINE:
            self._end_passage()

    def handle_endtag(self, tag: str) -> None:
        self._hidden = False
        if tag not in INLINE:
            self._end_passage()

    def handle_data(self, data: str) -> None:
        if self._hidden:
            self._extra(data)
        else:
            self._run.append(data)

    def handle_comment(self, data: str) -> None:
        self._extra(data)

    def close(self) -> None:
        super().close()
        self._end_passage()

    def _extra(self, text: str) -> None:
        found = words(text)
        if len(found) >= SHORTEST:
            self.extras.append(" ".join(found))

    def _end_passage(self) -> None:
        found = words("".join(self._run))
        if found:
            self.passages.append(" ".join(found))
        self._run = []


@dataclass
class _Html:
    passages: list[str]   # words of each passage, space-joined
    extras: list[str]     # attribute values, scripts, styles, comments
    refs: list[str]       # href/src/srcset/poster/data values as written
    paywall: bool

    @classmethod
    def parse(cls, text: str) -> _Html:
        reader = _HtmlReader()
        reader.feed(text)
        reader.close()
        return cls(reader.passages, reader.extras, reader.refs, reader.paywall)

    def segments(self) -> list[str]:
        return [" ".join(self.passages), *self.extras]


@dataclass
class _Site:
    root: Path
    files: set[str] = field(default_factory=set)
    html: dict[str, _Html] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)           # HTML the build generated, not copied raw
    texts: dict[str, list[str]] = field(default_factory=dict)  # scanned sites only: every file's segments
    digests: dict[str, str] = field(default_factory=dict)      # scanned sites only
    css_refs: dict[str, list[str]] = field(default_factory=dict)

    def refs_of(self, rel: str) -> list[str]:
        raw = self.html[rel].refs if rel in self.html else self.css_refs.get(rel, [])
        return [target for ref in raw if (target := _resolve(rel, ref, self.files))]


def _read_site(root: Path, docs_dir: Path, scan: bool) -> _Site:
    """Each file read once; a site that is not scanned only has its HTML parsed."""
    site = _Site(root)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        site.files.add(rel)
        if not (scan or rel.endswith(MARKUP)):
            continue
        data = path.read_bytes()
        if rel.endswith(MARKUP):
            site.html[rel] = _Html.parse(data.decode("utf-8", "replace"))
            if rel.endswith((".html", ".htm")) and not _copied_raw(data, docs_dir / rel):
                site.pages.add(rel)
        elif rel.endswith(".css"):
            site.css_refs[rel] = [a or b for a, b in CSS_URL.findall(data.decode("utf-8", "replace"))]
        if scan:
            site.digests[rel] = hashlib.sha256(data).hexdigest()
            site.texts[rel] = site.html[rel].segments() if rel in site.html else _segments(rel, data)
    return site


def _copied_raw(data: bytes, source: Path) -> bool:
    return source.is_file() and source.read_bytes() == data


def _segments(rel: str, data: bytes) -> list[str]:
    """Word runs of a file that is not markup: each JSON string, or the whole text."""
    if data[:2] == b"\x1f\x8b":  # a gzip copy (sitemap.xml.gz) says what its content says
        try:
            return _segments(rel.removesuffix(".gz"), gzip.decompress(data))
        except (OSError, EOFError):
            pass
    text = data.decode("utf-8", "replace")
    if rel.endswith(MARKUP):
        return _Html.parse(text).segments()
    strings = [text]
    if rel.endswith(".json"):
        try:
            strings = list(_json_strings(json.loads(text)))
        except ValueError:
            pass
    # A string may hold HTML (the search index does): read it with and without its tags.
    variants = (v for s in strings for v in ((s, TAG.sub(" ", s)) if "<" in s else (s,)))
    return [" ".join(words(html.unescape(variant))) for variant in variants]


def _json_strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _resolve(base: str, ref: str, files: Container[str]) -> str | None:
    """The site file a reference written in `base` points to, if it is one; a folder means its index.html."""
    parts = urlsplit(ref.strip())
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.join(posixpath.dirname(base), unquote(parts.path)).lstrip("/")
    for candidate in (posixpath.normpath(target or "."), posixpath.normpath(posixpath.join(target, "index.html"))):
        if candidate in files:
            return candidate
    return None


# Check 1 and 2: locked text

def _page_locked(pro: _Html, public: _Html) -> set[Shingle]:
    """Shingles of a page's pro passages that its public edition does not show."""
    shingles = {s for passage in pro.passages for s in _passage_shingles(passage.split())}
    return shingles - _present(_by_size(shingles), public.segments())


def _locked_text(public: _Site, pro: _Site, page_locked: dict[str, set[Shingle]],
                 sources: list[_Source]) -> Iterator[Finding]:
    candidates = _by_size({s for locked in page_locked.values() for s in locked}
                          | {s for source in sources for s in source.locked})
    found = {rel: _present(candidates, segments) for rel, segments in public.texts.items()}
    shown = _shown_by(page_locked.keys(), found, pro)
    owner: dict[Shingle, str] = {}
    for page, locked in page_locked.items():
        for shingle in locked - shown.keys():
            owner.setdefault(shingle, page)
    for source in sources:
        for shingle in source.locked:
            if not shown.get(shingle, set()) - {source.page}:
                owner.setdefault(shingle, source.page or source.rel)
    for rel, hits in found.items():
        yield from _text_findings(rel, public.texts[rel], {s: owner[s] for s in hits if s in owner})


def _shown_by(pages: Iterable[str], found: dict[str, set[Shingle]], pro: _Site) -> dict[Shingle, set[str]]:
    """Candidate shingle -> the pages that show it in both editions (public by design)."""
    shown: dict[Shingle, set[str]] = defaultdict(set)
    for page in pages:
        if found[page]:
            for shingle in _present(_by_size(found[page]), pro.html[page].segments()):
                shown[shingle].add(page)
    return shown


def _text_findings(rel: str, segments: list[str], owners: dict[Shingle, str]) -> Iterator[Finding]:
    """One finding per page whose locked text the file holds, quoting its first shingle in the file."""
    reported: set[str] = set()
    sizes = {len(shingle) for shingle in owners}
    for segment in segments if owners else ():
        sequence = segment.split()
        for size in sorted(sizes):
            for shingle in _grams(sequence, size):
                page = owners.get(shingle)
                if page and page not in reported:
                    reported.add(page)
                    yield Finding("locked-text", rel, page, " ".join(shingle))


# Check 2: the sources, by plain line scanning

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
MARKER = re.compile(r"^\s*<!--\s*pro\s*-->\s*$", re.IGNORECASE)
ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
DEFINITION = re.compile(r"^ {0,3}\*?\[[^\]]+\]:")
BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||>|!!!|\?\?\?|///|<)")
LIST_MARK = re.compile(r"^\s*(?:(?:>\s?)+|(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?)+")
CALL_OUT = re.compile(  # `!!! type "Title"`, `??? type "Title"`, `/// type | Title`: only the title shows
    r"""^\s*(?:(?:!!!|\?\?\?)\+?\s*[\w-]+(?:\s+[\w-]+)*\s*(?:"(.*)")?|///\s*[\w-]*\s*(?:\|(.*))?)\s*$""")
SYNTAX = re.compile(r"\]\([^)]*\)|\]\[[^\]]*\]|\[\^[^\]]*\]|<[^>]*>|\{[^}]*\}")
ATTRIBUTES = re.compile(r"\s*\{([^}]*)\}\s*$")
EMOJI = re.compile(r":[\w+-]+:")


@dataclass
class _Source:
    rel: str                 # posix path below docs_dir
    page: str | None         # the page built from it, if there is one
    gate: str                # why its page needs a paywall ("" if it names nothing locked)
    locked: set[Shingle]

    @classmethod
    def read(cls, path: Path, docs_dir: Path, pages: set[str]) -> _Source:
        rel = path.relative_to(docs_dir).as_posix()
        meta, body = _front_matter(path.read_text("utf-8", "replace").splitlines())
        if str(meta.get("access", "")).strip().casefold() == "free":  # the author published it whole
            return cls(rel, _page_of(rel, pages), "", set())
        scan = _SourceScan(_wanted(meta.get("pro_sections")))
        scan.run(body)
        open_text = scan.open + [words(str(meta.get(key, ""))) for key in ("title", "summary")]
        locked = {s for passage in scan.locked for s in _passage_shingles(passage)}
        gate = f"{rel} has a <!-- pro --> line" if scan.marker else f"{rel} has pro_sections" \
            if "pro_sections" in meta else ""
        return cls(rel, _page_of(rel, pages), gate, locked - _present(_by_size(locked), map(" ".join, open_text)))


def _page_of(rel: str, pages: set[str]) -> str | None:
    folder, name = posixpath.split(rel)
    stem = name.removesuffix(".md")
    if stem.casefold() in ("index", "readme"):
        candidates = [posixpath.join(folder, "index.html")]
    else:
        candidates = [posixpath.join(folder, stem, "index.html"), posixpath.join(folder, stem + ".html")]
    return next((page for page in candidates if page in pages), None)


def _front_matter(lines: list[str]) -> tuple[dict, list[str]]:
    """YAML between a first line `---` and the next `---` or `...` line, and the body after it."""
    if not lines or lines[0].rstrip() != "---":
        return {}, lines
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        return {}, lines
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
    except yaml.YAMLError:
        meta = None
    return (meta if isinstance(meta, dict) else {}), lines[end + 1:]


def _wanted(value: object) -> set[str]:
    entries = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return {_normalise(str(entry)) for entry in entries} | {str(entry).strip().lstrip("#") for entry in entries}


def _normalise(title: str) -> str:
    return " ".join(EMOJI.sub(" ", ATTRIBUTES.sub("", title)).casefold().split())


def _heading_keys(title: str) -> set[str]:
    """What a pro_sections entry may name a heading by: its text, its {#id}, its default slug."""
    attributes = ATTRIBUTES.search(title)
    ids = re.findall(r"#([\w-]+)", attributes.group(1)) if attributes else []
    return {_normalise(title), _slug(_normalise(title)), *ids}


def _slug(text: str) -> str:
    """Python-Markdown's default heading id."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[-\s]+", "-", re.sub(r"[^\w\s-]", "", text).strip().lower())


class _SourceScan:
    """Split a Markdown body into locked and open passages (lists of words), line by line."""

    def __init__(self, wanted: set[str]) -> None:
        self.wanted = wanted
        self.locked: list[list[str]] = []
        self.open: list[list[str]] = []
        self.marker = False
        self._section: int | None = None  # level of the pro section we are in
        self._fence: str | None = None
        self._definition = False
        self._underline = False  # the next line underlines a setext heading
        self._passage: list[str] = []

    def run(self, lines: list[str]) -> None:
        for line, following in zip(lines, [*lines[1:], ""], strict=False):
            if self._underline:
                self._underline = False
            else:
                self._line(line, following)
        self._end()

    def _line(self, line: str, following: str) -> None:
        if self._fence is not None:
            self._in_fence(line)
        elif fence := FENCE.match(line):
            self._end()
            self._fence = fence.group(1)
        elif MARKER.match(line):
            self._end()
            self.marker = True
        elif heading := ATX.match(line):
            self._heading(len(heading.group(1)), heading.group(2) or "")
        elif DEFINITION.match(line) or (self._definition and (not line.strip() or line[0].isspace())):
            self._end()  # definitions may legitimately move into the preview
            self._definition = True
        elif line.strip() and not BLOCK_START.match(line) and SETEXT.match(following):
            self._definition = False
            self._heading(1 if following.strip()[0] == "=" else 2, line)
            self._underline = True
        else:
            self._definition = False
            self._text(line)

    def _in_fence(self, line: str) -> None:
        stripped = line.strip()
        if stripped.startswith(self._fence) and not stripped.lstrip(self._fence[0]):
            self._end()
            self._fence = None
        else:
            self._passage += words(line)

    def _heading(self, level: int, title: str) -> None:
        """Headings are never evidence: the paywall outline shows locked ones on purpose."""
        self._end()
        if self._section is not None and level <= self._section:
            self._section = None
        if self._section is None and _heading_keys(title) & self.wanted:
            self._section = level
        if not self._locked():
            self.open.append(words(_normalise(title)))

    def _text(self, line: str) -> None:
        if not line.strip() or BLOCK_START.match(line):
            self._end()
        if line.lstrip().startswith("|"):  # a table row: each cell is a passage
            for cell in line.split("|"):
                self._passage += words(html.unescape(SYNTAX.sub("", cell)))
                self._end()
            return
        call_out = CALL_OUT.match(line)
        text = " ".join(filter(None, call_out.groups())) if call_out else LIST_MARK.sub("", line)
        self._passage += words(html.unescape(SYNTAX.sub("", text)))
        if call_out:  # its title is a passage of its own
            self._end()

    def _locked(self) -> bool:
        return self.marker or self._section is not None

    def _end(self) -> None:
        if self._passage:
            (self.locked if self._locked() else self.open).append(self._passage)
        self._passage = []


# Check 3: locked files

def _locked_files(public: _Site, pro: _Site) -> Iterator[Finding]:
    """Public files byte-identical to a file that only pro pages refer to.

    A pro page missing from the public site is reported as such; its references are not evidence.
    """
    referrer: dict[str, str] = {}
    for page in sorted(pro.html.keys() & public.files):
        for target in pro.refs_of(page):
            referrer.setdefault(target, page)
    public_refs = {target for rel in [*public.html, *public.css_refs] for target in public.refs_of(rel)}
    open_digests = {public.digests[rel] for rel in public_refs}
    locked: dict[str, str] = {}
    for target in sorted(referrer.keys() - public_refs - pro.pages):
        data = (pro.root / target).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if data and digest not in open_digests:
            locked.setdefault(digest, target)
    for rel, digest in sorted(public.digests.items()):
        if digest in locked:
            yield Finding("locked-file", rel, referrer[locked[digest]], locked[digest])


# Check 4 and 5: paywalls and pages

def _missing_paywalls(public: _Site, page_locked: dict[str, set[Shingle]],
                      sources: list[_Source]) -> Iterator[Finding]:
    reasons = {page: "its pro edition shows text this one does not" for page, locked in page_locked.items() if locked}
    for source in sources:
        if source.gate and source.page:
            reasons.setdefault(source.page, source.gate)
    for page, reason in reasons.items():
        if page in public.html and not public.html[page].paywall:
            yield Finding("missing-paywall", page, page, reason)


def _missing_pages(public: _Site, pro: _Site) -> Iterator[Finding]:
    for page in sorted(pro.pages - public.files):
        yield Finding("missing-page", page, page, page)
