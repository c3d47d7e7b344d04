"""A course project as the command line sees it: mkdocs.yml read by MkDocs itself.

MkDocs' own `load_config` resolves `INHERIT:`, `!ENV` and plugin options exactly as a build
does, and the first steps of a build (config, then files) classify every page and load
every lesson through the plugin, so `courseforge check` judges what a build would build.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.structure.files import get_files

from .plugin import compat
from .plugin.plugin import CourseforgePlugin

CONFIG_FILES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")


class ProjectError(Exception):
    """The project cannot be read: no config file, or a config MkDocs rejects."""


@dataclass
class Project:
    config_file: Path
    config: MkDocsConfig

    @property
    def root(self) -> Path:
        return self.config_file.resolve().parent

    @property
    def docs_dir(self) -> Path:
        return Path(self.config.docs_dir)

    @property
    def site_dir(self) -> Path:
        return Path(self.config.site_dir)

    @property
    def plugin(self) -> CourseforgePlugin:
        plugin = self.config.plugins.get("courseforge")
        if not isinstance(plugin, CourseforgePlugin):
            raise ProjectError(f"{self.config_file} does not list the courseforge plugin")
        if not plugin.config.enabled:
            # A site built without courseforge publishes every lesson whole: nothing to check or audit.
            raise ProjectError(f"{self.config_file} turns the courseforge plugin off (enabled: false); "
                               "its commands need it on")
        return plugin

    @property
    def edition(self) -> str:
        return self.plugin.config.edition

    @property
    def exercises_dir(self) -> Path:
        return self.root / self.plugin.config.exercises_dir

    def page_sources(self) -> dict[str, Path]:
        """The Markdown source of each built page, by its file in the site (`a/b/index.html`)."""
        return {file.dest_uri: Path(file.abs_src_path) for file in get_files(self.config)
                if file.is_documentation_page() and file.abs_src_path}

    def display(self, path: Path) -> str:
        """A path as messages show it: relative to the project, like `courseforge check`'s."""
        path = path.resolve()
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


def find_config(given: str | None) -> Path:
    """The config file given, else the one in this folder. MkDocs looks for mkdocs.yml first and
    ProperDocs for properdocs.yml first, so a folder with both is ambiguous: -f must say which."""
    if given:
        return Path(given)
    found = [Path(name) for name in CONFIG_FILES if Path(name).is_file()]
    if len(found) > 1:
        raise ProjectError(f"{' and '.join(map(str, found))} are both here; pass -f to say which one to use")
    if not found:
        raise ProjectError("no mkdocs.yml or properdocs.yml here; run inside a course project or pass -f")
    return found[0]


def load_project(config_file: Path, edition: str | None = None) -> Project:
    if not config_file.is_file():
        raise ProjectError(f"no {config_file} here; run inside a course project or pass -f")
    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # MkDocs' INFO lines are for builds
    try:
        config = load_config(str(config_file))
    except ConfigurationError as error:
        raise ProjectError(f"{config_file}: {error}") from error
    if compat.grouped("courseforge", config):
        # The group loads it during a build only, and a disabled group leaves MkDocs to publish every lesson whole.
        raise ProjectError(f"{config_file} lists courseforge inside Material's group plugin: list it under "
                           "plugins directly (its own `enabled` and `edition` options switch it)")
    project = Project(config_file, config)
    if edition:
        project.plugin.config["edition"] = edition
    return project


def load_course(project: Project) -> CourseforgePlugin:
    """Run a build's first steps: every page classified, every lesson loaded and checked.

    Raises MkDocs' PluginError with every author error at once.
    """
    config = project.config
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    config.plugins.on_files(get_files(config), config=config)
    return project.plugin


@dataclass(frozen=True)
class Checked:
    """What `courseforge check` found: the courses and lessons of every language, and warnings."""

    courses: int
    lessons: int
    warnings: list


def check_course(project: Project) -> Checked:
    """`load_course`, then again for each other language a translated site builds (mkdocs-static-i18n),
    as it builds it. Raises PluginError with every author error of the first language that has any."""
    plugin = load_course(project)
    plugin.draw_every_diagram()
    config = project.config
    courses, lessons, warnings = len(plugin.catalog.courses), len(plugin.catalog.lessons()), list(plugin.warnings)
    for _ in compat.other_languages(config):
        config = config.plugins.on_config(config)
        config.plugins.on_files(get_files(config), config=config)
        plugin.draw_every_diagram()
        courses, lessons = courses + len(plugin.catalog.courses), lessons + len(plugin.catalog.lessons())
        warnings += [warning for warning in plugin.warnings if warning not in warnings]
    return Checked(courses, lessons, warnings)
