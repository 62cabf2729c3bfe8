"""One learner's pathological answer costs that learner a plain reply and nobody else anything."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.models import AnsweredExercise
from bot.dialogue import phrases
from bot.dialogue.state import DialogueState
from bot.learning.grading_pool import GradingPool
from bot.services.answer_checks import AnswerChecks
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
def pool() -> Iterator[GradingPool]:
    # Long enough that the other learner is always served first, even on a busy machine.
    pool = GradingPool(time_limit=10.0, workers=2)
    pool.warm()  # both workers ready: a worker's start-up is not what this test measures
    yield pool
    pool.close()


@pytest.fixture
def tutor(database: Database, catalog: Catalog, clock: FixedClock, pool: GradingPool) -> Tutor:
    return Tutor(database, catalog, clock=clock, rng=random.Random(3), checks=AnswerChecks(pool))


async def say(tutor: Tutor, user: str, text: str) -> str:
    replies = await tutor.handle(Incoming("console", user, text))
    return "\n".join(r.text for r in replies)


def solved(reply: str) -> bool:
    return any(word in reply.lower() for word in ("right", "correct", "exactly", "that's it"))


async def attempts_of(database: Database, user: str) -> int:
    def unit(session: Session) -> int:
        found = user_store.get_user(session, "console", user)
        assert found is not None and found.id is not None
        open_dialogue = dialogue_store.open_dialogue(session, found.id)
        assert open_dialogue is not None
        return DialogueState.from_json(open_dialogue.state).attempts

    return await database.run(unit)


def make_catastrophic(catalog: Catalog) -> None:
    """Give the equation exercise a regex that backtracks for minutes (the check refuses it)."""
    course = catalog.courses["demo-equations"]
    exercise = course.exercises["two-step"]
    assert isinstance(exercise, AnsweredExercise)
    course.exercises["two-step"] = exercise.model_copy(
        update={"checker": "pattern", "pattern": "^(a+)+$", "misconceptions": []}
    )


async def test_the_freezing_answer_is_answered_and_the_next_learner_is_served(
    tutor: Tutor,
) -> None:
    await say(tutor, "ada", "start demo-equations")
    await say(tutor, "bob", "start demo-equations")
    freezing = asyncio.create_task(say(tutor, "ada", "3^(x+2^64)"))
    served = await say(tutor, "bob", "x = 4")
    reply = await freezing
    assert solved(served)
    assert "x = 4" not in reply and "x=4" not in reply
    assert "?" in reply
    assert await say(tutor, "ada", "x = 4") != reply


async def test_a_check_past_the_limit_costs_one_learner_a_plain_reply(
    tutor: Tutor, catalog: Catalog, pool: GradingPool, database: Database
) -> None:
    make_catastrophic(catalog)
    await say(tutor, "ada", "start demo-equations")
    await say(tutor, "bob", "start demo-equations")
    stuck = asyncio.create_task(say(tutor, "ada", "a" * 40 + "!"))
    assert await asyncio.to_thread(pool.working.wait, 60)  # ada's answer is being checked
    served = await say(tutor, "bob", "aaaa")
    assert not stuck.done()  # bob was answered while ada's check was still running
    assert solved(served)
    reply = await stuck
    assert reply == phrases.UNCHECKED
    assert pool.timeouts == 1
    assert await attempts_of(database, "ada") == 0  # not counted as a wrong try
    # The same learner goes on normally afterwards.
    assert solved(await say(tutor, "ada", "aaa"))
