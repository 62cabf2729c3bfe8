"""A turn in phases: wording outside any transaction, moves recorded, stale writes refused."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.dialogue import moves
from bot.dialogue.wording import Wording, WordingContext, offline_text
from bot.services.messages import Incoming
from bot.services.turns import STALE
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import Turn
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


class HeldWording:
    """Words moves offline, but holds the reply to one message until released (a slow model)."""

    def __init__(self, held_text: str) -> None:
        self.held_text = held_text
        self.waiting = asyncio.Event()
        self.release = asyncio.Event()
        self.contexts: list[WordingContext] = []

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        self.contexts.append(context)
        if context.learner_text == self.held_text:
            self.waiting.set()
            await self.release.wait()
        return offline_text(move)

    def withheld(self, move_kind: str) -> None:
        raise AssertionError(f"offline words were withheld ({move_kind})")


class BrokenWording:
    async def word(self, move: moves.Move, context: WordingContext) -> str:
        raise ConnectionError("the model is down")

    def withheld(self, move_kind: str) -> None:
        raise AssertionError(f"nothing was worded, yet {move_kind} was withheld")


class BlurtingWording:
    """A model that words every move by giving the answer away."""

    def __init__(self) -> None:
        self.withheld_kinds: list[str] = []

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        return "Easy: the answer is 7/12. Does that make sense?"

    def withheld(self, move_kind: str) -> None:
        self.withheld_kinds.append(move_kind)


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


def make_tutor(
    database: Database, demo: Catalog, clock: FixedClock, wording: Wording | None = None
) -> Tutor:
    return Tutor(database, demo, clock=clock, rng=random.Random(3), wording=wording)


async def say(tutor: Tutor, user: str, text: str) -> str:
    replies = await tutor.handle(Incoming("console", user, text))
    return "\n".join(r.text for r in replies)


async def tutor_turns(database: Database, user: str) -> list[Turn]:
    def unit(session: Session) -> list[Turn]:
        found = user_store.get_user(session, "console", user)
        assert found is not None and found.id is not None
        dialogue = dialogue_store.open_dialogue(session, found.id)
        assert dialogue is not None
        return [t for t in dialogue_store.transcript(session, dialogue.id) if t.role == "tutor"]

    return await database.run(unit)


async def test_a_slow_wording_holds_up_no_other_learner(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    held = HeldWording("5/12 slowly")
    tutor = make_tutor(database, demo, clock, held)
    await say(tutor, "ada", "start demo")
    await say(tutor, "bob", "start demo")
    events: list[str] = []

    async def ada() -> None:
        await say(tutor, "ada", "5/12 slowly")
        events.append("ada answered")

    waiting = asyncio.create_task(ada())
    await held.waiting.wait()  # ada's reply is being worded, with no transaction open
    assert "5/12" in await say(tutor, "bob", "5/12")
    events.append("bob answered")
    assert "denominator" in await say(tutor, "bob", "7/12")
    events.append("bob answered again")
    held.release.set()
    await waiting
    assert events == ["bob answered", "bob answered again", "ada answered"]
    assert held.contexts[0].learner_text == "5/12 slowly"
    assert "7/12" not in held.contexts[0].prompt


async def test_moves_are_recorded_beside_the_words_and_counted(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    tutor = make_tutor(database, demo, clock)
    await say(tutor, "ada", "start demo")
    await say(tutor, "ada", "2/7")
    await say(tutor, "ada", "hint")
    turns = await tutor_turns(database, "ada")
    assert [(t.move, t.misconception, t.rung) for t in turns] == [
        (None, None, None),  # the opening question
        ("targeted", "adding-denominators", None),
        ("hint", None, 1),
    ]
    await say(tutor, "bob", "start demo")
    await say(tutor, "bob", "2/7")

    def counts(session: Session) -> list[tuple[str, int]]:
        return dialogue_store.misconception_counts(session, "demo", clock() - timedelta(days=7))

    assert await database.run(counts) == [("adding-denominators", 2)]


async def test_a_decision_on_stale_state_is_not_written(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    held = HeldWording("5/12")
    # Two processes serving one learner: the per-learner lock of one does not cover the other.
    first, second = make_tutor(database, demo, clock, held), make_tutor(database, demo, clock)
    await say(second, "ada", "start demo")
    crossing = asyncio.create_task(say(first, "ada", "5/12"))
    await held.waiting.wait()
    assert "denominator" in await say(second, "ada", "7/12")
    held.release.set()
    assert await crossing == STALE
    turns = await tutor_turns(database, "ada")
    assert [t.move for t in turns] == [None, "praise"]  # the stale decision left no trace


async def test_a_failing_wording_falls_back_to_the_offline_phrase(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    tutor = make_tutor(database, demo, clock, BrokenWording())
    await say(tutor, "ada", "start demo")
    reply = await say(tutor, "ada", "5/12")
    assert reply == offline_text(moves.Recheck("numeric", "5/12", 0))


async def test_a_worded_reply_that_would_reveal_the_answer_goes_out_in_offline_words(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    blurting = BlurtingWording()
    offline = make_tutor(database, demo, clock)
    tutor = make_tutor(database, demo, clock, blurting)
    await say(offline, "ada", "start demo")
    await say(tutor, "bob", "start demo")
    expected = await say(offline, "ada", "2/7")
    reply = await say(tutor, "bob", "2/7")
    assert "7/12" not in reply
    assert reply == expected  # the move the engine chose, in its offline words
    assert blurting.withheld_kinds == ["targeted"]
    turns = await tutor_turns(database, "bob")
    assert turns[-1].move == "targeted" and turns[-1].text == expected
