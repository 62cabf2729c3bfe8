"""The composition root: one worker per process with the adapters' deliveries, jobs, shutdown."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.console import ConsoleAdapter
from bot.adapters.discord import DiscordBotAdapter
from bot.content.loader import load_catalog
from bot.errors import SettingsError
from bot.runtime import PeriodicJob, Root, configured_adapters, open_root, run_adapters
from bot.scheduling.sender import Delivery, DeliveryResult
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.conftest import ROOT, FixedClock
from tests.support.learners import learner_with_due_cards

DEMO = ROOT / "tests" / "demo_courses"


def settings(**values: object) -> Settings:
    """Settings from these values only: no `.env`, no platform token from the environment."""
    base: dict[str, object] = {"discord_token": None, "slack_bot_token": None}
    return Settings(_env_file=None, **{**base, **values})  # type: ignore[arg-type]


def root(database: Database, clock: FixedClock) -> Root:
    """A root over the test's database, as open_root builds it."""
    catalog = load_catalog([DEMO])
    tutor = Tutor(database, catalog, clock=clock, rng=random.Random(1))
    return Root(settings(sweep_seconds=0.2, content_dir=DEMO), catalog, database, tutor)


class RecordingAdapter:
    """An adapter that delivers console prompts itself and stops serving after the first."""

    serves_until_signal = False

    def __init__(self, events: list[str], job_started: asyncio.Event) -> None:
        self.events = events
        self.job_started = job_started
        self.delivered = asyncio.Event()
        self.release = asyncio.Event()

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        self.events.append("connect")
        return {"console": self}

    async def deliver(self, message: OutboxMessage) -> DeliveryResult:
        self.events.append(f"deliver to {message.recipient}")
        self.delivered.set()
        return DeliveryResult("sent")

    async def serve(self) -> None:
        await self.delivered.wait()
        await self.job_started.wait()
        self.events.append("served")
        self.release.set()

    async def close(self) -> None:
        self.events.append("close")


async def test_one_worker_delivers_through_the_adapters_and_stops_before_they_close(
    database: Database, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await learner_with_due_cards(
        database,
        "ada",
        platform="console",
        quiet=("00:00", "00:00"),
        course="demo",
        exercises=["third-plus-quarter"],
        due=clock() - timedelta(days=1),
    )
    events: list[str] = []
    started = asyncio.Event()
    built = root(database, clock)
    adapter = RecordingAdapter(events, started)

    async def slow() -> None:
        started.set()
        await adapter.release.wait()
        await asyncio.sleep(0.5)  # a job that takes a while: the root waits, whatever it takes
        events.append("slow job done")

    async def broken() -> None:
        raise RuntimeError("a job's own bug")

    built.register(PeriodicJob("slow", slow, seconds=3600))
    built.register(PeriodicJob("broken", broken, seconds=3600))
    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(run_adapters(built, [adapter]), 60)
    assert events == ["connect", "deliver to ada", "served", "slow job done", "close"]
    (failure,) = [r for r in caplog.records if "job broken failed" in r.getMessage()]
    assert failure.exc_info is not None


class FailingAdapter(RecordingAdapter):
    """An adapter whose platform refuses the login."""

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        self.events.append("refused")
        raise SettingsError("the platform rejected the token")


async def test_a_refused_connect_closes_every_adapter_and_starts_no_worker(
    database: Database, clock: FixedClock
) -> None:
    events: list[str] = []
    never = asyncio.Event()
    adapters = [RecordingAdapter(events, never), FailingAdapter(events, never)]
    with pytest.raises(SettingsError, match="rejected the token"):
        await run_adapters(root(database, clock), adapters)
    assert events == ["connect", "refused", "close", "close"]


def test_the_console_runs_when_no_platform_is_configured() -> None:
    (adapter,) = configured_adapters(settings())
    assert isinstance(adapter, ConsoleAdapter)


def test_a_discord_token_runs_the_discord_bot() -> None:
    (adapter,) = configured_adapters(settings(discord_token="a-token"))
    assert isinstance(adapter, DiscordBotAdapter)


def test_slack_settings_run_slack_and_both_tokens_run_both() -> None:
    from bot.adapters.slack import SlackAdapter

    slack = {"slack_bot_token": "xoxb-a-token", "slack_signing_secret": "a-secret"}
    (adapter,) = configured_adapters(settings(**slack))
    assert isinstance(adapter, SlackAdapter)
    both = configured_adapters(settings(discord_token="a-token", **slack))
    assert [type(a) for a in both] == [DiscordBotAdapter, SlackAdapter]


def test_slack_without_its_signing_secret_is_one_sentence() -> None:
    with pytest.raises(SettingsError, match="SLACK_SIGNING_SECRET"):
        configured_adapters(settings(slack_bot_token="xoxb-a-token", slack_signing_secret=None))


@pytest.mark.parametrize("weekly", [True, False])
async def test_the_weekly_fit_is_a_job_only_when_it_is_turned_on(
    tmp_path: Path, weekly: bool
) -> None:
    wanted = settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        content_dir=DEMO,
        fit_weekly=weekly,
    )
    async with open_root(wanted, DEMO) as built:
        assert [job.name for job in built.jobs].count("fit") == (1 if weekly else 0)
