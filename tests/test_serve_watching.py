"""`mkdocs serve` between rebuilds: a save is seen at once, and garbage is collected while it waits.

Real watchdog observers on real folders; MkDocs' polling interval is set to an hour where a test
must show that the native events, not the polling, found the change.
"""

from __future__ import annotations

import gc
import queue
import time
from pathlib import Path

import pytest
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from courseforge.plugin import serve
from courseforge.plugin.serve import CHANGES, PromptPolling, TidyWhenIdle, prompt

HOUR = 3600


class Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: queue.Queue[FileSystemEvent] = queue.Queue()

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.put(event)

    def next_change(self, seconds: float = 10) -> FileSystemEvent:
        return self.events.get(timeout=seconds)


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    (folder / "course").mkdir(parents=True)
    (folder / "course" / "lesson.md").write_text("first", encoding="utf-8")
    return folder


def watching(observer, folder: Path) -> Seen:
    seen = Seen()
    observer.schedule(seen, str(folder), recursive=True)
    observer.start()
    return seen


def stop(observer) -> None:
    observer.stop()
    observer.join(10)


def test_a_save_reaches_mkdocs_at_once_through_its_own_snapshot_comparison(lessons):
    observer = PromptPolling(PollingObserver(timeout=HOUR))
    seen = watching(observer, lessons)
    try:
        lesson = lessons / "course" / "lesson.md"
        lesson.write_text("the second, longer version", encoding="utf-8")
        event = seen.next_change()
        # The polling emitter's event (its snapshot diff), an hour before its own look.
        assert (event.event_type, event.src_path) == ("modified", str(lesson))
    finally:
        stop(observer)


def test_a_new_file_in_a_new_folder_is_seen_too(lessons):
    observer = PromptPolling(PollingObserver(timeout=HOUR))
    seen = watching(observer, lessons)
    try:
        (lessons / "second").mkdir()
        (lessons / "second" / "index.md").write_text("new", encoding="utf-8")
        paths = set()
        while str(lessons / "second" / "index.md") not in paths:
            paths.add(seen.next_change().src_path)
    finally:
        stop(observer)


def test_watches_mkdocs_made_before_the_plugin_was_asked_are_prompt_too(lessons):
    polling = PollingObserver(timeout=HOUR)
    seen = Seen()
    polling.schedule(seen, str(lessons), recursive=True)  # MkDocs watches docs_dir before on_serve
    observer = prompt(polling)
    observer.start()
    try:
        (lessons / "course" / "lesson.md").write_text("edited before any poll", encoding="utf-8")
        assert seen.next_change().src_path == str(lessons / "course" / "lesson.md")
    finally:
        stop(observer)


def test_a_watched_file_replaced_by_an_editor_is_seen(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: A\n", encoding="utf-8")
    observer = PromptPolling(PollingObserver(timeout=HOUR))
    seen = Seen()
    observer.schedule(seen, str(config))  # MkDocs watches mkdocs.yml itself
    observer.start()
    try:
        for name in ("Renamed", "Renamed again"):  # the second save replaces the first save's file
            replacement = tmp_path / ".mkdocs.yml.swp"
            replacement.write_text(f"site_name: {name}\n", encoding="utf-8")
            replacement.replace(config)  # how vim and many editors save
            assert seen.next_change().src_path == str(config)
            while not seen.events.empty():
                seen.events.get()
    finally:
        stop(observer)


def test_reading_watched_files_is_no_change(lessons):
    """A build reads every lesson: the kernel is asked for changes only, or each build would wake a look."""
    native = Observer()
    seen = Seen()
    native.schedule(seen, str(lessons), recursive=True, event_filter=CHANGES)
    native.start()
    try:
        for _ in range(3):
            (lessons / "course" / "lesson.md").read_text(encoding="utf-8")
        list((lessons / "course").iterdir())
        (lessons / "course" / "lesson.md").write_text("written", encoding="utf-8")
        kinds = {seen.next_change().event_type}
        time.sleep(0.2)
        while not seen.events.empty():
            kinds.add(seen.events.get().event_type)
        assert kinds <= {"modified", "closed"}
    finally:
        stop(native)


def test_without_native_events_polling_goes_on_alone(lessons, monkeypatch):
    class Refused(Observer):
        def schedule(self, *args, **kwargs):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(serve, "Observer", Refused)
    observer = PromptPolling(PollingObserver(timeout=0.2))
    seen = watching(observer, lessons)
    try:
        (lessons / "course" / "lesson.md").write_text("found by polling", encoding="utf-8")
        assert seen.next_change().src_path == str(lessons / "course" / "lesson.md")
    finally:
        stop(observer)


def test_other_observers_are_left_as_they_are():
    native = Observer()
    assert prompt(native) is native


def test_a_quiet_moment_after_a_build_collects_garbage_and_freezes_the_rest():
    gc.unfreeze()
    tidy = TidyWhenIdle()
    try:
        tidy.built()
        deadline = time.monotonic() + 10
        while gc.get_freeze_count() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_a_save_during_the_wait_puts_the_tidy_off():
    gc.unfreeze()
    tidy = TidyWhenIdle()
    tidy.built()
    tidy.cancel()  # what the next build does first
    time.sleep(TidyWhenIdle.IDLE_SECONDS + 0.5)
    assert gc.get_freeze_count() == 0
