"""While the tutor works on a DM (a model wording it), Discord shows that the bot is typing."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.adapters.discord import TutorBot
from bot.content.loader import load_catalog
from bot.dialogue import moves
from bot.dialogue.wording import WordingContext, offline_text
from bot.services.tutor import Tutor
from bot.store.db import Database
from cogs.errors import SORRY
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, USER, agree, dm
from tests.conftest import FixedClock
from tests.fakes.fake_discord import FakeDiscord

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


class GatedWording:
    """A wording that waits until the test opens the gate, as a slow model makes a turn wait."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.waiting = asyncio.Event()

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        self.waiting.set()
        await self.gate.wait()
        return offline_text(move)

    def withheld(self, move_kind: str) -> None:
        """Offline words are never withheld."""


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        yield server
    assert server.server_errors == []


@pytest.fixture
def wording() -> GatedWording:
    return GatedWording()


@pytest.fixture
async def bot(
    fake: FakeDiscord, database: Database, clock: FixedClock, wording: GatedWording
) -> AsyncIterator[TutorBot]:
    tutor = Tutor(
        database, load_catalog([DEMO]), clock=clock, rng=random.Random(4), wording=wording
    )
    client = TutorBot(tutor, guild_ready_timeout=0)
    async with fake.connect_client(client, token=TOKEN):
        yield client


async def start_exercise(fake: FakeDiscord, wording: GatedWording) -> str:
    """Agree and start the demo course; return the DM channel's typing path."""
    wording.gate.set()  # consent and the first question need no wait
    await agree(fake)
    await dm(fake, "start demo")
    wording.gate.clear()
    wording.waiting.clear()
    return rf"/channels/{fake.dm_channel_id(USER)}/typing"


async def test_the_bot_types_while_a_slow_turn_is_worded(
    fake: FakeDiscord, bot: TutorBot, wording: GatedWording
) -> None:
    typing = await start_exercise(fake, wording)
    sent = len(fake.dm_messages(USER))
    await fake.send_dm(USER, "hint")
    await wording.waiting.wait()
    shown = await fake.wait_for_request("POST", typing)
    assert shown.status == 204
    assert len(fake.dm_messages(USER)) == sent  # typing while the reply is still being worded
    wording.gate.set()
    reply = await fake.wait_for_dm(USER, count=sent + 1)
    assert "thirds and quarters" in reply.content


async def test_a_failed_typing_request_never_fails_the_turn(
    fake: FakeDiscord, bot: TutorBot, wording: GatedWording
) -> None:
    typing = await start_exercise(fake, wording)
    fake.fail_typing()
    sent = len(fake.dm_messages(USER))
    await fake.send_dm(USER, "hint")
    await wording.waiting.wait()
    refused = await fake.wait_for_request("POST", typing)
    assert refused.status == 403
    wording.gate.set()
    reply = await fake.wait_for_dm(USER, count=sent + 1)
    assert "thirds and quarters" in reply.content
    assert all(SORRY not in m.content for m in fake.dm_messages(USER))
