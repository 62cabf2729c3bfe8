"""Coaching on Discord, end to end: the real discord.py bot, the fake Discord, a SQLite file.

A coach invites, a client accepts after reading what the coach will see, the coach writes
an exercise in a modal and assigns it; the client's DM comes once through the outbox, its
Start button works after a restart, and the coach reads the work, scoped to their clients.
"""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.adapters.discord import TutorBot
from bot.content.catalog import Catalog
from bot.llm.judging import ModelJudge
from bot.scheduling.sender import OutboxSender, RateLimiter
from bot.services.coach_desk import CoachDesk
from bot.services.coach_reminders import ReminderPolicy
from bot.services.tutor import Tutor
from bot.store.coaching_models import Assignment
from bot.store.db import Database
from bot.store.models import OutboxMessage
from cogs.coaching_forms import (
    CRITERIA_ID,
    FOLLOWUP_TEXT_ID,
    PROMPT_ID,
    STEPS_ID,
    TITLE_ID,
    WORKSHEET_ID,
)
from tests.adapters.test_discord_bot import BOT_ID, TOKEN, buttons, click
from tests.conftest import FixedClock
from tests.fakes.fake_discord import FakeDiscord, SentMessage
from tests.fakes.fake_openai import FaithfulModel, FakeOpenAI
from tests.llm.conftest import client_for

COACH = 700_000_000_000_000_011
CLIENT = 700_000_000_000_000_012
OTHER_COACH = 700_000_000_000_000_013
SUBCOMMAND = 1
JSON = dict[str, Any]


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(bot_id=BOT_ID, token=TOKEN) as server:
        server.add_user(COACH, "maya")
        server.add_user(CLIENT, "sam")
        server.add_user(OTHER_COACH, "lee")
        yield server
    assert server.server_errors == []


def coaching_bot(database: Database, catalog: Catalog, clock: FixedClock) -> TutorBot:
    """A fresh process's bot: tutor and coaching desk on the shared database."""
    tutor = Tutor(database, catalog, clock=clock, rng=random.Random(7))
    desk = CoachDesk(database, catalog, clock=clock)
    tutor.use_coaching(desk)
    return TutorBot(tutor, coaching=desk, guild_ready_timeout=0)


@pytest.fixture
async def bot(
    fake: FakeDiscord, database: Database, catalog: Catalog, clock: FixedClock
) -> AsyncIterator[TutorBot]:
    client = coaching_bot(database, catalog, clock)
    async with fake.connect_client(client, token=TOKEN):
        yield client


def answered(fake: FakeDiscord, payload: JSON) -> bool:
    """The interaction got its reply: a follow-up, a message, a modal or suggestions."""
    done = any(c.type in (4, 8, 9) for c in fake.callbacks_for(payload))
    return done or bool(fake.followups_for(payload))


async def command(
    fake: FakeDiscord,
    user: int,
    name: str,
    options: JSON | None = None,
    *,
    sub: str | None = None,
    in_dm: bool = True,
) -> JSON:
    """Run a slash command (`/coach <sub>` when `sub` is given) and wait for its answer."""
    given: list[JSON] = [
        {"name": key, "type": 4 if isinstance(value, int) else 3, "value": value}
        for key, value in (options or {}).items()
    ]
    if sub is not None:
        given = [{"name": sub, "type": SUBCOMMAND, "options": given}]
    payload = fake.slash_command_payload(user, name, given, in_dm=in_dm)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: answered(fake, payload))
    return payload


def said(fake: FakeDiscord, payload: JSON) -> SentMessage:
    """The one follow-up an interaction was answered with."""
    (reply,) = fake.followups_for(payload)
    return reply


async def suggestions(
    fake: FakeDiscord,
    user: int,
    name: str,
    focused: str,
    typed: str = "",
    *,
    sub: str | None = None,
    options: JSON | None = None,
) -> list[JSON]:
    """What autocomplete offers `user` typing into option `focused` of `/name [sub]`."""
    payload = fake.autocomplete_payload(user, name, focused, typed, options=options, subcommand=sub)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: answered(fake, payload))
    (callback,) = fake.callbacks_for(payload)
    assert callback.data is not None
    return list(callback.data["choices"])


async def submit_form(fake: FakeDiscord, user: int, opened: JSON, values: dict[str, str]) -> JSON:
    """Fill in the modal an interaction opened, and wait for the answer."""
    (callback,) = fake.callbacks_for(opened)
    assert callback.type == 9 and callback.data is not None  # a modal, within 3 s
    payload = fake.modal_submit_payload(user, callback.data["custom_id"], values)
    await fake.dispatch("INTERACTION_CREATE", payload)
    await fake.wait_until(lambda: bool(fake.followups_for(payload)))
    return payload


async def client_says(fake: FakeDiscord, text: str, expected: str) -> str:
    """The client DMs the bot; return the bot's answer once it contains `expected`."""
    before = len(fake.dm_messages(CLIENT))
    await fake.send_dm(CLIENT, text)

    def answer() -> str:
        return "\n".join(m.content for m in fake.dm_messages(CLIENT)[before:])

    await fake.wait_until(lambda: expected in answer())
    return answer()


def sender(database: Database, bot: TutorBot, clock: FixedClock) -> OutboxSender:
    """The outbox sender, delivering through this bot."""
    return OutboxSender(
        database,
        {"discord": bot.delivery(database)},
        {"discord": RateLimiter(45)},
        clock=clock,
        worker="test",
    )


async def coach(
    fake: FakeDiscord, sub: str, options: JSON | None = None, user: int = COACH, **where: bool
) -> SentMessage:
    """Run `/coach <sub>` and return its one answer."""
    return said(fake, await command(fake, user, "coach", options, sub=sub, **where))


async def invited_and_accepted(fake: FakeDiscord) -> str:
    """The coach invites and the client accepts; return the client's pick value."""
    code = re.search(r"code: (\S+)", (await coach(fake, "invite")).content)
    assert code is not None
    preview = await coach(fake, "accept", {"code": code[1]}, CLIENT)
    accepted = await click(fake, buttons(preview)[0], preview, CLIENT)
    assert "You're connected with maya" in said(fake, accepted).content
    (pick,) = await suggestions(fake, COACH, "coach", "client", "sa", sub="assign")
    return str(pick["value"])


async def written_exercise(fake: FakeDiscord) -> str:
    """The coach writes a two-step exercise in the modal; return its pick value."""
    opened = await command(fake, COACH, "coach", sub="exercise")
    form = {
        TITLE_ID: "A hard conversation",
        PROMPT_ID: "Describe the situation: who was it with?",
        CRITERIA_ID: "names a person",
        STEPS_ID: "What will you do differently, and by when? "
        "[a commitment; a date | By when, exactly?]",
    }
    saved = said(fake, await submit_form(fake, COACH, opened, form))
    assert saved.content.startswith('Saved exercise #1 "A hard conversation", 2 step(s)')
    (pick,) = await suggestions(fake, COACH, "coach", "exercise", "hard", sub="assign")
    assert pick["name"] == "#1 A hard conversation"
    return str(pick["value"])


async def test_invite_accept_write_assign_work_and_read_on_discord(
    fake: FakeDiscord, database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    first = coaching_bot(database, catalog, clock)
    async with fake.connect_client(first, token=TOKEN):
        invite = await coach(fake, "invite", in_dm=False)
        assert invite.flags & 64, "in a server, only the coach sees the code"
        code = re.search(r"code: (\S+)", invite.content)
        assert code is not None
        preview = await coach(fake, "accept", {"code": code[1]}, CLIENT)
        assert "maya invited you" in preview.content
        assert "will see your work on the exercises they assign you" in preview.content
        assert buttons(preview) == [f"tutor:coach-accept:{code[1].replace('-', '')}"]
        accepted = await click(fake, buttons(preview)[0], preview, CLIENT)
        assert "You're connected with maya" in said(fake, accepted).content
        (pick,) = await suggestions(fake, COACH, "coach", "client", "SA", sub="assign")
        assert pick["name"] == "sam"
        exercise = await written_exercise(fake)

        note = "Ten quiet minutes will do."
        options = {"client": pick["value"], "exercise": exercise, "due": "in 3 days", "note": note}
        assigned = await coach(fake, "assign", options)
        assert 'Assigned "A hard conversation", due Thursday 5 March' in assigned.content
        outbox = sender(database, first, clock)
        assert await outbox.drain() == 1
        assert await outbox.drain() == 0
        offer = fake.dm_messages(CLIENT)[-1]
        assert "maya gave you an exercise" in offer.content
        assert f"Their note: {note}" in offer.content
        assert buttons(offer) == ["tutor:assignment-start:1"]
    assert sum("gave you an exercise" in m.content for m in fake.dm_messages(CLIENT)) == 1

    second = coaching_bot(database, catalog, clock)  # a restart: nothing kept in memory
    async with fake.connect_client(second, token=TOKEN):
        started = await click(fake, "tutor:assignment-start:1", offer, CLIENT)
        opening = said(fake, started).content
        assert "A hard conversation, step 1 of 2" in opening and "who was it with?" in opening
        clock.advance(minutes=5)
        probed = await client_says(fake, "with everyone at work", "You wrote")
        assert 'You wrote "everyone at work"' in probed  # a vague answer is probed
        await client_says(fake, "My manager Ana, about the late report", "step 2 of 2")
        asked = await client_says(
            fake, "I will ask Ana for ten minutes to agree a deadline", "By when"
        )
        assert "By when, exactly?" in asked  # the coach's own probe
        await client_says(fake, "On Friday morning, before standup", "That's all of")

        assert second.coaching is not None
        assert await second.coaching.send_notices() == 1
        assert await sender(database, second, clock).drain() == 1
        assert "My manager Ana" in fake.dm_messages(COACH)[-1].content

        view = await coach(fake, "client", {"client": "sam"}, in_dm=False)
        assert view.flags & 64, "a coach's view is theirs alone, even in a server"
        assert '"A hard conversation": done' in view.content
        (transcripts,) = view.attachments
        assert b"My manager Ana" in view.files[transcripts]
        listed = await coach(fake, "clients", in_dm=False)
        assert "sam" in listed.content and "1 done" in listed.content
    failed = [r for r in fake.requests_to("POST", r"/interactions/.+/callback") if r.status >= 400]
    assert failed == [], "every click and command answered exactly once"


async def test_another_coach_sees_none_of_it(fake: FakeDiscord, bot: TutorBot) -> None:
    client_pick = await invited_and_accepted(fake)
    exercise_pick = await written_exercise(fake)
    for option in ("client", "exercise"):
        assert await suggestions(fake, OTHER_COACH, "coach", option, sub="assign") == []
    listed = await coach(fake, "clients", user=OTHER_COACH)
    assert "No clients yet" in listed.content and "sam" not in listed.content
    for ref in ("sam", client_pick):
        refused = await coach(fake, "client", {"client": ref}, OTHER_COACH)
        assert "isn't one of your clients" in refused.content
        refused = await coach(fake, "brief", {"client": ref}, OTHER_COACH)
        assert "isn't one of your clients" in refused.content
    options = {"client": client_pick, "exercise": exercise_pick, "due": "friday"}
    assert "Assigned" not in (await coach(fake, "assign", options, OTHER_COACH)).content
    assert "sam" in (await coach(fake, "clients")).content


async def test_session_reminders_brief_and_end(fake: FakeDiscord, bot: TutorBot) -> None:
    client_pick = await invited_and_accepted(fake)
    when = await coach(fake, "next", {"client": client_pick, "when": "tuesday 10:00"})
    assert "Next session: Tuesday 3 March" in when.content
    options = {"client": "sam", "mode": "overdue", "pause_after": 2}
    turned = await coach(fake, "reminders", options)
    assert "only when overdue" in turned.content and "after 2" in turned.content
    brief = await coach(fake, "brief", {"client": "sam"})
    assert "sam" in brief.content
    mine = await coach(fake, "assignments", user=CLIENT)
    assert "no exercise from a coach" in mine.content
    ended = await coach(fake, "end", {"who": client_pick})
    assert "no longer see this client's work" in ended.content
    assert "No clients yet" in (await coach(fake, "clients")).content
    code = re.search(r"`coach join (\S+)`", (await coach(fake, "invite")).content)
    assert code is not None, "the invite names the words a client can DM"
    await client_says(fake, f"coach join {code[1]}", "maya invited you")
    preview = fake.dm_messages(CLIENT)[-1]
    accepted = await click(fake, buttons(preview)[0], preview, CLIENT)
    assert "You're connected with maya" in said(fake, accepted).content


async def test_a_pasted_worksheet_is_reviewed_then_saved(fake: FakeDiscord, bot: TutorBot) -> None:
    opened = await command(fake, COACH, "coach", sub="worksheet")
    worksheet = "Weekly review\n1. Who did you help this week?\n2. What will you do by friday?"
    review = said(fake, await submit_form(fake, COACH, opened, {WORKSHEET_ID: worksheet}))
    assert '"Weekly review", 2 step(s)' in review.content
    assert "Who did you help this week?" in review.content
    listed = await coach(fake, "exercises")
    assert "No exercises yet" in listed.content, "nothing is saved before the review"
    save, edit, _discard = buttons(review)
    edited = await click(fake, edit, review, COACH)
    (form,) = fake.callbacks_for(edited)
    assert form.type == 9 and form.data is not None
    fields = {
        c["custom_id"]: c.get("value") for row in form.data["components"] for c in row["components"]
    }
    assert fields[PROMPT_ID] == "Who did you help this week?"
    assert fields[STEPS_ID] is not None and "What will you do by friday?" in fields[STEPS_ID]
    saved = await click(fake, save, review, COACH)
    assert said(fake, saved).content.startswith('Saved exercise #1 "Weekly review", 2 step(s)')


async def test_a_course_reflection_becomes_the_coachs_exercise(
    fake: FakeDiscord, bot: TutorBot
) -> None:
    courses = await suggestions(fake, COACH, "coach", "course", "posit", sub="from")
    assert [c["value"] for c in courses] == ["coaching-positioning"]
    course = {"course": "coaching-positioning"}
    found = await suggestions(fake, COACH, "coach", "exercise", "", sub="from", options=course)
    assert "ideal-client-portrait" in [c["value"] for c in found]
    options = {"course": "coaching-positioning", "exercise": "ideal-client-portrait"}
    saved = await coach(fake, "from", options)
    assert saved.content.startswith('Saved exercise #1 "One person, not everyone"')
    exported = await coach(fake, "csv")
    assert exported.attachments == ["clients.csv"]


async def test_a_follow_up_is_edited_in_a_form_then_sent_and_another_discarded(
    fake: FakeDiscord, bot: TutorBot, database: Database
) -> None:
    client = await invited_and_accepted(fake)
    draft = await coach(fake, "followup", {"client": client}, in_dm=False)
    assert draft.flags & 64, "only the coach sees a draft"
    assert "nothing is sent until you press Send" in draft.content
    send, edit, _discard = buttons(draft)
    assert send.startswith("tutor:coach-followup-send:")
    opened = await click(fake, edit, draft, COACH)
    edited = await submit_form(fake, COACH, opened, {FOLLOWUP_TEXT_ID: "How did Friday go?"})
    assert said(fake, edited).content.startswith("Approved: it goes to sam")
    again = await click(fake, send, draft, COACH)  # the same draft cannot go twice
    assert "already sent or discarded" in said(fake, again).content

    second = await coach(fake, "followup", {"client": client})
    stranger = await click(fake, buttons(second)[2], second, OTHER_COACH)
    assert "already sent or discarded" in said(fake, stranger).content  # not theirs to discard
    dropped = await click(fake, buttons(second)[2], second, COACH)
    assert "nothing was sent" in said(fake, dropped).content

    async with database.session() as session:
        rows = (
            (
                await session.execute(
                    select(OutboxMessage).where(col(OutboxMessage.kind) == "coach_followup")
                )
            )
            .scalars()
            .all()
        )
    assert [(r.status, r.payload["text"]) for r in rows] == [
        ("pending", "A message from maya:\nHow did Friday go?")
    ]


async def test_with_a_model_a_written_exercise_gets_proposed_criteria_to_review(
    fake: FakeDiscord, database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    proposals = {"criteria": [{"criterion": "names a person", "probe": "Who exactly?"}]}
    async with FakeOpenAI(FaithfulModel({"propose": proposals})) as model_server:
        model = client_for(model_server, retries=0)
        tutor = Tutor(database, catalog, clock=clock, rng=random.Random(7))
        desk = CoachDesk(database, catalog, clock=clock, criteria_writer=ModelJudge(model))
        tutor.use_coaching(desk)
        bot = TutorBot(tutor, coaching=desk, guild_ready_timeout=0)
        async with fake.connect_client(bot, token=TOKEN):
            opened = await command(fake, COACH, "coach", sub="exercise")
            form = {TITLE_ID: "Who helped", PROMPT_ID: "Who helped you this week?"}
            review = said(fake, await submit_form(fake, COACH, opened, form))
            assert "names a person | Who exactly?" in review.content
            assert "the model proposed" in review.content
            listed = await coach(fake, "exercises")
            assert "No exercises yet" in listed.content, "nothing is saved before the review"
            save = buttons(review)[0]
            saved = await click(fake, save, review, COACH)
            assert "(checks: names a person | Who exactly?)" in said(fake, saved).content
        await model.close()


async def test_reminders_before_the_due_date_and_when_overdue_and_a_flag_raised_once(
    fake: FakeDiscord, database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    bot = coaching_bot(database, catalog, clock)
    async with fake.connect_client(bot, token=TOKEN):
        client = await invited_and_accepted(fake)
        exercise = await written_exercise(fake)
        options = {"client": client, "exercise": exercise, "due": "in 3 days"}
        await coach(fake, "assign", options)
        desk, outbox = bot.coaching, sender(database, bot, clock)
        assert desk is not None and await outbox.drain() == 1  # the assignment itself
        async with database.session() as session:
            due = (await session.execute(select(col(Assignment.due_at)))).scalar_one()

        clock.now = due - ReminderPolicy().before_due + timedelta(minutes=1)
        assert await desk.sweep_reminders() == 1
        assert await outbox.drain() == 1
        assert (
            'A reminder: "A hard conversation" from maya is due'
            in fake.dm_messages(CLIENT)[-1].content
        )
        assert await desk.sweep_reminders() == 0  # once
        clock.now = due + ReminderPolicy().overdue_after + timedelta(minutes=1)
        assert await desk.sweep_reminders() == 1
        assert await outbox.drain() == 1
        assert "was due Thursday 5 March" in fake.dm_messages(CLIENT)[-1].content

        told = await client_says(fake, "I want to talk to my coach", "let your coach know")
        assert "I've let your coach know" in told
        assert await outbox.drain() == 1
        assert "sam asked to talk to you" in fake.dm_messages(COACH)[-1].content
        await client_says(fake, "I want to talk to my coach", "")
        assert await outbox.drain() == 0  # the coach is told once


async def test_a_saved_exercise_is_edited_in_its_form(fake: FakeDiscord, bot: TutorBot) -> None:
    exercise = await written_exercise(fake)
    opened = await command(fake, COACH, "coach", {"exercise": exercise}, sub="edit")
    (form,) = fake.callbacks_for(opened)
    assert form.type == 9 and form.data is not None  # the form, filled in
    fields = {
        c["custom_id"]: c.get("value") for row in form.data["components"] for c in row["components"]
    }
    assert fields[TITLE_ID] == "A hard conversation"
    assert fields[CRITERIA_ID] == "names a person"
    edited = {**fields, TITLE_ID: "A harder conversation", CRITERIA_ID: "names a person; a date"}
    saved = said(fake, await submit_form(fake, COACH, opened, edited))
    assert saved.content.startswith('Saved exercise #1 "A harder conversation", 2 step(s)')
    listed = await coach(fake, "exercises")
    assert '#1 "A harder conversation"' in listed.content and "#2" not in listed.content
    refused = await command(fake, OTHER_COACH, "coach", {"exercise": exercise}, sub="edit")
    assert "isn't one of your exercises" in said(fake, refused).content
