"""Asking in words for one's data in a DM, on Discord and on Slack, through the real clients.

"delete my data" gets the confirmation button the command gives, and nothing is deleted
before the click; "export my data" is pointed at the command that sends the file. Neither
is read as an answer to the open exercise.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.adapters.discord import TutorBot
from bot.services.data_requests import data_request
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.adapters.slack_harness import USER as SLACK_USER
from tests.adapters.slack_harness import SlackHarness, running_slack
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, agree, buttons, click, dm
from tests.adapters.test_discord_bot import demo_tutor as demo_tutor  # the fixture
from tests.adapters.test_slack_app import agreed
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_slack import FakeSlack


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("delete my data", "forget"),
        ("Please delete my data.", "forget"),
        ("can you forget me please", "forget"),
        ("I'd like you to delete my account", "forget"),
        ("export my data", "export"),
        ("Download my data please", "export"),
        ("forget", None),  # one word may be an answer ("the opposite of remember")
        ("export", None),
        ("I forgot to delete my data before, now what is 7/12", None),
        ("delete my data " * 10, None),
    ],
)
def test_requests_in_words(text: str, asked: str | None) -> None:
    assert data_request(text) == asked


async def count_users(database: Database) -> int:
    async with database.session() as session:
        users = SQLModel.metadata.tables["users"]
        return (await session.execute(select(func.count()).select_from(users))).scalar_one()


@pytest.fixture
async def discord_fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        yield server
    assert server.server_errors == []


async def test_on_discord_delete_my_data_asks_then_deletes_on_the_click(
    discord_fake: FakeDiscord, demo_tutor: Tutor, database: Database
) -> None:
    fake = discord_fake
    async with fake.connect_client(TutorBot(demo_tutor, guild_ready_timeout=0), token=TOKEN):
        await agree(fake)
        await dm(fake, "start demo")
        asked = await dm(fake, "Please delete my data")
        assert "Are you sure?" in asked.content
        assert buttons(asked) == ["tutor:forget-confirm"]
        assert await count_users(database) == 1, "nothing is deleted before the click"
        # The exercise is still open and nothing was graded: the answer is still taken.
        solved = await dm(fake, "7/12")
        assert "why" in solved.content.lower()
        exported = await dm(fake, "export my data")
        assert "/export" in exported.content
        done = await click(fake, "tutor:forget-confirm", asked)
        await fake.wait_until(lambda: bool(fake.followups_for(done)))
        assert "deleted" in fake.followups_for(done)[0].content
        assert await count_users(database) == 0


@pytest.fixture
async def slack_fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        yield server
    assert server.server_errors == []
    assert server.unknown_methods() == []


@pytest.fixture
async def slack(
    slack_fake: FakeSlack, demo_tutor: Tutor, database: Database
) -> AsyncIterator[SlackHarness]:
    async with running_slack(slack_fake, demo_tutor, database) as harness:
        yield harness


async def test_on_slack_delete_my_data_asks_then_deletes_on_the_click(
    slack: SlackHarness, database: Database
) -> None:
    await agreed(slack)
    (asked,) = await slack.reply("delete my data")
    assert "Are you sure?" in asked.text and asked.buttons == ["tutor:forget-confirm"]
    assert await count_users(database) == 1
    (exported,) = await slack.reply("export my data")
    assert "/tutor export" in exported.text
    await slack.click(asked, "tutor:forget-confirm")
    await slack.fake.wait_until(lambda: any("deleted" in m.text for m in slack.fake.dm(SLACK_USER)))
    assert await count_users(database) == 0
    assert json.dumps([m.text for m in slack.fake.dm(SLACK_USER)]).count("Are you sure?") == 1
