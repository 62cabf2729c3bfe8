"""Review prompts by DM on Discord: one per learner, buttons that work, exactly once."""

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
from sqlalchemy import insert, select

from bot.adapters.discord import DiscordDelivery, TutorBot
from bot.content.loader import load_catalog
from bot.scheduling.sender import OutboxSender, RateLimiter
from bot.scheduling.sweep import SweepPolicy, sweep_due_reviews
from bot.services.tutor import Tutor
from bot.store.db import Database
from bot.store.models import OutboxMessage, ReviewCard, User
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, USER, buttons, click
from tests.conftest import ROOT, FixedClock
from tests.fakes.fake_discord import FakeDiscord
from tests.support.learners import learner_with_due_cards

DEMO = ROOT / "tests" / "demo_courses"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        yield server
    assert server.server_errors == []


async def learner_due(database: Database, user_id: int, clock: FixedClock) -> None:
    """A consenting Discord learner with two demo items due for review."""
    await learner_with_due_cards(
        database,
        str(user_id),
        quiet=("00:00", "00:00"),
        course="demo",
        exercises=["third-plus-quarter", "common-denominator-recall"],
        due=clock() - timedelta(hours=1),
    )


async def test_prompt_is_one_dm_with_buttons_and_start_opens_the_review(
    fake: FakeDiscord, database: Database, clock: FixedClock
) -> None:
    tutor = Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(1))
    bot = TutorBot(tutor, guild_ready_timeout=0)
    await learner_due(database, USER, clock)
    async with fake.connect_client(bot, token=TOKEN):
        sender = OutboxSender(
            database,
            {"discord": bot.delivery(database)},
            {"discord": RateLimiter(45)},
            clock=clock,
            worker="test",
        )
        assert await sweep_due_reviews(database, clock(), SweepPolicy()) == 1
        assert await sender.drain() == 1
        (prompt,) = fake.dm_messages(USER)
        assert "2 items are ready" in prompt.content
        assert buttons(prompt) == [
            "tutor:start-review",
            "tutor:snooze-hour",
            "tutor:snooze-tomorrow",
        ]
        assert len(fake.requests_to("POST", r"/users/@me/channels")) == 1
        payload = await click(fake, "tutor:start-review", prompt)
        await fake.wait_until(
            lambda: any("review" in m.content.lower() for m in fake.followups_for(payload))
        )
        # a later prompt costs one request: the DM channel is stored
        clock.advance(days=3)
        async with database.session() as session:
            cards = (await session.execute(select(ReviewCard))).scalars().all()
            for card in cards:
                card.due = clock() - timedelta(minutes=5)
                card.notified_at = None
                session.add(card)
        assert await sweep_due_reviews(database, clock(), SweepPolicy()) == 1
        await sender.drain()
        assert len(fake.requests_to("POST", r"/users/@me/channels")) == 1
        snooze = await click(fake, "tutor:snooze-hour", fake.dm_messages(USER)[-1])
        assert "Snoozed" in fake.followups_for(snooze)[0].content


async def test_closed_dms_mark_the_learner_unreachable_once(
    fake: FakeDiscord, database: Database, clock: FixedClock
) -> None:
    tutor = Tutor(database, load_catalog([DEMO]), clock=clock)
    bot = TutorBot(tutor, guild_ready_timeout=0)
    await learner_due(database, USER, clock)
    fake.close_dms_of(USER)
    async with fake.connect_client(bot, token=TOKEN):
        sender = OutboxSender(
            database,
            {"discord": DiscordDelivery(bot, database)},
            {"discord": RateLimiter(45)},
            clock=clock,
            worker="test",
        )
        await sweep_due_reviews(database, clock(), SweepPolicy())
        await sender.drain()
        clock.advance(days=1)
        await sender.drain()
        await sweep_due_reviews(database, clock(), SweepPolicy())
        await sender.drain()
    sends = fake.requests_to("POST", r"/channels/\d+/messages")
    assert [r.status for r in sends] == [403]
    async with database.session() as session:
        user = (await session.execute(select(User))).scalar_one()
        row = (await session.execute(select(OutboxMessage))).scalar_one()
    assert user.unreachable_at is not None
    assert row.status == "unreachable"


def worker_env(database_url: str, fake: FakeDiscord) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DISCORD_TOKEN": TOKEN,
        "DISCORD_API_BASE_URL": fake.http_base,
        "SWEEP_SECONDS": "0.5",
        "OUTBOX_LEASE_SECONDS": "2",
        "CONTENT_DIR": str(DEMO),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("SLACK_BOT_TOKEN", None)
    return env


async def start_worker(env: dict[str, str]) -> asyncio.subprocess.Process:
    """Start `tutor worker` as a real process."""
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "worker", cwd=ROOT, env=env
    )


async def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    learners = 150
    url = f"sqlite+aiosqlite:///{tmp_path / 'crash.db'}"
    database = Database(url)
    await database.upgrade()
    now = datetime.now(UTC)
    async with database.session() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": i + 1,
                    "platform": "discord",
                    "platform_user_id": str(10_000 + i),
                    "consent_at": now,
                    "quiet_start": "00:00",
                    "quiet_end": "00:00",
                    "display_name": "",
                    "timezone": "UTC",
                    "created_at": now,
                }
                for i in range(learners)
            ],
        )
        await session.execute(
            insert(ReviewCard),
            [
                {
                    "user_id": i + 1,
                    "course_id": "demo",
                    "exercise_id": "third-plus-quarter",
                    "card": {},
                    "due": now - timedelta(hours=1),
                }
                for i in range(learners)
            ],
        )
    await database.close()
    env = worker_env(url, fake)
    first = await start_worker(env)
    try:
        await fake.wait_until(lambda: len(fake.messages) >= 40, seconds=60)
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    delivered_before = len(fake.messages)
    assert delivered_before < learners, "the worker was killed in the middle of sending"
    second = await start_worker(env)
    try:
        await fake.wait_until(lambda: len(fake.messages) >= learners, seconds=90)
        await asyncio.sleep(3)  # leases run out: anything left over would be resent now
    finally:
        second.send_signal(signal.SIGTERM)
        await asyncio.wait_for(second.wait(), 30)
    per_learner = {10_000 + i: len(fake.dm_messages(10_000 + i)) for i in range(learners)}
    assert set(per_learner.values()) == {1}, "every learner exactly one prompt"
    database = Database(url)
    async with database.session() as session:
        statuses = {r.status for r in (await session.execute(select(OutboxMessage))).scalars()}
    await database.close()
    assert statuses == {"sent"}


async def test_tutor_run_with_a_token_serves_discord(fake: FakeDiscord, tmp_path: Path) -> None:
    env = worker_env(f"sqlite+aiosqlite:///{tmp_path / 'run.db'}", fake)
    env["DISCORD_GATEWAY_URL"] = fake.gateway_url
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env
    )
    try:
        await fake.wait_identified(seconds=60)
        await fake.wait_until(lambda: bool(fake.commands.get(None)), seconds=30)
        await fake.send_dm(USER, "hello")
        await fake.wait_for_dm(USER)
        assert "Is that OK?" in fake.dm_messages(USER)[0].content
    finally:
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 30)
    assert proc.returncode == 0, "SIGTERM stops the bot cleanly"


async def test_a_rejected_token_is_one_plain_sentence(fake: FakeDiscord, tmp_path: Path) -> None:
    env = worker_env(f"sqlite+aiosqlite:///{tmp_path / 'bad.db'}", fake)
    env["DISCORD_TOKEN"] = "not-the-token"
    env["DISCORD_GATEWAY_URL"] = fake.gateway_url
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=ROOT,
        env=env,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 2
    assert "Discord rejected DISCORD_TOKEN" in stderr.decode()
    assert "Traceback" not in stderr.decode()
    assert "not-the-token" not in stderr.decode()
