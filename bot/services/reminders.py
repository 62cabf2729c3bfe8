"""Snoozing review prompts: hold them back, then announce the due cards again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.scheduling.rules import Recipient, quiet_ends_at, zone
from bot.store import reviews as review_store
from bot.store import users as user_store
from bot.store.models import User


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
    ends = snooze_until(user, until, now)
    user_store.snooze_prompts(session, user, ends)
    review_store.unannounce_due_cards(session, user.id, now)
    local = ends.astimezone(zone(user.timezone))
    return f"Snoozed: I'll remind you again after {local:%A %H:%M} your time."
