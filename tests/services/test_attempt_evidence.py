"""Every graded attempt is evidence, once: units of work and the Tutor on a real SQLite file."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog, Course
from bot.dialogue import moves
from bot.dialogue.state import DialogueState, Step
from bot.learning import bkt
from bot.learning.mastery import placement_cap
from bot.services.outcomes import LearningNews, record_attempt, record_outcome
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import Attempt
from tests.conftest import FixedClock
from tests.services.test_learning_flow import joined, open_exercise, send

COURSE = "fractions-and-equations"
SKILL = "equivalent-fractions"
GATE = 0.95


def course_of(catalog: Catalog) -> Course:
    course = catalog.get(COURSE)
    assert course is not None
    return course


def first_problem(course: Course, skill: str = SKILL) -> str:
    return next(e.id for e in course.exercises_for(skill) if e.kind == "problem")


def learner_in_exercise(session: Session, course: Course, purpose: str, now: datetime) -> int:
    """A unit: a consenting learner with an exercise of the first skill open; their id."""
    user = user_store.get_or_create_user(session, "console", f"ada-{purpose}", "Ada")
    user_store.record_consent(session, user, now)
    session.flush()
    assert user.id is not None
    dialogue_store.start_dialogue(
        session,
        user_id=user.id,
        course_id=course.id,
        exercise_id=first_problem(course),
        variant={},
        purpose=purpose,
        now=now,
        opening="?",
    )
    return user.id


def step(verdict: str | None, *, answered: bool = False, hint_rung: int = 0) -> Step:
    state = DialogueState(attempts=1, hint_rung=hint_rung)
    move = moves.Recheck(checker="exact", candidate="x", attempt=0)
    return Step(state, move, answered=answered, verdict=verdict)  # type: ignore[arg-type]


def attempt(session: Session, user_id: int, course: Course, taken: Step, now: datetime) -> None:
    """A unit: record one written turn, as the write phase does."""
    dialogue = dialogue_store.open_dialogue(session, user_id)
    assert dialogue is not None
    exercise = course.exercises[dialogue.exercise_id]
    record_attempt(
        session,
        user_id=user_id,
        course=course,
        exercise=exercise,
        dialogue=dialogue,
        step=taken,
        now=now,
        threshold=GATE,
    )


def finish(
    session: Session, user_id: int, course: Course, state: DialogueState, now: datetime
) -> LearningNews:
    """A unit: record the exercise's outcome, as `after_answer` does."""
    dialogue = dialogue_store.open_dialogue(session, user_id)
    assert dialogue is not None
    return record_outcome(
        session,
        user_id=user_id,
        course=course,
        exercise=course.exercises[dialogue.exercise_id],
        dialogue=dialogue,
        state=state,
        now=now,
        threshold=GATE,
    )


def evidence(
    session: Session, user_id: int
) -> tuple[learning_store.SkillMastery | None, list[tuple[float, str]]]:
    """A unit: the skill's mastery row and the logged credits, oldest first."""
    row = learning_store.mastery_states(session, user_id, COURSE).get(SKILL)
    credits = session.execute(
        select(Attempt.credit, Attempt.purpose)
        .where(Attempt.user_id == user_id)
        .order_by(Attempt.id)
    ).all()
    return row, [tuple(c) for c in credits]


async def test_a_wrong_attempt_is_an_observation_and_the_solve_is_not_counted_twice(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    course = course_of(catalog)
    params = course.bkt_for(SKILL)
    user_id = await database.run(learner_in_exercise, course, "practice", clock())

    await database.run(attempt, user_id, course, step("wrong"), clock())
    row, credits = await database.run(evidence, user_id)
    assert row is not None and row.attempts == 1 and row.correct == 0
    assert row.p_known == pytest.approx(bkt.update(params.prior, 0.0, params))
    assert credits == [(0.0, "practice")]

    # Not graded: no evidence. The solving answer is left to the outcome.
    for ungraded in (step(None), step("hedged"), step("unchecked"), step("correct", answered=True)):
        await database.run(attempt, user_id, course, ungraded, clock())
    assert await database.run(evidence, user_id) == (row, credits)

    # Solved after the nudge: the outcome records it once, with its discounted credit.
    solved = DialogueState(stage="reflecting", outcome="solved", attempts=2, hint_rung=1)
    await database.run(finish, user_id, course, solved, clock())
    after, credits = await database.run(evidence, user_id)
    assert after is not None and after.attempts == 2 and after.correct == 1
    credit = bkt.RUNG_CREDIT[1]
    assert after.p_known == pytest.approx(bkt.update(row.p_known, credit, params))
    assert credits == [(0.0, "practice"), (credit, "practice")]


async def test_a_skip_after_tries_adds_no_second_miss_and_one_without_is_a_miss(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    course = course_of(catalog)
    user_id = await database.run(learner_in_exercise, course, "practice", clock())
    await database.run(attempt, user_id, course, step("wrong"), clock())
    skipped = DialogueState(stage="closed", outcome="skipped", attempts=1)
    await database.run(finish, user_id, course, skipped, clock())
    row, credits = await database.run(evidence, user_id)
    assert row is not None and row.attempts == 1 and credits == [(0.0, "practice")]

    untried = DialogueState(stage="closed", outcome="skipped", attempts=0)
    await database.run(finish, user_id, course, untried, clock())
    row, credits = await database.run(evidence, user_id)
    assert row is not None and row.attempts == 2 and credits[-1] == (0.0, "practice")


async def test_placement_answers_raise_the_estimate_but_stop_below_the_gate(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    course = course_of(catalog)
    user_id = await database.run(learner_in_exercise, course, "placement", clock())
    for _ in range(8):
        await database.run(attempt, user_id, course, step("correct", answered=True), clock())
    row, credits = await database.run(evidence, user_id)
    assert row is not None and row.status == "learning"
    assert row.p_known == pytest.approx(placement_cap(GATE))
    assert credits == [(1.0, "placement")] * 8


async def test_through_the_tutor_a_wrong_answer_counts_before_the_right_one(
    tutor: Tutor,
) -> None:
    await send(tutor, f"start {COURSE}")
    await send(tutor, "idk")  # placement: from the beginning
    _, purpose, answer = await open_exercise(tutor)
    assert purpose == "practice"
    await send(tutor, "12345")
    await send(tutor, answer)

    def logged(session: Session) -> list[tuple[float, str]]:
        user = user_store.get_user(session, "console", "ada")
        assert user is not None
        return [
            (credit, purpose)
            for credit, purpose in session.execute(
                select(Attempt.credit, Attempt.purpose)
                .where(Attempt.user_id == user.id)
                .order_by(Attempt.id)
            )
        ]

    # the placement "idk" is not graded; the miss, then the solve on the second try
    assert await tutor.database.run(logged) == [(0.0, "practice"), (1.0, "practice")]


async def exercises_to_proficiency(tutor: Tutor, user: str, mistake: bool) -> int:
    """Work the first skill (a wrong first try each time, or not) until it is proficient."""
    await send(tutor, f"start {COURSE}", user=user)
    await send(tutor, "idk", user=user)  # placement: from the beginning
    for done in range(1, 13):
        _, purpose, answer = await open_exercise(tutor, user=user)
        assert purpose == "practice"
        if mistake:
            await send(tutor, "12345", user=user)
        told = joined(await send(tutor, answer, user=user))
        assert "you've mastered" not in told  # never before a review on a later day
        if "You're now proficient in Equivalent fractions" in told:
            return done
        await send(tutor, "skip", user=user)  # no why-step: it takes nothing back
        await send(tutor, "next", user=user)
    raise AssertionError("never proficient")


async def test_a_mistake_before_every_solve_takes_longer_to_reach_the_gate(tutor: Tutor) -> None:
    clean = await exercises_to_proficiency(tutor, "ada", mistake=False)
    erring = await exercises_to_proficiency(tutor, "bo", mistake=True)
    assert clean == 2  # prior 0.3, learn 0.25: two clean solves pass 0.95
    assert erring >= 2 * clean
