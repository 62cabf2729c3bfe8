"""The tutor with coaching wired in: a client's words and flags are read before tutoring."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.content.catalog import Catalog
from bot.services.coach_desk import CoachDesk
from bot.services.coach_flags import COACH_FLAG
from bot.services.commands import CoachingWord, parse_coaching_word
from bot.services.messages import Person
from bot.services.tutor import Tutor
from bot.store.db import Database
from bot.store.models import OutboxMessage
from tests.conftest import FixedClock
from tests.services.test_coaching_flow import invite_code

COACH = Person("console", "coach-maya", "Maya")
CLIENT = Person("console", "client-sam", "Sam")


@pytest.fixture
def coached(tutor: Tutor, database: Database, catalog: Catalog, clock: FixedClock) -> Tutor:
    """The tutor as the composition root builds it, with a coaching desk."""
    tutor.use_coaching(CoachDesk(database, catalog, clock=clock))
    return tutor


async def flags(database: Database) -> int:
    async with database.session() as session:
        query = select(func.count()).where(OutboxMessage.kind == COACH_FLAG)  # type: ignore[arg-type]
        return int((await session.execute(query)).scalar_one())


async def test_asking_for_the_coach_flags_once_and_is_not_tutored(
    coached: Tutor, database: Database
) -> None:
    assert coached.coaching is not None
    code = invite_code(await coached.coaching.invite(COACH))
    preview = await coached.handle(CLIENT.says(f"coach join {code}"))
    assert "Maya will see" in preview[0].text and preview[0].choices
    assert "connected" in (await coached.accept_invite(CLIENT, code))[0].text
    first = await coached.handle(CLIENT.says("I want to talk to my coach"))
    assert first[0].text == "I've let your coach know you'd like to talk."
    await coached.handle(CLIENT.says("I want to talk to my coach"))
    assert await flags(database) == 1


async def test_distress_gets_the_caring_reply_even_without_a_coach(coached: Tutor) -> None:
    await coached.handle(CLIENT.says("start demo"))
    replies = await coached.handle(CLIENT.says("honestly I can't go on"))
    assert "emergency number" in replies[0].text
    assert "your coach" not in replies[0].text


async def test_a_learner_without_a_coach_is_tutored_as_before(coached: Tutor) -> None:
    replies = await coached.handle(CLIENT.says("assignments"))
    assert replies[0].text == "You have no exercise from a coach right now."
    tutored = await coached.handle(CLIENT.says("courses"))
    assert tutored[0].text.startswith("Courses:")


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("coach join AB12-CD34", CoachingWord("join", "AB12-CD34")),
        ("/assignments", CoachingWord("assignments")),
        ("assignment #3", CoachingWord("assignment", "3")),
        ("coach end", CoachingWord("end")),
        ("coach end Maya", CoachingWord("end", "Maya")),
        ("coach join me for the meeting", None),
        ("assignments are hard for me", None),
        ("assignment three", None),
        ("my coach said to end it", None),
    ],
)
def test_only_the_exact_coaching_words_are_words(text: str, word: CoachingWord | None) -> None:
    assert parse_coaching_word(text) == word
