"""A learner's rights over their data: consent, export everything, delete everything."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.services.messages import Choice
from bot.store import coaching as coaching_store
from bot.store import cohort_events as cohort_event_store
from bot.store import users as user_store
from bot.store.models import Dialogue, ReviewCard, User

CONSENT_TEXT = (
    "Before we start: I store your answers and progress so I can tutor you and bring "
    "things back for review. You can export or delete all of it at any time "
    "(`/export`, `/forget`). Is that OK?"
)
CONSENT_CHOICE = Choice("consent", "I agree")
# Coaching rows name a coach and a client; a cohort names its creator (their forget
# removes it, and its member and staff rows with it); an uploaded course names who
# uploaded it (their forget empties that name; the course stays with its server).
PEOPLE_COLUMNS = frozenset({"coach_id", "client_id", "creator_id", "uploaded_by"})


def export_user(session: Session, user: User) -> dict[str, Any]:
    """Return every row about a user, table by table, as JSON-ready data."""
    assert user.id is not None
    dialogue_ids = select(col(Dialogue.id)).where(col(Dialogue.user_id) == user.id)
    card_ids = select(col(ReviewCard.id)).where(col(ReviewCard.user_id) == user.id)
    export: dict[str, Any] = {"format": "socratic-tutor-export/1"}
    for table in SQLModel.metadata.sorted_tables:
        columns = {c.name for c in table.columns}
        if table.name == "users":
            where = table.c.id == user.id
        elif "user_id" in columns:
            where = table.c.user_id == user.id
        elif columns & PEOPLE_COLUMNS:  # rows that name people in other columns
            where = or_(*(table.c[name] == user.id for name in sorted(columns & PEOPLE_COLUMNS)))
        elif "dialogue_id" in columns:
            where = table.c.dialogue_id.in_(dialogue_ids)
        elif "card_id" in columns:
            where = table.c.card_id.in_(card_ids)
        else:
            continue
        result = session.execute(select(table).where(where))
        export[table.name] = [_jsonable(dict(row._mapping)) for row in result]
    return export


def forget_user(session: Session, user: User) -> None:
    """Delete the user and, by cascade, every row about them.

    Messages queued for a coach about this client, and stuck flags about this member to a
    cohort's staff, are the coach's and staff's rows: they go first.
    """
    assert user.id is not None
    coaching_store.forget_client_traces(session, user.id)
    cohort_event_store.forget_member_traces(session, user.id)
    user_store.delete_user(session, user.id)


def give_consent(
    session: Session,
    platform: str,
    platform_user_id: str,
    display_name: str,
    now: datetime,
    defaults: user_store.UserDefaults | None = None,
) -> User:
    """Create (or find) the user and record their consent."""
    user = user_store.get_or_create_user(
        session, platform, platform_user_id, display_name, defaults
    )
    if user.consent_at is None:
        user_store.record_consent(session, user, now)
    return user


def tables_about_users() -> list[str]:
    """Name every table that holds rows about a user (for tests and documentation)."""
    return [
        t.name
        for t in SQLModel.metadata.sorted_tables
        if t.name == "users"
        or {"user_id", "dialogue_id", "card_id", *PEOPLE_COLUMNS} & {c.name for c in t.columns}
    ]


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """Turn datetimes into ISO strings so the export is plain JSON."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


__all__ = ["CONSENT_CHOICE", "CONSENT_TEXT", "export_user", "forget_user", "give_consent"]
