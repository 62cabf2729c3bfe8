"""Cohorts on Discord, end to end: the real discord.py bot, the fake Discord, a SQLite file.

A creator uploads a course (an error reported as file:line, then stored), imports a
worksheet, and runs a cohort in a channel; three members join with the channel's button,
consent in DM and work there; the week's post reaches the channel once with its thread;
the creator's status shows who is stuck and on what; other people are refused.
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.adapters.discord import TutorBot
from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.scheduling.sender import OutboxSender, RateLimiter
from bot.services.cohort_automations import CohortAutomations
from bot.services.cohort_desk import CohortDesk
from bot.services.course_shelf import CourseShelf
from bot.services.tutor import Tutor
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import OutboxMessage
from bot.store.outbox import NewMessage, enqueue
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, buttons, click
from tests.conftest import FixedClock
from tests.fakes.fake_discord import FakeDiscord, SentMessage
from tests.services.test_course_shelf import FIRST_STEP, HEADER, course_zip

CREATOR = 700_000_000_000_000_021
MEMBERS = {
    700_000_000_000_000_022: "ada",
    700_000_000_000_000_023: "bo",
    700_000_000_000_000_024: "cy",
}
ADA, BO, CY = MEMBERS
NEWCOMER = 700_000_000_000_000_025
OTHER_CREATOR = 700_000_000_000_000_026
MANAGE_GUILD = 1 << 5
DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
JSON = dict[str, Any]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        server.add_user(CREATOR, "maya")
        server.add_user(OTHER_CREATOR, "lee")
        server.add_user(NEWCOMER, "dee")
        for user, name in MEMBERS.items():
            server.add_user(user, name)
        server.member_permissions[CREATOR] = MANAGE_GUILD
        server.member_permissions[OTHER_CREATOR] = MANAGE_GUILD
        yield server
    assert server.server_errors == []


@pytest.fixture
def demo() -> Catalog:
    return load_catalog([DEMO])


def cohort_bot(database: Database, catalog: Catalog, clock: FixedClock) -> TutorBot:
    """A fresh process's bot: tutor, cohort desk and course shelf on the shared database."""
    tutor = Tutor(database, catalog, clock=clock, rng=random.Random(7))
    desk = CohortDesk(database, catalog, clock=clock)
    shelf = CourseShelf(database, catalog, clock=clock)
    return TutorBot(tutor, cohorts=desk, shelf=shelf, guild_ready_timeout=0)


def answered(fake: FakeDiscord, payload: JSON) -> bool:
    """The interaction got its reply: a follow-up or a message."""
    return bool(fake.followups_for(payload)) or any(
        c.type == 4 for c in fake.callbacks_for(payload)
    )


async def command(
    fake: FakeDiscord,
    user: int,
    group: str,
    sub: str,
    options: JSON | None = None,
    *,
    channel: int | None = None,
    resolved: JSON | None = None,
    nested: bool = False,
    leaf: str = "add",
) -> SentMessage:
    """Run `/group sub` in a server channel (`/group sub leaf` for a subgroup); return its
    one answer."""
    kinds = {"file": 11, "member": 6}
    given = [
        {"name": key, "type": kinds.get(key, 4 if isinstance(value, int) else 3), "value": value}
        for key, value in (options or {}).items()
    ]
    data = [{"name": sub, "type": 1, "options": given}]
    if nested:
        data = [{"name": sub, "type": 2, "options": [{"name": leaf, "type": 1, "options": given}]}]
    payload = fake.slash_command_payload(
        user,
        group,
        data,
        in_dm=False,
        channel_id=channel or fake.guild_channel_id(),
        resolved=resolved,
    )
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: answered(fake, payload))
    found = fake.followups_for(payload)
    if found:
        return found[-1]
    (callback,) = [c for c in fake.callbacks_for(payload) if c.type == 4]
    assert callback.data is not None
    return SentMessage(0, 0, "interaction", callback.data)


async def upload(
    fake: FakeDiscord, sub: str, name: str, data: bytes, user: int = CREATOR
) -> SentMessage:
    """Attach a file to `/course <sub>`; return the answer."""
    attachment = fake.upload_attachment(name, data)
    resolved = {"attachments": {attachment["id"]: attachment}}
    return await command(fake, user, "course", sub, {"file": attachment["id"]}, resolved=resolved)


async def said_in_dm(fake: FakeDiscord, user: int, text: str, expected: str) -> str:
    """A member DMs the bot; return the bot's answer once it contains `expected`."""
    before = len(fake.dm_messages(user))
    await fake.send_dm(user, text)

    def answer() -> str:
        return "\n".join(m.content for m in fake.dm_messages(user)[before:])

    await fake.wait_until(lambda: expected in answer())
    return answer()


async def join_and_consent(fake: FakeDiscord, post: SentMessage, user: int) -> None:
    """A member clicks Join in the channel, then I agree in the DM that arrives."""
    joined = await click(fake, "tutor:cohort-join:1", post, user)
    assert "sent you a DM" in fake.followups_for(joined)[-1].content
    consent = fake.dm_messages(user)[-1]
    assert "never what you wrote" in consent.content
    assert buttons(consent) == ["tutor:cohort-consent:1"]
    agreed = await click(fake, "tutor:cohort-consent:1", consent, user)
    assert "Welcome to Demo fractions" in fake.followups_for(agreed)[-1].content


async def stored_id(database: Database, user: int) -> int:
    """The stored id of a Discord user."""
    async with database.session() as session:
        found = await session.run_sync(user_store.get_user, "discord", str(user))
    assert found is not None and found.id is not None
    return found.id


async def queue(
    database: Database, clock: FixedClock, recipient: int, kind: str, payload: JSON, key: str
) -> None:
    """An outbox row from the creator's account, as the cohort automations write them."""
    user = await stored_id(database, CREATOR)
    row = NewMessage(user, "discord", str(recipient), kind, payload, key, clock(), clock())
    await database.run(enqueue, [row])


async def weekly_post(database: Database, clock: FixedClock, channel: int, key: str) -> None:
    """The week's post as the cohort automations queue it."""
    payload = {
        "text": "**Demo fractions**, week 1: this week's focus is **Adding fractions**.",
        "choices": [{"action": "cohort-start:1", "label": "Start practising"}],
        "thread": {"title": "Week 1: Adding fractions", "text": "Why twelfths?"},
        "cohort_id": 1,
        "week": 1,
    }
    await queue(database, clock, channel, "cohort_post", payload, key)


def sender(database: Database, bot: TutorBot, clock: FixedClock) -> OutboxSender:
    """The outbox sender, delivering through this bot."""
    return OutboxSender(
        database,
        {"discord": bot.delivery(database)},
        {"discord": RateLimiter(45)},
        clock=clock,
        worker="test",
    )


async def test_a_creator_runs_a_cohort_and_sees_who_is_stuck(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    channel = fake.guild_channel_id()
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        broken = course_zip(
            ("course.yaml", HEADER), ("follow.yaml", FIRST_STEP.replace("min: 8", ""))
        )
        report = await upload(fake, "upload", "team-talks.zip", broken.data)
        assert report.flags & 64, "only the creator sees the report"
        assert "team-talks/follow.yaml:7: missing field" in report.content
        assert "nothing was stored" in report.content
        fixed = course_zip(("course.yaml", HEADER), ("follow.yaml", FIRST_STEP))
        stored = await upload(fake, "upload", "team-talks.zip", fixed.data)
        assert "Stored version 1 of Team talks" in stored.content
        refused = await upload(fake, "upload", "team-talks.zip", fixed.data, user=ADA)
        assert "manage this server" in refused.content
        sheet = b"# Week one\n## Plans\n1. Who will you ask for feedback?\n2. What is 2 + 3?\n"
        draft = await upload(fake, "import", "week.md", sheet)
        assert "draft course" in draft.content
        assert [a for a in draft.attachments if a.endswith(".zip")]

        assert (
            "manage this server"
            in (await command(fake, ADA, "cohort", "create", {"course": "demo"})).content
        )
        created = await command(
            fake, CREATOR, "cohort", "create", {"course": "demo", "pace": "weekly"}
        )
        assert "posted in this channel" in created.content
        (post,) = [m for m in fake.messages_to(channel) if "Cohort #1" in m.content]
        assert buttons(post) == ["tutor:cohort-join:1"]

        for member in MEMBERS:
            await join_and_consent(fake, post, member)
            assert "What is 1/3 + 1/4?" in await said_in_dm(fake, member, "next", "1/3 + 1/4")
        await said_in_dm(fake, ADA, "7/12", "common denominator")
        for _ in range(4):
            await said_in_dm(fake, BO, "2/7", "half plus a half")
            clock.advance(minutes=30)
        await said_in_dm(fake, CY, "2/7", "half plus a half")
        clock.advance(hours=2)

        await weekly_post(database, clock, channel, "cohort-post:1:1")
        outbox = sender(database, bot, clock)
        assert await outbox.drain() == 1
        assert await outbox.drain() == 0
        (weekly,) = [m for m in fake.messages_to(channel) if "week 1" in m.content]
        assert buttons(weekly) == ["tutor:cohort-start:1"]
        (thread,) = fake.threads
        assert thread["name"] == "Week 1: Adding fractions"
        assert [m.content for m in fake.messages_to(int(thread["id"]))] == ["Why twelfths?"]

        status = await command(fake, CREATOR, "cohort", "status")
        assert status.flags & 64, "a staff view is the asker's alone"
        assert "bo on Adding fractions since" in status.content
        assert "misconception: adding-denominators" in status.content
        assert "adding-denominators: 2 member(s)" in status.content
        assert buttons(status) == [
            "tutor:cohort-chart:1",
            "tutor:cohort-csv:1",
            "tutor:cohort-discuss:1:adding-denominators",
        ]
        posted = await click(fake, buttons(status)[2], status, CREATOR)
        assert "Posted" in fake.followups_for(posted)[-1].content
        assert any("Is a half plus a half" in m.content for m in fake.messages_to(channel))

        csv_file = await command(fake, CREATOR, "cohort", "csv")
        (name,) = csv_file.attachments
        assert re.search(
            rb"bo,adding-fractions,learning,.*,yes,.*,adding-denominators", csv_file.files[name]
        )
        chart = await command(fake, CREATOR, "cohort", "chart")
        assert chart.attachments == ["cohort-1.png"] and chart.flags & 64
        assert next(iter(chart.files.values())).startswith(b"\x89PNG")

        not_yours = "isn't one of your cohorts"
        assert not_yours in (await command(fake, BO, "cohort", "status")).content
        assert not_yours in (await command(fake, BO, "cohort", "csv", {"cohort": 1})).content
        _guild, elsewhere = fake.new_guild()
        asked = await command(
            fake, OTHER_CREATOR, "cohort", "status", {"cohort": 1}, channel=elsewhere
        )
        assert not_yours in asked.content and "bo" not in asked.content
        await command(fake, CREATOR, "cohort", "create", {"course": "demo"}, channel=elsewhere)
        assert (
            not_yours
            in (
                await command(fake, CREATOR, "cohort", "status", {"cohort": 1}, channel=elsewhere)
            ).content
        )
    failed = [r for r in fake.requests_to("POST", r"/interactions/.+/callback") if r.status >= 400]
    assert failed == [], "every click and command answered exactly once"

    again = cohort_bot(database, demo, clock)  # a restart: nothing kept in memory
    async with fake.connect_client(again, token=TOKEN):
        started = await click(fake, "tutor:cohort-start:1", weekly, CY)
        assert "sent you a DM" in fake.followups_for(started)[-1].content
        await fake.wait_until(lambda: "1/3 + 1/4" in fake.dm_messages(CY)[-1].content)
        await join_and_consent(fake, post, NEWCOMER)
        status = await command(fake, CREATOR, "cohort", "status")
        assert "4 member(s)" in status.content


async def test_a_channel_that_refuses_the_post_leaves_the_creator_reachable(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    channel = fake.guild_channel_id()
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        await command(fake, CREATOR, "cohort", "create", {"course": "demo"})
        fake.refuse_channel(channel)
        await weekly_post(database, clock, channel, "cohort-post:1:2")
        assert await sender(database, bot, clock).drain() == 1
    async with database.session() as session:
        row = (
            await session.execute(select(OutboxMessage).where(OutboxMessage.kind == "cohort_post"))
        ).scalar_one()
        creator = await session.run_sync(user_store.get_user, "discord", str(CREATOR))
    assert row.status == "parked" and "refused" in (row.last_error or "")
    assert creator is not None and creator.unreachable_at is None
    assert fake.threads == []


async def test_assistants_the_leaderboard_and_a_file_sent_in_a_dm(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        await command(fake, CREATOR, "cohort", "create", {"course": "demo"})
        (post,) = [m for m in fake.messages_to(fake.guild_channel_id()) if "Cohort #1" in m.content]
        assistant = fake.add_user(NEWCOMER)
        resolved = {"users": {str(NEWCOMER): assistant}}
        staff = {"member": str(NEWCOMER)}
        added = await command(
            fake, CREATOR, "cohort", "staff", staff, resolved=resolved, nested=True
        )
        assert "as an assistant" in added.content
        assert "0 member(s)" in (await command(fake, NEWCOMER, "cohort", "status")).content
        ended = await command(fake, NEWCOMER, "cohort", "end")
        assert "Only the cohort's creator" in ended.content
        removed = await command(
            fake, CREATOR, "cohort", "staff", staff, resolved=resolved, nested=True, leaf="remove"
        )
        assert "no longer see" in removed.content
        refused = await command(fake, NEWCOMER, "cohort", "status")
        assert "isn't one of your cohorts" in refused.content

        turned = await command(fake, CREATOR, "cohort", "leaderboard", {"turn": "on"})
        assert "leaderboard of Demo fractions is on" in turned.content
        await join_and_consent(fake, post, ADA)
        board = await command(fake, ADA, "cohort", "leaderboard")
        assert "shows once 3 members" in board.content
        left = await command(fake, ADA, "cohort", "leave")
        assert "You've left Demo fractions" in left.content

        before = len(fake.dm_messages(BO))
        sent = fake.upload_attachment("course.zip", b"PK")
        await fake.send_dm(BO, "", attachments=[sent])
        pointer = await fake.wait_for_dm(BO, count=before + 1)
        assert "`/course upload`" in pointer.content
        await fake.send_dm(BO, "hello")
        await fake.wait_for_dm(BO, count=before + 2)
        assert len(fake.dm_messages(BO)) == before + 2, "the tutor left the file alone"

        # the creator runs cohorts in this one server: a course sent in the DM is for it
        before = len(fake.dm_messages(CREATOR))
        broken = course_zip(
            ("course.yaml", HEADER), ("follow.yaml", FIRST_STEP.replace("min: 8", ""))
        )
        await fake.send_dm(CREATOR, "", attachments=[fake.upload_attachment("v2.zip", broken.data)])
        report = await fake.wait_for_dm(CREATOR, count=before + 1)
        assert "team-talks/follow.yaml:7: missing field" in report.content
        fixed = course_zip(("course.yaml", HEADER), ("follow.yaml", FIRST_STEP))
        await fake.send_dm(CREATOR, "", attachments=[fake.upload_attachment("v2.zip", fixed.data)])
        stored = await fake.wait_for_dm(CREATOR, count=before + 2)
        assert "Stored version 1 of Team talks" in stored.content


async def test_the_weekly_sweep_posts_once_into_the_channel_with_its_thread(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    channel = fake.guild_channel_id()
    automations = CohortAutomations(database, demo, clock=clock)
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        options = {"course": "demo", "start": "today", "timezone": "Europe/Paris"}
        await command(fake, CREATOR, "cohort", "create", options)
        # 09:00 UTC on the first day is 10:00 in Paris: the week's post is due
        assert await automations.post_weekly() == 1
        assert await automations.post_weekly() == 0, "a second sweep posts nothing"
        outbox = sender(database, bot, clock)
        assert await outbox.drain() == 1
        assert await outbox.drain() == 0
    posts = [m for m in fake.messages_to(channel) if "week 1" in m.content]
    assert len(posts) == 1 and buttons(posts[0]) == ["tutor:cohort-start:1"]
    assert "Adding fractions" in posts[0].content
    (thread,) = fake.threads
    assert int(thread["parent_id"]) == channel and thread["id"] == str(posts[0].id)
    (question,) = fake.messages_to(int(thread["id"]))
    assert question.content.strip()
    assert all(not m.components for m in fake.messages_to(int(thread["id"])))


async def test_a_cohort_dm_carries_its_attached_file(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        await command(fake, CREATOR, "cohort", "create", {"course": "demo"})
        picture = b"\x89PNG\r\n\x1a\n certificate"
        payload = {
            "text": "You mastered Demo fractions: congratulations!",
            "attachment": {
                "filename": "certificate.png",
                "content_type": "image/png",
                "data_b64": base64.b64encode(picture).decode(),
            },
        }
        await queue(database, clock, CREATOR, "cohort_done", payload, "cohort-done:1")
        assert await sender(database, bot, clock).drain() == 1
    (done,) = fake.dm_messages(CREATOR)
    assert "congratulations" in done.content
    assert done.attachments == ["certificate.png"]
    assert done.files["certificate.png"] == picture


async def test_a_post_sent_again_after_a_crash_is_neither_doubled_nor_its_thread(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    channel = fake.guild_channel_id()
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        await command(fake, CREATOR, "cohort", "create", {"course": "demo"})
        await weekly_post(database, clock, channel, "cohort-post:1:1")
        async with database.session() as session:
            query = select(OutboxMessage).where(OutboxMessage.kind == "cohort_post")
            row = (await session.execute(query)).scalar_one()
        delivery = bot.delivery(database)
        # the worker died after sending, before the row was settled: it is delivered again
        assert (await delivery.deliver(row)).status == "sent"
        assert (await delivery.deliver(row)).status == "sent"
    assert len([m for m in fake.messages_to(channel) if "week 1" in m.content]) == 1
    (thread,) = fake.threads
    assert [m.content for m in fake.messages_to(int(thread["id"]))] == ["Why twelfths?"]
    assert fake.deduplicated_sends == 2


async def test_the_weekly_post_waits_for_nine_in_the_cohorts_time_zone(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    automations = CohortAutomations(database, demo, clock=clock)
    bot = cohort_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        options = {"course": "demo", "start": "today", "timezone": "America/New_York"}
        await command(fake, CREATOR, "cohort", "create", options)
        assert await automations.post_weekly() == 0  # 09:00 UTC is 04:00 in New York
        clock.now = datetime(2026, 3, 2, 13, 59, tzinfo=UTC)
        assert await automations.post_weekly() == 0  # 08:59 there
        clock.now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
        assert await automations.post_weekly() == 1  # 09:00 there
        assert await sender(database, bot, clock).drain() == 1
    assert len([m for m in fake.messages_to(fake.guild_channel_id()) if "week 1" in m.content]) == 1
