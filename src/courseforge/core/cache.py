"""Results of render work kept between builds, by a hash of everything they depend on.

Proving a cut renders the whole lesson and its preview with Python-Markdown: most of a
public build. A result is stored under a hash of the lesson's Markdown, the settings, the
site's Markdown configuration and courseforge's own code, so an unchanged lesson costs
nothing on the next build or `serve` rebuild, and any change to any of them misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

CODE = Path(__file__).resolve().parent


def code_fingerprint() -> str:
    """courseforge's core as it is now: an edited module invalidates every stored result."""
    digest = hashlib.sha256()
    for path in sorted(CODE.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def stable(value: Any) -> Any:
    """A JSON-able form of configuration values: functions and objects by their qualified names."""
    if isinstance(value, dict):
        return {str(key): stable(item) for key, item in sorted(value.items(), key=lambda pair: str(pair[0]))}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [stable(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{value.__module__}.{value.__qualname__}"
    return f"{type(value).__module__}.{type(value).__qualname__}:{stable(getattr(value, '__dict__', {}))}"


class ResultCache:
    """JSON results in a folder; without a folder (or when it cannot be written) it stores nothing."""

    def __init__(self, folder: Path | None, salt: str) -> None:
        self.folder = folder
        self.salt = salt

    def get_or_make(self, make: Callable[[], Any], *depends_on: Any) -> Any:
        key = hashlib.sha256(json.dumps([self.salt, stable(depends_on)]).encode()).hexdigest()
        stored = self._read(key)
        if stored is not None:
            return stored
        value = make()
        self._write(key, value)
        return value

    def _read(self, key: str) -> Any:
        return None if self.folder is None else read_json(self.folder / f"{key}.json")

    def _write(self, key: str, value: Any) -> None:
        if self.folder is not None:
            write_json(self.folder / f"{key}.json", value)


def read_json(path: Path) -> Any:
    """A stored result, or None when it is missing or damaged."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_json(path: Path, value: Any) -> None:
    """Store a result; a project that cannot be written computes it again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader (another build, `serve`) never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(value, file, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        pass


class Memo:
    """Results kept in memory from one build to the next of the same process (`mkdocs serve`).

    Unlike ResultCache, the values are live objects: a lesson whose inputs did not change is the
    very object of the previous build, so every later step can recognise it by identity. What a
    build does not ask for is dropped when the next one starts.
    """

    def __init__(self) -> None:
        self._previous: dict[Any, Any] = {}
        self._current: dict[Any, Any] = {}

    def get(self, key: Any) -> Any:
        """The value stored under `key` in this build or the previous one, or None."""
        if key not in self._current and key in self._previous:
            self._current[key] = self._previous[key]
        return self._current.get(key)

    def put(self, key: Any, value: Any) -> Any:
        self._current[key] = value
        return value

    def next_build(self) -> None:
        self._previous, self._current = self._current, {}

    def clear(self) -> None:
        self._previous, self._current = {}, {}
