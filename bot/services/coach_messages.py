"""Messages about coaching put in the outbox: to a person, in their waking hours.

Every key of a message about a client starts with `coach:<client id>:`, so the client's
`forget` finds and deletes what was queued for their coaches about them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.scheduling.rules import Recipient, in_quiet_hours, quiet_ends_at, zone
from bot.services.messages import Choice
from bot.store.coaching import client_key_prefix
from bot.store.models import User
from bot.store.outbox import NewMessage

__all__ = ["START_ACTION", "client_key", "message_to", "start_choice", "waking_time"]

# The Start button of an assignment: the action id carries the assignment's id.
START_ACTION = "assignment-start"


def waking_time(now: datetime, user: User) -> datetime:
    """Return `now`, or the end of the person's quiet hours when it falls inside them."""
    local = now.astimezone(zone(user.timezone))
    if not in_quiet_hours(local, user.quiet_start, user.quiet_end):
        return now
    return quiet_ends_at(now, Recipient(user.timezone, user.quiet_start, user.quiet_end))


def client_key(client_id: int, *parts: object) -> str:
    """The idempotency key of a message about a client (to them or to their coach)."""
    return client_key_prefix(client_id) + ":".join(str(p) for p in parts)


def start_choice(assignment_id: int) -> Choice:
    """The button that starts (or resumes) one assignment."""
    return Choice(f"{START_ACTION}:{assignment_id}", "Start")


def message_to(
    user: User, kind: str, payload: dict[str, Any], key: str, now: datetime
) -> NewMessage:
    """An outbox message to a person's DMs, ready in their waking hours."""
    assert user.id is not None
    return NewMessage(
        user_id=user.id,
        platform=user.platform,
        recipient=user.platform_user_id,
        kind=kind,
        payload=payload,
        idempotency_key=key[:128],
        next_attempt_at=waking_time(now, user),
        created_at=now,
    )


def choices_payload(choices: tuple[Choice, ...]) -> list[dict[str, str]]:
    """Choices as an outbox payload stores them."""
    return [{"action": c.action, "label": c.label} for c in choices]
