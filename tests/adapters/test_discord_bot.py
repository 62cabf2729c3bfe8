"""The tutor on Discord, end to end: the real discord.py bot against a local fake Discord."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

from bot.adapters.discord import TutorBot, split_text
from bot.content.loader import load_catalog
from bot.services.tutor import Tutor
from bot.store import users as user_store
from bot.store.db import Database
from tests.conftest import FixedClock
from tests.fakes.fake_discord import FakeDiscord, SentMessage

BOT_ID = 900_000_000_000_000_101
USER = 700_000_000_000_000_001
OTHER = 700_000_000_000_000_002
TOKEN = "fake-bot-token"
DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        yield server
    assert server.server_errors == []


@pytest.fixture
def demo_tutor(database: Database, clock: FixedClock) -> Tutor:
    return Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(4))


@pytest.fixture
async def bot(fake: FakeDiscord, demo_tutor: Tutor) -> AsyncIterator[TutorBot]:
    client = TutorBot(demo_tutor, guild_ready_timeout=0)
    async with fake.connect_client(client, token=TOKEN):
        yield client


def buttons(message: SentMessage) -> list[str]:
    return [
        component["custom_id"]
        for row in message.components
        for component in row.get("components", [])
        if "custom_id" in component
    ]


async def dm(fake: FakeDiscord, text: str, user: int = USER) -> SentMessage:
    before = len(fake.dm_messages(user))
    await fake.send_dm(user, text)
    await fake.wait_for_dm(user, count=before + 1)
    await asyncio.sleep(0.05)  # let a multi-part reply finish
    return fake.dm_messages(user)[-1]


async def click(fake: FakeDiscord, custom_id: str, message: SentMessage, user: int = USER) -> dict:
    payload = fake.component_payload(user, custom_id, message_id=message.id)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: fake.followups_for(payload) or _responded(fake, payload))
    return payload


def _responded(fake: FakeDiscord, payload: dict) -> bool:
    return any(c.type in (4, 9) for c in fake.callbacks_for(payload))


async def slash(
    fake: FakeDiscord, name: str, options: dict | None = None, user: int = USER, in_dm: bool = True
) -> dict:
    payload = fake.slash_command_payload(user, name, options or {}, in_dm=in_dm)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: fake.followups_for(payload) or _responded(fake, payload))
    return payload


async def agree(fake: FakeDiscord, user: int = USER) -> None:
    prompt = await dm(fake, "hello", user)
    await click(fake, "tutor:consent", prompt, user)


async def test_slash_commands_are_published_with_descriptions(
    fake: FakeDiscord, bot: TutorBot
) -> None:
    names = {c["name"]: c["description"] for c in fake.commands[None]}
    for name in ("learn", "hint", "skip", "progress", "review", "settings", "export", "forget"):
        assert names.get(name), name
    assert fake.intents is not None
    assert fake.intents & (1 << 12)  # direct messages
    assert not fake.intents & (1 << 15)  # no privileged message content intent


async def test_consent_comes_first_and_nothing_is_stored_before(
    fake: FakeDiscord, bot: TutorBot, database: Database
) -> None:
    prompt = await dm(fake, "start demo")
    assert "Is that OK?" in prompt.content
    assert buttons(prompt) == ["tutor:consent"]
    async with database.session() as session:
        assert await session.run_sync(user_store.get_user, "discord", str(USER)) is None
    payload = await click(fake, "tutor:consent", prompt)
    assert [c.type for c in fake.callbacks_for(payload)] == [5]  # deferred within 3 s
    assert "demo" in fake.followups_for(payload)[0].content
    async with database.session() as session:
        stored = await session.run_sync(user_store.get_user, "discord", str(USER))
    assert stored is not None and stored.consent_at is not None


async def test_dm_tutoring_with_buttons(
    fake: FakeDiscord, bot: TutorBot, database: Database
) -> None:
    await agree(fake)
    question = await dm(fake, "start demo")
    assert "What is 1/3 + 1/4?" in question.content
    assert buttons(question) == ["tutor:hint", "tutor:skip"]
    targeted = await dm(fake, "2/7")
    assert "Is a half plus a half really a half?" in targeted.content
    payload = await click(fake, "tutor:hint", targeted)
    assert "same kind of piece" in fake.followups_for(payload)[0].content
    reflection = await dm(fake, "7/12")
    assert "common denominator" in reflection.content
    closing = await dm(fake, "so the pieces are the same size")
    assert buttons(closing) == ["tutor:next", "tutor:progress"]
    # the DM channel is stored, so a later DM costs one request
    async with database.session() as session:
        user = await session.run_sync(user_store.get_user, "discord", str(USER))
    assert user is not None and user.dm_channel_id == str(fake.dm_channel_id(USER))


async def test_learn_autocompletes_and_starts_a_course(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    complete = fake.autocomplete_payload(USER, "learn", "course", "equa")
    await fake.dispatch("INTERACTION_CREATE", complete)
    await fake.wait_until(lambda: bool(fake.callbacks_for(complete)))
    (callback,) = fake.callbacks_for(complete)
    assert callback.type == 8
    assert [c["value"] for c in callback.data["choices"]] == ["demo-equations"]
    payload = await slash(fake, "learn", {"course": "demo-equations"})
    assert fake.callbacks_for(payload)[0].type == 5
    await fake.wait_until(
        lambda: any("Solve 2x + 3 = 11" in m.content for m in fake.followups_for(payload))
    )


async def test_progress_attaches_the_mastery_chart(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    await dm(fake, "start demo")
    payload = await slash(fake, "progress")
    # The command is acknowledged at once; the chart follows when it is drawn.
    await fake.wait_until(lambda: bool(fake.followups_for(payload)))
    (reply,) = fake.followups_for(payload)
    assert "Adding fractions" in reply.content
    assert reply.attachments == ["progress-demo.png"]
    assert next(iter(reply.files.values())).startswith(b"\x89PNG")


async def test_export_sends_every_row_and_forget_leaves_none(
    fake: FakeDiscord, bot: TutorBot, database: Database
) -> None:
    for person in (USER, OTHER):
        await agree(fake, person)
        await dm(fake, "start demo", person)
        await dm(fake, "5/12", person)
    payload = await slash(fake, "export")
    (reply,) = fake.followups_for(payload)
    assert reply.flags & 64  # ephemeral: for this learner only
    exported = json.loads(reply.files["socratic-tutor-export.json"])
    assert [u["platform_user_id"] for u in exported["users"]] == [str(USER)]
    assert len(exported["turns"]) == 3  # the question, the answer, the follow-up
    confirm = await slash(fake, "forget")
    (ask,) = [c for c in fake.callbacks_for(confirm) if c.type == 4]
    assert "Are you sure?" in ask.data["content"]
    done = fake.component_payload(USER, "tutor:forget-confirm")
    await fake.dispatch("INTERACTION_CREATE", done)
    await fake.wait_until(lambda: bool(fake.followups_for(done)))
    assert "deleted" in fake.followups_for(done)[0].content
    async with database.session() as session:
        for table in SQLModel.metadata.sorted_tables:
            rows = (await session.execute(select(table))).mappings().all()
            for row in rows:
                assert str(USER) not in json.dumps({k: str(v) for k, v in row.items()}), table
        users = (
            await session.execute(
                select(func.count()).select_from(SQLModel.metadata.tables["users"])
            )
        ).scalar_one()
    assert users == 1


async def test_settings_reply_privately(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    payload = await slash(fake, "settings", {"timezone": "Asia/Tokyo", "pause_days": 3})
    (reply,) = fake.followups_for(payload)
    assert "Asia/Tokyo" in reply.content and "No review prompts until" in reply.content
    assert reply.flags & 64
    payload = await slash(fake, "settings", {"interests": "football, jazz"})
    (reply,) = fake.followups_for(payload)
    assert "Interests: football, jazz" in reply.content


async def test_rate_limit_is_honoured(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    rule = fake.rate_limit_next("POST", r"/channels/\d+/messages", retry_after=0.2)
    reply = await dm(fake, "start demo")
    assert "What is 1/3 + 1/4?" in reply.content
    assert rule.sent == 1


async def test_closed_dms_are_recorded_and_the_reply_stays_in_the_server(
    fake: FakeDiscord, bot: TutorBot, database: Database
) -> None:
    await agree(fake)
    fake.close_dms_of(USER)
    payload = await slash(fake, "learn", {"course": "demo"}, in_dm=False)
    await fake.wait_until(lambda: len(fake.followups_for(payload)) >= 3)
    texts = [m.content for m in fake.followups_for(payload)]
    assert "can't send you direct messages" in texts[0]
    assert any("What is 1/3 + 1/4?" in t for t in texts)
    assert all(m.flags & 64 for m in fake.followups_for(payload))
    async with database.session() as session:
        user = await session.run_sync(user_store.get_user, "discord", str(USER))
    assert user is not None and user.unreachable_at is not None
    attempts = fake.requests_to("POST", r"/channels/\d+/messages")
    assert len([r for r in attempts if r.status == 403]) == 1  # tried once, not in a loop


async def test_server_command_continues_in_dm(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    payload = await slash(fake, "learn", {"course": "demo"}, in_dm=False)
    assert "sent you a DM" in fake.followups_for(payload)[0].content
    await fake.wait_until(lambda: "1/3 + 1/4" in fake.dm_messages(USER)[-1].content)
    assert "What is 1/3 + 1/4?" in fake.dm_messages(USER)[-1].content


async def test_long_answer_modal(fake: FakeDiscord, bot: TutorBot) -> None:
    await agree(fake)
    await dm(fake, "start demo")
    opened = await slash(fake, "answer")
    assert [c.type for c in fake.callbacks_for(opened)] == [9]
    submit = fake.modal_submit_payload(
        USER,
        "tutor:long-answer-modal",
        {"tutor:long-answer-text": "First I made twelfths.\nThen 4/12 + 3/12 = 7/12."},
    )
    await fake.dispatch("INTERACTION_CREATE", submit)
    await fake.wait_until(lambda: bool(fake.followups_for(submit)))
    assert "common denominator" in fake.followups_for(submit)[0].content


async def test_buttons_still_work_after_a_restart(
    fake: FakeDiscord, database: Database, clock: FixedClock
) -> None:
    catalog = load_catalog([DEMO])
    first = TutorBot(Tutor(database, catalog, clock=clock), guild_ready_timeout=0)
    async with fake.connect_client(first, token=TOKEN):
        await agree(fake)
        question = await dm(fake, "start demo")
    second = TutorBot(Tutor(database, catalog, clock=clock), guild_ready_timeout=0)
    async with fake.connect_client(second, token=TOKEN):
        payload = await click(fake, "tutor:hint", question)
        assert "same kind of piece" in fake.followups_for(payload)[0].content


def test_long_replies_are_split_cleanly() -> None:
    text = "\n".join(f"line {i}: " + "word " * 30 for i in range(40))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= 2000 for p in parts)
    assert "\n".join(parts).split() == text.split()
    assert split_text("x" * 4500) == ["x" * 2000, "x" * 2000, "x" * 500]


async def test_delete_my_data_in_a_dm_asks_then_deletes_on_the_click(
    fake: FakeDiscord, bot: TutorBot, database: Database
) -> None:
    await agree(fake)
    await dm(fake, "start demo")
    asked = await dm(fake, "Please delete my data")
    assert "Are you sure?" in asked.content
    assert buttons(asked) == ["tutor:forget-confirm"]
    async with database.session() as session:
        assert await session.run_sync(user_store.get_user, "discord", str(USER)) is not None
    # Not read as an answer: the exercise is still open, and the answer is still taken.
    assert "why" in (await dm(fake, "7/12")).content.lower()
    assert "/export" in (await dm(fake, "export my data")).content
    done = await click(fake, "tutor:forget-confirm", asked)
    await fake.wait_until(lambda: bool(fake.followups_for(done)))
    assert "deleted" in fake.followups_for(done)[0].content
    async with database.session() as session:
        assert await session.run_sync(user_store.get_user, "discord", str(USER)) is None
