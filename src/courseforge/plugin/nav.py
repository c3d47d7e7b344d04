"""Navigation: the course nav built from `order` and modules, and a lighter nav per page.

Per-page navs: with `navigation.prune`, Material prints an inactive section as one link to
its first page, yet its template still walks every item of every section on every page (for
`navigation.indexes` among others), so a build grows with the square of the course count.
Handing each page a nav whose inactive sections hold only the first page they link to keeps
the walk to one course and renders the same HTML (with fewer blank template lines).
"""

from __future__ import annotations

from markupsafe import Markup, escape
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from ..core.model import Catalog, Course, Lesson


def build_nav(catalog: Catalog, pages: list[str], home: str, home_title: str) -> list:
    """Home (titled `home_title`), then each course with its lessons in order, modules as sections;
    then other pages."""
    nav: list = [{_title(home_title): home}]
    for course in catalog.courses:
        nav.append({_title(course.title): [course.path, *_module_items(course, course.lessons, 0)]})
    listed = {home} | {c.path for c in catalog.courses} | {lesson.path for lesson in catalog.lessons()}
    nav.extend(path for path in pages if path not in listed)
    return nav


def _title(text: str) -> Markup:
    # Escaped once, as Markup: Material prints nav titles as they are, and `| e` leaves Markup alone.
    return escape(text)


def _module_items(course: Course, lessons: list[Lesson], depth: int) -> list:
    items: list = []
    index = 0
    while index < len(lessons):
        parts = lessons[index].module.split("/") if lessons[index].module else []
        if len(parts) <= depth:
            items.append({_title(lessons[index].title): lessons[index].path})
            index += 1
            continue
        module = "/".join(parts[:depth + 1])
        group = []
        while index < len(lessons) and (lessons[index].module + "/").startswith(module + "/"):
            group.append(lessons[index])
            index += 1
        items.append({_title(course.module_title(module)): _module_items(course, group, depth + 1)})
    return items


def prunes_inactive_sections(features: list[str]) -> bool:
    """True when Material prints every inactive top-level section as a single link."""
    # navigation.sections (without tabs) prints top-level sections expanded, active or not.
    expanded = "navigation.sections" in features and "navigation.tabs" not in features
    return "navigation.prune" in features and not expanded


class PageNavs:
    """One Navigation per top-level section (plus one for pages outside every section)."""

    def __init__(self, nav: Navigation) -> None:
        self.nav = nav
        self.stand_ins: dict[int, Page | Section | Link] = {}  # by id() of a top-level item
        self.cache: dict[int, Navigation] = {}  # by id() of the page's top-level section

    def for_page(self, page: Page) -> Navigation:
        top = page.ancestors[-1] if page.ancestors else None
        if id(top) not in self.cache:
            # nav.items is read here, when pages render, not in on_nav: plugins whose on_nav runs
            # later add, drop or reorder items (print-site appends its "Print Site" page), so each
            # item is matched to its stand-in by identity, never by position.
            items = [item if item is top else self._stand_in(item) for item in self.nav.items]
            self.cache[id(top)] = Navigation(items, self.nav.pages)
        return self.cache[id(top)]

    def _stand_in(self, item: Page | Section | Link) -> Page | Section | Link:
        if id(item) not in self.stand_ins:
            self.stand_ins[id(item)] = _collapse(item)
        return self.stand_ins[id(item)]


def _collapse(item: Page | Section | Link) -> Page | Section | Link:
    """A stand-in for an inactive section: only the chain of first children Material links to."""
    if not isinstance(item, Section) or not item.children:
        return item
    return Section(item.title, [_collapse(item.children[0])])
