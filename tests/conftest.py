"""Shared fixtures: real `mkdocs build` runs of real course folders, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from sites import FIXTURES, ROOT, build, copy_project


@pytest.fixture(scope="session")
def canary_project(tmp_path_factory) -> Path:
    return copy_project(FIXTURES / "canary", tmp_path_factory.mktemp("canary") / "project")


@pytest.fixture(scope="session")
def canary_public(canary_project, tmp_path_factory) -> Path:
    return build(canary_project, tmp_path_factory.mktemp("canary-public") / "site", "public")


@pytest.fixture(scope="session")
def canary_pro(canary_project, tmp_path_factory) -> Path:
    return build(canary_project, tmp_path_factory.mktemp("canary-pro") / "site", "pro")


@pytest.fixture(scope="session")
def sample_public(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("sample-public") / "site", "public")


@pytest.fixture(scope="session")
def sample_pro(tmp_path_factory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("sample-pro") / "site", "pro")
