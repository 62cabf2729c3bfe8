"""The sweep: due review cards become one review prompt per learner, in the outbox.

The prompt rows are written in the same transaction that marks the cards as announced,
and nothing is sent here: the sender drains the outbox.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.scheduling.rules import Recipient, local_day_start, may_prompt, prompt_text, spread
from bot.services.messages import choices_for
from bot.store.db import Database
from bot.store.models import OutboxMessage, ReviewCard, User

log = logging.getLogger(__name__)

REVIEW_PROMPT = "review_prompt"
PROMPT_CHOICES = [
    {"action": choice.action, "label": choice.label}
    for choice in choices_for(("start-review", "snooze-hour", "snooze-tomorrow"))
]
SWEEP_LOCK = 74_110_001  # PostgreSQL advisory lock: one sweep at a time across workers
IN_CHUNK = 900


@dataclass(frozen=True)
class SweepPolicy:
    """Limits of the sweep: daily cap per learner and how fast a burst is spread out."""

    daily_cap: int = 3
    per_second: float = 40.0
    burst: int = 50


async def sweep_due_reviews(database: Database, now: datetime, policy: SweepPolicy) -> int:
    """Turn due, unannounced cards into review prompts; return how many prompts were queued."""
    async with database.session() as session:
        if not await _take_sweep_lock(session):
            return 0
        due = await _due_cards(session, now)
        if not due:
            return 0
        users = await _users(session, list(due))
        sent_today = await _prompts_since(session, list(users), now - timedelta(hours=36))
        chosen = [
            user
            for user_id, user in users.items()
            if may_prompt(now, _recipient(user, sent_today.get(user_id, []), now), policy.daily_cap)
        ]
        if not chosen:
            return 0
        times = spread(len(chosen), now, policy.per_second, policy.burst)
        rows = [
            {
                "user_id": user.id,
                "platform": user.platform,
                "recipient": user.platform_user_id,
                "kind": REVIEW_PROMPT,
                "payload": {
                    "text": prompt_text(len(due[user.id])),
                    "choices": PROMPT_CHOICES,
                    "due": len(due[user.id]),
                },
                "idempotency_key": f"review:{user.id}:{now:%Y%m%dT%H%M}",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": at,
                "created_at": now,
            }
            for user, at in zip(chosen, times, strict=True)
        ]
        await session.execute(insert(OutboxMessage), rows)
        card_ids = [card_id for user in chosen for card_id in due[user.id]]
        for chunk in _chunks(card_ids):
            await session.execute(
                update(ReviewCard)
                .where(col(ReviewCard.id).in_(chunk))
                .values(notified_at=now)
                .execution_options(synchronize_session=False)
            )
    log.info("sweep: %d review prompt(s) queued for %d due learner(s)", len(chosen), len(due))
    return len(chosen)


def _recipient(user: Row[Any], prompted: list[datetime], now: datetime) -> Recipient:
    """Describe a learner for the prompting rules."""
    day_start = local_day_start(now, user.timezone)
    return Recipient(
        timezone=user.timezone,
        quiet_start=user.quiet_start,
        quiet_end=user.quiet_end,
        paused_until=user.paused_until,
        snoozed_until=user.snoozed_until,
        unreachable=user.unreachable_at is not None,
        prompts_today=sum(1 for t in prompted if t >= day_start),
    )


async def _take_sweep_lock(session: AsyncSession) -> bool:
    """On PostgreSQL, let only one worker sweep at a time (released at commit)."""
    if session.bind is None or session.bind.dialect.name != "postgresql":
        return True
    result = await session.execute(text(f"SELECT pg_try_advisory_xact_lock({SWEEP_LOCK})"))
    return bool(result.scalar_one())


async def _due_cards(session: AsyncSession, now: datetime) -> dict[int, list[int]]:
    """Return the due, unannounced card ids per learner (read from the partial index)."""
    result = await session.execute(
        select(col(ReviewCard.id), col(ReviewCard.user_id)).where(
            col(ReviewCard.notified_at).is_(None), col(ReviewCard.due) <= now
        )
    )
    due: dict[int, list[int]] = defaultdict(list)
    for row in result.all():
        card_id, user_id = row[0], row[1]
        due[int(user_id)].append(int(card_id or 0))
    return due


async def _users(session: AsyncSession, user_ids: list[int]) -> dict[int, Row[Any]]:
    """Load what the rules need about the learners who agreed to be tutored."""
    found: dict[int, Row[Any]] = {}
    columns: list[Any] = [
        col(User.id),
        col(User.platform),
        col(User.platform_user_id),
        col(User.timezone),
        col(User.quiet_start),
        col(User.quiet_end),
        col(User.paused_until),
        col(User.snoozed_until),
        col(User.unreachable_at),
    ]
    for chunk in _chunks(user_ids):
        result = await session.execute(
            select(*columns).where(col(User.id).in_(chunk), col(User.consent_at).is_not(None))
        )
        found.update({int(row.id): row for row in result.all()})
    return found


async def _prompts_since(
    session: AsyncSession, user_ids: list[int], since: datetime
) -> dict[int, list[datetime]]:
    """Return when each learner was prompted since `since` (for the daily cap)."""
    sent: dict[int, list[datetime]] = defaultdict(list)
    for chunk in _chunks(user_ids):
        result = await session.execute(
            select(col(OutboxMessage.user_id), col(OutboxMessage.created_at)).where(
                col(OutboxMessage.user_id).in_(chunk),
                col(OutboxMessage.kind) == REVIEW_PROMPT,
                col(OutboxMessage.created_at) >= since,
            )
        )
        for user_id, created in result.all():
            sent[int(user_id)].append(created)
    return sent


def _chunks(ids: list[int]) -> list[list[int]]:
    """Split ids for IN clauses of a bounded size."""
    return [ids[i : i + IN_CHUNK] for i in range(0, len(ids), IN_CHUNK)]
