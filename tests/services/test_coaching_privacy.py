"""Privacy of coaching, enforced in the store and the services: a coach reads only their own
clients' work on what they assigned; a client who ends the link or forgets is gone; flags
are raised once and carry no words."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

from bot.content.catalog import Catalog
from bot.services.coach_desk import CoachDesk
from bot.services.coach_flags import SafetyWords
from bot.services.coach_flow import use_coaching_flow
from bot.services.messages import Person
from bot.services.tutor import Tutor
from bot.store import coaching as coaching_store
from bot.store import coaching_assignments as assignment_store
from bot.store.coaching_models import Assignment, CoachFlag
from bot.store.db import Database
from tests.conftest import FixedClock
from tests.services.test_coaching_flow import (
    CLIENT,
    COACH,
    OTHER_CLIENT,
    OTHER_COACH,
    link,
    outbox,
    saved_exercise,
    say,
    user_id,
)

POINTER = "Call the Example Helpline on 0800 000 000, any time."


@pytest.fixture
def desk(database: Database, catalog: Catalog, clock: FixedClock) -> CoachDesk:
    return CoachDesk(database, catalog, clock=clock, safety=SafetyWords(POINTER))


@pytest.fixture
def coached(tutor: Tutor) -> Tutor:
    use_coaching_flow(tutor)
    return tutor


async def worked_assignment(desk: CoachDesk, tutor: Tutor) -> int:
    """Sam, Maya's client, worked the first step of her exercise; return the assignment id."""
    await link(desk)
    await desk.assign(COACH, "Sam", await saved_exercise(desk), "friday")
    await desk.start(CLIENT)
    await say(tutor, CLIENT, "My manager Ana, about the late report")
    async with desk.database.session() as session:
        return int((await session.execute(select(Assignment.id))).scalar_one())


async def test_another_coach_cannot_reach_a_client_or_their_work(
    desk: CoachDesk, coached: Tutor, database: Database
) -> None:
    assignment = await worked_assignment(desk, coached)
    await link(desk, OTHER_COACH, OTHER_CLIENT)
    refused = await desk.client(OTHER_COACH, "Sam")
    assert "isn't one of your clients" in refused.text
    assert "isn't one of your clients" in (await desk.brief(OTHER_COACH, "1")).text
    assert "Sam" not in (await desk.clients(OTHER_COACH)).text
    other = await user_id(database, OTHER_COACH)

    def reach(session: Session) -> tuple[object, ...]:
        return (
            assignment_store.assignment_for_coach(session, other, assignment),
            assignment_store.steps_for_coach(session, other, assignment),
            coaching_store.link_for_coach(session, other, 1),
            assignment_store.assignments_of_link(session, other, 1),
        )

    assert await database.run(reach) == (None, [], None, [])
    exercise = await saved_exercise(desk, OTHER_COACH)
    own = await saved_exercise(desk)
    assert (
        "isn't one of your clients"
        in (await desk.assign(OTHER_COACH, "Sam", exercise, "friday")).text
    )
    assert (
        "isn't one of your exercises" in (await desk.assign(OTHER_COACH, "Ria", own, "friday")).text
    )
    csv_text = (await desk.export_csv(OTHER_COACH)).attachments[0].data.decode()
    assert "Sam" not in csv_text


async def test_a_client_with_two_coaches_is_seen_by_each_for_their_own_work_only(
    desk: CoachDesk, coached: Tutor
) -> None:
    await worked_assignment(desk, coached)
    await link(desk, OTHER_COACH, CLIENT)
    lee = await desk.client(OTHER_COACH, "Sam")
    assert "Nothing assigned to Sam yet" in lee.text and not lee.attachments
    maya = await desk.client(COACH, "Sam")
    transcript = maya.attachments[0].data.decode()
    assert "My manager Ana" in transcript


async def test_work_outside_the_assignment_is_never_shown(desk: CoachDesk, coached: Tutor) -> None:
    await worked_assignment(desk, coached)
    await say(coached, CLIENT, "start python-basics")
    await say(coached, CLIENT, "my secret course answer")
    maya = await desk.client(COACH, "Sam")
    assert "my secret course answer" not in maya.attachments[0].data.decode()
    assert "my secret course answer" not in (await desk.brief(COACH, "Sam")).text


async def test_a_client_who_ended_the_link_is_out_of_reach(
    desk: CoachDesk, coached: Tutor, database: Database
) -> None:
    assignment = await worked_assignment(desk, coached)
    assert "no longer sees your work" in (await desk.end(CLIENT, "Maya")).text
    assert "isn't one of your clients" in (await desk.client(COACH, "Sam")).text
    assert "No clients yet" in (await desk.clients(COACH)).text
    maya = await user_id(database, COACH)

    def reach(session: Session) -> tuple[object, ...]:
        return (
            assignment_store.assignment_for_coach(session, maya, assignment),
            assignment_store.steps_for_coach(session, maya, assignment),
            coaching_store.flags_for_coach(session, maya),
        )

    assert await database.run(reach) == (None, [], [])
    assert "can't find that exercise" in (await desk.start(CLIENT, assignment))[0].text
    assert "Pick a course first" in await say(coached, CLIENT, "My manager Ana")  # step closed


async def test_the_coach_can_end_the_link_too(desk: CoachDesk, coached: Tutor) -> None:
    await worked_assignment(desk, coached)
    assert "no longer see this client's work" in (await desk.end(COACH, "Sam")).text
    assert "isn't one of your clients" in (await desk.client(COACH, "Sam")).text


async def test_forget_removes_the_clients_side_and_export_holds_it(
    desk: CoachDesk, coached: Tutor, database: Database
) -> None:
    await worked_assignment(desk, coached)
    await desk.screen(CLIENT.says("I want to talk to my coach"))
    exported = await coached.export(CLIENT)
    assert exported is not None
    json.dumps(exported)
    for table in ("coach_links", "assignments", "coach_flags"):
        assert len(exported[table]) == 1, table
    assert [s["step"] for s in exported["assignment_steps"]] == [1, 2]  # step 2 is open
    assert exported["coach_exercises"] == []  # Maya's exercise is hers
    flag_messages = await outbox(database, "coach_flag")
    assert flag_messages and all(m.recipient == COACH.user_id for m in flag_messages)

    assert await coached.forget(CLIENT)
    after = await database.run(_counts)
    for table in ("coach_links", "assignments", "assignment_steps", "coach_flags"):
        assert after[table] == 0, table
    assert after["coach_exercises"] == 1 and after["users"] == 1  # Maya and her exercise stay
    assert await outbox(database, "coach_flag") == []  # what was queued about Sam is gone
    assert "No clients yet" in (await desk.clients(COACH)).text


def _counts(session: Session) -> dict[str, int]:
    return {
        t.name: int(session.execute(select(func.count()).select_from(t)).scalar_one())
        for t in SQLModel.metadata.sorted_tables
    }


async def test_a_coach_who_forgets_takes_their_side_only(
    desk: CoachDesk, coached: Tutor, database: Database
) -> None:
    await worked_assignment(desk, coached)
    assert await coached.forget(COACH)
    after = await database.run(_counts)
    assert after["coach_exercises"] == after["assignments"] == after["coach_links"] == 0
    assert after["dialogues"] == 2  # Sam's own answers stay Sam's
    assert "no exercise from a coach" in (await desk.assignments(CLIENT)).text


async def test_asking_for_the_coach_raises_one_flag(
    desk: CoachDesk, coached: Tutor, database: Database, clock: FixedClock
) -> None:
    await worked_assignment(desk, coached)  # Sam is on step 2
    first = await desk.screen(CLIENT.says("can I talk to my coach about this?"))
    assert first is not None and "let your coach know" in first.text
    again = await desk.screen(CLIENT.says("I need my coach"))
    assert again is not None
    async with database.session() as session:
        flags = (await session.execute(select(CoachFlag))).scalars().all()
    assert [(f.kind, f.once_key) for f in flags] == [("asked_for_coach", "assignment:1")]
    [message] = await outbox(database, "coach_flag")
    assert message.payload["text"] == 'Sam asked to talk to you on "A hard conversation".'
    assert "talk to my coach" not in json.dumps(message.payload)  # never the client's words


async def test_distress_gets_a_caring_reply_and_tells_the_coach_at_once(
    desk: CoachDesk, coached: Tutor, database: Database, clock: FixedClock
) -> None:
    await worked_assignment(desk, coached)
    clock.advance(hours=14)  # 23:00: the coach's quiet hours
    reply = await desk.screen(CLIENT.says("honestly I want to die, nothing matters"))
    assert reply is not None
    assert POINTER in reply.text and "stop the exercise" in reply.text
    assert "let your coach know" in reply.text
    assert await desk.screen(CLIENT.says("i want to die")) is not None
    [message] = await outbox(database, "coach_flag")
    assert message.payload["flag"] == "distress"
    assert message.next_attempt_at == clock.now  # not held for the coach's morning
    assert "want to die" not in json.dumps(message.payload)


async def test_distress_from_someone_without_a_coach_still_gets_the_caring_reply(
    desk: CoachDesk, database: Database
) -> None:
    reply = await desk.screen(OTHER_CLIENT.says("I keep thinking about ending my life"))
    assert reply is not None and POINTER in reply.text
    assert "coach" not in reply.text
    assert await desk.screen(OTHER_CLIENT.says("I want to talk to my coach")) is None
    assert await desk.screen(OTHER_CLIENT.says("the deadline is killing me")) is None
    assert await outbox(database) == []


async def test_several_vague_answers_tell_the_coach_the_client_is_stuck(
    desk: CoachDesk, coached: Tutor, database: Database
) -> None:
    await link(desk)
    await desk.assign(COACH, "Sam", await saved_exercise(desk), "friday")
    await desk.start(CLIENT)
    for _ in range(3):
        await say(coached, CLIENT, "idk")
    [message] = await outbox(database, "coach_flag")
    assert "seems stuck" in message.payload["text"]
    assert "step 2 of 3" in (await desk.start(CLIENT))[0].text  # the exercise goes on


async def test_nothing_is_stored_for_someone_who_only_asks(
    desk: CoachDesk, database: Database
) -> None:
    stranger = Person("discord", "stranger", "Stranger")
    assert "no exercise from a coach" in (await desk.assignments(stranger)).text
    assert "no exercise from a coach" in (await desk.start(stranger))[0].text
    assert "aren't working with a coach" in (await desk.end(stranger)).text
    assert "don't know that invite" in (await desk.preview_invite(stranger, "ABCD-EFGH")).text
    assert set((await database.run(_counts)).values()) == {0}
