"""Build one edition in-process with MkDocs, atomically replacing the previous site."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


def build_site(config_file: Path, edition: str, site_dir: Path) -> Path:
    """A strict build of one edition into `site_dir`, in this process; MkDocs' errors propagate."""
    config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
    if "courseforge" in config.plugins:
        config.plugins["courseforge"].config["edition"] = edition
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


def build_edition(config_file: Path, edition: str, site_dir: Path) -> bool:
    """Build `edition` strictly into a temporary folder, then swap it in. False on failure."""
    _log_like_mkdocs()
    staging = site_dir.with_name(f".{site_dir.name}.building-{os.getpid()}")
    try:
        build_site(config_file, edition, staging)
    except (MkDocsException, OSError) as error:
        logging.getLogger("mkdocs").error(str(error))
        shutil.rmtree(staging, ignore_errors=True)
        return False
    _swap(staging, site_dir)
    return True


def _swap(staging: Path, site_dir: Path) -> None:
    retired = site_dir.with_name(f".{site_dir.name}.old-{os.getpid()}")
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _log_like_mkdocs() -> None:
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
