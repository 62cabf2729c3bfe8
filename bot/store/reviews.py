"""Repository functions for the review sweep: due cards, who may be prompted, announcing."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import ReviewCard, User
from bot.store.unit import core

SWEEP_LOCK = 74_110_001  # PostgreSQL advisory lock: one sweep at a time across workers
IN_CHUNK = 900  # ids per IN clause: under SQLite's old limit of 999 bound parameters

_CARDS = SQLModel.metadata.tables[ReviewCard.__tablename__]


class PromptRecipient(NamedTuple):
    """What the prompting rules and the outbox need about one consenting learner."""

    id: int
    platform: str
    platform_user_id: str
    timezone: str
    quiet_start: str
    quiet_end: str
    paused_until: datetime | None
    snoozed_until: datetime | None
    unreachable_at: datetime | None


def take_sweep_lock(session: Session) -> bool:
    """On PostgreSQL, let only one worker sweep at a time (released when the unit ends)."""
    if session.get_bind().dialect.name != "postgresql":
        return True  # SQLite serves one process, and its units run one at a time
    result = session.execute(text(f"SELECT pg_try_advisory_xact_lock({SWEEP_LOCK})"))
    return bool(result.scalar_one())


def due_unannounced_cards(session: Session, now: datetime) -> dict[int, list[int]]:
    """Return the ids of cards due by `now` and not yet announced, per learner."""
    rows = core(session).execute(
        select(_CARDS.c.id, _CARDS.c.user_id).where(
            _CARDS.c.notified_at.is_(None), _CARDS.c.due <= now
        )
    )
    due: dict[int, list[int]] = defaultdict(list)
    for card_id, user_id in rows:
        due[int(user_id)].append(int(card_id))
    return dict(due)


def prompt_recipients(session: Session, user_ids: list[int]) -> dict[int, PromptRecipient]:
    """Return, by id, those of `user_ids` who agreed to be tutored."""
    columns = [col(getattr(User, name)) for name in PromptRecipient._fields]
    found: dict[int, PromptRecipient] = {}
    for chunk in chunks(user_ids):
        rows = core(session).execute(
            select(*columns).where(col(User.id).in_(chunk), col(User.consent_at).is_not(None))
        )
        found.update({int(row.id): PromptRecipient(*row) for row in rows})
    return found


def announce_cards(session: Session, card_ids: list[int], now: datetime) -> Counter[int]:
    """Mark cards as announced at `now`; return how many were marked per learner.

    A card is marked only if it is still due and unannounced: a review saved since the
    cards were read moved its due date and cleared its mark, and stamping it now would
    leave it unannounced forever after it fell due again.
    """
    marked: Counter[int] = Counter()
    for chunk in chunks(card_ids):
        rows = core(session).execute(
            update(_CARDS)
            .where(
                _CARDS.c.id.in_(chunk),
                _CARDS.c.notified_at.is_(None),
                _CARDS.c.due <= now,
            )
            .values(notified_at=now)
            .returning(_CARDS.c.user_id)
        )
        marked.update(int(user_id) for (user_id,) in rows)
    return marked


def unannounce_due_cards(session: Session, user_id: int, now: datetime) -> None:
    """Clear the announced mark of a learner's cards due by `now`, so they are announced again."""
    core(session).execute(
        update(_CARDS)
        .where(_CARDS.c.user_id == user_id, _CARDS.c.due <= now)
        .values(notified_at=None)
    )


def chunks(ids: list[int]) -> list[list[int]]:
    """Split ids for IN clauses of a bounded size."""
    return [ids[i : i + IN_CHUNK] for i in range(0, len(ids), IN_CHUNK)]
