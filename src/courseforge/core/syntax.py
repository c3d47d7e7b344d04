"""Every Markdown pattern courseforge knows, in one place.

These patterns only *propose* things (where a block may end, which words a reader reads);
Python-Markdown, run with the site's own extensions, has the last word on how a lesson
renders (see `rendering.py`), so a pattern that misreads a construct can make a preview
shorter, never leak.
"""

from __future__ import annotations

import re
import unicodedata

from markdown.inlinepatterns import HTML_RE

# --- blocks -----------------------------------------------------------------------------
FENCE_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
# As pymdownx.blocks reads an opener (`/// name | title`): footnotes' `///Footnotes Go Here///` is none.
SLASH_BLOCK_OPEN = re.compile(r"^(?P<slashes>/{3,})[ ]*[\w-]+[ ]*(?:\|.*)?$")
SLASH_BLOCK_CLOSE = re.compile(r"^(?P<slashes>/{3,})\s*$")
ATX_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t#]*$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)\s*$")
LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")
THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # `- - -` is a rule, not a list item
# Python-Markdown nests a list only under an indent of 4 spaces (its tab_length).
NESTED_LIST_INDENT = 4
# A raw HTML block starts with a tag at the start of a line; tags elsewhere are inline HTML.
HTML_BLOCK_START = re.compile(r"^ {0,3}<(?P<tag>[a-zA-Z][\w-]*)\b")
HTML_OPEN = re.compile(r"<(div|details|figure|section|aside|table|blockquote|article|nav)\b", re.IGNORECASE)
HTML_CLOSE = re.compile(r"</(div|details|figure|section|aside|table|blockquote|article|nav)\s*>", re.IGNORECASE)
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")

# --- pages ------------------------------------------------------------------------------
# A folder's index page: `index.md`, or one language's (`index.fr.md`: mkdocs-static-i18n's suffix layout).
INDEX_PAGE = re.compile(r"^index(?:\.[a-z]{2,3}(?:[_-][A-Za-z0-9]+)?)?\.md$")

# --- courseforge's own lines ------------------------------------------------------------
# Indented by four spaces or a tab, a line is code (Python-Markdown's indented code block): an example.
MARKER = re.compile(r"^ {0,3}<!--\s*pro\s*-->\s*$", re.IGNORECASE)
# The marker wherever it stands, in a blockquote too (`> <!-- pro -->`): every one must be a top-level block.
ANY_MARKER = re.compile(r"^\s*(?:>\s*)*<!--\s*pro\s*-->\s*$", re.IGNORECASE)
MARKER_HTML = re.compile(r"<!--\s*pro\s*-->", re.IGNORECASE)
# An exercise id: a file's path in exercises/ without `.yml` (`sql/joins`), never one out of it.
EXERCISE_ID = re.compile(r"\w[\w.-]*(?:/\w[\w.-]*)*")
PLACEMENT = re.compile(r"^\s*<!--\s*(?P<kind>exercise|example|visual|download|quiz)\s*:\s*(?P<ref>.+?)\s*-->\s*$")

# --- headings ---------------------------------------------------------------------------
# An attribute list written `{#id …}`: a Jinja pass over the page (mkdocs-macros) reads `{#`
# as the start of a comment and fails, or swallows text up to a later `#}`.
JINJA_COMMENT_ATTRIBUTES = re.compile(r"\{#[A-Za-z_][\w-]*(?:\s[^}\n]*)?\}")
HEADING_ID = re.compile(r"\s*\{:?\s*[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
ATTR_LIST = re.compile(r"\s*\{:?[^}]*\}\s*$")

# --- definitions: which extension gives each kind its meaning -----------------------------
DEFINITIONS = {
    "footnote": re.compile(r"^ {0,3}\[\^(?P<label>[^\]]+)\]:"),
    "abbreviation": re.compile(r"^ {0,3}\*\[(?P<label>[^\]]+)\]:"),
    "link": re.compile(r"^ {0,3}\[(?P<label>[^\]^][^\]]*)\]:"),
}
DEFINITION_EXTENSIONS = {"footnote": "footnotes", "abbreviation": "abbr", "link": None}  # None: core Markdown
# A link definition's URL and title on the lines after it, as Python-Markdown's reference processor reads them.
LINK_WITHOUT_URL = re.compile(r"^ {0,3}\[[^\]^][^\]]*\]:[ \t]*$")  # its URL on the next line
LINK_TITLE_LINE = re.compile(r"""^\s*(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\))\s*$""")

# --- reading --------------------------------------------------------------------------
WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*")
# The same words in ASCII text, matched faster: [^\W_] is [A-Za-z0-9] there, and ’ cannot occur.
ASCII_WORD = re.compile(r"[A-Za-z0-9]+(?:['.-][A-Za-z0-9]+)*")
DIAGRAM_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*mermaid\b.*?^\s*\1\s*$", re.DOTALL | re.MULTILINE | re.IGNORECASE)
IMAGE = re.compile(r"!\[[^\]]*\][(\[]|<img\b", re.IGNORECASE)
LINK_TARGET = re.compile(r"\]\([^)]*\)")
# What Python-Markdown itself takes for a tag or comment: `latency < 200 ms … a -> b` is text.
HTML_TAG = re.compile(HTML_RE, re.DOTALL)
# An attribute list as attr_list writes one (`{: #id .class key="value" }`), not any braced text.
_ATTRIBUTE = r"""(?:[#.][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]+))"""
ATTRIBUTES = re.compile(rf"\{{:?[ \t]*{_ATTRIBUTE}(?:[ \t]+{_ATTRIBUTE})*[ \t]*\}}")

# Mermaid's own text alternative: `accTitle: …`, `accDescr: …` or a multi-line `accDescr { … }`.
ACCESSIBLE_DIAGRAM = re.compile(r"^\s*acc(Title|Descr)\s*[:{]", re.MULTILINE)


def is_indented(line: str) -> bool:
    return line.startswith(("    ", "\t"))


def is_index_page(path: str) -> bool:
    return INDEX_PAGE.match(path.rpartition("/")[2]) is not None


def without_code_spans(line: str) -> str:
    """A line with its inline code removed: "`<figure>`" mentions a tag, it does not open one."""
    return CODE_SPAN.sub("", line) if "`" in line else line


def slug(text: str) -> str:
    """A URL- and id-safe slug, used to refer to structured parts by title."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def normalise(title: str) -> str:
    """A heading title as `pro_sections` compares it: case and spacing do not matter."""
    return " ".join(title.casefold().split())


def definition_key(kind: str, label: str) -> str:
    return {"footnote": "^", "abbreviation": "*", "link": ""}[kind] + label.strip().lower()
