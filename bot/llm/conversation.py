"""The conversation part of a prompt: the last few turns and a running summary, so a prompt
stays about the same size at turn 50 as at turn 5."""

from __future__ import annotations

import math
from collections.abc import Sequence

from bot.dialogue.conversation import (
    RECENT_TURNS,
    SUMMARY_CHARS,
    Conversation,
    Exchange,
    roll_summary,
)
from bot.llm.prompts import learner_data, text_data

__all__ = [
    "RECENT_TURNS",
    "SUMMARY_CHARS",
    "Conversation",
    "Exchange",
    "conversation_block",
    "conversation_text",
    "estimate_tokens",
    "roll_summary",
]

TURN_CHARS = 600
_ROLES = {"learner": "Learner", "tutor": "Tutor"}


def estimate_tokens(text: str) -> int:
    """Estimate the tokens of a text (about four characters each, as English runs)."""
    return math.ceil(len(text) / 4)


def _line(turn: Exchange, limit: int) -> str:
    """One turn as a line; the learner's words are cleaned as data."""
    clean = learner_data if turn.role == "learner" else text_data
    flat = " ".join(turn.text.split())
    return f"{_ROLES[turn.role]}: {clean(flat, limit)}"


def conversation_block(
    turns: Sequence[Exchange],
    summary: str = "",
    *,
    recent: int = RECENT_TURNS,
    turn_chars: int = TURN_CHARS,
    summary_chars: int = SUMMARY_CHARS,
) -> str:
    """Return the last ``recent`` turns, after the running summary of what came before.

    When ``summary`` is empty and older turns exist, they are folded in offline.
    """
    older, latest = turns[: max(0, len(turns) - recent)], turns[-recent:] if recent else []
    if older and not summary:
        summary = roll_summary("", older, summary_chars)
    lines = []
    if summary:
        lines.append("Earlier, in short: " + learner_data(summary, summary_chars))
    lines.extend(_line(turn, turn_chars) for turn in latest)
    return "\n".join(lines) or "(no messages yet)"


def conversation_text(conversation: Conversation) -> str:
    """Return a dialogue's recent turns after its running summary, as prompt lines."""
    return conversation_block(conversation.turns, conversation.summary)
