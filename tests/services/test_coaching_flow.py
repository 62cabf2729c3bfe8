"""A coach's whole loop on a real SQLite file with a fixed clock: invite, accept, write an
exercise, assign it, the client works it as a tutoring dialogue (a vague answer probed),
the coach is told with the client's words and a summary, and gets a brief."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest
from sqlalchemy import select
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.dialogue.conversation import Exchange
from bot.services.coach_desk import CoachDesk
from bot.services.coach_exercises import COACHING_COURSE, ExerciseForm, StepForm
from bot.services.coach_flow import use_coaching_flow
from bot.services.messages import Person, Reply
from bot.services.tutor import Tutor
from bot.store.coaching_models import Assignment, AssignmentStep
from bot.store.db import Database
from bot.store.models import Attempt, Dialogue, Mastery, OutboxMessage, ReviewCard, User
from tests.conftest import FixedClock

COACH = Person("discord", "coach-maya", "Maya")
CLIENT = Person("discord", "client-sam", "Sam")
OTHER_COACH = Person("slack", "coach-lee", "Lee")
OTHER_CLIENT = Person("discord", "client-ria", "Ria")

HARD_CONVERSATION = ExerciseForm(
    "A hard conversation",
    (
        StepForm("Describe the situation: who was it with?", ("names a person",)),
        StepForm("What did you do?", ("at least 12 words",)),
        StepForm(
            "What will you do differently, and by when?",
            ("a commitment", "a date | By when, exactly?"),
        ),
    ),
)


@pytest.fixture
def desk(database: Database, catalog: Catalog, clock: FixedClock) -> CoachDesk:
    """The coaching service on the test database and clock."""
    return CoachDesk(database, catalog, clock=clock)


@pytest.fixture
def coached_tutor(tutor: Tutor) -> Tutor:
    """The tutor with the coaching flow, as the composition root builds it."""
    use_coaching_flow(tutor)
    return tutor


def invite_code(reply: Reply) -> str:
    """The code in an invite reply."""
    return reply.text.split("code: ", 1)[1].split(" ", 1)[0]


async def link(desk: CoachDesk, coach: Person = COACH, client: Person = CLIENT) -> None:
    """Invite and accept: the client is the coach's."""
    accepted = await desk.accept(client, invite_code(await desk.invite(coach)))
    assert "You're connected" in accepted.text


async def saved_exercise(desk: CoachDesk, coach: Person = COACH) -> int:
    """Write the three-step exercise; return its id."""
    reply = await desk.save_exercise(coach, HARD_CONVERSATION)
    assert reply.text.startswith("Saved exercise #"), reply.text
    return int(reply.text.split("#", 1)[1].split(" ", 1)[0])


async def outbox(database: Database, kind: str | None = None) -> list[OutboxMessage]:
    """The outbox rows (of one kind), oldest first."""
    async with database.session() as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if kind is not None:
            query = query.where(col(OutboxMessage.kind) == kind)
        return list((await session.execute(query)).scalars())


async def user_id(database: Database, person: Person) -> int:
    """The stored id of a person."""
    async with database.session() as session:
        found = (
            await session.execute(
                select(col(User.id)).where(col(User.platform_user_id) == person.user_id)
            )
        ).scalar_one()
    return int(found)


async def say(tutor: Tutor, person: Person, text: str) -> str:
    """One message to the tutor; its replies joined."""
    return "\n".join(r.text for r in await tutor.handle(person.says(text)))


async def test_invite_shows_the_client_what_the_coach_will_see(desk: CoachDesk) -> None:
    code = invite_code(await desk.invite(COACH))
    preview = await desk.preview_invite(CLIENT, code.lower().replace("-", " "))
    assert "Maya invited you" in preview.text
    assert "will see your work on the exercises they assign you" in preview.text
    assert "Nothing else" in preview.text
    assert [c.label for c in preview.choices] == ["Accept"]
    assert preview.choices[0].action == "coach-accept:" + code.replace("-", "")
    assert "You're connected with Maya" in (await desk.accept(CLIENT, code)).text
    assert "already used" in (await desk.accept(OTHER_CLIENT, code)).text
    assert "own invite" in (await desk.accept(COACH, invite_code(await desk.invite(COACH)))).text


async def test_an_expired_or_unknown_invite_is_refused(desk: CoachDesk, clock: FixedClock) -> None:
    code = invite_code(await desk.invite(COACH))
    assert "don't know that invite" in (await desk.accept(CLIENT, "NOPE-NOPE")).text
    clock.advance(days=15)
    assert "expired" in (await desk.accept(CLIENT, code)).text


async def test_the_whole_loop_from_invite_to_brief(
    desk: CoachDesk, coached_tutor: Tutor, database: Database, clock: FixedClock
) -> None:
    await link(desk)
    exercise = await saved_exercise(desk)
    assigned = await desk.assign(COACH, "sam", exercise, "friday", "Ten quiet minutes will do.")
    assert "Friday 6 March, 20:00" in assigned.text
    [offer] = await outbox(database, "coach_assignment")
    assert offer.recipient == CLIENT.user_id and "Ten quiet minutes" in offer.payload["text"]
    assert offer.payload["choices"][0]["action"].startswith("assignment-start:")

    [opening] = await desk.start(CLIENT)
    assert "step 1 of 3" in opening.text and "who was it with?" in opening.text
    clock.advance(minutes=5)
    probed = await say(coached_tutor, CLIENT, "with everyone at work")
    assert 'You wrote "everyone at work"' in probed  # the vague answer is probed
    step_two = await say(coached_tutor, CLIENT, "My manager Ana, about the late report")
    assert "step 2 of 3" in step_two
    step_three = await say(
        coached_tutor,
        CLIENT,
        "I stayed quiet in the meeting and sent her a long email that night explaining it all",
    )
    assert "step 3 of 3" in step_three
    asked = await say(coached_tutor, CLIENT, "I will ask Ana for ten minutes to agree a deadline")
    assert "By when, exactly?" in asked  # the coach's own probe for the missing date
    done = await say(coached_tutor, CLIENT, "On Friday morning, before standup")
    assert 'That\'s all of "A hard conversation"' in done
    # inside an assignment nothing points at a course's `next`: the steps lead on by themselves
    assert all("`next`" not in text for text in (step_two, step_three, done))

    assert await desk.send_notices() == 1
    assert await desk.send_notices() == 0  # told once
    [notice] = await outbox(database, "coach_notice")
    assert notice.recipient == COACH.user_id
    text = notice.payload["text"]
    assert 'Sam: "with everyone at work"' in text  # the client's own words, step by step
    assert "I probed:" in text
    assert "3 of 3 step(s) met every criterion" in notice.payload["summary"]
    assert "Commitment:" in notice.payload["summary"]
    assert notice.payload["steps"][0]["probes"][0]["for"] == "names a person"

    clock.advance(days=1)
    scheduled = await desk.next_session(COACH, "Sam", "monday 10:00")
    assert "Monday 9 March, 10:00" in scheduled.text
    brief = (await desk.brief(COACH, "#1")).text
    assert "Brief for your session with Sam on Monday 9 March, 10:00" in brief
    assert "1 of 1 exercise(s) done" in brief
    assert "I will ask Ana for ten minutes" in brief  # their commitment, in their words
    assert "What happened when you tried it?" in brief
    assert "I probed most for names a person" in brief


async def test_a_coaching_step_leaves_no_course_evidence(
    desk: CoachDesk, coached_tutor: Tutor, database: Database
) -> None:
    await link(desk)
    exercise = await saved_exercise(desk)
    await desk.assign(COACH, "Sam", exercise, "in 3 days")
    await desk.start(CLIENT)
    await say(coached_tutor, CLIENT, "My manager Ana, about the late report")
    async with database.session() as session:
        for table in (Attempt, Mastery, ReviewCard):
            assert (await session.execute(select(table))).first() is None, table
        dialogues = (await session.execute(select(Dialogue))).scalars().all()
    assert {d.course_id for d in dialogues} == {COACHING_COURSE}
    assert [d.closed_at is None for d in dialogues] == [False, True]


async def test_the_brief_is_sent_the_day_before_the_session(
    desk: CoachDesk, database: Database, clock: FixedClock
) -> None:
    await link(desk)
    await desk.assign(COACH, "Sam", await saved_exercise(desk), "friday")
    await desk.next_session(COACH, "Sam", "thursday 10:00")
    assert await desk.send_briefs() == 0  # Monday: not yet
    clock.advance(days=2, hours=1)  # Wednesday 10:00
    assert await desk.send_briefs() == 1
    assert await desk.send_briefs() == 0
    [brief] = await outbox(database, "coach_brief")
    assert brief.recipient == COACH.user_id
    assert "Working on:" in brief.payload["text"] and "A hard conversation" in brief.payload["text"]


async def test_a_worksheet_becomes_a_multi_step_exercise_to_review(desk: CoachDesk) -> None:
    form = desk.worksheet(
        "Weekly review\n1. What went well this week?\n2. Who could help you next week?\n"
        "3. List three things you will stop doing.\n4. What will you do first, and by when?"
    )
    assert isinstance(form, ExerciseForm)
    assert form.title == "Weekly review" and len(form.steps) == 4
    assert form.steps[1].criteria == ("names a person",)
    assert form.steps[2].criteria == ("at least 3 items",)
    assert form.steps[3].criteria == ("a date", "a commitment")
    saved = await desk.save_exercise(COACH, form)
    assert "4 step(s)" in saved.text


async def test_a_course_reflection_can_be_taken_as_a_coach_exercise(
    desk: CoachDesk, catalog: Catalog
) -> None:
    course = catalog.get("coaching-positioning")
    assert course is not None
    reflection = next(e for e in course.exercises.values() if e.kind == "reflection")
    saved = await desk.exercise_from_course(COACH, course.id, reflection.id)
    assert saved.text.startswith("Saved exercise #"), saved.text
    refused = await desk.exercise_from_course(COACH, course.id, "no-such-exercise")
    assert "There is no exercise" in refused.text


async def test_a_step_that_asks_two_questions_is_saved_with_a_note(desk: CoachDesk) -> None:
    form = ExerciseForm("Two in one", (StepForm("What happened? Who was there?", ()),))
    saved = await desk.save_exercise(COACH, form)
    assert saved.text.startswith("Saved exercise #")
    assert "Step 1 asks 2 questions" in saved.text


async def test_a_form_with_problems_names_each_one(desk: CoachDesk) -> None:
    form = ExerciseForm(
        "",
        (StepForm("Describe it", ("is insightful",)), StepForm("  ", ())),
    )
    reply = await desk.save_exercise(COACH, form)
    assert "Give the exercise a title." in reply.text
    assert "Step 1: I can't turn 'is insightful' into a check" in reply.text
    assert "Step 2: the prompt is empty." in reply.text
    assert (await desk.exercises(COACH)).text.startswith("No exercises yet")


class ScriptedSummariser:
    """A model double: answers with a fixed summary, or fails, or never answers."""

    def __init__(self, answer: str | None = None, *, fail: bool = False) -> None:
        self.answer, self.fail = answer, fail
        self.seen: list[tuple[list[Exchange], str]] = []
        self.never = asyncio.Event()

    async def summarise_for_coach(
        self, turns: Sequence[Exchange], *, problem: str, summary: str = ""
    ) -> str | None:
        self.seen.append((list(turns), problem))
        if self.fail:
            raise RuntimeError("the model is down")
        if self.answer is None:
            await self.never.wait()
        return self.answer


async def finished_assignment(desk: CoachDesk, tutor: Tutor) -> None:
    """A one-step exercise assigned and worked to the end."""
    await link(desk)
    form = ExerciseForm("Who next", (StepForm("Who will you ask?", ("names a person",)),))
    saved = await desk.save_exercise(COACH, form)
    exercise = int(saved.text.split("#", 1)[1].split(" ", 1)[0])
    await desk.assign(COACH, "Sam", exercise, "tomorrow")
    await desk.start(CLIENT)
    await say(tutor, CLIENT, "My colleague Ana from finance")


@pytest.mark.parametrize(
    ("summariser", "expected"),
    [
        (ScriptedSummariser("The client chose Ana."), "The client chose Ana."),
        (ScriptedSummariser(fail=True), "1 of 1 step(s) met every criterion."),
        (ScriptedSummariser(None), "1 of 1 step(s) met every criterion."),
    ],
    ids=["model", "model-fails", "model-silent"],
)
async def test_the_notice_summary_is_the_models_or_the_offline_one(
    database: Database,
    catalog: Catalog,
    clock: FixedClock,
    coached_tutor: Tutor,
    summariser: ScriptedSummariser,
    expected: str,
) -> None:
    from bot.services.coach_notices import send_completion_notices

    desk = CoachDesk(database, catalog, clock=clock)
    await finished_assignment(desk, coached_tutor)
    sent = await send_completion_notices(database, clock(), summariser, summary_seconds=0.05)
    assert sent == 1
    [notice] = await outbox(database, "coach_notice")
    assert expected in notice.payload["summary"]
    turns, problem = summariser.seen[0]
    assert problem.startswith("Who next") and any(t.text.startswith("My colleague") for t in turns)
    async with database.session() as session:
        stored = (await session.execute(select(Assignment))).scalar_one()
    assert stored.summary == notice.payload["summary"]


async def test_a_step_left_by_switching_course_starts_again(
    desk: CoachDesk, coached_tutor: Tutor, database: Database
) -> None:
    await link(desk)
    await desk.assign(COACH, "Sam", await saved_exercise(desk), "friday")
    await desk.start(CLIENT)
    await say(coached_tutor, CLIENT, "start python-basics")  # closes the open dialogue
    [again] = await desk.start(CLIENT)
    assert "step 1 of 3" in again.text
    async with database.session() as session:
        steps = (await session.execute(select(AssignmentStep))).scalars().all()
    assert len(steps) == 1  # the same step, in a new dialogue
    resumed = await desk.start(CLIENT)
    assert resumed[0].text.startswith("Welcome back!")


async def test_starting_an_earlier_assignment_again_puts_it_on_top(
    desk: CoachDesk, coached_tutor: Tutor, database: Database
) -> None:
    await link(desk)
    exercise = await saved_exercise(desk)
    await desk.assign(COACH, "Sam", exercise, "friday")
    await desk.assign(COACH, "Sam", exercise, "next week")
    await desk.start(CLIENT, 1)
    await desk.start(CLIENT, 2)
    [first] = await desk.start(CLIENT, 1)
    assert "step 1 of 3" in first.text
    step_two = await say(coached_tutor, CLIENT, "My manager Ana, about the late report")
    assert "step 2 of 3" in step_two
    async with database.session() as session:
        rows = (await session.execute(select(AssignmentStep))).scalars().all()
    assert sorted((r.assignment_id, r.step) for r in rows) == [(1, 1), (1, 2), (2, 1)]
