"""A coach and a client on Slack: `/coach`, its forms and the coaching buttons, through the
real bolt app with signed requests, a local mock Web API and the real outbox sender."""

from __future__ import annotations

import json
import random
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from slack_bolt.response import BoltResponse
from sqlalchemy import select
from sqlmodel import col

from bot.adapters.slack import SlackAdapter, SlackDelivery
from bot.content.loader import load_catalog
from bot.llm.judging import ModelJudge
from bot.runtime import Root
from bot.scheduling.sender import OutboxSender, RateLimiter
from bot.services.coach_desk import CoachDesk
from bot.services.coach_reminders import ReminderPolicy
from bot.services.tutor import Tutor
from bot.store.coaching_models import Assignment
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.adapters.slack_harness import SlackHarness, running_slack, slack_settings
from tests.conftest import ROOT, FixedClock
from tests.fakes import slack_requests as rq
from tests.fakes.fake_openai import FaithfulModel, FakeOpenAI
from tests.fakes.fake_slack import FakeSlack, Posted
from tests.llm.conftest import client_for

DEMO = ROOT / "tests" / "demo_courses"
COACH, CLIENT, OTHER_COACH = "U0MAYA", "U0SAM", "U0LEE"
CHANNEL = "C0GENERAL"  # a channel others read: nothing coaching goes there


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as server:
        server.set_profile(COACH, name="Maya")
        server.set_profile(CLIENT, name="Sam", tz="Europe/Paris")
        server.set_profile(OTHER_COACH, name="Lee")
        yield server
    assert server.server_errors == []
    assert server.unknown_methods() == []
    assert [m for m in server.messages if m.channel == CHANNEL] == []


@pytest.fixture
def tutor(database: Database, clock: FixedClock) -> Tutor:
    """The tutor with coaching on the test clock, as the composition root builds it."""
    tutor = Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(1))
    desk = CoachDesk(database, tutor.catalog, clock=clock, user_defaults=tutor.user_defaults)
    tutor.use_coaching(desk)
    return tutor


@asynccontextmanager
async def running(fake: FakeSlack, tutor: Tutor, database: Database) -> AsyncIterator[SlackHarness]:
    """The Slack adapter over a root that carries the coaching desk; closed afterwards."""
    settings = slack_settings(fake)
    root = Root(settings, tutor.catalog, database, tutor, coaching=tutor.coaching)
    adapter = SlackAdapter(settings)
    try:
        delivery = (await adapter.connect(root))["slack"]
        assert isinstance(delivery, SlackDelivery)
        yield SlackHarness(fake, adapter, delivery)
    finally:
        await adapter.close()


@pytest.fixture
async def slack(fake: FakeSlack, tutor: Tutor, database: Database) -> AsyncIterator[SlackHarness]:
    async with running(fake, tutor, database) as harness:
        yield harness


async def coach(slack: SlackHarness, text: str, user: str = COACH) -> Posted:
    """`/coach text` typed in a channel; wait for the answer only the typist sees."""
    url = slack.fake.response_url()
    request = rq.slash("/coach", user, text, response_url=url, channel=CHANNEL)
    assert (await slack.send(request)).status == 200
    await slack.fake.wait_until(lambda: bool(slack.responses_to(url)))
    (answer,) = slack.responses_to(url)
    assert answer.ephemeral
    return answer


async def form(slack: SlackHarness, text: str, user: str = COACH) -> dict[str, Any]:
    """`/coach text` that opens a form; return the form."""
    before = len(slack.fake.opened_views)
    url = slack.fake.response_url()
    request = rq.slash("/coach", user, text, response_url=url, channel=CHANNEL)
    assert (await slack.send(request)).status == 200
    await slack.fake.wait_until(lambda: len(slack.fake.opened_views) > before)
    return slack.fake.opened_views[-1]


async def submit(
    slack: SlackHarness, view: dict[str, Any], values: dict[str, Any], user: str = COACH
) -> dict[str, Any]:
    """Submit a form; return what the app answered in the acknowledgement (empty: closed)."""
    response: BoltResponse = await slack.send(rq.submit_state(user, view, values))
    assert response.status == 200
    return json.loads(response.body) if response.body else {}


async def in_dm(slack: SlackHarness, user: str, needle: str, after: int = 0) -> Posted:
    """Wait for a DM message (from the `after`th on) that shows `needle`; return it."""

    def found() -> Posted | None:
        return next((m for m in slack.fake.dm(user)[after:] if needle in m.shown), None)

    await slack.fake.wait_until(lambda: found() is not None)
    message = found()
    assert message is not None
    return message


async def says(slack: SlackHarness, text: str, needle: str, user: str = CLIENT) -> Posted:
    """The client writes in the DM; wait for the tutor's answer showing `needle`."""
    before = len(slack.fake.dm(user))
    assert (await slack.dm(text, user)).status == 200
    return await in_dm(slack, user, needle, before)


def drain(slack: SlackHarness, database: Database, clock: FixedClock) -> OutboxSender:
    """The real outbox sender with this adapter's Slack delivery."""
    limits = {"slack": RateLimiter(1.0)}
    return OutboxSender(database, {"slack": slack.delivery}, limits, clock=clock, worker="test")


def invite_code(answer: Posted) -> str:
    found = re.search(r"invite code: (\S+)", answer.shown)
    assert found is not None, answer.shown
    return found[1]


EXERCISE = {
    "title": rq.typed("A hard conversation"),
    "prompt-1": rq.typed("Describe the situation: who was it with?"),
    "criteria-1": rq.typed("names a person"),
    "prompt-2": rq.typed("What will you do differently, and by when?"),
    "criteria-2": rq.typed("a commitment; a date"),
    "prompt-3": rq.typed(None),
    "criteria-3": rq.typed(None),
}


async def linked(slack: SlackHarness) -> None:
    """The coach invites; the client accepts with `/coach accept`, then the button."""
    code = invite_code(await coach(slack, "invite"))
    preview = await coach(slack, f"accept {code}", CLIENT)
    assert "Maya invited you" in preview.shown
    assert "will see your work on the exercises they assign you" in preview.shown
    accept = f"tutor:coach-accept:{code.replace('-', '')}"
    assert preview.buttons == [accept]
    url = slack.fake.response_url()
    assert (await slack.send(rq.click(CLIENT, accept, ephemeral_url=url))).status == 200
    await slack.fake.wait_until(lambda: bool(slack.responses_to(url)))
    (connected,) = slack.responses_to(url)
    assert "You're connected with Maya" in connected.shown and connected.replace_original


async def test_a_coach_assigns_and_the_client_works_it_after_a_restart(
    fake: FakeSlack, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    async with running(fake, tutor, database) as slack:
        await linked(slack)
        view = await form(slack, "exercise")
        assert await submit(slack, view, {**EXERCISE, "prompt-1": rq.typed("  ")}) == {
            "response_action": "errors",
            "errors": {"prompt-1": "Write the question your client answers."},
        }
        assert await submit(slack, view, EXERCISE) == {}
        saved = await in_dm(slack, COACH, "Saved exercise #1")
        assert '"A hard conversation", 2 step(s)' in saved.shown

        view = await form(slack, "assign")
        [clients, exercises] = [block["element"]["options"] for block in view["blocks"][:2]]
        assert [(o["value"], o["text"]["text"]) for o in clients] == [("#1", "Sam (#1)")]
        assert [o["value"] for o in exercises] == ["1"]
        choice = {"client": rq.picked("#1"), "exercise": rq.picked("1")}
        refused = await submit(slack, view, {**choice, "due": rq.typed("someday")})
        assert refused["response_action"] == "errors" and "someday" in refused["errors"]["due"]
        note = rq.typed("Ten quiet minutes will do.")
        assert await submit(slack, view, {**choice, "due": rq.typed("friday"), "note": note}) == {}
        assigned = (await in_dm(slack, COACH, "Assigned")).shown
        assert "due Friday 6 March, 20:00 (their time, Europe/Paris)" in assigned

        assert await drain(slack, database, clock).drain() == 1
        assert await drain(slack, database, clock).drain() == 0
        (offer,) = fake.dm(CLIENT)
        assert "Ten quiet minutes will do." in offer.shown and offer.metadata is not None
        assert offer.buttons == ["tutor:assignment-start:1"]

    async with running(fake, tutor, database) as slack:  # a new process: the button still works
        listed = await coach(slack, "assignments", CLIENT)
        assert '"A hard conversation": due Friday 6 March, 20:00' in listed.shown
        assert listed.buttons == ["tutor:assignment-start:1"]
        await slack.click(offer, "tutor:assignment-start:1", CLIENT)
        await in_dm(slack, CLIENT, "step 1 of 2")
        await says(slack, "it was hard", "Who exactly do you have in mind?")
        await says(slack, "With Alex, my manager, in Monday's planning meeting", "step 2 of 2")
        done = 'That\'s all of "A hard conversation"'
        await says(slack, "I will ask Alex for a 1:1 and agree the scope by 12 December", done)

        desk = tutor.coaching
        assert desk is not None and await desk.send_notices() == 1
        assert await drain(slack, database, clock).drain() == 1
        told = await in_dm(slack, COACH, 'Sam finished "A hard conversation"')
        assert '"it was hard"' in told.shown

        before = len(fake.dm(COACH))
        pointer = await coach(slack, "client sam")
        assert pointer.shown == "I've sent it to our direct messages."
        view_of_sam = await in_dm(slack, COACH, "Sam:", before)
        assert '"A hard conversation": done Monday 2 March' in view_of_sam.shown
        await fake.wait_until(lambda: bool(fake.files_in(fake.dm_channel(COACH))))
        (transcripts,) = fake.files_in(fake.dm_channel(COACH))
        assert transcripts.filename == "sam-transcripts.md"
        assert b"**Sam:** it was hard" in transcripts.data

        assert "Sam, 0 open, 1 done" in (await coach(slack, "clients")).shown
        assert "No clients yet" in (await coach(slack, "clients", OTHER_COACH)).shown
        refused_view = await coach(slack, "client sam", OTHER_COACH)
        assert "isn't one of your clients" in refused_view.shown
        assert "No clients yet" in (await coach(slack, "assign", OTHER_COACH)).shown
        assert "Give the invite code" in (await coach(slack, "accept", OTHER_COACH)).shown

        next_session = await coach(slack, "next sam friday 10:00")
        assert "Next session: Friday 6 March, 10:00" in next_session.shown
        brief = (await coach(slack, "brief #1")).shown
        assert "Brief for your session with Sam on Friday 6 March, 10:00" in brief
        assert "1 of 1 exercise(s) done" in brief
        quieter = (await coach(slack, "reminders sam overdue 2")).shown
        assert quieter == "Reminders for #1: only when overdue, paused after 2 go unanswered."
        assert "no longer see this client's work" in (await coach(slack, "end sam")).shown
        assert "No clients yet" in (await coach(slack, "clients")).shown


async def test_a_client_accepts_with_the_button_in_the_dm_and_lists_assignments(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    code = invite_code(await coach(slack, "invite"))
    before = len(fake.dm(CLIENT))
    assert (await slack.dm(f"coach join {code}", CLIENT)).status == 200
    preview = await in_dm(slack, CLIENT, "Maya invited you", before)
    assert "Nothing else" in preview.shown
    await slack.click(preview, f"tutor:coach-accept:{code.replace('-', '')}", CLIENT)
    await in_dm(slack, CLIENT, "You're connected with Maya")
    assert "You have no exercise from a coach" in (await coach(slack, "assignments", CLIENT)).shown
    assert "already used" in (await coach(slack, f"accept {code}", CLIENT)).shown


async def test_a_pasted_worksheet_comes_back_as_the_exercise_form_to_review(
    slack: SlackHarness,
) -> None:
    view = await form(slack, "worksheet")
    empty = await submit(slack, view, {"worksheet": rq.typed(" - \n 1. ")})
    assert empty["errors"] == {"worksheet": "Paste the worksheet's questions, one per line."}
    pasted = (
        "Weekly review\n1. What went well this week?\n2. Who could help you next week?\n"
        "3. What will you do first, and by when?"
    )
    answer = await submit(slack, view, {"worksheet": rq.typed(pasted)})
    assert answer["response_action"] == "update"
    review = answer["view"]
    filled = {
        b["block_id"]: b["element"].get("initial_value")
        for b in review["blocks"]
        if b["type"] == "input"
    }
    assert filled["title"] == "Weekly review"
    assert filled["prompt-2"] == "Who could help you next week?"
    assert filled["criteria-2"] == "names a person"
    assert "I guessed" in review["blocks"][0]["elements"][0]["text"]
    assert await submit(slack, review, {k: rq.typed(v) for k, v in filled.items()}) == {}
    assert '"Weekly review", 3 step(s)' in (await in_dm(slack, COACH, "Saved exercise")).shown

    taken = await coach(slack, "from demo-coaching ideal-client")
    assert taken.shown.startswith("Saved exercise #2")
    listed = (await coach(slack, "exercises")).shown
    assert '#1 "Weekly review" (3 step(s))' in listed and "#2" in listed


async def test_with_a_model_the_reviewed_worksheet_gets_its_proposed_criteria(
    fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    proposals = {"criteria": [{"criterion": "names a person", "probe": "Who exactly?"}]}
    async with FakeOpenAI(FaithfulModel({"propose": proposals})) as model_server:
        model = client_for(model_server, retries=0)
        tutor = Tutor(database, load_catalog([DEMO]), clock=clock, rng=random.Random(1))
        desk = CoachDesk(database, tutor.catalog, clock=clock, criteria_writer=ModelJudge(model))
        tutor.use_coaching(desk)
        async with running(fake, tutor, database) as slack:
            view = await form(slack, "worksheet")
            pasted = "Weekly review\n1. Who helped you this week?\n2. What went well?"
            answer = await submit(slack, view, {"worksheet": rq.typed(pasted)})
            assert answer["response_action"] == "update"  # the guesses, at once
            await fake.wait_until(lambda: bool(fake.updated_views))
            (view_id, updated) = fake.updated_views[-1]
            assert view_id == "V0FORM"  # the form the coach has open
            filled = {
                b["block_id"]: b["element"].get("initial_value")
                for b in updated["blocks"]
                if b["type"] == "input"
            }
            assert filled["criteria-2"] == "names a person | Who exactly?"
            assert "the model proposed" in updated["blocks"][0]["elements"][0]["text"]
        await model.close()


async def test_bad_input_gets_a_plain_sentence_only_the_coach_sees(
    slack: SlackHarness, fake: FakeSlack
) -> None:
    assert "isn't one of your clients" in (await coach(slack, "client nobody")).shown
    assert "Name the client and when" in (await coach(slack, "next sam")).shown
    assert "isn't one of your clients" in (await coach(slack, "next sam monday")).shown
    assert "(all, overdue or off)" in (await coach(slack, "reminders sam loud x")).shown
    assert "I don't know that invite code" in (await coach(slack, "accept NOPE-NOPE")).shown
    assert "There is no exercise 'nope'" in (await coach(slack, "from demo-coaching nope")).shown
    assert (await coach(slack, "frobnicate")).shown.startswith("*/coach* for coaches:")
    assert "No clients yet" in (await coach(slack, "assign")).shown  # no form to fill in vain

    pointer = await coach(slack, "csv")
    assert pointer.shown == "I've sent it to our direct messages."
    await fake.wait_until(lambda: bool(fake.files_in(fake.dm_channel(COACH))))
    (exported,) = fake.files_in(fake.dm_channel(COACH))
    assert exported.filename == "clients.csv" and exported.data.startswith(b"client,link,")


async def test_without_coaching_the_command_says_so(
    fake: FakeSlack, database: Database, clock: FixedClock
) -> None:
    plain_tutor = Tutor(database, load_catalog([DEMO]), clock=clock)
    async with running_slack(fake, plain_tutor, database) as slack:
        assert (await coach(slack, "invite")).shown == "Coaching isn't available here."


async def test_a_follow_up_goes_only_when_the_coach_sends_it(
    slack: SlackHarness, database: Database
) -> None:
    await linked(slack)
    draft = await coach(slack, "followup sam")
    assert "nothing is sent until you press Send" in draft.shown
    send, edit, discard = draft.buttons
    number = send.rpartition(":")[2]
    assert (send, edit, discard) == tuple(
        f"tutor:coach-followup-{kind}:{number}" for kind in ("send", "edit", "discard")
    )
    url = slack.fake.response_url()
    assert (await slack.send(rq.click(COACH, edit, ephemeral_url=url))).status == 200
    await slack.fake.wait_until(lambda: bool(slack.responses_to(url)))
    assert f"`/coach send {number}` followed by your text" in slack.responses_to(url)[0].shown
    stranger = await coach(slack, f"send {number} hello from a stranger", OTHER_COACH)
    assert "already sent or discarded" in stranger.shown
    sent = await coach(slack, f"send {number} How did the talk with Alex go?")
    assert sent.shown.startswith("Approved: it goes to Sam")
    again = await coach(slack, f"send {number}")
    assert "already sent or discarded" in again.shown
    second = await coach(slack, "followup sam")
    url = slack.fake.response_url()
    assert (await slack.send(rq.click(COACH, second.buttons[2], ephemeral_url=url))).status == 200
    await slack.fake.wait_until(lambda: bool(slack.responses_to(url)))
    assert "nothing was sent" in slack.responses_to(url)[0].shown
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
        ("pending", "A message from Maya:\nHow did the talk with Alex go?")
    ]


async def test_reminders_before_the_due_date_and_when_overdue_and_a_flag_raised_once(
    slack: SlackHarness, tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    await linked(slack)
    assert await submit(slack, await form(slack, "exercise"), EXERCISE) == {}
    choice = {"client": rq.picked("#1"), "exercise": rq.picked("1"), "due": rq.typed("friday")}
    assert await submit(slack, await form(slack, "assign"), choice) == {}
    desk, outbox = tutor.coaching, drain(slack, database, clock)
    assert desk is not None and await outbox.drain() == 1  # the assignment itself
    async with database.session() as session:
        due = (await session.execute(select(col(Assignment.due_at)))).scalar_one()

    clock.now = due - ReminderPolicy().before_due + timedelta(minutes=1)
    assert await desk.sweep_reminders() == 1
    assert await outbox.drain() == 1
    assert 'A reminder: "A hard conversation" from Maya is due' in fake_dm(slack, CLIENT)
    assert await desk.sweep_reminders() == 0  # once
    clock.now = due + ReminderPolicy().overdue_after + timedelta(minutes=1)
    assert await desk.sweep_reminders() == 1
    assert await outbox.drain() == 1
    assert '"A hard conversation" from Maya was due' in fake_dm(slack, CLIENT)

    await says(slack, "I want to talk to my coach", "let your coach know")
    assert await outbox.drain() == 0  # 07:01 in the coach's zone (UTC): their quiet hours
    clock.advance(hours=1)
    assert await outbox.drain() == 1
    assert "Sam asked to talk to you" in fake_dm(slack, COACH)
    await says(slack, "I want to talk to my coach", "")
    assert await outbox.drain() == 0  # the coach is told once


def fake_dm(slack: SlackHarness, user: str) -> str:
    """The last message in a person's DM with the app, as shown."""
    return slack.fake.dm(user)[-1].shown


async def test_a_saved_exercise_is_edited_in_its_form(slack: SlackHarness) -> None:
    assert await submit(slack, await form(slack, "exercise"), EXERCISE) == {}
    await in_dm(slack, COACH, "Saved exercise #1")
    view = await form(slack, "edit 1")
    filled = {
        b["block_id"]: b["element"].get("initial_value")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert filled["title"] == "A hard conversation" and filled["criteria-1"] == "names a person"
    changed = {k: rq.typed(v) for k, v in filled.items()} | {"title": rq.typed("A harder one")}
    assert await submit(slack, view, changed) == {}
    saved = await in_dm(slack, COACH, "A harder one")
    assert saved.shown.startswith('Saved exercise #1 "A harder one"')
    listed = (await coach(slack, "exercises")).shown
    assert '#1 "A harder one"' in listed and "#2" not in listed
    assert "isn't one of your exercises" in (await coach(slack, "edit 1", OTHER_COACH)).shown
