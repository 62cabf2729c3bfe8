"""A cohort's join role on Discord, end to end: the real discord.py bot, the fake Discord
(gateway member events, guild roles, member chunks), a SQLite file.

Whoever is given the role gets the Join button's consent question in a DM, and is a
member once they agree; nobody is stored before. Someone in already is not asked again;
losing the role changes nothing (as leaving the channel on Slack). Without the Server
Members intent, Discord sends no member events, and setting a role is refused.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Collection
from typing import Any

import discord
import pytest
from sqlalchemy import select

from bot.adapters.discord import DiscordBotAdapter, TutorBot
from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.errors import SettingsError
from bot.services.cohort_desk import CohortDesk
from bot.services.messages import Person, Reply
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store import users as user_store
from bot.store.cohort_models import Cohort
from bot.store.db import Database
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, buttons, click
from tests.adapters.test_discord_cohorts import DEMO, MANAGE_GUILD, answered
from tests.conftest import FixedClock
from tests.fakes.fake_discord import FakeDiscord, SentMessage

CREATOR = 700_000_000_000_000_031
ADA = 700_000_000_000_000_032
BO = 700_000_000_000_000_033
NEWCOMER = 700_000_000_000_000_034
HELPER_BOT = 700_000_000_000_000_035
CONSENT = "never what you wrote"
JSON = dict[str, Any]


class WatchedDesk(CohortDesk):
    """The cohort desk, noting each answer it gave to a member's new roles."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitations: list[list[Reply]] = []

    async def role_invitations(
        self, person: Person, workspace_id: str, role_ids: Collection[str]
    ) -> list[Reply]:
        """Answer, then note the answer (once the unit of work is over)."""
        asked = await super().role_invitations(person, workspace_id, role_ids)
        self.invitations.append(asked)
        return asked


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        for user, name in ((CREATOR, "maya"), (ADA, "ada"), (BO, "bo")):
            server.add_user(user, name)
            server.add_member(user)
        server.member_permissions[CREATOR] = MANAGE_GUILD
        yield server
    assert server.server_errors == []


@pytest.fixture
def demo() -> Catalog:
    return load_catalog([DEMO])


def role_bot(
    database: Database, catalog: Catalog, clock: FixedClock, *, members_intent: bool = True
) -> tuple[TutorBot, WatchedDesk]:
    """A bot with the cohort desk, asking for the Server Members intent (or not)."""
    tutor = Tutor(database, catalog, clock=clock, rng=random.Random(7))
    desk = WatchedDesk(database, catalog, clock=clock)
    bot = TutorBot(tutor, cohorts=desk, members_intent=members_intent, guild_ready_timeout=0)
    return bot, desk


async def guild_ready(fake: FakeDiscord, bot: discord.Client, *, chunked: bool = True) -> None:
    """Tell the bot about the server, and wait until it knows its members (with the intent)."""
    await fake.announce_guild()

    def known() -> bool:
        guild = bot.get_guild(fake.guild_id)
        return guild is not None and (guild.chunked or not chunked)

    await fake.wait_until(known)


async def cohort(
    fake: FakeDiscord, user: int, sub: str, options: JSON | None = None, role: int | None = None
) -> JSON:
    """Run `/cohort sub` in the cohort's channel, with a role option if given."""
    given = [{"name": key, "type": 3, "value": value} for key, value in (options or {}).items()]
    resolved = None
    if role is not None:
        given.append({"name": "role", "type": 8, "value": str(role)})
        resolved = {"roles": {str(role): fake.guild().roles[role]}}
    payload = fake.slash_command_payload(
        user,
        "cohort",
        [{"name": sub, "type": 1, "options": given}],
        in_dm=False,
        channel_id=fake.guild_channel_id(),
        resolved=resolved,
    )
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: answered(fake, payload))
    return payload


async def said(fake: FakeDiscord, payload: JSON, needle: str) -> SentMessage:
    """The answer to a command that contains `needle`, once it has come."""

    def found() -> list[SentMessage]:
        return [m for m in fake.followups_for(payload) if needle in m.content]

    await fake.wait_until(lambda: bool(found()))
    return found()[0]


async def status(fake: FakeDiscord) -> str:
    """The text of the creator's `/cohort status`."""
    return (await said(fake, await cohort(fake, CREATOR, "status"), "member(s)")).content


async def stored(database: Database, user: int) -> bool:
    """Whether anything is stored about a Discord user."""
    async with database.session() as session:
        found = await session.run_sync(user_store.get_user, "discord", str(user))
    return found is not None


async def join_role_of(database: Database, cohort_id: int = 1) -> str | None:
    """The join role stored on a cohort."""
    async with database.session() as session:
        found = (await session.execute(select(Cohort).where(Cohort.id == cohort_id))).scalar_one()
    return found.join_role_id


async def consents(fake: FakeDiscord, user: int, count: int = 1) -> None:
    """The member agrees in the DM the role brought; they are welcomed."""
    asked = await fake.wait_for_dm(user, count=count)
    assert CONSENT in asked.content
    assert buttons(asked) == ["tutor:cohort-consent:1"]
    agreed = await click(fake, "tutor:cohort-consent:1", asked, user)
    assert "Welcome to Demo fractions" in fake.followups_for(agreed)[-1].content


async def test_whoever_gets_the_role_is_asked_in_a_dm_and_joins_on_agreeing(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    learners = fake.guild().add_role("Learners")
    other = fake.guild().add_role("Moderators")
    bot, desk = role_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        assert fake.intents is not None and fake.intents & (1 << 1), "asks for GUILD_MEMBERS"
        await guild_ready(fake, bot)
        created = await cohort(fake, CREATOR, "create", {"course": "demo"}, role=learners)
        await said(fake, created, "posted in this channel")
        (post,) = [m for m in fake.messages_to(fake.guild_channel_id()) if "Cohort #1" in m.content]
        assert "join with the button or the role Learners" in post.content
        assert await join_role_of(database) == str(learners)

        await fake.give_role(ADA, other)  # a role no cohort names: nothing is asked
        await fake.wait_until(lambda: len(desk.invitations) == 1)
        assert desk.invitations == [[]] and fake.dm_messages(ADA) == []

        await fake.give_role(ADA, learners)
        asked = await fake.wait_for_dm(ADA)
        assert "Joining **Demo fractions**" in asked.content
        assert not await stored(database, ADA), "nothing is stored before I agree"
        await consents(fake, ADA)
        assert "1 member(s)" in await status(fake)

        # in already: losing the role and getting it back asks nothing
        await fake.take_role(ADA, learners)
        await fake.give_role(ADA, learners)
        await fake.wait_until(lambda: len(desk.invitations) == 3)
        assert desk.invitations[-1] == []
        assert len(fake.dm_messages(ADA)) == 2  # the question and the welcome only

        # arriving in the server with the role asks as well; a bot is never asked
        await fake.member_joins(NEWCOMER, [learners])
        await consents(fake, NEWCOMER)
        fake.add_user(HELPER_BOT, "helper")["bot"] = True
        await fake.member_joins(HELPER_BOT, [learners])
        assert "2 member(s)" in await status(fake)
        assert len(desk.invitations) == 4 and fake.dm_messages(HELPER_BOT) == []


async def test_losing_the_role_leaves_the_membership_as_it_is(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    learners = fake.guild().add_role("Learners")
    bot, desk = role_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        await guild_ready(fake, bot)
        await cohort(fake, CREATOR, "create", {"course": "demo"})
        not_staff = await cohort(fake, BO, "role", role=learners)
        await said(fake, not_staff, "isn't one of your cohorts")
        assert await join_role_of(database) is None
        turned = await cohort(fake, CREATOR, "role", role=learners)
        assert (await said(fake, turned, "Whoever gets the role Learners")).flags & 64
        await fake.give_role(ADA, learners)
        await consents(fake, ADA)

        updated = asyncio.ensure_future(
            bot.wait_for("member_update", check=lambda _, after: after.id == ADA, timeout=30)
        )
        await fake.take_role(ADA, learners)
        await updated
        assert "1 member(s)" in await status(fake)  # a round trip after the event
        assert len(fake.dm_messages(ADA)) == 2 and len(desk.invitations) == 1

        cleared = await cohort(fake, CREATOR, "role")
        await said(fake, cleared, "has no join role now")
        assert await join_role_of(database) is None
        await fake.give_role(BO, learners)
        await fake.wait_until(lambda: len(desk.invitations) == 2)
        assert desk.invitations[-1] == [] and fake.dm_messages(BO) == []


async def test_a_member_with_closed_dms_is_only_logged(
    fake: FakeDiscord,
    database: Database,
    demo: Catalog,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    learners = fake.guild().add_role("Learners")
    bot, _desk = role_bot(database, demo, clock)
    async with fake.connect_client(bot, token=TOKEN):
        await guild_ready(fake, bot)
        await cohort(fake, CREATOR, "create", {"course": "demo"}, role=learners)
        fake.close_dms_of(BO)
        await fake.give_role(BO, learners)
        dm = fake.dm_channel_id(BO)
        refused = await fake.wait_for_request("POST", rf"/channels/{dm}/messages")
        assert refused.status == 403
        await fake.wait_until(lambda: "DMs are closed" in caplog.text)
        assert "0 member(s)" in await status(fake)  # the bot carries on
    assert not await stored(database, BO)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert CONSENT not in caplog.text


async def test_without_the_members_intent_a_role_is_refused_and_no_event_arrives(
    fake: FakeDiscord, database: Database, demo: Catalog, clock: FixedClock
) -> None:
    learners = fake.guild().add_role("Learners")
    bot, desk = role_bot(database, demo, clock, members_intent=False)
    async with fake.connect_client(bot, token=TOKEN):
        assert fake.intents is not None and not fake.intents & (1 << 1)
        await guild_ready(fake, bot, chunked=False)
        created = await cohort(fake, CREATOR, "create", {"course": "demo"}, role=learners)
        await said(fake, created, "posted in this channel")
        refused = await said(fake, created, "It has no join role")
        assert "Server Members intent" in refused.content and "Join button" in refused.content
        assert refused.flags & 64
        again = await cohort(fake, CREATOR, "role", role=learners)
        note = await said(fake, again, "DISCORD_MEMBERS_INTENT=true")
        assert "Developer Portal" in note.content and "Join button" in note.content
        assert await join_role_of(database) is None

        async with database.session() as session:  # a role set while the intent was on
            row = (await session.execute(select(Cohort))).scalar_one()
            row.join_role_id = str(learners)
            await session.commit()
        sent = await fake.give_role(ADA, learners)
        assert ("GUILD_MEMBER_UPDATE", sent) in fake.dropped_events
        await fake.member_joins(NEWCOMER, [learners])
        assert [e for e, _ in fake.dropped_events] == ["GUILD_MEMBER_UPDATE", "GUILD_MEMBER_ADD"]
        assert "0 member(s)" in await status(fake)
    assert desk.invitations == [] and fake.dm_messages(ADA) == []


async def test_member_events_reach_only_a_client_that_asked_for_members(
    fake: FakeDiscord,
) -> None:
    learners = fake.guild().add_role("Learners")
    seen: dict[str, list[discord.Member]] = {"members": [], "default": []}

    def client(name: str, intents: discord.Intents) -> discord.Client:
        made = discord.Client(intents=intents, guild_ready_timeout=0)

        async def on_member_update(before: discord.Member, after: discord.Member) -> None:
            seen[name].append(after)

        made.event(on_member_update)
        return made

    with_members = client("members", discord.Intents(guilds=True, members=True))
    without = client("default", discord.Intents.default())
    async with (
        fake.connect_client(with_members, token=TOKEN),
        fake.connect_client(without, token=TOKEN),
    ):
        await guild_ready(fake, with_members)
        await fake.give_role(ADA, learners)
        await fake.wait_until(lambda: bool(seen["members"]))
    (member,) = seen["members"]
    assert [r.name for r in member.roles] == ["@everyone", "Learners"]
    assert seen["default"] == []
    assert [event for event, _ in fake.dropped_events] == ["GUILD_MEMBER_UPDATE"]


def test_the_members_intent_is_off_unless_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISCORD_MEMBERS_INTENT", raising=False)
    assert Settings(_env_file=None).discord_members_intent is False  # type: ignore[call-arg]
    monkeypatch.setenv("DISCORD_MEMBERS_INTENT", "true")
    assert Settings(_env_file=None).discord_members_intent is True  # type: ignore[call-arg]


async def test_a_refused_members_intent_is_one_plain_sentence(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    settings = Settings(_env_file=None, discord_members_intent=True)  # type: ignore[call-arg]
    adapter = DiscordBotAdapter(settings)
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN, privileged_intents=False):
        adapter.client, _ = role_bot(database, demo, clock)
        assert adapter.client.intents.members
        await adapter.client.login(TOKEN)
        with pytest.raises(SettingsError, match="DISCORD_MEMBERS_INTENT=false"):
            await adapter.serve()
        await adapter.close()
