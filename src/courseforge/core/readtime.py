"""Reading time of Markdown text, computed from the source so it needs no HTML render.

Follows the rule of Material's blog plugin (itself Medium's): words divided by the reading
speed, plus 12 seconds for the first image or diagram, one second less for each next one
down to 3 seconds.
"""

from __future__ import annotations

from . import syntax


def count_words(markdown: str) -> int:
    """Words a reader reads: link targets, tags, attribute lists and diagram source excluded."""
    # Every course's text is counted on each build: skip the substitutions that cannot apply.
    text = markdown
    if "```" in text or "~~~" in text:
        text = syntax.DIAGRAM_FENCE.sub(" ", text)
    if "](" in text:
        text = syntax.LINK_TARGET.sub("]", text)
    if "{" in text:
        text = syntax.ATTRIBUTES.sub(" ", text)
    if "<" in text:
        text = syntax.HTML_TAG.sub(" ", text)
    return count_plain_words(text)


def count_plain_words(text: str) -> int:
    """Words of text with no markup left in it (a page's visible text)."""
    return len((syntax.ASCII_WORD if text.isascii() else syntax.WORD).findall(text))


def count_diagrams(markdown: str) -> int:
    if "```" not in markdown and "~~~" not in markdown:  # most blocks: no fence to look for
        return 0
    return len(syntax.DIAGRAM_FENCE.findall(markdown))


def count_images(markdown: str) -> int:
    images = len(syntax.IMAGE.findall(markdown)) if "![" in markdown or "<" in markdown else 0
    return count_diagrams(markdown) + images


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
