"""Just enough of mkdocs.yml for the command line, read without importing MkDocs.

MkDocs' own YAML tags (`!ENV`, `!!python/name:`) are resolved leniently: `!ENV` as MkDocs
does, anything else as plain text, since only a few courseforge settings are needed here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .preview import Settings


class _LenientLoader(yaml.SafeLoader):
    pass


def _env(loader: yaml.Loader, node: yaml.Node) -> Any:
    names = [loader.construct_scalar(node)] if isinstance(node, yaml.ScalarNode) else loader.construct_sequence(node)
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if v in os.environ), default)


def _any_tag(loader: yaml.Loader, suffix: str, node: yaml.Node) -> Any:
    return None if not isinstance(node, yaml.ScalarNode) else loader.construct_scalar(node)


_LenientLoader.add_constructor("!ENV", _env)
_LenientLoader.add_multi_constructor("", _any_tag)


@dataclass(frozen=True)
class Project:
    root: Path
    docs_dir: Path
    exercises_dir: Path
    site_dir: Path
    settings: Settings
    edition: str


def load_project(config_file: Path) -> Project:
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader) or {}
    root = config_file.resolve().parent
    options = _plugin_options(data.get("plugins") or [])
    return Project(
        root=root,
        docs_dir=root / data.get("docs_dir", "docs"),
        exercises_dir=root / options.get("exercises_dir", "exercises"),
        site_dir=root / data.get("site_dir", "site"),
        settings=Settings(int(options.get("words_per_minute", 230)), float(options.get("preview", 3))),
        edition=str(options.get("edition") or "public"),
    )


def _plugin_options(plugins: list | dict) -> dict:
    entries = plugins.items() if isinstance(plugins, dict) else (
        next(iter(p.items())) if isinstance(p, dict) else (p, {}) for p in plugins)
    for name, options in entries:
        if name == "courseforge":
            return options or {}
    return {}
