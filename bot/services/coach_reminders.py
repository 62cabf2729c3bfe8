"""Reminders for coach assignments: before the due date, when overdue, never a flood.

Each open assignment keeps the time of its next reminder (`next_reminder_at`, indexed);
the sweep reads only the assignments whose time has come, so its cost follows what is due,
not how much work exists. For each it decides (a pure function, `plan_reminder`):

- outside the client's waking hours, paused or snoozed: try again when that ends;
- before the due date (`all` reminders): one reminder a day ahead, then wait for the due date;
- after the due date: a reminder, then another every `overdue_every`;
- after `pause_after` reminders with no work done: pause, and tell the coach once (stuck).

Work on the assignment resets the count. Every message goes through the outbox with a key
per reminder, so a sweep run twice queues nothing twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session

from bot.scheduling.rules import Recipient, may_prompt, quiet_ends_at, spread
from bot.services import coach_flags
from bot.services.coach_dates import describe
from bot.services.coach_messages import choices_payload, client_key, start_choice
from bot.store import outbox as outbox_store
from bot.store.coaching import OPEN_STATES
from bot.store.coaching_assignments import (
    DueReminder,
    ReminderUpdate,
    due_reminders,
    settle_reminders,
)
from bot.store.db import Database

__all__ = [
    "COACH_REMINDER",
    "ReminderPlan",
    "ReminderPolicy",
    "after_work_reminder_at",
    "first_reminder_at",
    "plan_reminder",
    "reminder_unit",
    "sweep_coach_reminders",
]

log = logging.getLogger(__name__)

COACH_REMINDER = "coach_reminder"
REMINDER_LOCK = 74_110_016  # PostgreSQL advisory lock: one reminder sweep at a time
NO_DAILY_CAP = 1_000_000  # the pause after N unanswered is what keeps reminders few
UNREACHABLE_RETRY = timedelta(days=1)


@dataclass(frozen=True)
class ReminderPolicy:
    """When reminders go, and how fast a burst of them is spread out."""

    before_due: timedelta = timedelta(hours=24)
    overdue_after: timedelta = timedelta(hours=12)
    overdue_every: timedelta = timedelta(hours=48)
    batch: int = 2000
    per_second: float = 40.0
    burst: int = 50


@dataclass(frozen=True)
class ReminderPlan:
    """What to do with one assignment whose reminder time came."""

    kind: str | None  # due_soon or overdue: a reminder to send; None: nothing now
    next_at: datetime | None
    sent: int
    unanswered: int
    paused: datetime | None = None

    @property
    def pauses(self) -> bool:
        """True when this plan pauses the assignment's reminders."""
        return self.paused is not None


def first_reminder_at(
    due_at: datetime, now: datetime, mode: str, policy: ReminderPolicy
) -> datetime | None:
    """The first reminder of a new (or resumed) assignment; None when reminders are off."""
    if mode == "off":
        return None
    ahead = due_at - policy.before_due
    if mode == "all" and ahead > now:
        return ahead
    return max(now, due_at + policy.overdue_after)


def after_work_reminder_at(
    due_at: datetime, now: datetime, mode: str, policy: ReminderPolicy
) -> datetime | None:
    """The next reminder after the client worked on an assignment (or it was resumed).

    Before the due date it is the usual one; once overdue, a full interval from now, so
    work done today is not followed by a reminder today.
    """
    if mode == "off":
        return None
    if due_at <= now:
        return now + policy.overdue_every
    return first_reminder_at(due_at, now, mode, policy)


def plan_reminder(due: DueReminder, now: datetime, policy: ReminderPolicy) -> ReminderPlan:
    """Decide one assignment's reminder: send, wait, or pause."""
    if now.tzinfo is None:
        raise ValueError("now must be UTC-aware")
    sent, unanswered = due.reminders_sent, due.unanswered
    if due.state not in OPEN_STATES or due.reminders == "off":
        return ReminderPlan(None, None, sent, unanswered)
    if unanswered >= due.pause_after:
        return ReminderPlan(None, None, sent, unanswered, paused=now)
    recipient = Recipient(
        timezone=due.timezone,
        quiet_start=due.quiet_start,
        quiet_end=due.quiet_end,
        paused_until=due.paused_until,
        snoozed_until=due.snoozed_until,
        unreachable=due.unreachable_at is not None,
    )
    if not may_prompt(now, recipient, NO_DAILY_CAP):
        return ReminderPlan(None, _when_free(now, recipient), sent, unanswered)
    overdue = now >= due.due_at
    if not overdue and due.reminders == "overdue":
        return ReminderPlan(None, due.due_at + policy.overdue_after, sent, unanswered)
    if overdue:
        return ReminderPlan("overdue", now + policy.overdue_every, sent + 1, unanswered + 1)
    return ReminderPlan("due_soon", due.due_at + policy.overdue_after, sent + 1, unanswered + 1)


def _when_free(now: datetime, recipient: Recipient) -> datetime:
    """The first time the client may be reminded again (always later than now)."""
    if recipient.unreachable:
        return now + UNREACHABLE_RETRY
    held = [t for t in (recipient.paused_until, recipient.snoozed_until) if t and t > now]
    # After a pause or snooze the next sweep checks the quiet hours again.
    return max(held) if held else quiet_ends_at(now, recipient)


def reminder_text(due: DueReminder, kind: str) -> str:
    """Word a reminder for the client."""
    coach = due.coach_name.strip() or "your coach"
    when = describe(due.due_at, due.timezone)
    if kind == "overdue":
        return (
            f'"{due.title}" from {coach} was due {when}. It is still worth doing: press Start '
            "when you have ten minutes, or tell your coach if now is not the time."
        )
    return f'A reminder: "{due.title}" from {coach} is due {when}. Press Start when you are ready.'


async def sweep_coach_reminders(database: Database, now: datetime, policy: ReminderPolicy) -> int:
    """Queue the reminders whose time has come; return how many were queued."""
    queued = 0
    while True:
        sent, read = await database.run(reminder_unit, now, policy)
        queued += sent
        if read < policy.batch:
            break
    if queued:
        log.info("coach reminders: %d queued", queued)
    return queued


def reminder_unit(session: Session, now: datetime, policy: ReminderPolicy) -> tuple[int, int]:
    """One batch of the sweep as a unit of work: (reminders queued, assignments read)."""
    if (
        session.get_bind().dialect.name == "postgresql"
        and not session.execute(
            text(f"SELECT pg_try_advisory_xact_lock({REMINDER_LOCK})")
        ).scalar_one()
    ):
        return 0, 0
    due = due_reminders(session, now, policy.batch)
    plans = [(d, plan_reminder(d, now, policy)) for d in due]
    settle_reminders(
        session,
        [
            ReminderUpdate(d.assignment_id, p.next_at, p.sent, p.unanswered, p.paused)
            for d, p in plans
        ],
    )
    for d, plan in plans:
        if plan.pauses:
            coach_flags.raise_stuck(
                session, d.link_id, d.coach_id, d.client_id, d.assignment_id, now
            )
    sending = [(d, p) for d, p in plans if p.kind is not None]
    times = spread(len(sending), now, policy.per_second, policy.burst)
    outbox_store.enqueue(
        session,
        [
            outbox_store.NewMessage(
                user_id=d.client_id,
                platform=d.platform,
                recipient=d.platform_user_id,
                kind=COACH_REMINDER,
                payload={
                    "text": reminder_text(d, p.kind or ""),
                    "choices": choices_payload((start_choice(d.assignment_id),)),
                    "assignment_id": d.assignment_id,
                    "reminder": p.kind,
                },
                idempotency_key=client_key(d.client_id, "reminder", d.assignment_id, p.sent),
                next_attempt_at=at,
                created_at=now,
            )
            for (d, p), at in zip(sending, times, strict=True)
        ],
    )
    return len(sending), len(due)
