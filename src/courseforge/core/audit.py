"""The deploy gate: find locked lesson text in a built public site, without MkDocs.

Locked text is re-derived from the sources with the core. Every run of eight consecutive
words of it (a shingle) is looked for in the visible text of every file of the site;
shingles that also occur in public text (a preview, a free lesson) are not evidence.
Headings are left out: the paywall outline shows them on purpose.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .blocks import Block, Kind
from .model import Catalog, PartBlock, Segment
from .preview import Settings, view

SHINGLE = 8
SHORTEST = 4  # a locked passage shorter than a shingle still counts from this many words
WORD = re.compile(r"[^\W_]+", re.UNICODE)
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Leak:
    file: str
    lesson: str
    words: str

    def __str__(self) -> str:
        return f"{self.file}: locked text of {self.lesson}: \"{self.words}\""


def words_of(text: str) -> list[str]:
    return [word.casefold() for word in WORD.findall(text)]


def shingles(text: str | list[str], size: int = SHINGLE) -> set[tuple[str, ...]]:
    words = words_of(text) if isinstance(text, str) else text
    return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}


def passage_shingles(text: str) -> set[tuple[str, ...]]:
    """Shingles of a locked passage; a short passage is one shingle of all its words."""
    count = len(WORD.findall(text))
    return shingles(text, count) if SHORTEST <= count < SHINGLE else shingles(text)


def segment_text(segment: Segment) -> str:
    """A segment's locked text; a part's title is its heading, which the outline shows."""
    if isinstance(segment, PartBlock):
        return "\n".join(text for text in segment.part.texts() if text != segment.title)
    return segment.text


def locked_shingles(catalog: Catalog, settings: Settings) -> dict[tuple[str, ...], str]:
    """Shingle -> lesson path, for text the public edition must not contain."""
    locked: dict[tuple[str, ...], str] = {}
    public: set[tuple[str, ...]] = set()
    for lesson in catalog.lessons():
        lesson_view = view(lesson, "public", settings)
        for segment in lesson_view.visible + lesson_view.definitions:
            public |= shingles(segment_text(segment))
        for segment in lesson_view.locked + lesson_view.locked_definitions:
            if not (isinstance(segment, Block) and segment.kind is Kind.HEADING):
                for shingle in passage_shingles(segment_text(segment)):
                    locked.setdefault(shingle, lesson.path)
    return {shingle: path for shingle, path in locked.items() if shingle not in public}


def readable_text(raw: str) -> str:
    """What a file says, with markup, JSON escapes and entities undone."""
    if raw.lstrip().startswith(("{", "[")):
        try:
            raw = " ".join(_strings(json.loads(raw)))
        except ValueError:
            pass
    return html.unescape(TAG.sub(" ", raw))


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def audit(site_dir: Path, catalog: Catalog, settings: Settings) -> list[Leak]:
    locked = locked_shingles(catalog, settings)
    sizes = sorted({len(shingle) for shingle in locked})
    leaks = []
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        words = words_of(readable_text(path.read_bytes().decode("utf-8", "replace")))
        for shingle in (s for size in sizes for s in shingles(words, size)):
            if shingle in locked:
                leaks.append(Leak(path.relative_to(site_dir).as_posix(), locked[shingle], " ".join(shingle)))
                break
    return leaks
