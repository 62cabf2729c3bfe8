"""Repository function for the last messages of a dialogue, as a model's prompt needs them."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.models import Turn
from bot.store.prepared import Prepared
from bot.store.unit import core

__all__ = ["recent_turns"]

# The opening message (seq 1) is the problem itself, which every prompt holds already.
_RECENT_TURNS = Prepared(
    select(col(Turn.role), col(Turn.text))
    .where(col(Turn.dialogue_id) == bindparam("dialogue_id"), col(Turn.seq) > 1)
    .order_by(col(Turn.seq).desc())
    .limit(bindparam("limit"))
)


def recent_turns(session: Session, dialogue_id: int, limit: int) -> list[tuple[str, str]]:
    """Return the (role, text) of a dialogue's last ``limit`` messages after the opening,
    oldest first."""
    rows = core(session).execute(_RECENT_TURNS, {"dialogue_id": dialogue_id, "limit": limit})
    return [(str(role), str(text)) for role, text in reversed(rows.all())]
