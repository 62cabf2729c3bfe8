"""Discord output pings no one, errors are told honestly, and start-up failures are plain."""

from __future__ import annotations

import asyncio
import logging
import random
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord import TutorBot
from bot.content.loader import load_catalog
from bot.errors import InfrastructureError, SettingsError
from bot.services.messages import Incoming, Person, Reply
from bot.services.tutor import Tutor
from bot.store.db import Database
from cogs.errors import SORRY
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, USER, agree, dm, slash
from tests.adapters.test_discord_reviews import worker_env
from tests.conftest import ROOT, FixedClock
from tests.fakes.fake_discord import FakeDiscord, SentMessage

DEMO = ROOT / "tests" / "demo_courses"
ROLE = "123456789012345678"
OTHER_USER = "234567890123456789"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        yield server
    assert server.server_errors == []


@pytest.fixture
async def bot(fake: FakeDiscord, database: Database, clock: FixedClock) -> AsyncIterator[TutorBot]:
    tutor = Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(4))
    client = TutorBot(tutor, guild_ready_timeout=0)
    async with fake.connect_client(client, token=TOKEN):
        yield client


def pings(message: SentMessage) -> bool:
    """Whether Discord would notify anyone for this message."""
    payload = message.payload
    return bool(payload["mention_everyone"] or payload["mentions"] or payload["mention_roles"])


async def test_every_message_the_bot_sends_allows_no_mentions(
    fake: FakeDiscord, bot: TutorBot
) -> None:
    await agree(fake)
    await dm(fake, "start demo")
    await dm(fake, "2/7")
    await slash(fake, "hint")
    await slash(fake, "settings", {"timezone": "@everyone"})
    await slash(fake, "export")
    await slash(fake, "forget")
    with_text = [m for m in fake.messages if m.content]
    assert {m.source for m in with_text} == {"channel", "followup", "interaction"}
    for message in with_text:
        assert message.allowed_mentions == {"parse": []}, message.content
        assert not pings(message), message.content


@pytest.mark.parametrize(
    "text", ["start @everyone", "start @here", f"start <@&{ROLE}>", f"start <@{OTHER_USER}>"]
)
async def test_a_mention_the_learner_typed_is_echoed_dead(
    fake: FakeDiscord, bot: TutorBot, text: str
) -> None:
    await agree(fake)
    reply = await dm(fake, text)
    assert "I don't know a course called" in reply.content
    mention = text.removeprefix("start ")
    assert mention not in reply.content, "escaped: no live mention syntax left"
    assert mention.lstrip("<@&").rstrip(">") in reply.content, "still readable"
    assert not pings(reply)


async def test_a_mention_in_a_setting_is_echoed_dead(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    payload = await slash(fake, "settings", {"timezone": f"<@&{ROLE}> @everyone"})
    (reply,) = fake.followups_for(payload)
    assert "time zone" in reply.content
    assert f"<@&{ROLE}>" not in reply.content and "@everyone" not in reply.content
    assert not pings(reply)


class BrokenTutor(Tutor):
    """A real tutor whose message handling breaks, as an unforeseen bug would."""

    async def handle(self, message: Incoming) -> list[Reply]:
        raise RuntimeError("an unforeseen bug")

    async def forget(self, person: Person) -> bool:
        raise RuntimeError("an unforeseen bug")


@pytest.fixture
async def broken_bot(
    fake: FakeDiscord, database: Database, clock: FixedClock
) -> AsyncIterator[TutorBot]:
    tutor = BrokenTutor(database, load_catalog([DEMO]), clock=clock)
    client = TutorBot(tutor, guild_ready_timeout=0)
    async with fake.connect_client(client, token=TOKEN):
        yield client


async def test_an_error_in_a_dm_is_told_honestly_and_logged_without_the_text(
    fake: FakeDiscord, broken_bot: TutorBot, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "my private answer 5/12"
    with caplog.at_level(logging.INFO):
        reply = await dm(fake, secret)
        hint = await slash(fake, "hint")
        click = fake.component_payload(USER, "tutor:forget-confirm")
        await fake.dispatch("INTERACTION_CREATE", click)
        await fake.wait_until(lambda: bool(fake.followups_for(click)))
    assert reply.content == SORRY
    assert "Your work is saved" not in SORRY and "may not have been saved" in SORRY
    assert [m.content for m in fake.followups_for(hint)] == [SORRY]
    assert [m.content for m in fake.followups_for(click)] == [SORRY], "a click is not left hanging"
    sent = [m for m in fake.dm_messages(USER) if m.source == "channel"]
    assert len(sent) == 1, "one reply to the DM, no second apology"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 3 and all(r.exc_info for r in errors), "each failure logged once"
    assert secret not in caplog.text


def closed_port() -> int:
    """A local port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_up(env: dict[str, str], command: str) -> tuple[int | None, str]:
    """Run `tutor <command>` until it exits; return its exit code and standard error."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", command, cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE
    )
    _, raw = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, raw.decode()


def the_one_sentence(stderr: str, start: str) -> str:
    """Check that standard error is one plain sentence and return it."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), stderr
    assert "Traceback" not in stderr and TOKEN not in stderr
    return lines[0]


@pytest.mark.parametrize("command", ["run", "worker"])
async def test_an_unreachable_api_is_one_plain_sentence(
    fake: FakeDiscord, tmp_path: Path, command: str
) -> None:
    env = worker_env(f"sqlite+aiosqlite:///{tmp_path / 'away.db'}", fake)
    env["DISCORD_API_BASE_URL"] = f"http://127.0.0.1:{closed_port()}/api/v10"
    code, stderr = await start_up(env, command)
    assert code == InfrastructureError.exit_code, stderr
    sentence = the_one_sentence(stderr, "Can't reach the Discord API at http://127.0.0.1:")
    assert "check DISCORD_API_BASE_URL" in sentence


async def test_an_api_address_with_no_discord_there_is_one_plain_sentence(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = worker_env(f"sqlite+aiosqlite:///{tmp_path / 'wrong.db'}", fake)
    env["DISCORD_API_BASE_URL"] = fake.http_base.replace("/api/v10", "/api/v1")
    code, stderr = await start_up(env, "run")
    assert code == SettingsError.exit_code, stderr
    sentence = the_one_sentence(stderr, "There is no Discord API at http://127.0.0.1:")
    assert "check DISCORD_API_BASE_URL" in sentence
