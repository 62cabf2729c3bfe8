"""Repository functions for the tokens language-model calls use, per learner and course."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import ModelUsage, User

__all__ = [
    "UsageRow",
    "course_tokens_this_month",
    "learner_tokens_today",
    "month_start",
    "record_usage",
    "tokens_by_kind",
    "utc_day_start",
]

_USAGE = SQLModel.metadata.tables[ModelUsage.__tablename__]
_TOKENS = func.coalesce(
    func.sum(col(ModelUsage.prompt_tokens) + col(ModelUsage.completion_tokens)), 0
)


@dataclass(frozen=True)
class UsageRow:
    """One model call's usage, as it is recorded."""

    user_id: int | None
    course_id: str | None
    kind: str
    prompt_tokens: int
    completion_tokens: int
    created_at: datetime


def _aware(now: datetime) -> datetime:
    """Refuse a naive datetime; return it in UTC."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"naive datetime {now!r}: pass a UTC-aware datetime")
    return now.astimezone(UTC)


def utc_day_start(now: datetime) -> datetime:
    """Return midnight UTC of the day ``now`` falls on: a learner's cap resets then."""
    return _aware(now).replace(hour=0, minute=0, second=0, microsecond=0)


def month_start(now: datetime) -> datetime:
    """Return the first instant (UTC) of the month ``now`` falls in."""
    return utc_day_start(now).replace(day=1)


def record_usage(session: Session, rows: Sequence[UsageRow]) -> None:
    """Store the usage of one or more model calls; rows of since-forgotten learners go."""
    ids = {row.user_id for row in rows if row.user_id is not None}
    if ids:
        found = session.execute(select(col(User.id)).where(col(User.id).in_(ids)))
        known = set(found.scalars())
        rows = [row for row in rows if row.user_id is None or row.user_id in known]
    if not rows:
        return
    values = [
        {
            "user_id": row.user_id,
            "course_id": row.course_id,
            "kind": row.kind,
            "prompt_tokens": max(0, row.prompt_tokens),
            "completion_tokens": max(0, row.completion_tokens),
            "created_at": _aware(row.created_at),
        }
        for row in rows
    ]
    session.execute(insert(_USAGE), values)


def learner_tokens_today(session: Session, user_id: int, now: datetime) -> int:
    """Return the tokens a learner's calls used since midnight UTC."""
    query = select(_TOKENS).where(
        col(ModelUsage.user_id) == user_id, col(ModelUsage.created_at) >= utc_day_start(now)
    )
    return int(session.execute(query).scalar_one())


def course_tokens_this_month(session: Session, course_id: str, now: datetime) -> int:
    """Return the tokens calls made for a course used since the start of the month (UTC)."""
    query = select(_TOKENS).where(
        col(ModelUsage.course_id) == course_id, col(ModelUsage.created_at) >= month_start(now)
    )
    return int(session.execute(query).scalar_one())


def tokens_by_kind(session: Session, since: datetime) -> dict[str, tuple[int, int]]:
    """Return (prompt, completion) tokens per call kind since ``since``."""
    query = (
        select(
            col(ModelUsage.kind),
            func.sum(col(ModelUsage.prompt_tokens)),
            func.sum(col(ModelUsage.completion_tokens)),
        )
        .where(col(ModelUsage.created_at) >= _aware(since))
        .group_by(col(ModelUsage.kind))
    )
    return {kind: (int(p or 0), int(c or 0)) for kind, p, c in session.execute(query)}
