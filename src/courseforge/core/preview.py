"""The preview cutoff: which part of a lesson an edition shows, and what stays locked."""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Block, Kind, references
from .model import GENERATED, Download, Exercise, Lesson, PartBlock, Segment, Visual, segment_images, segment_words
from .readtime import count_diagrams, minutes, seconds

EDITIONS = ("public", "pro")


@dataclass(frozen=True)
class Settings:
    words_per_minute: int = 230
    preview_minutes: float = 3


@dataclass(frozen=True)
class OutlineItem:
    level: int
    title: str
    anchor: str       # explicit id, or "" to be derived from the title by the renderer


@dataclass
class LessonView:
    """What one edition shows of a lesson: the visible prefix and the locked rest."""

    lesson: Lesson
    visible: list[Segment]
    definitions: list[Block]
    locked: list[Segment] = field(default_factory=list)
    locked_definitions: list[Block] = field(default_factory=list)
    words_per_minute: int = 230

    @property
    def is_locked(self) -> bool:
        return bool(self.locked)

    @property
    def total_minutes(self) -> int:
        return minutes(self._seconds(self.visible + self.definitions + self.locked + self.locked_definitions))

    @property
    def preview_minutes(self) -> int:
        return minutes(self._seconds(self.visible + self.definitions))

    @property
    def locked_minutes(self) -> int:
        return minutes(self._seconds(self.locked + self.locked_definitions))

    @property
    def outline(self) -> list[OutlineItem]:
        return [OutlineItem(s.level, s.title, s.anchor) for s in self.locked
                if s.title and s.level in (2, 3)]

    @property
    def locked_sections(self) -> int:
        return sum(1 for s in self.locked if isinstance(s, Block) and s.kind is Kind.HEADING
                   and s.level == 2 and s.key != GENERATED)

    @property
    def locked_diagrams(self) -> int:
        return sum(_diagrams(s) for s in self.locked)

    @property
    def locked_exercises(self) -> int:
        return sum(1 for s in self.locked if isinstance(s, PartBlock) and isinstance(s.part, Exercise))

    @property
    def locked_downloads(self) -> list[Download]:
        return [s.part for s in self.locked if isinstance(s, PartBlock) and isinstance(s.part, Download)]

    @property
    def preview_words(self) -> int:
        return sum(segment_words(s) for s in self.visible + self.definitions)

    @property
    def locked_words(self) -> int:
        return sum(segment_words(s) for s in self.locked + self.locked_definitions)

    def _seconds(self, segments: list[Segment]) -> float:
        words = sum(segment_words(s) for s in segments)
        images = sum(segment_images(s) for s in segments)
        return seconds(words, images, self.words_per_minute)




def _diagrams(segment: Segment) -> int:
    if isinstance(segment, PartBlock):
        return int(isinstance(segment.part, Visual))
    return count_diagrams(segment.text)


def view(lesson: Lesson, edition: str, settings: Settings) -> LessonView:
    """The lesson as `edition` shows it: whole for `pro` and free lessons, else preview + locked."""
    segments = [s for s in lesson.segments if s.kind is not Kind.MARKER]
    if edition == "pro" or lesson.is_free:
        return LessonView(lesson, segments, lesson.definitions, words_per_minute=settings.words_per_minute)
    limit = settings.preview_minutes if lesson.preview is None else lesson.preview
    cut = cut_index(lesson.segments, lesson.pro_sections, limit * 60, settings.words_per_minute)
    visible = [s for s in lesson.segments[:cut] if s.kind is not Kind.MARKER]
    locked = [s for s in lesson.segments[cut:] if s.kind is not Kind.MARKER]
    # Scanning for references costs a pass over the text: only lessons with definitions need it.
    used = set().union(*(references(s.text) for s in visible if isinstance(s, Block))) if lesson.definitions else set()
    shown = [d for d in lesson.definitions if d.key in used]
    hidden = [d for d in lesson.definitions if d.key not in used]
    return LessonView(lesson, visible, shown, locked, hidden, settings.words_per_minute)


def cut_index(segments: list[Segment], pro_sections: tuple[str, ...], limit_seconds: float,
              words_per_minute: int) -> int:
    """Index of the first locked segment.

    The preview ends at the earliest of: the `<!-- pro -->` marker, the first `pro_sections`
    heading, or the block boundary where the reading time reaches the limit. It never ends
    on a heading: trailing headings move to the locked part with their section.
    """
    wanted = {normalise(title) for title in pro_sections}
    words = images = 0
    cut = len(segments) if limit_seconds > 0 else 0
    for index, segment in enumerate(segments[:cut]):
        if segment.kind is Kind.MARKER or (segment.title and is_pro_heading(segment, wanted)):
            cut = index
            break
        words += segment_words(segment)
        images += segment_images(segment)
        if seconds(words, images, words_per_minute) >= limit_seconds and segment.kind is not Kind.HEADING:
            cut = index + 1
            break
    while cut > 0 and segments[cut - 1].kind is Kind.HEADING:
        cut -= 1
    return cut


def is_pro_heading(segment: Segment, wanted: set[str]) -> bool:
    return segment.kind is Kind.HEADING and (
        normalise(segment.title) in wanted or (bool(segment.anchor) and normalise(segment.anchor) in wanted))


def normalise(title: str) -> str:
    return " ".join(title.casefold().split())

