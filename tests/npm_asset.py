"""Fetch one file of a pinned npm package straight from the registry, integrity-checked.

Tests use this for axe-core, so that a machine with only Python (no npm) can run them.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

CACHE = Path(__file__).resolve().parent.parent / ".cache" / "npm"
REGISTRY = "https://registry.npmjs.org"


def npm_file(package: str, version: str, integrity: str, member: str) -> Path:
    target = CACHE / f"{package}-{version}" / member
    if target.is_file():
        return target
    url = f"{REGISTRY}/{package}/-/{package}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=120) as response:
        tarball = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != integrity:
        raise RuntimeError(f"{url}: integrity mismatch ({digest} != {integrity})")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        data = archive.extractfile(f"package/{member}").read()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target
