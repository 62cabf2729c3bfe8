"""The sweep: one prompt per learner, in their time zone, outside quiet hours, under a cap."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.scheduling.sweep import SweepPolicy, find_due, queue_prompts, sweep_due_reviews
from bot.services.reminders import snooze
from bot.store import learning as learning_store
from bot.store import reviews as review_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import OutboxMessage, ReviewCard
from tests.scheduling.conftest import T0, learner_with_due_cards
from tests.support.backends import migrated_database

POLICY = SweepPolicy(daily_cap=2, per_second=40, burst=50)


async def outbox(database: Database) -> list[OutboxMessage]:
    async with database.session() as session:
        result = await session.execute(select(OutboxMessage).order_by(OutboxMessage.id))
        return list(result.scalars())


async def test_due_cards_become_one_prompt_per_learner(database: Database) -> None:
    await learner_with_due_cards(database, "ada", cards=3)
    await learner_with_due_cards(database, "bo", cards=1)
    await learner_with_due_cards(database, "cy", cards=2, due=T0 + timedelta(days=1))
    now = T0 + timedelta(hours=10)  # 10:00 UTC, outside quiet hours
    assert await sweep_due_reviews(database, now, POLICY) == 2
    rows = await outbox(database)
    assert sorted(r.recipient for r in rows) == ["ada", "bo"]
    ada = next(r for r in rows if r.recipient == "ada")
    assert ada.payload["due"] == 3 and "3 items are ready" in ada.payload["text"]
    assert ada.payload["choices"] == [
        {"action": "start-review", "label": "Start"},
        {"action": "snooze-hour", "label": "Snooze 1 h"},
        {"action": "snooze-tomorrow", "label": "Snooze to tomorrow"},
    ]
    # the cards are marked in the same transaction: a second sweep queues nothing more
    assert await sweep_due_reviews(database, now + timedelta(minutes=1), POLICY) == 0


async def test_time_zones_and_quiet_hours(database: Database) -> None:
    await learner_with_due_cards(database, "tokyo", timezone="Asia/Tokyo")  # UTC+9
    await learner_with_due_cards(database, "newyork", timezone="America/New_York")  # UTC-5
    at_14 = T0 + timedelta(hours=14)  # Tokyo 23:00 (quiet), New York 09:00
    assert await sweep_due_reviews(database, at_14, POLICY) == 1
    assert [r.recipient for r in await outbox(database)] == ["newyork"]
    next_midnight = T0 + timedelta(days=1)  # Tokyo 09:00, New York 19:00
    assert await sweep_due_reviews(database, next_midnight, POLICY) == 1
    assert [r.recipient for r in await outbox(database)] == ["newyork", "tokyo"]


async def test_daily_cap_counts_the_learners_local_day(database: Database) -> None:
    policy = SweepPolicy(daily_cap=1)
    user_id = await learner_with_due_cards(database, "ada", cards=1)
    now = T0 + timedelta(hours=9)
    assert await sweep_due_reviews(database, now, policy) == 1
    async with database.session() as session:
        session.add(ReviewCard(user_id=user_id, course_id="c", exercise_id="new", due=now))
    assert await sweep_due_reviews(database, now + timedelta(hours=2), policy) == 0
    assert await sweep_due_reviews(database, T0 + timedelta(days=1, hours=9), policy) == 1


async def test_pause_and_snooze_hold_prompts_back(database: Database) -> None:
    await learner_with_due_cards(database, "paused")
    await learner_with_due_cards(database, "snoozer")
    now = T0 + timedelta(hours=10)
    async with database.session() as session:
        paused = await session.run_sync(user_store.get_user, "discord", "paused")
        assert paused is not None
        paused.paused_until = now + timedelta(days=3)
        session.add(paused)
    assert await sweep_due_reviews(database, now, POLICY) == 1
    async with database.session() as session:
        snoozer = await session.run_sync(user_store.get_user, "discord", "snoozer")
        assert snoozer is not None
        said = await session.run_sync(snooze, snoozer, "hour", now)
    assert "11:00" in said
    assert await sweep_due_reviews(database, now + timedelta(minutes=30), POLICY) == 0
    assert await sweep_due_reviews(database, now + timedelta(minutes=61), POLICY) == 1
    assert await sweep_due_reviews(database, now + timedelta(days=4), POLICY) == 1  # pause over


async def test_snooze_to_tomorrow_waits_for_the_end_of_quiet_hours(database: Database) -> None:
    await learner_with_due_cards(database, "ada", timezone="Asia/Tokyo")
    now = T0 + timedelta(hours=3)  # 12:00 in Tokyo
    async with database.session() as session:
        ada = await session.run_sync(user_store.get_user, "discord", "ada")
        assert ada is not None
        said = await session.run_sync(snooze, ada, "tomorrow", now)
        assert ada.snoozed_until == T0 + timedelta(days=1) - timedelta(hours=1)  # 08:00 Tokyo
    assert "08:00" in said


async def test_catch_up_after_downtime_is_spread_not_a_burst(database: Database) -> None:
    for i in range(120):
        await learner_with_due_cards(database, f"l{i}", cards=1, due=T0 - timedelta(days=2))
    now = T0 + timedelta(hours=10)
    assert await sweep_due_reviews(database, now, SweepPolicy(per_second=10, burst=20)) == 120
    times = sorted(r.next_attempt_at for r in await outbox(database))
    assert times[0] == now and times[19] == now
    assert times[-1] - now == timedelta(seconds=(119 - 20) / 10)
    assert len(set(times[20:])) == 100


async def test_forget_removes_pending_prompts(database: Database) -> None:
    user_id = await learner_with_due_cards(database, "ada")
    await learner_with_due_cards(database, "bo")
    await sweep_due_reviews(database, T0 + timedelta(hours=10), POLICY)
    async with database.session() as session:
        await session.run_sync(user_store.delete_user, user_id)
    assert [r.recipient for r in await outbox(database)] == ["bo"]


async def review(database: Database, user_id: int, exercise_id: str, due: datetime) -> None:
    """Save a graded review of one card, as a learner's answer does: a new due, no mark."""
    found = await database.run(learning_store.card_state, user_id, "c", exercise_id)
    assert found is not None
    card_id, card = found
    reviewed = learning_store.CardReview(card, due, T0, rating=3, duration_ms=None)
    await database.run(learning_store.save_review, (user_id, "c", exercise_id), card_id, reviewed)


async def test_a_review_between_the_sweeps_read_and_write_is_announced_later(
    database: Database,
) -> None:
    ada = await learner_with_due_cards(database, "ada", exercises=["e1", "e2"])
    bo = await learner_with_due_cards(database, "bo", exercises=["e1"])
    now = T0 + timedelta(hours=10)
    due = await database.run(find_due, now, POLICY)
    assert [(d.recipient, len(d.card_ids)) for d in due] == [("ada", 2), ("bo", 1)]
    # meanwhile (another process, on PostgreSQL) both review e1: due in three days
    again = now + timedelta(days=3)
    await review(database, ada, "e1", again)
    await review(database, bo, "e1", again)
    assert await database.run(queue_prompts, due, now, POLICY) == 1
    (prompt,) = await outbox(database)
    assert (prompt.recipient, prompt.payload["due"]) == ("ada", 1)
    assert "1 item is ready" in prompt.payload["text"]
    assert await sweep_due_reviews(database, again - timedelta(minutes=1), POLICY) == 0
    # once e1 falls due again, both are prompted for it
    assert await sweep_due_reviews(database, again, POLICY) == 2
    later = [(r.recipient, r.payload["due"]) for r in (await outbox(database))[1:]]
    assert sorted(later) == [("ada", 1), ("bo", 1)]


async def test_one_sweep_at_a_time_on_postgresql(tmp_path: Path) -> None:
    async with migrated_database("postgresql", tmp_path) as database:
        await learner_with_due_cards(database, "ada")
        now = T0 + timedelta(hours=10)
        async with database.session() as other_sweep:
            assert await other_sweep.run_sync(review_store.take_sweep_lock)
            assert await sweep_due_reviews(database, now, POLICY) == 0
        assert await outbox(database) == []
        assert await sweep_due_reviews(database, now, POLICY) == 1  # the lock went with it
