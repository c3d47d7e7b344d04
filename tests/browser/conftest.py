"""Browser fixtures: built sites served on 127.0.0.1, Debian's Chromium driven by Playwright.

The sites come from the session builds in tests/conftest.py: the sample course at the
repository root when it has lessons, else the canary fixture. Every test gets a fresh
browser context whose console errors, page errors and off-machine requests are recorded
and checked when the test ends.
"""

from __future__ import annotations

import functools
import html
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("COURSEFORGE_CHROMIUM", "/usr/bin/chromium")
LOCAL_HOSTS = {"127.0.0.1"}
# Serve another courseforge.js to every page, e.g. a deliberately broken one to check that
# the tests notice (mutation testing).
SCRIPT_OVERRIDE = os.environ.get("COURSEFORGE_TEST_SCRIPT")


def sample_course_exists() -> bool:
    """COURSEFORGE_BROWSER_SITE=canary|sample forces a choice; else the sample once it has lessons."""
    forced = os.environ.get("COURSEFORGE_BROWSER_SITE")
    if forced:
        return forced == "sample"
    return any((ROOT / "lessons").rglob("*.md"))


# ---------------------------------------------------------------------------- sites

@dataclass
class Site:
    """A built site folder, served over HTTP, with helpers to find pages by their HTML."""

    folder: Path
    base: str
    edition: str
    _html: dict[str, str] = field(default_factory=dict, repr=False)

    def url(self, page: str) -> str:
        return self.base + page

    @property
    def pages(self) -> list[str]:
        """Site-relative URL of every index.html ("" for the home page)."""
        if not self._html:
            for path in sorted(self.folder.rglob("index.html")):
                rel = path.relative_to(self.folder).parent.as_posix()
                self._html["" if rel == "." else rel + "/"] = path.read_text("utf-8")
        return list(self._html)

    def html(self, page: str) -> str:
        self.pages  # noqa: B018 - fills the cache
        return self._html[page]

    def pages_with(self, needle: str | re.Pattern) -> list[str]:
        test = (lambda h: needle.search(h) is not None) if isinstance(needle, re.Pattern) else (lambda h: needle in h)
        return [p for p in self.pages if test(self.html(p))]

    def first_with(self, needle: str | re.Pattern) -> str:
        found = self.pages_with(needle)
        if not found:
            pytest.fail(f"no page of the {self.edition} site at {self.folder} contains {needle!r}")
        return found[0]

    def count(self, page: str, needle: str) -> int:
        return self.html(page).count(needle)

    def lesson_pages(self) -> list[str]:
        return self.pages_with('class="cf-lesson"')

    def course_of(self, page: str) -> str:
        """The course page a lesson links to from its eyebrow."""
        match = re.search(r'<p class="cf-eyebrow">[^<]*<a href="([^"]+)"', self.html(page))
        assert match, f"{page} has no course link in its eyebrow"
        return urljoin(self.base + page, html.unescape(match.group(1)))[len(self.base):]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # noqa: D401 - keep pytest output clean
        pass


def _serve(folder: Path):
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def serve():
    """Serve a folder on a free port of 127.0.0.1; returns its base URL. One server per folder."""
    servers: dict[Path, http.server.ThreadingHTTPServer] = {}

    def start(folder: Path) -> str:
        if folder not in servers:
            servers[folder] = _serve(folder)
        return f"http://127.0.0.1:{servers[folder].server_address[1]}/"

    yield start
    for server in servers.values():
        server.shutdown()
        server.server_close()


def _site(request, serve, edition: str, which: str | None = None) -> Site:
    which = which or ("sample" if sample_course_exists() else "canary")
    folder = request.getfixturevalue(f"{which}_{edition}")
    return Site(folder=folder, base=serve(folder), edition=edition)


@pytest.fixture(scope="session")
def pro_site(request, serve) -> Site:
    """The pro edition of the sample course (or of the canary course until the sample exists)."""
    return _site(request, serve, "pro")


@pytest.fixture(scope="session")
def public_site(request, serve) -> Site:
    return _site(request, serve, "public")


@pytest.fixture(params=["public", "pro"])
def edition_site(request, serve) -> Site:
    """Each edition in turn, for features that both show (e.g. on free lessons)."""
    return _site(request, serve, request.param)


@pytest.fixture(scope="session")
def all_sites(request, serve) -> list[Site]:
    """Both editions of the sample course (when it exists) and of the canary course."""
    names = (["sample"] if sample_course_exists() else []) + ["canary"]
    return [_site(request, serve, edition, name) for name in names for edition in ("public", "pro")]


# ---------------------------------------------------------------------------- browser

@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (scripts/test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-background-networking"])
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a browser context did that a learner's browser must never do."""

    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        def console(message):
            if message.type == "error":
                self.console_errors.append(f"{page.url}: {message.text}")
            elif message.type == "warning":
                self.console_warnings.append(f"{page.url}: {message.text}")
        page.on("console", console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))

    def assert_clean(self) -> None:
        assert self.page_errors == [], "uncaught errors in the page"
        assert self.console_errors == [], "console errors"
        assert self.console_warnings == [], "console warnings"
        assert self.foreign_requests == [], "requests that left 127.0.0.1"


def _new_context(browser, watch: Watch, **options):
    context = browser.new_context(viewport=options.pop("viewport", {"width": 1280, "height": 900}),
                                  accept_downloads=True, **options)

    def route(route):
        url = route.request.url
        watch.requests.append(url)
        parts = urlsplit(url)
        if parts.hostname not in LOCAL_HOSTS:
            watch.foreign_requests.append(url)
            return route.abort()
        if SCRIPT_OVERRIDE and parts.path.endswith("/courseforge/courseforge.js"):
            return route.fulfill(path=SCRIPT_OVERRIDE, content_type="text/javascript")
        if parts.path.endswith("/sitemap.xml"):
            # Material's instant navigation only follows links listed in sitemap.xml, which
            # holds site_url addresses; serve it as if the site were deployed at this address.
            response = route.fetch()
            origin = f"{parts.scheme}://{parts.netloc}"
            body = re.sub(r"<loc>https?://[^/<]+", f"<loc>{origin}", response.text())
            return route.fulfill(response=response, body=body)
        return route.continue_()

    context.route("**/*", route)
    context.on("page", watch.attach)
    return context


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def context(browser, watch):
    """A fresh context (empty storage) whose pages are watched; checked when the test ends."""
    ctx = _new_context(browser, watch)
    yield ctx
    ctx.close()
    watch.assert_clean()


@pytest.fixture
def new_context(browser, watch):
    """Make further watched contexts, e.g. with another viewport or colour scheme."""
    made = []

    def make(**options):
        made.append(_new_context(browser, watch, **options))
        return made[-1]

    yield make
    for ctx in made:
        ctx.close()
    watch.assert_clean()


@pytest.fixture
def page(context):
    return context.new_page()


def pytest_collection_modifyitems(items):
    # One unexplained hang was seen once under heavy machine load: a browser test that
    # times out gets two more tries instead of blocking the suite. Failures that repeat
    # still fail.
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.flaky(reruns=2, reruns_delay=1))
