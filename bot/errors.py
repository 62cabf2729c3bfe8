"""Errors a user or a course creator can cause, each with a plain message."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ContentProblem:
    """One problem found in a content file, with where it is."""

    path: Path
    line: int
    message: str
    warning: bool = False  # worth fixing, but the course still loads

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


class ContentError(Exception):
    """Course content that failed validation; carries every problem found."""

    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line, p.message))
        count = len(self.problems)
        head = "\n".join(str(p) for p in self.problems[:20])
        more = f"\n... and {count - 20} more" if count > 20 else ""
        super().__init__(f"{count} content problem(s):\n{head}{more}")


class StartupError(Exception):
    """The bot cannot start or go on; the message is one plain sentence for the operator.

    `tutor` prints the message alone and exits with `exit_code`; the traceback is logged
    only at DEBUG level. Name the setting to fix in the message, never a secret.
    """

    exit_code = 1


class SettingsError(StartupError):
    """A setting that the bot needs is missing or invalid."""

    exit_code = 2


class InfrastructureError(StartupError):
    """Something the bot needs (the database, a platform's API) is unreachable or refuses."""
