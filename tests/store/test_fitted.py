"""The fitted learning model's store: round trips, replacing fits, claiming the weekly run."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from tests.support.backends import BACKENDS, migrated_database

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WEEK = timedelta(days=7).total_seconds()
STALE = timedelta(hours=6).total_seconds()


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite file, then a blank PostgreSQL database (skipped when unreachable)."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


def fits(session: Session, prior: float, when: datetime) -> None:
    row = fitted_store.SkillFitRow("s", fitted_store.FittedBkt(prior, 0.1, 0.2, 0.25), 30, 400)
    fitted_store.save_skill_fits(session, "c", [row], when)
    ratings = {"e": fitted_store.ItemEstimate(prior, 40, 0.5)}
    fitted_store.save_item_ratings(session, "c", ratings, when)
    fitted_store.save_memory_fit(session, "c", [prior] * 21, (1200, 80), when)


async def test_fits_round_trip_and_a_later_fit_replaces_the_earlier(database: Database) -> None:
    assert await database.run(fitted_store.skill_bkt, "c", "s") is None
    assert await database.run(fitted_store.memory_parameters, "c") is None
    await database.run(fits, 0.5, NOW)
    await database.run(fits, 0.6, NOW + timedelta(days=7))
    assert await database.run(fitted_store.skill_bkt, "c", "s") == (0.6, 0.1, 0.2, 0.25)
    assert await database.run(fitted_store.course_bkt, "c") == {"s": (0.6, 0.1, 0.2, 0.25)}
    assert await database.run(fitted_store.course_bkt, "other") == {}
    assert await database.run(fitted_store.item_ratings, "c") == {"e": (0.6, 40, 0.5)}
    assert await database.run(fitted_store.memory_parameters, "c") == (0.6,) * 21


def logged(session: Session) -> None:
    user = user_store.get_or_create_user(session, "discord", "ada", "Ada")
    session.flush()
    assert user.id is not None
    for minutes, item in ((2, "late"), (1, "early")):
        at = NOW + timedelta(minutes=minutes)
        learning_store.add_attempt(
            session, learning_store.AttemptRow(user.id, "c", "s", item, "practice", 1.0, at)
        )


async def test_attempts_are_read_in_the_order_they_came(database: Database) -> None:
    await database.run(logged)
    attempts = await database.run(fitted_store.course_attempts, "c")
    assert [item for _, _, item, _ in attempts] == ["early", "late"]


async def test_one_run_a_week_claimed_once(database: Database) -> None:
    first = await database.run(fitted_store.claim_fit_run, NOW, WEEK, STALE)
    assert first is not None
    # still running (or died): not claimed again within the stale time
    assert (
        await database.run(fitted_store.claim_fit_run, NOW + timedelta(hours=1), WEEK, STALE)
        is None
    )
    await database.run(fitted_store.finish_fit_run, first, NOW + timedelta(hours=1), 10, 1)
    later = NOW + timedelta(days=6)
    assert await database.run(fitted_store.claim_fit_run, later, WEEK, STALE) is None
    assert await database.run(fitted_store.claim_fit_run, NOW + timedelta(days=8), WEEK, STALE)
