"""The sender settles every row: sent, retried with backoff, unreachable, or parked."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from bot.scheduling.sender import DeliveryResult, OutboxSender, RateLimiter, backoff
from bot.scheduling.sweep import SweepPolicy, sweep_due_reviews
from bot.store import outbox as outbox_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.conftest import FixedClock
from tests.scheduling.conftest import T0, learner_with_due_cards


class ScriptedDelivery:
    """A platform that answers from a script per recipient, and counts what it received."""

    def __init__(self, script: dict[str, list[DeliveryResult]]) -> None:
        self.script = script
        self.received: Counter[str] = Counter()

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        self.received[message.recipient] += 1
        answers = self.script.get(message.recipient) or [DeliveryResult("sent")]
        return answers.pop(0) if len(answers) > 1 else answers[0]


async def rows(database: Database) -> dict[str, OutboxMessage]:
    async with database.session() as session:
        result = await session.execute(select(OutboxMessage))
        return {r.recipient: r for r in result.scalars()}


def sender(database: Database, delivery: ScriptedDelivery, clock: FixedClock) -> OutboxSender:
    return OutboxSender(
        database, {"discord": delivery}, {"discord": RateLimiter(1000)}, clock=clock, worker="w1"
    )


async def test_rows_are_sent_retried_marked_unreachable_or_parked(database: Database) -> None:
    clock = FixedClock(T0 + timedelta(hours=10))
    for name in ("ok", "flaky", "closed", "broken"):
        await learner_with_due_cards(database, name)
    await sweep_due_reviews(database, clock(), SweepPolicy())
    delivery = ScriptedDelivery(
        {
            "flaky": [DeliveryResult("retry", retry_after=2.0), DeliveryResult("sent")],
            "closed": [DeliveryResult("unreachable", error="50007")],
            "broken": [DeliveryResult("retry", error="502")],
        }
    )
    worker = sender(database, delivery, clock)
    assert await worker.drain() == 4
    state = await rows(database)
    assert state["ok"].status == "sent"
    assert state["flaky"].status == "pending"
    assert state["flaky"].next_attempt_at == clock() + timedelta(seconds=2)
    assert state["closed"].status == "unreachable"
    assert state["broken"].next_attempt_at == clock() + backoff(1)
    async with database.session() as session:
        closed = await session.run_sync(user_store.get_user, "discord", "closed")
        assert closed is not None and closed.unreachable_at == clock()
    for _ in range(10):
        clock.advance(hours=2)
        await worker.drain()
    state = await rows(database)
    assert state["flaky"].status == "sent"
    assert state["broken"].status == "parked" and state["broken"].attempts == 8
    assert delivery.received == Counter(ok=1, flaky=2, closed=1, broken=8)


async def test_an_expired_lease_makes_a_row_ready_again(database: Database) -> None:
    clock = FixedClock(T0 + timedelta(hours=10))
    await learner_with_due_cards(database, "ada")
    await sweep_due_reviews(database, clock(), SweepPolicy())
    claimed = await database.run(
        lambda session: outbox_store.claim_batch(
            session,
            worker="dead",
            platforms={"discord"},
            now=clock(),
            lease=timedelta(seconds=60),
            limit=10,
        )
    )
    assert len(claimed) == 1
    delivery = ScriptedDelivery({})
    live = sender(database, delivery, clock)
    assert await live.drain() == 0  # still leased to the dead worker
    clock.advance(seconds=61)
    assert await live.drain() == 1
    assert (await rows(database))["ada"].status == "sent"


async def test_rate_limiter_spaces_requests_evenly_and_pauses_after_429() -> None:
    now = [0.0]
    limiter = RateLimiter(per_second=50, clock=lambda: now[0])
    slots = []
    for _ in range(5):
        await limiter.acquire()
        slots.append(round(limiter._next, 3))
    assert slots == [0.02, 0.04, 0.06, 0.08, 0.1]
    limiter.pause(1.0)
    assert limiter._next == 1.0


async def test_a_worker_claims_only_rows_of_platforms_it_delivers(database: Database) -> None:
    clock = FixedClock(T0 + timedelta(hours=10))
    await learner_with_due_cards(database, "ada", platform="discord")
    await learner_with_due_cards(database, "cy", platform="console")
    await sweep_due_reviews(database, clock(), SweepPolicy())
    before = (await rows(database))["ada"]
    console = ScriptedDelivery({})
    # a console process on a database it shares with the Discord bot
    worker = OutboxSender(database, {"console": console}, {}, clock=clock, worker="console-1")
    for _ in range(10):
        await worker.drain()
        clock.advance(hours=2)
    assert console.received == Counter(cy=1)
    after = (await rows(database))["ada"]
    assert (after.status, after.attempts, after.claimed_by, after.claimed_until) == (
        "pending",
        0,
        None,
        None,
    )
    assert (after.next_attempt_at, after.last_error) == (before.next_attempt_at, None)
    discord = ScriptedDelivery({})
    assert await sender(database, discord, clock).drain() == 1  # still there for Discord
    assert discord.received == Counter(ada=1)
