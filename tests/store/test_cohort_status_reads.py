"""The status reads on both databases: misses since the last good attempt, misconceptions
from the tutor's moves, activity, overdue reviews and item counts, all for current members
only and nothing for anyone but the cohort's staff."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.store import cohorts as cohort_store
from bot.store import cohorts_members as member_store
from bot.store import cohorts_status as reads
from bot.store import dialogues as dialogue_store
from bot.store import learning as learning_store
from bot.store.db import Database
from bot.store.models import ReviewCard, Turn
from tests.store.test_cohort_store import COURSE, NOW, cohort, person
from tests.support.backends import BACKENDS, migrated_database


def ago(hours: float) -> datetime:
    """A time this many hours before NOW."""
    return NOW - timedelta(hours=hours)


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite file, then a blank PostgreSQL database (skipped when unreachable)."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


def work(session: Session) -> dict[str, int]:
    """A cohort with Ada (three misses after a success, a targeted question), Bo (two misses,
    an overdue card) and Cy, who left; another cohort's Tom with misses of his own."""
    ids = {name: person(session, name) for name in ("maya", "ada", "bo", "cy", "tom", "eve")}
    ids["c1"] = cohort(session, ids["maya"])
    ids["c2"] = cohort(session, ids["eve"], channel="chan-2")
    for name in ("ada", "bo", "cy"):
        member_store.add_member(session, ids["c1"], ids[name], NOW)
    member_store.add_member(session, ids["c2"], ids["tom"], NOW)
    member_store.leave_cohort(session, ids["c1"], ids["cy"], NOW)

    def attempt(name: str, credit: float, hours_ago: float, purpose: str = "practice") -> None:
        at = NOW - timedelta(hours=hours_ago)
        row = learning_store.AttemptRow(
            ids[name], COURSE, "add-like-fractions", "add-like", purpose, credit, at
        )
        learning_store.add_attempt(session, row)

    for credit, hours in ((0.0, 9), (1.0, 8), (0.0, 7), (0.4, 6), (0.1, 5)):
        attempt("ada", credit, hours)
    attempt("ada", 0.0, 4, "placement")  # placement is no practice
    for name in ("bo", "bo", "cy", "cy", "cy", "tom", "tom", "tom"):
        attempt(name, 0.0, 3)
    dialogue = dialogue_store.start_dialogue(
        session,
        user_id=ids["ada"],
        course_id=COURSE,
        exercise_id="add-like",
        variant={},
        purpose="practice",
        now=NOW - timedelta(hours=6),
        opening="?",
    )
    for seq, move in ((2, "targeted"), (4, "reply_heard"), (6, "targeted")):
        session.add(
            Turn(
                dialogue_id=dialogue,
                seq=seq,
                role="tutor",
                text="…",
                move=move,
                misconception="added-denominators",
                created_at=NOW - timedelta(hours=6 - seq / 2),
            )
        )
    session.add(
        ReviewCard(
            user_id=ids["bo"], course_id=COURSE, exercise_id="add-like", due=NOW - timedelta(1)
        )
    )
    return ids


async def test_status_reads_count_the_cohorts_current_members_only(database: Database) -> None:
    ids = await database.run(work)
    scope = cohort_store.StaffScope(ids["maya"], ids["c1"], "discord", "guild-1")

    def read(session: Session, s: cohort_store.StaffScope) -> tuple[object, ...]:
        return (
            sorted(reads.stuck_runs(session, s, COURSE, 0.5, 2)),
            reads.misconception_hits(session, s, COURSE, NOW - timedelta(days=1)),
            reads.last_active(session, s, COURSE),
            reads.overdue_reviews(session, s, COURSE, NOW),
            reads.item_counts(session, s, COURSE),
        )

    stuck, hits, active, overdue, items = await database.run(read, scope)
    assert stuck == [
        reads.StuckRun(ids["ada"], "add-like-fractions", 3, ago(7), ago(5)),
        reads.StuckRun(ids["bo"], "add-like-fractions", 2, ago(3), ago(3)),
    ]
    assert hits == [reads.MisconceptionHit(ids["ada"], "add-like", "added-denominators", 2, ago(3))]
    assert active == {ids["ada"]: ago(6)}
    assert overdue == {ids["bo"]: 1}
    assert [(i.exercise_id, i.attempts) for i in items] == [("add-like", 7)]
    assert items[0].mean_credit == pytest.approx(1.5 / 7)
    outsider = cohort_store.StaffScope(ids["eve"], ids["c1"], "discord", "guild-1")
    assert await database.run(read, outsider) == ([], [], {}, {}, [])
