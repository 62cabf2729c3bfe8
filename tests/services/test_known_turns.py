"""A turn on the dialogue this process last wrote: no read, one write, never a stale decision.

On a real SQLite file, with a wording that is not the offline one (as with a model).
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bot import heap
from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.dialogue import moves
from bot.dialogue.conversation import WINDOW_TURNS, Exchange
from bot.dialogue.wording import WordingContext, offline_text
from bot.services.known_turns import KnownDialogues
from bot.services.messages import Incoming
from bot.services.turns import STALE
from bot.services.tutor import Tutor
from bot.store import dialogues as dialogue_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.recent_turns import recent_turns
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


class ModelLikeWording:
    """Words moves as the offline phrases do, and keeps what each prompt was given."""

    def __init__(self) -> None:
        self.contexts: list[WordingContext] = []

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        self.contexts.append(context)
        return offline_text(move)

    def withheld(self, move_kind: str) -> None:
        raise AssertionError(f"offline words were withheld ({move_kind})")


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


def make_tutor(database: Database, demo: Catalog, clock: FixedClock, **kwargs: object) -> Tutor:
    return Tutor(database, demo, clock=clock, rng=random.Random(3), **kwargs)  # type: ignore[arg-type]


async def say(tutor: Tutor, text: str, user: str = "ada") -> str:
    replies = await tutor.handle(Incoming("console", user, text))
    return "\n".join(r.text for r in replies)


async def tutor_moves(database: Database, user: str = "ada") -> list[tuple[str | None, int | None]]:
    def unit(session: Session) -> list[tuple[str | None, int | None]]:
        found = user_store.get_user(session, "console", user)
        assert found is not None and found.id is not None
        dialogue = dialogue_store.open_dialogue(session, found.id)
        assert dialogue is not None
        turns = dialogue_store.transcript(session, dialogue.id)
        return [(t.move, t.rung) for t in turns if t.role == "tutor"]

    return await database.run(unit)


@contextmanager
def units_run(database: Database) -> Iterator[list[str]]:
    """The units of work run meanwhile, by the name of their function."""
    names: list[str] = []
    run = database.run

    def noted(unit: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        names.append(getattr(unit, "__name__", repr(unit)))
        return run(unit, *args, **kwargs)

    database.run = noted  # type: ignore[method-assign]
    try:
        yield names
    finally:
        del database.run


async def test_the_next_turn_is_decided_without_reading_the_dialogue_again(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    wording = ModelLikeWording()
    tutor = make_tutor(database, demo, clock, wording=wording)
    await say(tutor, "start demo")
    with units_run(database) as first:
        assert "1/2 + 1/2" in await say(tutor, "2/7")  # read, decided, written: then kept
    assert first == ["_handle_unit", "write_if_current"]
    with units_run(database) as second:
        await say(tutor, "hint")
    assert second == ["write_if_current"]  # decided on what the write left: no read
    assert await tutor_moves(database) == [(None, None), ("targeted", None), ("hint", 1)]
    # the prompt held the messages the store held, though nothing was read for it
    held = [(e.role, e.text) for e in wording.contexts[-1].conversation.turns]

    def stored(session: Session) -> list[tuple[str, str]]:
        ada = user_store.get_user(session, "console", "ada")
        assert ada is not None and ada.id is not None
        dialogue = dialogue_store.open_dialogue(session, ada.id)
        assert dialogue is not None
        return recent_turns(session, dialogue.id, WINDOW_TURNS)[:-2]  # before the hint

    assert held == await database.run(stored) and held[0] == ("learner", "2/7")


async def test_a_right_answer_in_practice_keeps_the_dialogue_for_the_why_step(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    tutor = make_tutor(database, demo, clock, wording=ModelLikeWording())
    await say(tutor, "start demo")
    with units_run(database) as answered:
        assert "Why" in await say(tutor, "7/12")
    assert answered == ["_handle_unit", "write_if_current"]
    with units_run(database) as explained:
        await say(tutor, "the pieces must be the same size, twelfths, before I add them")
    assert explained == ["write_if_current"]
    assert len(tutor.known) == 0  # the why-step closed it: the next message reads afresh


async def test_a_dialogue_another_process_moved_on_is_read_afresh_not_refused(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    first = make_tutor(database, demo, clock, wording=ModelLikeWording())
    second = make_tutor(database, demo, clock)  # another process on the same database
    await say(first, "start demo")
    await say(first, "2/7")  # `first` keeps the dialogue at this version
    await say(second, "hint")  # ...which another process moves on
    reply = await say(first, "hint")
    assert reply != STALE
    # the second hint climbs from the rung the other process reached: fresh state decided it
    assert await tutor_moves(database) == [
        (None, None),
        ("targeted", None),
        ("hint", 1),
        ("hint", 2),
    ]
    assert await say(first, "hint") != STALE  # kept again, at the new version


async def test_a_command_takes_the_long_way(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    tutor = make_tutor(database, demo, clock, wording=ModelLikeWording())
    await say(tutor, "start demo")
    await say(tutor, "2/7")
    assert len(tutor.known) == 1
    with units_run(database) as units:
        await say(tutor, "progress")
    assert units == ["_handle_unit"]
    assert len(tutor.known) == 0


async def test_offline_words_keep_their_one_unit_turn(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    tutor = make_tutor(database, demo, clock)
    await say(tutor, "start demo")
    await say(tutor, "2/7")
    await say(tutor, "hint")
    assert len(tutor.known) == 0


def written_turn(n: int) -> tuple[Any, Any]:
    """A turn that left its dialogue open, with a full window (only what `written` reads)."""
    step = SimpleNamespace(closed=False, answered=False)
    window = tuple(Exchange("learner", f"m{i}") for i in range(WINDOW_TURNS))
    plan = SimpleNamespace(step=step, window=window, text="x", user_id=n, dialogue=None)
    return plan, SimpleNamespace(text="y")


def test_the_most_recent_learners_are_kept_within_a_bound() -> None:
    known = KnownDialogues(limit=2)
    for n in range(3):
        known.written(Incoming("console", f"u{n}", "x"), *written_turn(n))
    assert len(known) == 2
    assert known.get(Incoming("console", "u0", "x")) is None
    kept = known.get(Incoming("console", "u2", "x"))
    assert kept is not None and kept.window is not None and len(kept.window) == WINDOW_TURNS
    assert [e.text for e in kept.window[-2:]] == ["x", "y"]  # the newest two, the oldest gone


def test_the_heap_is_settled_once_a_process() -> None:
    before = gc.get_threshold()
    heap._settled = False
    try:
        heap.settle_heap()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == heap.THRESHOLDS
        gc.set_threshold(*before)
        heap.settle_heap()  # a second start in the same process changes nothing
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
