"""Per-page navigation: each page gets a nav in which only its own top-level section is whole.

With `navigation.prune`, Material prints an inactive section as one link to its first page,
yet its template still walks every item of every section on every page (for
`navigation.indexes` among others), so a build grows with the square of the course count.
Handing each page a nav whose inactive sections hold only the first page they link to keeps
the walk to one course and renders the same HTML (with fewer blank template lines).
"""

from __future__ import annotations

from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page


def prunes_inactive_sections(features: list[str]) -> bool:
    """True when Material prints every inactive top-level section as a single link."""
    # navigation.sections (without tabs) prints top-level sections expanded, active or not.
    expanded = "navigation.sections" in features and "navigation.tabs" not in features
    return "navigation.prune" in features and not expanded


class PageNavs:
    """One Navigation per top-level section (plus one for pages outside every section)."""

    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self.collapsed = [_collapse(item) for item in nav.items]
        self.cache: dict[int, Navigation] = {}  # by id() of the page's top-level section

    def for_page(self, page: Page) -> Navigation:
        top = page.ancestors[-1] if page.ancestors else None
        if id(top) not in self.cache:
            pairs = zip(self.nav.items, self.collapsed, strict=True)
            items = [item if item is top else stand_in for item, stand_in in pairs]
            self.cache[id(top)] = Navigation(items, self.nav.pages)
        return self.cache[id(top)]


def _collapse(item: Page | Section | Link) -> Page | Section | Link:
    """A stand-in for an inactive section: only the chain of first children Material links to."""
    if not isinstance(item, Section) or not item.children:
        return item
    return Section(item.title, [_collapse(item.children[0])])
