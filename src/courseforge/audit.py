"""The deploy gate: prove that a built public site holds no locked lesson content.

Independent on purpose: nothing here comes from courseforge, so a bug in the preview cut, the
plugin or the templates cannot hide itself by being re-run. The audit reads the two built
editions of one mkdocs.yml and scans the Markdown sources line by line:

1. text a page's pro edition shows and its public edition does not is in no public file;
2. text after a `<!-- pro -->` line or under a `pro_sections` heading is in no public file;
3. no public file has the bytes of a file that only pro pages refer to;
4. a page that locks text shows a paywall (an element with `data-cf-paywall`);
5. every page of the pro edition exists in the public one.

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
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import compress, count
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml

SHINGLE = 8
SHORTEST = 4
WORD = re.compile(r"[^\W_]+")
BREAK = " \x00 "  # a token between runs of words that must not join (attribute values, JSON strings)
WINDOW = 1 << 20  # characters of a text split at once: a 5 MB search index would take 150 MB as one list

# HTML is read with regular expressions: html.parser took half of the audit of an 800-lesson site.
# Phrasing elements do not end a passage; every other element does (labels and buttons are
# widgets of their own: Material's nav puts a page's title in a label and a link side by side).
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|font|i|img|input|ins|kbd|mark|meter|output|progress"
    r"|q|s|samp|select|small|span|strong|sub|sup|svg|time|u|var|wbr)(?=[\s/>])[^>]*>", re.IGNORECASE)
BR_TAG = re.compile(r"<br\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
HIDDEN = re.compile(r"(<(script|style)\b[^>]*>)(.*?)(?=</\2\s*>)", re.DOTALL | re.IGNORECASE)
COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
PAYWALL = re.compile(r"(?<![\w-])data-cf-paywall(?![\w-])")  # looked for in tags only
ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>`=]+))""")
REF_ATTRIBUTES = frozenset(("href", "src", "srcset", "poster", "data"))
GEOMETRY = frozenset(("class", "d", "viewBox", "points", "transform", "xmlns"))  # never text: not scanned
MARKUP = (".html", ".htm", ".xml", ".svg")
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")
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
    """Every way the public edition shows or ships what only the pro edition should, sorted."""
    for folder in (public_dir, pro_dir, docs_dir):
        if not folder.is_dir():
            raise NotADirectoryError(folder)  # an absent site must not pass for a clean one
    public = _read_site(public_dir, docs_dir, scan=True)
    pro = _read_site(pro_dir, docs_dir, scan=False)
    pages = sorted(pro.pages & public.html.keys())
    page_locked = {page: _page_locked(pro.html[page], public.html[page]) for page in pages}
    sources = [_Source.read(path, docs_dir, pro.pages | public.pages)
               for path in sorted(docs_dir.rglob("*.md")) if path.is_file()]
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


def _grams(sequence: list[str], size: int) -> Iterator[tuple[str, ...]]:
    return zip(*(sequence[i:] for i in range(size)), strict=False)


def _keys(sequence: list[str], size: int) -> Iterator[int]:
    return map(hash, _grams(sequence, size))


@dataclass
class _Shingles:
    """Shingles as hashes of their word tuples: an 800-lesson site locks about 900,000, and a hash
    costs a quarter of a tuple. A short one (four to seven words) is only looked for where its
    first four words occur, so a text is read twice (4-grams, 8-grams), not once per size."""

    long: set[int] = field(default_factory=set)   # eight words
    short: set[int] = field(default_factory=set)  # four to seven words
    heads: set[int] = field(default_factory=set)  # the first four words of each short one

    @classmethod
    def of(cls, passages: Iterable[list[str]]) -> _Shingles:
        shingles = cls()
        for passage in passages:
            if len(passage) >= SHINGLE:
                shingles.long.update(_keys(passage, SHINGLE))
            elif len(passage) >= SHORTEST:
                shingles.short.add(hash(tuple(passage)))
                shingles.heads.add(hash(tuple(passage[:SHORTEST])))
        return shingles

    @classmethod
    def union(cls, many: Iterable[_Shingles]) -> _Shingles:
        union = cls()
        for shingles in many:
            union.long |= shingles.long
            union.short |= shingles.short
            union.heads |= shingles.heads
        return union

    @property
    def keys(self) -> set[int]:
        return self.long | self.short

    def found_in(self, tokens: str) -> set[int]:
        """The shingles that occur in a text of tokens (a BREAK token never matches)."""
        found: set[int] = set()
        for sequence in _windows(tokens):
            if self.long:
                found |= self.long.intersection(_keys(sequence, SHINGLE))
            heads = compress(count(), map(self.heads.__contains__, _keys(sequence, SHORTEST))) if self.heads else ()
            for start in heads:
                found |= self.short.intersection(
                    hash(tuple(sequence[start:start + size])) for size in range(SHORTEST, SHINGLE))
        return found

    def without(self, keys: set[int]) -> _Shingles:
        return _Shingles(self.long - keys, self.short - keys, self.heads)


# Reading the built sites

def _tokens(parts: Iterable[str]) -> str:
    """The words of each part, casefolded and space-joined, with a BREAK between parts."""
    return BREAK.join(" ".join(" ".join(words(html.unescape(piece))) for piece in _pieces(part)) for part in parts)


def _pieces(text: str) -> Iterator[str]:
    """A text cut at spaces into pieces of about WINDOW characters (a word never holds a space)."""
    start = 0
    while start < len(text):
        end = text.find(" ", start + WINDOW)
        end = len(text) if end < 0 else end
        yield text[start:end]
        start = end


def _windows(tokens: str) -> Iterator[list[str]]:
    """A text of tokens as word lists of about WINDOW characters that overlap by a shingle less one word."""
    start = 0
    while True:
        end = tokens.find(" ", start + WINDOW)
        sequence = tokens[start:end if end >= 0 else None].split()
        yield sequence
        if end < 0:
            return
        overlap = sequence[1 - SHINGLE:] if len(sequence) >= SHINGLE else []
        start = end - len(" ".join(overlap))


@dataclass
class _Html:
    visible: list[str]    # visible text between block boundaries, as written
    other: list[str]      # attribute values, scripts, styles, comments
    refs: list[str]       # href/src/srcset/poster/data values as written
    paywall: bool

    @classmethod
    def parse(cls, markup: str) -> _Html:
        scripts = HIDDEN.findall(markup)
        hidden = [body for _, _, body in scripts] + COMMENT.findall(markup)
        markup = COMMENT.sub("", HIDDEN.sub(r"\1", markup))
        tags = " ".join(TAG.findall(markup))
        attributes = [(name, html.unescape(a or b or c)) for name, a, b, c in ATTRIBUTE.findall(tags)]
        styles = [body for _, tag, body in scripts if tag.lower() == "style"]
        styles += [value for name, value in attributes if name == "style"]
        return cls(
            [chunk for chunk in TAG.split(INLINE_TAG.sub("", BR_TAG.sub(" ", markup))) if chunk.strip()],
            [value for name, value in attributes if name not in GEOMETRY] + hidden,
            [ref for name, value in attributes if name in REF_ATTRIBUTES for ref in _ref_values(name, value)]
            + [a or b for style in styles for a, b in CSS_URL.findall(style)],
            bool(PAYWALL.search(tags)))

    @cached_property
    def text(self) -> str:
        return _tokens([" ".join(self.visible), *self.other])

    def text_only(self) -> str:
        """Its text, dropping what it was made of: a scanned site needs no more (40 MB at 800 lessons)."""
        text, self.visible, self.other = self.text, [], []
        return text

    def passages(self) -> Iterator[list[str]]:
        return (found for chunk in self.visible if (found := words(html.unescape(chunk))))


def _ref_values(name: str, value: str) -> list[str]:
    return [part.split()[0] for part in value.split(",") if part.strip()] if name == "srcset" else [value]


@dataclass
class _Site:
    root: Path
    files: set[str] = field(default_factory=set)
    html: dict[str, _Html] = field(default_factory=dict)
    pages: set[str] = field(default_factory=set)            # HTML the build generated, not copied raw
    texts: dict[str, str] = field(default_factory=dict)     # scanned sites only: every file's tokens
    digests: dict[str, str] = field(default_factory=dict)   # scanned sites only
    css_refs: dict[str, list[str]] = field(default_factory=dict)

    def refs_of(self, rel: str) -> list[str]:
        raw = self.html[rel].refs if rel in self.html else self.css_refs.get(rel, [])
        return [target for ref in raw if (target := _resolve(rel, ref, self.files))]


def _read_site(root: Path, docs_dir: Path, scan: bool) -> _Site:
    """Each file read once. The scanned (public) site keeps every file's text; the other one, its HTML."""
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
            site.texts[rel] = site.html[rel].text_only() if rel in site.html else _text(rel, data)
    return site


def _copied_raw(data: bytes, source: Path) -> bool:
    return source.is_file() and source.read_bytes() == data


def _text(rel: str, data: bytes) -> str:
    """The tokens of a file that is not HTML: each JSON string apart, or the whole text."""
    if data[:2] == b"\x1f\x8b":  # a gzip copy (sitemap.xml.gz) says what its content says
        try:
            return _text(rel.removesuffix(".gz"), gzip.decompress(data))
        except (OSError, EOFError):
            pass
    text = data.decode("utf-8", "replace")
    if rel.endswith(MARKUP):
        return _Html.parse(text).text
    strings = [text]
    if rel.endswith(".json"):
        try:
            strings = list(_json_strings(json.loads(text)))
        except ValueError:
            pass
    # A string may hold HTML (the search index does): read it with and without its tags.
    return _tokens([*strings, *(TAG.sub(" ", string) for string in strings if "<" in string)])


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

def _page_locked(pro: _Html, public: _Html) -> _Shingles:
    """Shingles of a page's pro passages that its public edition does not show.

    The public edition may show more than the pro one on the same page: a "Pro" badge in a
    syllabus line, a call to buy. A pro passage whose words the public page shows in order, with
    such extra words between them (see `_PageWords.shows`), is shown, so those extra words
    cannot make its shingles look locked. Any other passage is locked where its shingles are not
    in the public page's text.
    """
    passages = [(passage, _Shingles.of([passage])) for passage in pro.passages() if len(passage) >= SHORTEST]
    shingles = _Shingles.union(keys for _, keys in passages)
    found = shingles.found_in(public.text)
    if shingles.keys <= found:  # most pages: the pro page shows nothing the public one lacks
        return _Shingles()
    page = _PageWords(public.text)
    hidden = [keys for passage, keys in passages if not keys.keys <= found and not page.shows(passage)]
    return _Shingles.union(hidden).without(found)


class _PageWords:
    """A public page's words, with where each one stands, to find a pro passage with extra words in between."""

    def __init__(self, tokens: str) -> None:
        self.tokens = tokens

    @cached_property
    def positions(self) -> dict[str, list[int]]:
        """Word -> its positions, ascending; built only for a page whose pro edition shows more."""
        positions: dict[str, list[int]] = defaultdict(list)
        for position, word in enumerate(self.tokens.split()):
            positions[word].append(position)
        return positions

    def shows(self, passage: list[str]) -> bool:
        """Whether the page has the passage's words in order within a run of at most twice as many words.

        The bound keeps a short passage of common words from being found scattered over a page;
        a locked paragraph, whose words the page does not have in order, stays locked.
        """
        positions = self.positions
        if not all(word in positions for word in passage):  # most locked paragraphs stop here
            return False
        longest = 2 * len(passage)
        return any(_ends_within(passage, positions, start, start + longest)
                   for start in positions[passage[0]])


def _ends_within(passage: list[str], positions: dict[str, list[int]], start: int, limit: int) -> bool:
    """Whether the passage's words occur in order from `start` on, all before `limit`.

    Taking each word at its first position after the previous one ends the run as early as any
    choice can, so one pass decides it.
    """
    position = start
    for word in passage[1:]:
        places = positions[word]
        index = bisect_right(places, position)
        if index == len(places) or places[index] >= limit:
            return False
        position = places[index]
    return True


def _locked_text(public: _Site, pro: _Site, page_locked: dict[str, _Shingles],
                 sources: list[_Source]) -> Iterator[Finding]:
    candidates = _Shingles.union([*page_locked.values(), *(source.locked for source in sources)])
    found = {rel: candidates.found_in(text) for rel, text in public.texts.items()}
    hits = set().union(*found.values())
    shown = _shown_by(page_locked, found, pro, candidates)
    owner: dict[int, str] = {}
    for page, locked in page_locked.items():
        for key in (locked.keys & hits) - shown.keys():
            owner.setdefault(key, page)
    for source in sources:
        for key in source.locked.keys & hits:
            if not shown.get(key, set()) - {source.page}:
                owner.setdefault(key, source.page or source.rel)
    for rel, keys in found.items():
        yield from _text_findings(rel, public.texts[rel], {key: owner[key] for key in keys if key in owner})


def _shown_by(pages: Iterable[str], found: dict[str, set[int]], pro: _Site,
              candidates: _Shingles) -> dict[int, set[str]]:
    """Candidate shingle -> the pages that show it in both editions (public by design)."""
    shown: dict[int, set[str]] = defaultdict(set)
    for page in pages:
        if found[page]:
            for key in candidates.found_in(pro.html[page].text) & found[page]:
                shown[key].add(page)
    return shown


def _text_findings(rel: str, tokens: str, owners: dict[int, str]) -> Iterator[Finding]:
    """One finding per page whose locked text the file holds, quoting its first long shingle, if any."""
    reported: set[str] = set()
    for sequence in _windows(tokens) if owners else ():
        for size in range(SHINGLE, SHORTEST - 1, -1):
            for shingle in _grams(sequence, size):
                page = owners.get(hash(shingle))
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
    gate: str                # why its page needs a paywall ("" if it locks no text)
    locked: _Shingles

    @classmethod
    def read(cls, path: Path, docs_dir: Path, pages: set[str]) -> _Source:
        rel = path.relative_to(docs_dir).as_posix()
        page = _page_of(rel, pages)
        front_matter, body = _front_matter(path.read_text("utf-8", "replace").splitlines())
        if "pro_sections" not in front_matter and not any(MARKER.match(line) for line in body):
            return cls(rel, page, "", _Shingles())  # it locks nothing: most lessons end by reading time
        meta = _yaml(front_matter)
        if str(meta.get("access", "")).strip().casefold() == "free":  # the author published it whole
            return cls(rel, page, "", _Shingles())
        scan = _SourceScan(_wanted(meta.get("pro_sections")))
        scan.run(body)
        open_text = scan.open + [words(str(meta.get(key, ""))) for key in ("title", "summary")]
        locked = _Shingles.of(scan.locked)
        how = "a <!-- pro --> line" if scan.marker else "pro_sections"
        gate = f"{rel} locks text with {how}" if scan.locked else ""  # a bare marker locks nothing: no paywall
        return cls(rel, page, gate, locked.without(locked.found_in(_tokens(map(" ".join, open_text)))))


def _page_of(rel: str, pages: set[str]) -> str | None:
    folder, name = posixpath.split(rel)
    stem = name.removesuffix(".md")
    if stem.casefold() in ("index", "readme"):
        candidates = [posixpath.join(folder, "index.html")]
    else:
        candidates = [posixpath.join(folder, stem, "index.html"), posixpath.join(folder, stem + ".html")]
    return next((page for page in candidates if page in pages), None)


def _front_matter(lines: list[str]) -> tuple[str, list[str]]:
    """The YAML between a first line `---` and the next `---` or `...` line, and the body after it."""
    if not lines or lines[0].rstrip() != "---":
        return "", lines
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        return "", lines
    return "\n".join(lines[1:end]), lines[end + 1:]


def _yaml(text: str) -> dict:
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


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

def _missing_paywalls(public: _Site, page_locked: dict[str, _Shingles],
                      sources: list[_Source]) -> Iterator[Finding]:
    differs = "its pro edition shows text this one does not"
    reasons = {page: differs for page, locked in page_locked.items() if locked.keys}
    for source in sources:
        if source.gate and source.page:
            reasons.setdefault(source.page, source.gate)
    for page, reason in reasons.items():
        if page in public.html and not public.html[page].paywall:
            yield Finding("missing-paywall", page, page, reason)


def _missing_pages(public: _Site, pro: _Site) -> Iterator[Finding]:
    for page in sorted(pro.pages - public.files):
        yield Finding("missing-page", page, page, page)
