"""A reflection course unlocks its later skills: through the Tutor, on a real SQLite file."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
COURSE = "demo-reflection-path"
FIRST_PROMPT = "conversation you have been putting off"
SECOND_PROMPT = "what will you check to see that it changed something"
UNLOCKED = "Unlocked: Follow it through."


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture
def tutor(database: Database, demo: Catalog, clock: FixedClock) -> Tutor:
    return Tutor(database, demo, clock=clock, rng=random.Random(11))


async def say(tutor: Tutor, text: str) -> str:
    replies = await tutor.handle(Incoming("console", "ada", text))
    return "\n".join(r.text for r in replies)


async def mastery(database: Database, skill: str) -> float:
    async with database.session() as session:
        user = await session.run_sync(user_store.get_user, "console", "ada")
        assert user is not None and user.id is not None
        levels = await session.run_sync(learning_store.mastery_levels, user.id, COURSE)
    return levels.get(skill, 0.0)


async def test_good_reflections_unlock_the_next_skill(tutor: Tutor, database: Database) -> None:
    opening = await say(tutor, f"start {COURSE}")
    assert FIRST_PROMPT in opening
    rounds = 0
    closing = ""
    while UNLOCKED not in closing:
        rounds += 1
        assert rounds <= 5, "good reflections should unlock the next skill within five"
        # Each reflection needs one probe (the time), as real ones do: that used to cap
        # mastery below the gate.
        probe = await say(tutor, "I'll talk to my manager about the rota")
        assert "When will you have it?" in probe
        closing = await say(tutor, "before our next 1:1 on Thursday")
        assert "specific enough" in closing
        if UNLOCKED not in closing:
            assert FIRST_PROMPT in await say(tutor, "next")
    assert rounds >= 2, "one reflection is not yet mastery"
    assert await mastery(database, "one-conversation") >= 0.95
    assert SECOND_PROMPT in await say(tutor, "next")
    done = await say(tutor, "I will check the rota with her in week 2")
    assert "specific enough" in done


async def test_vague_reflections_do_not_unlock_it(tutor: Tutor, database: Database) -> None:
    await say(tutor, f"start {COURSE}")
    for _ in range(5):
        assert "When will you have it?" not in await say(tutor, "ok")
        await say(tutor, "idk")
        closing = await say(tutor, "lol")
        assert "Still worth sharpening later" in closing
        assert UNLOCKED not in closing
        assert FIRST_PROMPT in await say(tutor, "next")
    assert await mastery(database, "one-conversation") < 0.5  # misses: no more than learning


async def test_a_half_met_reflection_moves_mastery_less_than_a_full_one(
    tutor: Tutor, database: Database
) -> None:
    await say(tutor, f"start {COURSE}")
    await say(tutor, "I'll talk to my manager about the rota")
    await say(tutor, "before our next 1:1 on Thursday")
    full = await mastery(database, "one-conversation")
    await say(tutor, "next")
    for reply in ["my manager", "my manager, honestly", "my boss", "my line manager"]:
        closing = await say(tutor, reply)
    assert "Still worth sharpening later" in closing
    assert await mastery(database, "one-conversation") < full
