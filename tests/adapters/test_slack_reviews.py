"""Review prompts as Slack DMs through the outbox: paced, honouring 429, each sent once."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.adapters.slack import SlackPacing, SlackWorkerAdapter
from bot.content.loader import load_catalog
from bot.runtime import Root
from bot.scheduling.sender import OutboxSender, RateLimiter
from bot.scheduling.sweep import SweepPolicy, sweep_due_reviews
from bot.services.tutor import Tutor
from bot.store.db import Database
from bot.store.models import OutboxMessage, ReviewCard, User
from tests.adapters.slack_harness import SlackHarness, running_slack, slack_settings
from tests.conftest import ROOT, FixedClock
from tests.fakes import slack_requests as rq
from tests.fakes.fake_slack import FakeSlack
from tests.support.learners import learner_with_due_cards

DEMO = ROOT / "tests" / "demo_courses"
LEARNER = "U0REVIEW"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server
    assert server.server_errors == []
    assert server.unknown_methods() == []


@pytest.fixture
async def slack(
    fake: FakeSlack, database: Database, clock: FixedClock
) -> AsyncIterator[SlackHarness]:
    tutor = Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(1))
    async with running_slack(fake, tutor, database) as harness:
        yield harness


async def learner_due(database: Database, user_id: str, clock: FixedClock) -> int:
    """A consenting Slack learner with two demo items due for review."""
    return await learner_with_due_cards(
        database,
        user_id,
        platform="slack",
        quiet=("00:00", "00:00"),
        course="demo",
        exercises=["third-plus-quarter", "common-denominator-recall"],
        due=clock() - timedelta(hours=1),
    )


def sender(slack: SlackHarness, database: Database, clock: FixedClock) -> OutboxSender:
    """The real sender with the Slack delivery, as the worker builds it."""
    return OutboxSender(
        database,
        {"slack": slack.delivery},
        {"slack": RateLimiter(1.0)},
        clock=clock,
        worker="test",
    )


async def rows(database: Database) -> list[OutboxMessage]:
    async with database.session() as session:
        return list((await session.execute(select(OutboxMessage))).scalars())


async def test_a_prompt_is_one_dm_whose_buttons_start_the_review(
    slack: SlackHarness, fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    await learner_due(database, LEARNER, clock)
    assert await sweep_due_reviews(database, clock(), SweepPolicy()) == 1
    assert await sender(slack, database, clock).drain() == 1
    (prompt,) = fake.dm(LEARNER)
    assert "2 items are ready" in prompt.shown
    assert prompt.buttons == ["tutor:start-review", "tutor:snooze-hour", "tutor:snooze-tomorrow"]
    (row,) = await rows(database)
    assert prompt.metadata == {
        "event_type": "tutor_outbox_message",
        "event_payload": {"key": row.idempotency_key},
    }
    await slack.click(prompt, "tutor:start-review", LEARNER)
    await fake.wait_until(lambda: len(fake.dm(LEARNER)) >= 2)
    assert "1/2 + 1/4" in fake.dm(LEARNER)[-1].shown or "1/3" in fake.dm(LEARNER)[-1].shown
    await slack.click(prompt, "tutor:snooze-hour", LEARNER)
    await fake.wait_until(lambda: "Snoozed" in fake.dm(LEARNER)[-1].shown)
    # a later prompt costs one request: the DM channel is stored
    clock.advance(days=3)
    async with database.session() as session:
        await session.execute(
            update(ReviewCard).values(due=clock() - timedelta(minutes=5), notified_at=None)
        )
        await session.execute(update(User).values(snoozed_until=None))
    assert await sweep_due_reviews(database, clock(), SweepPolicy()) == 1
    # the DM just had a few messages: the prompt waits its turn (a second a message), not failing
    await sender(slack, database, clock).drain()
    pending = [r for r in await rows(database) if r.status == "pending"]
    assert [(r.attempts, r.last_error) for r in pending] == [(0, "paced")]
    assert timedelta(0) < pending[0].next_attempt_at - clock() <= timedelta(seconds=5)
    slack.delivery.pacing = SlackPacing()  # seconds later (the pace is kept in memory)
    clock.advance(seconds=5)
    await sender(slack, database, clock).drain()
    assert len(fake.calls_to("conversations.open")) == 1
    assert len([m for m in fake.dm(LEARNER) if m.metadata]) == 2


async def test_a_deactivated_account_is_marked_unreachable_once(
    slack: SlackHarness, fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    await learner_due(database, LEARNER, clock)
    fake.deactivate(LEARNER)
    outbox = sender(slack, database, clock)
    await sweep_due_reviews(database, clock(), SweepPolicy())
    await outbox.drain()
    clock.advance(days=1)
    await sweep_due_reviews(database, clock(), SweepPolicy())
    await outbox.drain()
    assert [c.error for c in fake.calls_to("conversations.open")] == ["user_disabled"]
    assert fake.calls_to("chat.postMessage") == []
    (row,) = await rows(database)
    assert row.status == "unreachable"
    async with database.session() as session:
        user = (await session.execute(select(User))).scalar_one()
    assert user.unreachable_at is not None


async def test_a_429_is_honoured_with_retry_after(
    slack: SlackHarness, fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    await learner_due(database, LEARNER, clock)
    fake.rate_limit_next("chat.postMessage", retry_after=7)
    outbox = sender(slack, database, clock)
    await sweep_due_reviews(database, clock(), SweepPolicy())
    await outbox.drain()
    (row,) = await rows(database)
    assert row.status == "pending" and row.next_attempt_at == clock() + timedelta(seconds=7)
    assert fake.dm(LEARNER) == []
    clock.advance(seconds=7)
    await outbox.drain()
    assert len(fake.dm(LEARNER)) == 1
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [429, 200]
    assert len(fake.calls_to("conversations.history")) == 1, "a retried row is looked for first"
    (row,) = await rows(database)
    assert row.status == "sent"


async def test_a_prompt_posted_before_a_crash_is_not_posted_again(
    slack: SlackHarness, fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    await learner_due(database, LEARNER, clock)
    await sweep_due_reviews(database, clock(), SweepPolicy())
    (row,) = await rows(database)
    assert row.id is not None
    assert (await slack.delivery.deliver(row)).status == "sent"
    # the worker died before it recorded the send: the lease runs out, another claims the row
    clock.advance(minutes=5)
    assert await sender(slack, database, clock).drain() == 1
    assert len(fake.dm(LEARNER)) == 1
    assert len(fake.calls_to("conversations.history")) == 1
    (row,) = await rows(database)
    assert row.status == "sent"


async def test_a_worker_without_the_app_delivers_prompts(
    fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    tutor = Tutor(database, load_catalog([DEMO]), clock=clock)
    settings = slack_settings(fake, slack_signing_secret=None)
    worker = SlackWorkerAdapter(settings)
    try:
        deliveries = await worker.connect(Root(settings, tutor.catalog, database, tutor))
        await learner_due(database, LEARNER, clock)
        await sweep_due_reviews(database, clock(), SweepPolicy())
        outbox = OutboxSender(
            database, deliveries, {"slack": RateLimiter(1.0)}, clock=clock, worker="w"
        )
        assert await outbox.drain() == 1
    finally:
        await worker.close()
    (prompt,) = fake.dm(LEARNER)
    assert prompt.buttons[0] == "tutor:start-review"


def run_env(database_url: str, fake: FakeSlack) -> dict[str, str]:
    """`tutor run` on Slack's Socket Mode against the mock, and nothing else."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DISCORD_TOKEN": "",
        "OPENAI_API_KEY": "",
        "OPENAI_BASE_URL": "",
        "SLACK_BOT_TOKEN": fake.bot_token,
        "SLACK_APP_TOKEN": fake.app_token,
        "SLACK_SIGNING_SECRET": "",
        "SLACK_MODE": "socket",
        "SLACK_API_BASE_URL": fake.api_base,
        "SWEEP_SECONDS": "0.5",
        "OUTBOX_LEASE_SECONDS": "2",
        "CONTENT_DIR": str(DEMO),
        "LOG_LEVEL": "WARNING",
    }
    return env


async def start_run(env: dict[str, str], **options: object) -> asyncio.subprocess.Process:
    """Start `tutor run` as a real process."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, **options
    )


async def test_tutor_run_with_slack_settings_serves_slack_and_stops_on_sigterm(
    fake: FakeSlack, tmp_path: Path
) -> None:
    proc = await start_run(
        run_env(f"sqlite+aiosqlite:///{tmp_path / 'run.db'}", fake),
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await fake.wait_until(lambda: fake.connected_sockets == 1, seconds=90)
        await fake.push("events_api", rq.event(rq.dm("U0RUN", "hello")).payload())
        await fake.wait_until(lambda: bool(fake.dm("U0RUN")), seconds=30)
        assert "Is that OK?" in fake.dm("U0RUN")[0].shown
    finally:
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert fake.bot_token not in stderr.decode() and "hello" not in stderr.decode()
    await fake.wait_until(lambda: fake.connected_sockets == 0, seconds=10)


async def test_a_killed_process_loses_no_prompt_and_sends_none_twice(
    fake: FakeSlack, tmp_path: Path
) -> None:
    learners = [f"U0K{i:03d}" for i in range(6)]
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    database = Database(url)
    await database.upgrade()
    now = datetime.now(UTC)
    for user in learners:
        await learner_with_due_cards(
            database,
            user,
            platform="slack",
            quiet=("00:00", "00:00"),
            course="demo",
            exercises=["third-plus-quarter"],
            due=now - timedelta(hours=1),
        )
    await database.close()
    env = run_env(url, fake)
    # the third prompt is posted, but the process dies before it hears back
    held = fake.hold("chat.postMessage", nth=3)
    first = await start_run(env)
    try:
        await fake.wait_until(held.reached.is_set, seconds=90)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert len(fake.messages) == 3
    unsure = fake.messages[2].channel  # posted, but not recorded as sent
    second = await start_run(env)
    try:
        await fake.wait_until(lambda: all(fake.dm(user) for user in learners), seconds=90)
        await fake.wait_until(
            lambda: any(
                c.args.get("channel") == unsure for c in fake.calls_to("conversations.history")
            ),
            seconds=30,
        )
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
    assert second.returncode == 0
    assert {user: len(fake.dm(user)) for user in learners} == {user: 1 for user in learners}
    database = Database(url)
    try:
        assert {r.status for r in await rows(database)} == {"sent"}
    finally:
        await database.close()
