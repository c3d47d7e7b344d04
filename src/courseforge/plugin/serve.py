"""`mkdocs serve` that never lies: it watches every file a lesson is made of, and while a build
fails it serves the reason on every URL instead of a stale site or a request that never returns.

MkDocs watches docs_dir and mkdocs.yml only. Lessons are also made of exercise files and of the
files pymdownx.snippets includes, so those folders are watched too.

MkDocs looks for changes every half second, by comparing snapshots of the watched folders:
native file events miss changes on Docker and network mounts. PromptPolling keeps that
comparison and only starts it at once when the operating system reports a change, so a save
shows sooner where native events work, and as before where they do not.

When a rebuild raises, MkDocs logs it and keeps the previous build "in progress": every page
request then waits for a build that never finishes. The builder is wrapped so that a failed
build leaves a small error site (the problems, file:line: key: message, as `mkdocs build` prints
them) and counts as finished; the next save rebuilds and the normal site comes back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.utils import clean_directory
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

log = get_plugin_logger(__name__)
# Native events that mean a change ("closed": after writing). Not opening or reading: a build reads
# every watched file, and asking the kernel for those events too costs a rebuild a third more.
CHANGES = [DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent, FileDeletedEvent,
           FileModifiedEvent, FileMovedEvent]

# Polls MkDocs' own live-reload endpoint: /livereload/0/0 answers the current build at once,
# /livereload/<build>/0 answers when a newer build is there. The 404 page MkDocs serves for
# unknown URLs gets no live-reload script of its own.
RELOAD_SCRIPT = """
fetch("/livereload/0/0").then(r => r.text()).then(function wait(epoch) {
  fetch("/livereload/" + epoch + "/0").then(r => r.text())
    .then(now => now !== epoch ? location.reload() : wait(epoch), () => setTimeout(() => location.reload(), 3000));
});
"""


def watched_paths(config: MkDocsConfig, exercises_dir: Path) -> list[Path]:
    """Folders and files lessons are made of that MkDocs itself does not watch."""
    return [path for path in dict.fromkeys([exercises_dir, *snippet_folders(config)]) if path.exists()]


def snippet_folders(config: MkDocsConfig) -> list[Path]:
    """Where pymdownx.snippets reads included files from (see _watchable), existing ones only."""
    root = Path(config.config_file_path or ".").resolve().parent
    docs_dir = Path(config.docs_dir).resolve()
    site_dir = Path(config.site_dir).resolve()  # what the build writes: no snippet comes from there
    paths = [path for base in _snippet_bases(config) for path in _watchable(base, root, docs_dir)]
    return [path for path in paths if path.exists() and path.resolve() != site_dir]


def _snippet_bases(config: MkDocsConfig) -> list[Path]:
    names = [e if isinstance(e, str) else type(e).__module__ for e in config.markdown_extensions]
    if "pymdownx.snippets" not in names:
        return []
    bases = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    # Relative to the working folder, as pymdownx.snippets reads them.
    return [Path(base).resolve() for base in ([bases] if isinstance(bases, str) else bases)]


def _watchable(base: Path, root: Path, docs_dir: Path) -> list[Path]:
    """`base`, or, when it holds the whole project, what the project holds besides hidden folders
    (.git, .venv, the build cache: watching those would rebuild on every build) and docs_dir."""
    if not (root == base or root.is_relative_to(base)):
        return [base]
    return [entry for entry in sorted(root.iterdir())
            if not entry.name.startswith(".") and entry.resolve() != docs_dir]


class PromptPolling:
    """MkDocs' polling observer, which compares snapshots at once when a native file event arrives.

    Events reach MkDocs only from the snapshot comparison, exactly as without this: one rebuild
    per change, whichever look finds it first. Where native events fail (mounts, inotify limits),
    the half-second polling goes on alone.
    """

    def __init__(self, polling: PollingObserver) -> None:
        self._polling = polling
        self._native = Observer()
        self._wake = threading.Event()
        self._stopping = False
        self._looker = threading.Thread(target=self._look_when_woken, name="courseforge-prompt-polling", daemon=True)
        for emitter in polling.emitters.copy():  # what MkDocs watched before on_serve
            self._watch_natively(emitter.watch.path, emitter.watch.is_recursive)

    def schedule(self, handler: FileSystemEventHandler, path: str, *, recursive: bool = False,
                 **options: Any) -> ObservedWatch:
        watch = self._polling.schedule(handler, path, recursive=recursive, **options)
        self._watch_natively(path, recursive)
        return watch

    def unschedule(self, watch: ObservedWatch) -> None:
        self._polling.unschedule(watch)  # its native watch only wakes a look that finds nothing

    def start(self) -> None:
        self._polling.start()  # first: each emitter takes its first snapshot before a look can compare
        self._looker.start()
        _quietly(self._native.start)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        _quietly(self._native.stop)
        self._polling.stop()

    def join(self, timeout: float | None = None) -> None:
        self._polling.join(timeout)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._polling, name)  # anything else MkDocs or a plugin asks of the observer

    def _watch_natively(self, path: str, recursive: bool) -> None:
        _quietly(lambda: self._native.schedule(_Waker(self._wake), path, recursive=recursive, event_filter=CHANGES))

    def _look_when_woken(self) -> None:
        while True:
            self._wake.wait()
            if self._stopping:
                return
            self._wake.clear()  # a burst of events (a save, a checkout) wakes one look, not one each
            for emitter in self._polling.emitters.copy():
                emitter.queue_events(0)  # MkDocs' own comparison, now instead of within half a second


class _Waker(FileSystemEventHandler):
    def __init__(self, wake: threading.Event) -> None:
        self._wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._wake.set()


def prompt(observer: BaseObserver) -> BaseObserver | PromptPolling:
    """MkDocs' observer, made prompt when it is the polling one it has used since 1.2."""
    return PromptPolling(observer) if isinstance(observer, PollingObserver) else observer


def _quietly(action: Callable[[], object]) -> None:
    """Native watching is a speed-up: where the system refuses it (inotify limits), polling remains."""
    try:
        action()
    except OSError as error:
        log.debug(f"native file events unavailable, polling only: {error}")


class TidyWhenIdle:
    """Python's garbage collection of the whole heap, moved out of rebuilds into the wait for a save.

    A rebuild allocates about as much as the site it replaces, so most rebuilds would run a
    collection of the oldest generation, which scans every live object (at 800 lessons, a tenth
    to a quarter of a rebuild). Once a build has been served and nothing happened for a moment,
    this collects the last build's garbage and freezes what stays (the pages, the memo): the next
    rebuild's collections then scan only what it makes. Unfreezing first lets the next tidy
    collect what the next build drops.
    """

    IDLE_SECONDS = 1.0

    def __init__(self) -> None:
        self._timer: threading.Timer | None = None

    def built(self) -> None:
        self.cancel()
        self._timer = threading.Timer(self.IDLE_SECONDS, self._tidy)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    @staticmethod
    def _tidy() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def keep_serving(builder: Callable[[], None], site_dir: Path, problems: Callable[[], list[str]],
                 tidy: TidyWhenIdle) -> Callable[[], None]:
    """`builder`, turned so that a failed build serves why it failed instead of hanging."""
    def build() -> None:
        tidy.cancel()  # a save during the wait: build now, tidy after
        try:
            builder()
        except Exception as error:  # noqa: BLE001 - any failure: the author must see it, not a stale site
            reasons = problems() or [str(error) or type(error).__name__]
            write_error_site(site_dir, reasons)
            log.error("the preview shows the problems above until they are fixed")
        tidy.built()
    tidy.built()  # the first build, made before `serve` asks plugins for their watches
    return build


def write_error_site(site_dir: Path, reasons: list[str]) -> None:
    """A one-page site: `index.html` for the root and `404.html`, which MkDocs serves for every other URL."""
    clean_directory(str(site_dir))
    items = "\n".join(f"<li><code>{escape(reason)}</code></li>" for reason in reasons)
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Build failed - courseforge preview</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
li{{margin:.5rem 0}}code{{white-space:pre-wrap}}</style></head>
<body><main><h1>The site cannot be built</h1>
<p>Fix these problems and save: this page reloads with the site.</p>
<ul>
{items}
</ul></main><script>{RELOAD_SCRIPT}</script></body></html>
"""
    site_dir.mkdir(parents=True, exist_ok=True)
    for name in ("index.html", "404.html"):
        (site_dir / name).write_text(page, encoding="utf-8")
