"""Author errors, collected rather than raised so that one run reports all of them."""

from __future__ import annotations

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


def format_problems(problems: list[Problem]) -> str:
    count = len(problems)
    header = f"courseforge found {count} problem{'s' if count != 1 else ''} in the course sources:"
    return "\n".join([header, *(f"  {problem}" for problem in problems)])
