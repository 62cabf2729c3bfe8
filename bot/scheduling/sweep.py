"""The sweep: due review cards become one review prompt per learner, in the outbox.

The sweep is one unit of work in two steps: read who may be prompted (`find_due`), then
mark their cards announced and queue the prompts in the same transaction (`queue_prompts`).
The marking re-checks that each card is still due and unannounced, so a review saved
between the two steps (on PostgreSQL another process may write in between) is never
stamped as announced; only learners with a card actually marked get a prompt. Nothing is
sent here: the sender drains the outbox.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.scheduling.rules import Recipient, local_day_start, may_prompt, prompt_text, spread
from bot.services.messages import choices_for
from bot.store import outbox as outbox_store
from bot.store import reviews as review_store
from bot.store.db import Database
from bot.store.reviews import PromptRecipient

log = logging.getLogger(__name__)

REVIEW_PROMPT = "review_prompt"
PROMPT_CHOICES = [
    {"action": choice.action, "label": choice.label}
    for choice in choices_for(("start-review", "snooze-hour", "snooze-tomorrow"))
]
CAP_WINDOW = timedelta(hours=36)  # covers any learner's local day, whatever their zone


@dataclass(frozen=True)
class SweepPolicy:
    """Limits of the sweep: daily cap per learner and how fast a burst is spread out."""

    daily_cap: int = 3
    per_second: float = 40.0
    burst: int = 50


@dataclass(frozen=True)
class DuePrompt:
    """A learner the rules let the sweep prompt now, and their due, unannounced cards."""

    user_id: int
    platform: str
    recipient: str
    card_ids: tuple[int, ...]


async def sweep_due_reviews(database: Database, now: datetime, policy: SweepPolicy) -> int:
    """Turn due, unannounced cards into review prompts; return how many prompts were queued."""
    queued = await database.run(sweep_unit, now, policy)
    if queued:
        log.info("sweep: %d review prompt(s) queued", queued)
    return queued


def sweep_unit(session: Session, now: datetime, policy: SweepPolicy) -> int:
    """Run one sweep as a unit of work; on PostgreSQL only one worker sweeps at a time."""
    if not review_store.take_sweep_lock(session):
        return 0
    return queue_prompts(session, find_due(session, now, policy), now, policy)


def find_due(session: Session, now: datetime, policy: SweepPolicy) -> list[DuePrompt]:
    """Read step: the learners with due, unannounced cards whom the rules let us prompt now."""
    due = review_store.due_unannounced_cards(session, now)
    if not due:
        return []
    users = review_store.prompt_recipients(session, sorted(due))
    prompted = outbox_store.sent_since(session, list(users), REVIEW_PROMPT, now - CAP_WINDOW)
    return [
        DuePrompt(user.id, user.platform, user.platform_user_id, tuple(due[user.id]))
        for user in sorted(users.values())
        if may_prompt(now, _recipient(user, prompted.get(user.id, []), now), policy.daily_cap)
    ]


def queue_prompts(
    session: Session, due: list[DuePrompt], now: datetime, policy: SweepPolicy
) -> int:
    """Write step: announce the cards still due, and prompt each learner who has any."""
    marked = review_store.announce_cards(session, [c for d in due for c in d.card_ids], now)
    chosen = [d for d in due if marked[d.user_id]]
    times = spread(len(chosen), now, policy.per_second, policy.burst)
    outbox_store.enqueue(
        session,
        [
            outbox_store.NewMessage(
                user_id=d.user_id,
                platform=d.platform,
                recipient=d.recipient,
                kind=REVIEW_PROMPT,
                payload={
                    "text": prompt_text(marked[d.user_id]),
                    "choices": PROMPT_CHOICES,
                    "due": marked[d.user_id],
                },
                idempotency_key=f"review:{d.user_id}:{now:%Y%m%dT%H%M}",
                next_attempt_at=at,
                created_at=now,
            )
            for d, at in zip(chosen, times, strict=True)
        ],
    )
    return len(chosen)


def _recipient(user: PromptRecipient, prompted: list[datetime], now: datetime) -> Recipient:
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
