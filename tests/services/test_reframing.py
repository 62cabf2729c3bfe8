"""Problems re-told in a learner's interests: every number kept, nothing given away."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.services.account import SettingsChange, SettingsInputError, parse_interests
from bot.services.messages import Incoming, Person
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store.db import Database
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
ADA = Person("console", "ada", "Ada")
FRACTIONS = "What is 1/3 + 1/4? Give a fraction."
RETOLD = (
    "A striker runs 1/3 of the pitch, then 1/4 of it more. What part of the pitch is that? "
    "Give a fraction."
)


class ScriptedReframer:
    """A stand-in for the model: re-tells each problem with the next scripted text."""

    def __init__(self, *texts: str | None) -> None:
        self.texts = list(texts)
        self.asked: list[tuple[str, str, int, str]] = []

    async def reframe(
        self, problem: str, interest: str, *, user_id: int, course_id: str
    ) -> str | None:
        """Return the next scripted re-telling."""
        self.asked.append((problem, interest, user_id, course_id))
        return self.texts.pop(0) if self.texts else None


def tutor_with(database: Database, clock: FixedClock, reframer: ScriptedReframer) -> Tutor:
    return Tutor(
        database, load_catalog([DEMO]), clock=clock, rng=random.Random(3), reframer=reframer
    )


async def opening_turn(database: Database) -> tuple[str, str | None]:
    """The stored opening of the learner's open dialogue, and the move beside it."""

    def unit(session: object) -> tuple[str, str | None]:
        _learner, dialogue = dialogue_store.user_and_open_dialogue(session, "console", "ada")  # type: ignore[arg-type]
        assert dialogue is not None
        first = dialogue_store.transcript(session, dialogue.id)[0]  # type: ignore[arg-type]
        return first.text, first.move

    return await database.run(unit)


def test_interests_are_read_as_a_short_clean_list() -> None:
    assert parse_interests("football,  cooking ; Football\njazz") == [
        "football",
        "cooking",
        "jazz",
    ]
    assert parse_interests("none") == []
    assert parse_interests("<b>chess</b>") == ["b chess /b"]
    with pytest.raises(SettingsInputError):
        parse_interests("a, b, c, d, e, f")
    with pytest.raises(SettingsInputError):
        parse_interests("x" * 37)


async def test_the_opening_problem_is_retold_in_an_interest_and_stored_so(
    database: Database, clock: FixedClock
) -> None:
    reframer = ScriptedReframer(RETOLD)
    tutor = tutor_with(database, clock, reframer)
    await tutor.consent(ADA.says(""))
    said = await tutor.change_settings(ADA, SettingsChange(interests="football"))
    assert "football" in said
    replies = await tutor.handle(ADA.says("start demo"))
    assert replies[-1].text.endswith(RETOLD)
    assert all(reply.opening is None for reply in replies)  # nothing internal leaves
    assert reframer.asked[0][:2] == (FRACTIONS, "football")
    assert await opening_turn(database) == (RETOLD, "reframed")
    # The exercise is the same one: its answer is still right, and a return shows the re-telling.
    answered = await tutor.handle(ADA.says("7/12"))
    assert "Why did you need a common denominator" in answered[0].text
    welcome = await tutor.greet(Incoming("console", "ada", ""))
    assert RETOLD in welcome[0].text  # coming back, the learner sees the problem they saw
    assert "We were working on this, in Demo fractions:" in welcome[0].text  # and its course


async def test_a_retelling_that_changes_a_number_or_the_answer_is_not_used(
    database: Database, clock: FixedClock
) -> None:
    changed = "A striker covers 1/3 of the pitch, then 1/2 more. How far in all? Give a fraction."
    added = FRACTIONS.replace("Give", "Two goals later, give")
    tutor = tutor_with(database, clock, ScriptedReframer(changed, added))
    await tutor.consent(ADA.says(""))
    await tutor.change_settings(ADA, SettingsChange(interests="football"))
    replies = await tutor.handle(ADA.says("start demo"))
    assert replies[-1].text.endswith(FRACTIONS)
    assert await opening_turn(database) == (FRACTIONS, None)
    await tutor.handle(ADA.says("skip"))
    again = await tutor.handle(ADA.says("next"))
    assert again[-1].text.endswith(FRACTIONS)  # "two" is a number too


CAPITALS = """\
id: capitals
title: Capitals
description: One capital city.
placement: false
skills:
  - id: capitals
    title: Capital cities
exercises:
  - id: france
    kind: problem
    skill: capitals
    prompt: Which city is the capital of France?
    answer: Paris
    checker: exact
    hints:
      nudge: Think of the city with the Eiffel Tower.
      specific: Its name starts with P.
      worked: The capital of France is Paris.
    reflection: How did you remember it?
"""


async def test_a_retelling_that_reveals_a_word_answer_is_withheld(
    database: Database, clock: FixedClock, tmp_path: Path
) -> None:
    (tmp_path / "capitals").mkdir()
    (tmp_path / "capitals" / "course.yaml").write_text(CAPITALS, encoding="utf-8")
    reframer = ScriptedReframer("At the match in Paris, which city is the capital of France?")
    tutor = Tutor(
        database, load_catalog([tmp_path]), clock=clock, rng=random.Random(3), reframer=reframer
    )
    await tutor.consent(ADA.says(""))
    await tutor.change_settings(ADA, SettingsChange(interests="football"))
    replies = await tutor.handle(ADA.says("start capitals"))
    assert reframer.asked  # it was asked, and its words were dropped
    assert replies[-1].text.endswith("Which city is the capital of France?")
    assert "Paris" not in replies[-1].text
    assert await opening_turn(database) == ("Which city is the capital of France?", None)


async def test_without_interests_or_on_failure_the_authored_problem_is_sent(
    database: Database, clock: FixedClock
) -> None:
    class Broken(ScriptedReframer):
        async def reframe(
            self, problem: str, interest: str, *, user_id: int, course_id: str
        ) -> str | None:
            raise ConnectionError("the model went away")

    silent = ScriptedReframer(RETOLD)
    tutor = tutor_with(database, clock, silent)
    replies = await tutor.handle(ADA.says("start demo"))
    assert replies[-1].text.endswith(FRACTIONS)
    assert silent.asked == []  # no interests: no call at all
    broken = Tutor(
        database, load_catalog([DEMO]), clock=clock, rng=random.Random(3), reframer=Broken()
    )
    bea = Person("console", "bea", "Bea")
    await broken.consent(bea.says(""))
    await broken.change_settings(bea, SettingsChange(interests="chess"))
    replies = await broken.handle(bea.says("start demo"))
    assert replies[-1].text.endswith(FRACTIONS)


async def test_interests_are_shown_changed_and_cleared(
    database: Database, clock: FixedClock
) -> None:
    tutor = tutor_with(database, clock, ScriptedReframer())
    await tutor.consent(ADA.says(""))
    await tutor.change_settings(ADA, SettingsChange(interests="football, cooking"))
    shown = await tutor.change_settings(ADA, SettingsChange())
    assert "Interests: football, cooking" in shown
    cleared = await tutor.change_settings(ADA, SettingsChange(interests="none"))
    assert "cleared" in cleared
    refused = await tutor.change_settings(ADA, SettingsChange(interests="a,b,c,d,e,f"))
    assert "up to 5" in refused
    exported = await tutor.export(ADA)
    assert exported is not None and exported["users"][0]["interests"] == ""
