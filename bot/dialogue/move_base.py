"""The base of every move the tutor makes (see ``bot.dialogue.moves``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = ["MISCONCEPTION_CHARS", "Move"]

MISCONCEPTION_CHARS = 64  # what the transcript keeps of a misconception's name


@dataclass(frozen=True)
class Move:
    """One decision of the tutor; subclasses carry what wording needs."""

    kind: ClassVar[str] = "move"

    def facts(self) -> dict[str, Any]:
        """Return what the transcript records about this move besides its kind."""
        return {}
