"""The judge seam of a turn: questions are answered between runs of the read unit, never
inside one, and without a judge a turn stays one unit of work."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.dialogue.judgements import (
    ActReading,
    DiagnoseAsk,
    Diagnosis,
    ExplainAsk,
    JudgeContext,
    ReadAsk,
    SummaryAsk,
    TextJudgement,
)
from bot.services.messages import Incoming
from bot.services.tutor import Tutor
from bot.store.db import Database
from tests.conftest import FixedClock

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


class Units:
    """Counts units of work, and knows when one is running."""

    def __init__(self, database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        self.running = False
        self.events: list[str] = []
        run = database.run

        async def counted(work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
            self.count += 1
            self.running = True
            self.events.append("unit")
            try:
                return await run(work, *args, **kwargs)
            finally:
                self.running = False

        monkeypatch.setattr(database, "run", counted)


class RecordingJudge:
    """A judge that answers as set, and checks that no unit of work is open meanwhile."""

    def __init__(self, units: Units, reading: ActReading | None = None) -> None:
        self.units = units
        self.reading = reading
        self.contexts: list[JudgeContext] = []

    def _called(self, what: str, context: JudgeContext) -> None:
        assert not self.units.running, f"the judge was asked ({what}) inside a unit of work"
        self.units.events.append(what)
        self.contexts.append(context)

    async def read(self, ask: ReadAsk, context: JudgeContext) -> ActReading | None:
        self._called("read", context)
        return self.reading

    async def explanation(self, ask: ExplainAsk, context: JudgeContext) -> TextJudgement | None:
        self._called("explanation", context)
        return None

    async def diagnose(self, ask: DiagnoseAsk, context: JudgeContext) -> Diagnosis | None:
        self._called("diagnose", context)
        return None

    async def summarise(self, ask: SummaryAsk, context: JudgeContext) -> str | None:
        self._called("summarise", context)
        return None


class BrokenJudge:
    """A judge whose every call raises."""

    async def read(self, ask: ReadAsk, context: JudgeContext) -> ActReading | None:
        raise ConnectionError("the model is down")

    async def explanation(self, ask: ExplainAsk, context: JudgeContext) -> TextJudgement | None:
        raise ConnectionError("the model is down")

    async def diagnose(self, ask: DiagnoseAsk, context: JudgeContext) -> Diagnosis | None:
        raise ConnectionError("the model is down")

    async def summarise(self, ask: SummaryAsk, context: JudgeContext) -> str | None:
        raise ConnectionError("the model is down")


class HangingJudge(BrokenJudge):
    """A judge that never answers a diagnosis."""

    def __init__(self) -> None:
        self.asked = asyncio.Event()

    async def diagnose(self, ask: DiagnoseAsk, context: JudgeContext) -> Diagnosis | None:
        self.asked.set()
        await asyncio.Event().wait()
        return None


@pytest.fixture(scope="module")
def demo() -> Catalog:
    return load_catalog([DEMO])


async def say(tutor: Tutor, text: str, user: str = "ada") -> str:
    return "\n".join(r.text for r in await tutor.handle(Incoming("console", user, text)))


async def test_without_a_judge_every_turn_is_one_unit_of_work(
    database: Database, demo: Catalog, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    tutor = Tutor(database, demo, clock=clock, rng=random.Random(3))
    await say(tutor, "start demo")
    units = Units(database, monkeypatch)
    for text in ["je ne comprends pas", "5/12", "hint", "7/12", "same size pieces"]:
        before = units.count
        await say(tutor, text)
        assert units.count == before + 1, text


async def test_a_judge_is_asked_between_two_runs_of_the_read_unit(
    database: Database, demo: Catalog, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    units = Units(database, monkeypatch)
    judge = RecordingJudge(units, ActReading("question", None, 0.9))
    tutor = Tutor(database, demo, clock=clock, rng=random.Random(3), judge=judge)
    await say(tutor, "start demo")
    await say(tutor, "5/12")
    units.events.clear()
    reply = await say(tutor, "je ne comprends pas la question")
    assert reply.startswith("Good question.")
    # read unit (asks) -> the judge, no unit open -> read unit again, which decides and
    # writes (offline words need no await)
    assert units.events == ["unit", "read", "unit"]
    (context,) = judge.contexts[-1:]
    assert [e.role for e in context.conversation.turns] == ["learner", "tutor"]
    assert context.conversation.turns[0].text == "5/12"
    assert context.course_id == "demo" and context.user_id is not None


async def test_a_judge_that_raises_leaves_the_offline_turn(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    offline = Tutor(database, demo, clock=clock, rng=random.Random(3))
    broken = Tutor(database, demo, clock=clock, rng=random.Random(3), judge=BrokenJudge())
    for text in ["start demo", "je ne comprends pas", "5/12", "7/12", "same size pieces"]:
        assert await say(broken, text, "bob") == await say(offline, text, "ada"), text


async def test_a_judge_past_its_time_limit_leaves_the_offline_turn(
    database: Database, demo: Catalog, clock: FixedClock
) -> None:
    offline = Tutor(database, demo, clock=clock, rng=random.Random(3))
    judge = HangingJudge()
    slow = Tutor(database, demo, clock=clock, rng=random.Random(3), judge=judge, judge_timeout=0.2)
    for text in ["start demo", "5/12"]:
        assert await say(slow, text, "bob") == await say(offline, text, "ada"), text
    assert judge.asked.is_set()
