"""The course creator's item report: far too hard, far too easy, misconceptions never asked."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.store import dialogues as dialogue_store
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.item_report import MIN_ATTEMPTS, item_report
from bot.store.models import Turn
from tests.support.backends import BACKENDS, migrated_database

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
COURSE = "c"
MISCONCEPTIONS = {"hard": ["halved", "flipped"], "easy": ["sign"], "fine": []}


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite file, then a blank PostgreSQL database (skipped when unreachable)."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


def logs(session: Session) -> tuple[int, int]:
    """A unit: two learners' attempts and one targeted question; return their ids."""
    ids = []
    for name in ("ada", "bo"):
        user = user_store.get_or_create_user(session, "discord", name, name)
        session.flush()
        assert user.id is not None
        ids.append(user.id)
    ada, bo = ids
    at = NOW

    def attempt(user: int, item: str, credit: float, purpose: str = "practice") -> None:
        nonlocal at
        at += timedelta(minutes=1)
        row = learning_store.AttemptRow(user, COURSE, "s", item, purpose, credit, at)
        learning_store.add_attempt(session, row)

    for n in range(MIN_ATTEMPTS + 5):
        attempt(ada if n % 2 else bo, "hard", 1.0 if n < 5 else 0.0)  # mean 0.2
        attempt(ada, "easy", 1.0)
        attempt(bo, "fine", 0.7 if n % 2 else 0.4)
    for _ in range(5):
        attempt(ada, "few", 0.0)  # too few to judge
    for _ in range(40):
        attempt(bo, "easy", 0.0, "placement")  # placement answers are no practice
    dialogue_id = dialogue_store.start_dialogue(
        session,
        user_id=bo,
        course_id=COURSE,
        exercise_id="hard",
        variant={},
        purpose="practice",
        now=NOW,
        opening="?",
    )
    targeted = Turn(
        dialogue_id=dialogue_id,
        seq=2,
        role="tutor",
        text="Did you halve it?",
        move="targeted",
        misconception="halved",
    )
    session.add(targeted)
    fitted_store.save_item_ratings(
        session, COURSE, {"hard": fitted_store.ItemEstimate(1.7, 25, 0.2)}, NOW
    )
    return ada, bo


async def test_the_report_names_the_items_to_look_at(database: Database) -> None:
    ada, bo = await database.run(logs)
    report = await database.run(item_report, COURSE, MISCONCEPTIONS)

    assert [(s.exercise_id, s.verdict, s.attempts) for s in report.too_hard] == [
        ("hard", "too hard", MIN_ATTEMPTS + 5)
    ]
    assert report.too_hard[0].mean_credit == 0.2
    assert report.too_hard[0].difficulty == 1.7
    assert [(s.exercise_id, s.mean_credit, s.difficulty) for s in report.too_easy] == [
        ("easy", 1.0, None)
    ]
    # "hard" had 20 wrong answers and never met the "flipped" question; "easy" had none.
    assert report.silent_misconceptions == {"hard": ["flipped"]}

    # A cohort sees only its learners: Ada alone answered "hard" too rarely to judge it,
    # and the one targeted question was Bo's.
    cohort = await database.run(item_report, COURSE, MISCONCEPTIONS, learners=[ada])
    assert [s.exercise_id for s in cohort.too_hard] == []
    assert [s.exercise_id for s in cohort.too_easy] == ["easy"]
    assert cohort.silent_misconceptions == {"hard": ["halved", "flipped"]}
    assert (await database.run(item_report, "other", MISCONCEPTIONS)).too_easy == []
    assert bo != ada
