"""A coach's follow-up drafts: outbox rows held back until the coach approves them.

A draft is an outbox message whose status is `draft`: the sender claims only pending rows,
so nothing reaches the client before the coach sends it. Every read takes the coach's id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import OutboxMessage
from bot.store.outbox import NewMessage

__all__ = ["DRAFT", "FOLLOWUP", "add_draft", "discard_draft", "draft_for_coach", "release_draft"]

DRAFT = "draft"
FOLLOWUP = "coach_followup"
_OUTBOX = SQLModel.metadata.tables[OutboxMessage.__tablename__]


def add_draft(session: Session, message: NewMessage) -> int:
    """Hold a message as a draft; return its id."""
    row = {**message._asdict(), "status": DRAFT, "attempts": 0}
    inserted = session.execute(insert(_OUTBOX).values(row).returning(_OUTBOX.c.id))
    return int(inserted.scalar_one())


def draft_for_coach(session: Session, coach_id: int, draft_id: int) -> OutboxMessage | None:
    """One of the coach's own follow-up drafts not sent yet (None for anyone else's)."""
    draft = session.execute(
        select(OutboxMessage).where(
            col(OutboxMessage.id) == draft_id,
            col(OutboxMessage.status) == DRAFT,
            col(OutboxMessage.kind) == FOLLOWUP,
        )
    ).scalar_one_or_none()
    if draft is None or draft.payload.get("coach_id") != coach_id:
        return None
    return draft


def release_draft(
    session: Session, draft_id: int, payload: dict[str, Any], ready_at: datetime
) -> bool:
    """Turn a draft into a message the sender delivers from `ready_at`; False if it is gone."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == draft_id, col(OutboxMessage.status) == DRAFT)
        .values(status="pending", payload=payload, next_attempt_at=ready_at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def discard_draft(session: Session, draft_id: int) -> bool:
    """Delete a draft that was never sent; False if it is gone."""
    result = session.execute(
        delete(OutboxMessage)
        .where(col(OutboxMessage.id) == draft_id, col(OutboxMessage.status) == DRAFT)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)
