"""Snoozing review prompts: hold them back, then announce the due cards again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.scheduling.rules import Recipient, quiet_ends_at, zone
from bot.store.models import ReviewCard, User


def snooze_until(user: User, until: str, now: datetime) -> datetime:
    """Return when a snooze ends: in an hour, or tomorrow when the learner's quiet hours end."""
    if until.strip().lower() in {"tomorrow", "to-tomorrow", "snooze-tomorrow"}:
        local_midnight = (now.astimezone(zone(user.timezone)) + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        recipient = Recipient(user.timezone, user.quiet_start, user.quiet_end)
        return quiet_ends_at(local_midnight, recipient)
    return now + timedelta(hours=1)


def snooze(session: Session, user: User, until: str, now: datetime) -> str:
    """Snooze the learner's review prompts; the due cards will be announced again after."""
    assert user.id is not None
    user.snoozed_until = snooze_until(user, until, now)
    session.add(user)
    session.execute(
        update(ReviewCard)
        .where(col(ReviewCard.user_id) == user.id, col(ReviewCard.due) <= now)
        .values(notified_at=None)
        .execution_options(synchronize_session=False)
    )
    local = user.snoozed_until.astimezone(zone(user.timezone))
    return f"Snoozed: I'll remind you again after {local:%A %H:%M} your time."
