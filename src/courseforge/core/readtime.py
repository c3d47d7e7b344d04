"""Reading time of Markdown text, computed from the source so it needs no HTML render.

Follows the rule of Material's blog plugin (itself Medium's): words divided by the reading
speed, plus 12 seconds for the first image or diagram, one second less for each next one
down to 3 seconds.
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
ASCII_WORD = re.compile(WORD.pattern, re.ASCII)  # same words in ASCII text, matched faster
DIAGRAM_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*mermaid\b.*?^\s*\1\s*$", re.DOTALL | re.MULTILINE | re.IGNORECASE)
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img\b", re.IGNORECASE)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
HTML_TAG = re.compile(r"<[^>]+>")
ATTRIBUTES = re.compile(r"\{:?[^}\n]*\}")


def count_words(markdown: str) -> int:
    """Words a reader reads: link targets, tags, attribute lists and diagram source excluded."""
    # Every course's text is counted on each build: skip the substitutions that cannot apply.
    text = markdown
    if "```" in text or "~~~" in text:
        text = DIAGRAM_FENCE.sub(" ", text)
    if "](" in text:
        text = LINK_TARGET.sub("]", text)
    if "{" in text:
        text = ATTRIBUTES.sub(" ", text)
    if "<" in text:
        text = HTML_TAG.sub(" ", text)
    return len((ASCII_WORD if text.isascii() else WORD).findall(text))


def count_diagrams(markdown: str) -> int:
    return len(DIAGRAM_FENCE.findall(markdown))


def count_images(markdown: str) -> int:
    return count_diagrams(markdown) + len(IMAGE.findall(markdown))


def seconds(words: int, images: int, words_per_minute: int) -> float:
    total = words / words_per_minute * 60
    delta = 12
    for _ in range(images):
        total += delta
        delta = max(3, delta - 1)
    return total


def minutes(total_seconds: float) -> int:
    """Whole minutes as shown to learners: rounded, and never 0 for some text."""
    return max(1, round(total_seconds / 60)) if total_seconds > 0 else 0
