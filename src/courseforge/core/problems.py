"""Author errors, collected rather than raised so that one run reports all of them."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing an author must fix, located by file, line and front-matter key."""

    path: str
    line: int
    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.key}: {self.message}"


def did_you_mean(wrong: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the closest choice, or "" when none is close."""
    match = difflib.get_close_matches(wrong, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def format_problems(problems: list[Problem]) -> str:
    count = len(problems)
    header = f"courseforge found {count} problem{'s' if count != 1 else ''} in the course sources:"
    return "\n".join([header, *(f"  {problem}" for problem in problems)])
