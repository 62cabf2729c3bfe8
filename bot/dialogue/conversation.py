"""The conversation a model may read: the last few messages, and what came before in short.

A prompt holds the recent turns verbatim and a running summary of the learner's earlier
words, so it stays about the same size at turn 50 as at turn 5. The summary is built
offline from a bounded window of the transcript: it keeps the most recent part of what
the learner said (the tutor's own words can be read again from the recorded moves).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NO_CONVERSATION",
    "RECENT_TURNS",
    "SUMMARY_CHARS",
    "WINDOW_TURNS",
    "Conversation",
    "Exchange",
    "roll_summary",
]

RECENT_TURNS = 4  # messages kept word for word
SUMMARY_CHARS = 600  # the running summary is kept under this
WINDOW_TURNS = 16  # messages read from the transcript for one prompt, at most


@dataclass(frozen=True)
class Exchange:
    """One message of the dialogue, by the learner or the tutor."""

    role: Literal["learner", "tutor"]
    text: str


def roll_summary(summary: str, dropped: Sequence[Exchange], limit: int = SUMMARY_CHARS) -> str:
    """Fold turns that leave the recent window into the running summary, kept under ``limit``.

    The offline summary keeps what the learner said and, past the limit, the most recent
    part of it.
    """
    said = [" ".join(t.text.split()) for t in dropped if t.role == "learner" and t.text.strip()]
    merged = "; ".join(part for part in [summary.strip(), *said] if part)
    if len(merged) <= limit:
        return merged
    return "…" + merged[-(limit - 1) :]


@dataclass(frozen=True)
class Conversation:
    """The recent messages of a dialogue, oldest first, after a summary of the earlier ones."""

    turns: tuple[Exchange, ...] = ()
    summary: str = ""

    @classmethod
    def of(cls, exchanges: Sequence[Exchange], recent: int = RECENT_TURNS) -> Conversation:
        """Keep the last ``recent`` messages; fold the older ones into the summary."""
        cut = max(0, len(exchanges) - recent)
        return cls(tuple(exchanges[cut:]), roll_summary("", exchanges[:cut]))


NO_CONVERSATION = Conversation()
