"""Lesson renders and search entries kept on disk from one `mkdocs build` to the next.

A render is reused only for the very Markdown it was made from (by hash), on a page at the
same address among the same files, by the same code with the same settings: every entry is
keyed by mkdocs.yml, the plugins and the files' addresses (see memo.py), every installed
package's version, the source of every module imported from outside the installed packages
(an editable courseforge, local code) and the resolved settings a render reads. Anything else
misses, and the page is rendered as MkDocs would. Entries are JSON, not pickle: a cache
restored in CI is data, never code.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.toc import TableOfContents, get_toc

from ..core.cache import read_json, stable, write_json

FORMAT = 1  # bump when what is stored changes shape
INSTALLED = tuple(Path(p).resolve() for p in {sys.prefix, sys.base_prefix})
PACKAGE = Path(__file__).resolve().parent.parent
# The settings a page's render or its search entries read, besides its Markdown and the files.
RENDER_SETTINGS = ("markdown_extensions", "mdx_configs", "validation", "use_directory_urls", "site_url")


def digest(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class LogLine:
    """A message MkDocs logged while rendering a page, told again when the render is reused."""

    logger: str
    level: int
    message: str

    @classmethod
    def of(cls, record: logging.LogRecord) -> LogLine:
        return cls(record.name, record.levelno, record.getMessage())

    def emit(self) -> None:
        logging.getLogger(self.logger).log(self.level, self.message)


@dataclass
class Rendered:
    content: str
    toc: TableOfContents
    title: str | None
    anchors: set[str]
    links: dict[str, dict[str, str]]  # links_to_anchors, by the linked page's src_uri
    log: list[LogLine]

    def to_json(self) -> dict:
        return {"content": self.content, "toc": _toc_tokens(self.toc), "title": self.title,
                "anchors": sorted(self.anchors), "links": self.links,
                "log": [[line.logger, line.level, line.message] for line in self.log]}

    @classmethod
    def from_json(cls, data: dict) -> Rendered:
        return cls(data["content"], get_toc(data["toc"]), data["title"], set(data["anchors"]), data["links"],
                   [LogLine(*line) for line in data["log"]])


class StoredRenders:
    """One configuration's and edition's store: a folder of JSON entries, each named by a hash of
    the build key and what the entry was made from, so a lookup is a file read and a changed key
    simply misses. At the end of a build, entries it did not use are deleted."""

    def __init__(self, folder: Path, name: str) -> None:
        self.folder = folder / digest(name)[:20]
        self.key = ""
        self.used: set[str] = set()

    def begin(self, config: MkDocsConfig, pages: str) -> None:
        self.key = digest([FORMAT, pages, _code(), _settings(config)])
        self.used = set()

    def get(self, *made_from: str) -> Any:
        name = self._name(made_from)
        value = read_json(self.folder / name)
        if value is not None:
            self.used.add(name)
        return value

    def put(self, value: Any, *made_from: str) -> None:
        name = self._name(made_from)
        self.used.add(name)
        write_json(self.folder / name, value)

    def end(self) -> None:
        """Keep only what this build used: the store never outgrows one site."""
        for path in self.folder.glob("*.json") if self.folder.is_dir() else ():
            if path.name not in self.used:
                path.unlink(missing_ok=True)

    def _name(self, made_from: tuple[str, ...]) -> str:
        return f"{digest([self.key, *made_from])[:40]}.json"


def _toc_tokens(toc: TableOfContents) -> list[dict]:
    def tokens(items: list) -> list[dict]:
        return [{"name": item.title, "id": item.id, "level": item.level, "children": tokens(item.children)}
                for item in items]
    return tokens(list(toc))


@cache
def _installed() -> tuple:
    return tuple(sorted((dist.metadata["Name"] or "", dist.version) for dist in metadata.distributions()))


@cache
def _courseforge() -> str:
    """courseforge's own source: an installed courseforge changes without its version changing
    whenever it is reinstalled from a newer checkout."""
    return digest([(path.relative_to(PACKAGE).as_posix(), hashlib.sha256(path.read_bytes()).hexdigest())
                   for path in sorted(PACKAGE.rglob("*.py"))])


def _code() -> str:
    """Every installed package's version, courseforge's source and the source of every module
    imported from outside the installed packages."""
    local = []
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file or not file.endswith(".py"):
            continue
        path = Path(file).resolve()
        if not any(path.is_relative_to(prefix) for prefix in INSTALLED):
            try:
                local.append((str(path), hashlib.sha256(path.read_bytes()).hexdigest()))
            except OSError:
                local.append((str(path), "unreadable"))
    return digest([_installed(), _courseforge(), sorted(local)])


def _settings(config: MkDocsConfig) -> Any:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    settings = {key: _plain(config.get(key)) for key in RENDER_SETTINGS}
    settings["markdown_extensions"] = [_extension(item) for item in config.markdown_extensions]
    settings["search"] = _plain(getattr(search, "config", None))
    return stable(settings)


def _extension(item: Any) -> Any:
    if isinstance(item, str):
        return item
    configs = item.getConfigs() if hasattr(item, "getConfigs") else {}
    return [f"{type(item).__module__}.{type(item).__qualname__}", _plain(configs)]


def _plain(value: Any) -> Any:
    """Settings objects (MkDocs' Config is a Mapping, not a dict) as plain data for `stable`."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
