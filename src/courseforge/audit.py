"""The deploy gate: prove that a built public site holds no locked lesson content.

Independent on purpose: nothing here comes from courseforge, so a bug in the preview cut, the
plugin or the templates cannot hide itself by being re-run. The audit reads the two built
editions of one mkdocs.yml and scans the Markdown sources line by line:

1. text a page's pro edition shows and its public edition does not is in no public file;
2. text after a `<!-- pro -->` line or under a `pro_sections` heading is in no public file;
3. no public file has the bytes of a file that only pro pages refer to;
4. a page that locks text shows a paywall (an element with `data-cf-paywall`), and so does a pro
   lesson whose text runs well past its preview's reading time;
5. every page of the pro edition exists in the public one, but a page that declares itself
   pro-only (an element with `data-cf-pro-only`, as a course's workbook has): its absence
   publishes nothing;
6. a source that locks text reaches the site through its own page only: no public page's source
   includes it, and no file it includes has a public page of its own.

Includes are followed in the sources as the two include extensions find them: pymdownx.snippets
(`--8<-- "file"`, inline and block forms, against the given base paths) and
mkdocs-include-markdown-plugin (`{% include-markdown "file" %}`, relative to the page or docs_dir).

Evidence is shingles: runs of eight consecutive words; a passage of four to seven words is one
shingle of all its words, and shorter ones are too common to prove anything. A shingle that some
page shows in both editions is public by design (titles, navigation, previews) and never counts.
"""

from __future__ import annotations

import glob
import gzip
import hashlib
import html
import json
import math
import posixpath
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
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
PRO_ONLY = re.compile(r"(?<![\w-])data-cf-pro-only(?![\w-])")  # a page only the pro edition has (tags only)
# A lesson page's <article> names its access: the template contract the reading-time check reads.
LESSON = re.compile(r"""<article\b[^>]*?\sdata-cf-access\s*=\s*["']?([\w-]+)[^>]*>""", re.IGNORECASE)
ARTICLE = re.compile(r"<(/?)article\b[^>]*>", re.IGNORECASE)
HEADER = re.compile(r"<header\b.*?</header\s*>", re.IGNORECASE | re.DOTALL)
# The paywall card (its outline names locked headings): not the lesson's text.
PAYWALL_SECTION = re.compile(r"<section\b[^>]*\bdata-cf-paywall\b.*?</section\s*>", re.IGNORECASE | re.DOTALL)
MARKER_BODY = re.compile(r"\s*pro\s*", re.IGNORECASE)  # of a comment: <!-- pro -->
FOOTNOTE_ITEM = re.compile(r"""<li\b[^>]*?\sid=["']?(fn[^"'\s>]*)""", re.IGNORECASE)
# Links and images: their titles and descriptions are read (not <abbr>: a glossary repeats it at every use).
DESCRIBED_TAG = re.compile(r"<(?:a|img)\b[^>]*>", re.IGNORECASE)
# A diagram's source is drawn, not read: reading time leaves it out, and so does the length check.
DIAGRAM_SOURCE = re.compile(r"""<pre\b[^>]*\bclass=["'][^"']*mermaid[^>]*>.*?</pre\s*>""", re.DOTALL | re.IGNORECASE)
LONG_RATIO, LONG_EXTRA = 1.25, 40  # a lesson is clearly longer than its preview past this many words (see _Reading)
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
    "locked-include": "{file}: {evidence}, so it publishes locked text of {page}",
    "long-preview": "{file}: {evidence}",
    "marker": "{file}: a <!-- pro --> comment reached the page, so what follows it may be locked text",
    "stale-page": "{file}: built in the public edition only: these sources build no such page (a site built "
                  "from other or older sources)",
    "unreferenced-footnote": "{file}: the public page of a locked lesson prints the footnote {evidence}, which "
                             "nothing on the page refers to: a locked footnote carried into the preview?",
}


@dataclass(frozen=True)
class Finding:
    kind: str      # a key of MESSAGES
    file: str      # a public-site file (posix, relative to the site) or a source file
    page: str      # the page or lesson source whose locked content it is
    evidence: str  # the words or file name found

    def __str__(self) -> str:
        return MESSAGES[self.kind].format(file=self.file, page=self.page, evidence=self.evidence)


def audit(public_dir: Path, pro_dir: Path, docs_dir: Path, *, preview_minutes: float | None = None,
          words_per_minute: int | None = None, include_paths: Sequence[Path] = ()) -> list[Finding]:
    """Every way the public edition shows or ships what only the pro edition should, sorted.

    `preview_minutes` and `words_per_minute` are the plugin's settings: with both, a pro lesson
    much longer than its preview must show a paywall. `include_paths` are pymdownx.snippets'
    base paths (none: the site does not use snippets, and `--8<--` lines are plain text).
    """
    for folder in (public_dir, pro_dir, docs_dir):
        if not folder.is_dir():
            raise NotADirectoryError(folder)  # an absent site must not pass for a clean one
    reading = _Reading(preview_minutes, words_per_minute) if preview_minutes is not None and words_per_minute else None
    public = _read_site(public_dir, docs_dir, scan=True, lessons=reading is not None)
    pro = _read_site(pro_dir, docs_dir, scan=False, lessons=reading is not None)
    pages = sorted(pro.pages & public.html.keys())
    page_locked = {page: _page_locked(pro.html[page], public.html[page]) for page in pages}
    includes = _Includes(docs_dir, tuple(include_paths))
    sources = [_Source.read(path, docs_dir, pro.pages | public.pages, includes)
               for path in sorted(docs_dir.rglob("*.md")) if path.is_file()]
    findings = [
        *_locked_text(public, pro, page_locked, sources),
        *_locked_files(public, pro),
        *_missing_paywalls(public, pro, page_locked, sources, reading),
        *_missing_pages(public, pro),
        *_stale_pages(public, pro),
        *_republished(public, sources),
        *(reading.long_previews(public, pro, pages, sources) if reading else ()),
        *(Finding("marker", rel, rel, "") for rel, page in public.html.items() if page.marker),
        *(Finding("unreferenced-footnote", rel, rel, note) for rel, page in public.html.items() if page.paywall
          for note in page.lone_footnotes),
    ]
    return sorted(set(findings), key=lambda f: (f.kind, f.file, f.page, f.evidence))


# Words and shingles

def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def _grams(sequence: list[str], size: int) -> Iterator[tuple[str, ...]]:
    return zip(*(sequence[i:] for i in range(size)), strict=False)


def _keys(sequence: list[str], size: int) -> Iterator[int]:
    return map(hash, _grams(sequence, size))


def _passage_keys(passage: list[str]) -> list[int]:
    """A passage's shingles: its 8-word runs, or all of it when it has four to seven words.

    A run of numbers alone is no evidence: a code block's line numbers ("1 2 3 4") or a table's
    figures turn up by chance in minified scripts."""
    if len(passage) >= SHINGLE:
        if not any(word.isdigit() for word in passage):  # most passages: no run to leave out
            return list(_keys(passage, SHINGLE))
        return [hash(run) for run in _grams(passage, SHINGLE) if not all(word.isdigit() for word in run)]
    if len(passage) < SHORTEST or all(word.isdigit() for word in passage):
        return []
    return [hash(tuple(passage))]


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
            shingles.add(passage, _passage_keys(passage))
        return shingles

    def add(self, passage: list[str], keys: list[int]) -> None:
        """A passage and its keys (from `_passage_keys`)."""
        if len(passage) >= SHINGLE:
            self.long.update(keys)
        elif keys:
            self.short.update(keys)
            self.heads.add(hash(tuple(passage[:SHORTEST])))

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
    pro_only: bool = False
    lesson: _Lesson | None = None  # measured with the reading settings, for the reading-time checks
    marker: bool = False           # a raw <!-- pro --> comment (one shown in code is escaped)
    lone_footnotes: tuple[str, ...] = ()  # ids of footnotes it prints that nothing on it links to

    @classmethod
    def parse(cls, markup: str, lesson: bool = False) -> _Html:
        """`lesson`: also measure the lesson's text, if the page is a lesson (the pro edition's pages)."""
        scripts = HIDDEN.findall(markup)
        hidden = [body for _, _, body in scripts] + COMMENT.findall(markup)
        unscripted = HIDDEN.sub(r"\1", markup)
        markup = COMMENT.sub("", unscripted)
        tags = " ".join(TAG.findall(markup))
        attributes = [(name, html.unescape(a or b or c)) for name, a, b, c in ATTRIBUTE.findall(tags)]
        styles = [body for _, tag, body in scripts if tag.lower() == "style"]
        styles += [value for name, value in attributes if name == "style"]
        blocks = INLINE_TAG.sub("", BR_TAG.sub(" ", markup))  # only the tags that end a passage are left
        return cls(
            [chunk for chunk in TAG.split(blocks) if chunk.strip()],
            [value for name, value in attributes if name not in GEOMETRY] + hidden,
            [ref for name, value in attributes if name in REF_ATTRIBUTES for ref in _ref_values(name, value)]
            + [a or b for style in styles for a, b in CSS_URL.findall(style)],
            bool(PAYWALL.search(tags)),
            bool(PRO_ONLY.search(tags)),
            _Lesson.of(markup) if lesson else None,
            any(MARKER_BODY.fullmatch(body) for body in COMMENT.findall(unscripted)),
            _lone_footnotes(markup))

    @cached_property
    def text(self) -> str:
        return _tokens([" ".join(self.visible), *self.other])

    def text_only(self) -> str:
        """Its text, dropping what it was made of: a scanned site needs no more (40 MB at 800 lessons)."""
        text, self.visible, self.other = self.text, [], []
        return text

    def passages(self) -> Iterator[list[str]]:
        return (found for chunk in self.visible if (found := words(html.unescape(chunk))))


def _lone_footnotes(markup: str) -> tuple[str, ...]:
    """Footnotes a page prints without a reference to them: a preview takes along the footnotes it
    refers to, and Python-Markdown prints every one it is given, referred to or not."""
    return tuple(note for note in FOOTNOTE_ITEM.findall(markup)
                 if not re.search(rf"""href=["']?#{re.escape(note)}["'\s>]""", markup))


@dataclass(frozen=True)
class _Lesson:
    access: str  # the article's data-cf-access: "pro" or "free"
    words: int   # the words of the article but its <header>: body, parts, their labels

    @classmethod
    def of(cls, markup: str) -> _Lesson | None:
        """The lesson of a page (without scripts and comments), if its <article> names an access."""
        article = _lesson_article(markup)
        if article is None:
            return None
        access, text = article
        # Tooltips and image descriptions are read too: a long link title is lesson text.
        tags = " ".join(DESCRIBED_TAG.findall(text))
        described = [html.unescape(a or b or c) for name, a, b, c in ATTRIBUTE.findall(tags)
                     if name.casefold() in ("title", "alt")]
        read = html.unescape(TAG.sub(" ", INLINE_TAG.sub("", BR_TAG.sub(" ", text))))  # as the page's blocks
        return cls(access, len(WORD.findall(" ".join([read, *described]))))


def _lesson_article(text: str) -> tuple[str, str] | None:
    """The access a page's lesson <article> names, and what it holds but its <header> (course,
    title, summary, "N min read": courseforge times the rest), paywall card and diagram sources."""
    opening = LESSON.search(text)
    if opening is None:
        return None
    depth, end = 1, len(text)
    for tag in ARTICLE.finditer(text, opening.end()):  # Material's own <article> holds this one
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            end = tag.start()
            break
    article = PAYWALL_SECTION.sub(" ", HEADER.sub(" ", DIAGRAM_SOURCE.sub(" ", text[opening.end():end])))
    return opening.group(1).casefold(), article


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


def _read_site(root: Path, docs_dir: Path, scan: bool, lessons: bool = False) -> _Site:
    """Each file read once. The scanned (public) site keeps every file's text; the other one, its HTML
    (and, with `lessons`, how long each lesson is)."""
    site = _Site(root)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        site.files.add(rel)
        if not (scan or rel.endswith(MARKUP)):
            continue
        data = path.read_bytes()
        if rel.endswith(MARKUP):
            site.html[rel] = _Html.parse(data.decode("utf-8", "replace"), lesson=lessons)
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
    passages = [(passage, keys) for passage in pro.passages() if (keys := _passage_keys(passage))]
    shingles = _Shingles()
    for passage, keys in passages:
        shingles.add(passage, keys)
    found = shingles.found_in(public.text)
    hidden = [(passage, keys) for passage, keys in passages if not found.issuperset(keys)]
    locked = _Shingles()
    if hidden:  # most pages that lock nothing stop here: the public page shows every pro shingle
        page = _PageWords(public.text)
        for passage, keys in hidden:
            if not page.shows(passage):
                locked.add(passage, keys)
    return locked.without(found)


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
        # A run holds the passage's rarest word too: only starts shortly before one of its places can do.
        rarest = positions[min(passage, key=lambda word: len(positions[word]))]
        starts = positions[passage[0]]
        near = {start for place in rarest
                for start in starts[bisect_left(starts, place - longest):bisect_right(starts, place)]}
        return any(_ends_within(passage, positions, start, start + longest) for start in sorted(near))


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
# In a blockquote too: it locks what follows. Indented by four spaces or a tab it is code, an example.
MARKER = re.compile(r"^ {0,3}(?:>\s*)*<!--\s*pro\s*-->\s*$", re.IGNORECASE)
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
    preview: float | None = None  # its own `preview:` minutes, if it sets them
    path: Path = Path()           # resolved
    includes: frozenset[Path] = frozenset()  # the files it includes, resolved

    @classmethod
    def read(cls, path: Path, docs_dir: Path, pages: set[str], includes: _Includes) -> _Source:
        rel = path.relative_to(docs_dir).as_posix()
        page = _page_of(rel, pages)
        front_matter, body = _front_matter(path.read_text("utf-8", "replace").splitlines())
        body, included = includes.expand(body, path)  # a marker or a locked heading may sit in an included file
        preview = _preview(front_matter)
        resolved = path.resolve()
        whole = partial(cls, rel, page, "", _Shingles(), preview, resolved, included)
        if "pro_sections" not in front_matter and not any(MARKER.match(line) for line in body):
            return whole()  # it locks nothing: most lessons end by reading time
        meta = _yaml(front_matter)
        if str(meta.get("access", "")).strip().casefold() == "free":  # the author published it whole
            return whole()
        scan = _SourceScan(_wanted(meta.get("pro_sections")))
        scan.run(body)
        open_text = scan.open + [words(str(meta.get(key, ""))) for key in ("title", "summary")]
        locked = _Shingles.of(scan.locked)
        how = "a <!-- pro --> line" if scan.marker else "pro_sections"
        gate = f"{rel} locks text with {how}" if scan.locked else ""  # a bare marker locks nothing: no paywall
        return cls(rel, page, gate, locked.without(locked.found_in(_tokens(map(" ".join, open_text)))), preview,
                   resolved, included)


PREVIEW_KEY = re.compile(r"^preview[ \t]*:.*$", re.MULTILINE)


def _preview(front_matter: str) -> float | None:
    """The `preview:` minutes of a front matter, read from its own line: most lessons need no YAML parse."""
    line = PREVIEW_KEY.search(front_matter)
    value = _yaml(line.group()).get("preview") if line else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None  # an invalid value stops the build; here it means the site's default
    return float(value)


# mkdocs-static-i18n's suffix layout: `lesson.fr.md` is the page fr/…/lesson/.
LANGUAGE_SUFFIX = re.compile(r"^(?P<stem>.+)\.(?P<language>[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?)$")


def _page_of(rel: str, pages: set[str]) -> str | None:
    folder, name = posixpath.split(rel)
    stem = name.removesuffix(".md")
    page = _page_at(folder, stem, pages)
    if page is None and (translated := LANGUAGE_SUFFIX.match(stem)):
        # In its language's folder; the default language's is at the root.
        page = (_page_at(posixpath.join(translated["language"], folder), translated["stem"], pages)
                or _page_at(folder, translated["stem"], pages))
    return page


def _page_at(folder: str, stem: str, pages: set[str]) -> str | None:
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


# Includes, followed by plain text matching as the extensions match them

SNIPPET = re.compile(  # pymdownx.snippets: `--8<-- "file"` on a line, or a block of paths between `--8<--` lines
    r"""^([ \t]*)(;*)-+8<-+(?:[ \t]+("(?:\\"|[^"])+?"|'(?:\\'|[^'])+?'))?[ \t]*$""")
SNIPPET_TARGET = re.compile(  # the line ranges (`:3:9`) or section (`:name`) after a snippet's file name
    r"(?:(?::-?[0-9]*){1,2}(?:,(?=[-0-9:])-?[0-9]*(?::-?[0-9]*)?)*|:[a-z][-_0-9a-z]*)$", re.IGNORECASE)
INCLUDE_MARKDOWN = re.compile(  # mkdocs-include-markdown-plugin: `{% include-markdown "file" ... %}`, `{% include … %}`
    r"""\{%\s*include(?:-markdown)?\s+(?:"((?:[^"]|(?<=\\)")+)"|'((?:[^']|(?<=\\)')+)')(?:[^%]|%(?!\}))*%\}""")
GLOB = re.compile(r"[*?[{]")
DEPTH = 20  # includes within includes: both extensions stop a cycle; so does this


@dataclass(frozen=True)
class _Includes:
    """What a page pulls in from other files, as text: include-markdown runs first, then snippets.

    A whole file is taken even where a section or lines of it are asked for: more text counts as
    locked, never less.
    """

    docs_dir: Path
    snippet_bases: tuple[Path, ...]

    def expand(self, lines: list[str], page: Path) -> tuple[list[str], frozenset[Path]]:
        """The page's lines with every include expanded, and the files they came from."""
        text = "\n".join(lines)
        snippets = bool(self.snippet_bases)
        if "{%" not in text and not (snippets and "8<-" in text):
            return lines, frozenset()  # most pages include nothing
        read: list[Path] = []
        if "{%" in text:
            text = self._include_markdown(text, (page,), read)
        lines = self._snippets(text.split("\n"), (), read) if snippets and "8<-" in text else text.split("\n")
        return lines, frozenset(file.resolve() for file in read)

    def _include_markdown(self, text: str, seen: tuple[Path, ...], read: list[Path]) -> str:
        """`seen`: the files that include this text, the nearest last (paths may be relative to it)."""
        def included(directive: re.Match) -> str:
            found = self._markdown_files(directive.group(1) or directive.group(2), seen[-1])
            read.extend(found)
            parts = [self._include_markdown(_read(file), (*seen, file), read)
                     for file in found if file not in seen and len(seen) < DEPTH]
            return "\n".join(parts) if found else directive.group()  # a missing file stops the build
        return INCLUDE_MARKDOWN.sub(included, text)

    def _markdown_files(self, target: str, including: Path) -> list[Path]:
        """The plugin's rule: `./` or `../` from the including file, `/` absolute, else from docs_dir."""
        if "://" in target:
            return []
        if target.startswith("/"):
            return _files(Path("/"), target.lstrip("/"))
        if target.startswith(("./", "../")):
            return _files(including.parent, target)
        return _files(self.docs_dir, target)

    def _snippets(self, lines: list[str], seen: tuple[Path, ...], read: list[Path]) -> list[str]:
        expanded: list[str] = []
        block: str | None = None  # the indentation of the block of paths we are in
        for line in lines:
            notation = SNIPPET.match(line)
            if notation and notation.group(2):  # `;--8<--` is escaped: the line stays, without one `;`
                expanded.append(line.replace(";", "", 1))
            elif notation and not notation.group(3):
                block = None if block is not None else notation.group(1)
            elif notation or block is not None:
                path = notation.group(3)[1:-1] if notation else line.strip()
                space = notation.group(1) if notation else block
                expanded += self._snippet(path, space, seen, read)
            else:
                expanded.append(line)
        return expanded

    def _snippet(self, path: str, space: str, seen: tuple[Path, ...], read: list[Path]) -> list[str]:
        path = path.strip()
        if not path:
            return [""]  # an empty line of a block stays a blank line
        if path.startswith(";") or "://" in path:
            return []
        file = self._snippet_file(path)
        if file is None or file in seen or len(seen) >= DEPTH:
            return []
        read.append(file)
        return [space + line for line in self._snippets(_read(file).split("\n"), (*seen, file), read)]

    def _snippet_file(self, path: str) -> Path | None:
        """Like pymdownx.snippets: the first base path that has it; a base that is a file gives only itself."""
        name = SNIPPET_TARGET.sub("", path) or path
        for base in self.snippet_bases:
            file = base / name
            if base.is_dir() and file.is_file():
                return file
            if base.is_file() and base.name == name:
                return base
        return None


def _files(root: Path, target: str) -> list[Path]:
    """A file, or the files a glob finds (sorted), below `root`."""
    if (root / target).is_file():
        return [root / target]
    if not GLOB.search(target):
        return []
    return [root / name for name in sorted(glob.glob(target, root_dir=root, recursive=True)) if (root / name).is_file()]


def _read(file: Path) -> str:
    try:
        return file.read_text("utf-8", "replace")
    except OSError:
        return ""


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

def _missing_paywalls(public: _Site, pro: _Site, page_locked: dict[str, _Shingles],
                      sources: list[_Source], reading: _Reading | None) -> Iterator[Finding]:
    differs = "its pro edition shows text this one does not"
    reasons = {page: differs for page, locked in page_locked.items() if locked.keys}
    for source in sources:
        if source.gate and source.page:
            reasons.setdefault(source.page, source.gate)
    if reading:
        for page, reason in reading.long_lessons(pro, page_locked.keys(), sources):
            reasons.setdefault(page, reason)
    for page, reason in reasons.items():
        if page in public.html and not public.html[page].paywall:
            yield Finding("missing-paywall", page, page, reason)


@dataclass(frozen=True)
class _Reading:
    """Lessons whose preview ends by reading time: nothing in the sources marks where, and a cut
    that published one whole leaves both editions agreeing. A pro lesson clearly longer than its
    preview must show a paywall.

    The lesson is measured as the pro page shows it, without its <header>: its body and its parts
    with their labels ("Hint 1 of 3", "Mark lesson complete"). That reads more words than
    courseforge times (it splits "real-world" in two, counts diagram source and labels), hence
    the margin: a lesson counts as long past `LONG_RATIO` times its preview plus `LONG_EXTRA` words.
    """

    preview_minutes: float
    words_per_minute: int

    def long_lessons(self, pro: _Site, pages: Iterable[str], sources: list[_Source]) -> Iterator[tuple[str, str]]:
        for page, minutes in self._pro_lessons(pro, pages, sources):
            words = pro.html[page].lesson.words
            if self._long(words, minutes):
                yield page, f"its lesson has {words} words, well past a {minutes:g}-minute preview"

    def long_previews(self, public: _Site, pro: _Site, pages: Iterable[str],
                      sources: list[_Source]) -> Iterator[Finding]:
        """A preview clearly past its minutes: a preview ends by them at the latest (a marker or a
        `pro_sections` heading may end it earlier), so a cut that took text for shorter than it
        reads, or a site built before `preview` was lowered, shows here."""
        for page, minutes in self._pro_lessons(pro, pages, sources):
            shown = public.html[page].lesson
            if public.html[page].paywall and shown is not None and self._long(shown.words, minutes):
                yield Finding("long-preview", page, page,
                              f"its preview has {shown.words} words, well past a {minutes:g}-minute preview")

    def _pro_lessons(self, pro: _Site, pages: Iterable[str], sources: list[_Source]) -> Iterator[tuple[str, float]]:
        """Each pro lesson among the pages, with its preview minutes (its own, or the site's)."""
        previews = {source.page: source.preview for source in sources if source.page and source.preview is not None}
        for page in pages:
            lesson = pro.html[page].lesson
            if lesson is not None and lesson.access == "pro":
                yield page, previews.get(page, self.preview_minutes)

    def _long(self, words: int, minutes: float) -> bool:
        return words > LONG_RATIO * minutes * self.words_per_minute + LONG_EXTRA


def _republished(public: _Site, sources: list[_Source]) -> Iterator[Finding]:
    """A source that locks text reaches the site through its own page only. Its text shown on a page
    that includes it, or by a page of a file it includes, is on a page both editions show alike,
    which check 1 takes for public by design.

    A source locks text if its lines say so (a marker, `pro_sections`) or if its public page shows a
    paywall: a lesson cut by reading time is marked nowhere in its source."""
    by_path = {source.path: source for source in sources}
    locks = {source.path for source in sources
             if source.gate or (source.page in public.html and public.html[source.page].paywall)}
    for source in sources:
        for included in map(by_path.get, source.includes):
            if included is None or included is source:
                continue
            if included.path in locks and source.page in public.html:
                yield Finding("locked-include", source.page, included.rel, f"its source includes {included.rel}")
            if source.path in locks and included.path not in locks and included.page in public.html:
                yield Finding("locked-include", included.page, source.rel,
                              f"its source {included.rel} is included by {source.rel}")


def _missing_pages(public: _Site, pro: _Site) -> Iterator[Finding]:
    for page in sorted(pro.pages - public.files):
        if pro.html[page].pro_only:
            continue
        yield Finding("missing-page", page, page, page)


def _stale_pages(public: _Site, pro: _Site) -> Iterator[Finding]:
    """A page the sources do not build: nothing says what it locks (a site built from other or
    older sources: a deleted lesson, published whole)."""
    for page in sorted(public.pages - pro.files):
        yield Finding("stale-page", page, page, page)
