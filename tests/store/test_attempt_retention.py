"""The attempt log's retention: old attempts deleted in batches, the fit reads the window only.

On a real SQLite file (the store tests on PostgreSQL too, where one is reachable): old rows
go and new ones stay, a backlog goes a bounded batch per unit of work, 0 keeps
everything, the fit never reads past the window, and no learner's mastery, card or
progress changes when the evidence behind it is deleted.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.content.catalog import Catalog
from bot.runtime import open_root
from bot.scheduling.jobs import prune_old_attempts
from bot.services.fitting_service import fit_parameters, run_fit
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store import attempt_retention
from bot.store import fitted as fitted_store
from bot.store import learning as learning_store
from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import Attempt, Mastery, ReviewCard, ReviewLog
from tests.conftest import CONTENT, ROOT, FixedClock
from tests.services.test_fitting_service import COURSE, learners, log_into_file, simulated_log
from tests.services.test_learning_flow import joined, open_exercise, send
from tests.support.backends import BACKENDS, migrated_database

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
KEEP = 365
DEMO = ROOT / "tests" / "demo_courses"


@pytest.fixture(params=BACKENDS)
async def any_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A SQLite file, then a blank PostgreSQL database (skipped when unreachable)."""
    async with migrated_database(request.param, tmp_path) as db:
        yield db


def logged_at(session: Session, rows: list[tuple[str, str, datetime]]) -> None:
    """A unit: one learner's attempts, each (course, exercise, when)."""
    user = user_store.get_or_create_user(session, "console", "ada", "Ada")
    session.flush()
    assert user.id is not None
    for course, item, at in rows:
        row = learning_store.AttemptRow(user.id, course, "s", item, "practice", 1.0, at)
        learning_store.add_attempt(session, row)


def kept(session: Session) -> list[tuple[str, str]]:
    """A unit: the (course, exercise) of every attempt left, in order."""
    rows = session.execute(
        select(col(Attempt.course_id), col(Attempt.exercise_id)).order_by(
            col(Attempt.course_id), col(Attempt.id)
        )
    )
    return [(str(c), str(e)) for c, e in rows]


def attempt_count(session: Session) -> int:
    """A unit: how many attempts the log holds."""
    return int(session.execute(select(func.count()).select_from(Attempt)).scalar_one())


def counting_units(database: Database, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record what each delete unit run on `database` removed, in order."""
    removed: list[int] = []
    run = database.run

    async def counted(work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        result = await run(work, *args, **kwargs)
        if work is attempt_retention.delete_attempts_before:
            removed.append(result)
        return result

    monkeypatch.setattr(database, "run", counted)
    return removed


async def test_old_attempts_go_and_new_ones_stay(any_database: Database) -> None:
    since = attempt_retention.kept_since(NOW, KEEP)
    assert since == NOW - timedelta(days=KEEP)
    await any_database.run(
        logged_at,
        [
            ("c", "ancient", NOW - timedelta(days=900)),
            ("c", "old", since - timedelta(seconds=1)),
            ("c", "edge", since),  # exactly at the window's start: kept
            ("c", "recent", NOW - timedelta(days=3)),
            ("d", "old", NOW - timedelta(days=400)),
            ("d", "recent", NOW - timedelta(days=1)),
            ("e", "old", NOW - timedelta(days=366)),
        ],
    )
    # the fit's read keeps to the same window before any prune
    windowed = await any_database.run(fitted_store.course_attempts, "c", since)
    assert [item for _, _, item, _ in windowed] == ["edge", "recent"]
    assert len(await any_database.run(fitted_store.course_attempts, "c")) == 4
    removed = await attempt_retention.prune_attempts_before(any_database, since)
    assert removed == 4
    assert await any_database.run(kept) == [("c", "edge"), ("c", "recent"), ("d", "recent")]
    # a second run finds nothing more
    assert await attempt_retention.prune_attempts_before(any_database, since) == 0
    assert await any_database.run(attempt_retention.attempt_courses) == ["c", "d"]


def backlog(session: Session, old: int, new: int) -> None:
    """A unit: `old` attempts a year and more old, then `new` recent ones, at one course."""
    user = user_store.get_or_create_user(session, "console", "bo", "Bo")
    session.flush()
    assert user.id is not None
    for n in range(old):
        at = NOW - timedelta(days=KEEP + 1, minutes=n)
        learning_store.add_attempt(
            session, learning_store.AttemptRow(user.id, "c", "s", f"o{n}", "practice", 0.0, at)
        )
    for n in range(new):
        at = NOW - timedelta(days=1, minutes=n)
        learning_store.add_attempt(
            session, learning_store.AttemptRow(user.id, "c", "s", f"n{n}", "practice", 1.0, at)
        )


async def test_a_backlog_larger_than_a_batch_goes_in_several_bounded_units(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = attempt_retention.PRUNE_BATCH
    await database.run(backlog, 2 * batch + 7, 5)
    removed = counting_units(database, monkeypatch)
    since = attempt_retention.kept_since(NOW, KEEP)
    assert since is not None
    assert await attempt_retention.prune_attempts_before(database, since) == 2 * batch + 7
    assert removed == [batch, batch, 7]  # never more than one batch in a unit
    assert await database.run(attempt_count) == 5


async def test_a_small_batch_prunes_every_course_to_the_end(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        (course, f"{course}{n}", NOW - timedelta(days=400 + n)) for course in "ab" for n in range(5)
    ]
    await database.run(logged_at, rows)
    removed = counting_units(database, monkeypatch)
    assert await attempt_retention.prune_attempts_before(database, NOW, batch=2) == 10
    assert removed == [2, 2, 1, 2, 2, 1]
    assert await database.run(attempt_count) == 0


async def test_zero_keeps_every_attempt(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await database.run(backlog, 3, 2)
    assert attempt_retention.kept_since(NOW, 0) is None
    with caplog.at_level(logging.INFO, logger="bot.scheduling.jobs"):
        assert await prune_old_attempts(database, FixedClock(NOW), 0) == 0
    assert await database.run(attempt_count) == 5
    assert "retention" not in caplog.text


async def test_the_job_prunes_the_window_and_logs_one_count(
    database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await database.run(backlog, 3, 2)
    with caplog.at_level(logging.INFO, logger="bot.scheduling.jobs"):
        assert await prune_old_attempts(database, FixedClock(NOW), KEEP) == 3
    assert await database.run(attempt_count) == 2
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.scheduling.jobs"]
    assert lines == [f"retention: 3 attempt(s) older than {KEEP} days removed"]


def test_the_window_refuses_a_naive_time_and_a_negative_count() -> None:
    with pytest.raises(ValueError, match="naive"):
        attempt_retention.kept_since(datetime(2026, 3, 2), KEEP)  # noqa: DTZ001
    with pytest.raises(ValueError, match="keep_days"):
        attempt_retention.kept_since(NOW, -1)


def test_the_setting_defaults_to_a_year_and_refuses_a_negative_count() -> None:
    assert Settings(_env_file=None).attempts_keep_days == 365  # type: ignore[call-arg]
    assert Settings(_env_file=None, attempts_keep_days=0).attempts_keep_days == 0  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="greater than or equal to 0"):
        Settings(_env_file=None, attempts_keep_days=-1)  # type: ignore[call-arg]


async def test_the_fit_reads_only_the_window_even_before_the_prune(
    database: Database, catalog: Catalog, clock: FixedClock
) -> None:
    ids = await database.run(learners, 40)
    old = await database.run(simulated_log, ids, clock() - timedelta(days=KEEP + 30))
    recent_ids = await database.run(learners, 3, "new")
    recent = await database.run(simulated_log, recent_ids, clock() - timedelta(days=5), 7)

    windowed = await fit_parameters(database, catalog, clock(), keep_days=KEEP)
    by_course = {c.course_id: c for c in windowed.courses}
    assert by_course[COURSE].attempts == recent == windowed.attempts
    assert windowed.skills_fitted == 0  # 3 recent learners are too few: the old 40 were not read
    assert await database.run(attempt_count) == old + recent  # reading deletes nothing

    everything = await fit_parameters(database, catalog, clock(), keep_days=0)
    assert everything.attempts == old + recent and everything.skills_fitted == 1


def test_tutor_fit_reads_only_the_settings_window(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}"
    long_ago = datetime(2000, 1, 3, 9, 0, tzinfo=UTC)  # far older than a year, whenever run
    asyncio.run(log_into_file(url, long_ago))
    settings = Settings(_env_file=None, database_url=url, content_dir=CONTENT)  # type: ignore[call-arg]
    assert settings.attempts_keep_days == KEEP
    printed: list[str] = []
    assert run_fit(settings, echo=printed.append) == 0
    assert f"{COURSE}: 0 graded attempts" in printed


def learner_state(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """A unit: every learner's mastery rows, review cards and review logs, as plain rows."""
    mastery = session.execute(select(Mastery).order_by(col(Mastery.id))).scalars()
    cards = session.execute(select(ReviewCard).order_by(col(ReviewCard.id))).scalars()
    logs = session.execute(select(ReviewLog).order_by(col(ReviewLog.id))).scalars()
    return {
        "mastery": [tuple(m.model_dump().items()) for m in mastery],
        "cards": [tuple(c.model_dump().items()) for c in cards],
        "logs": [tuple(r.model_dump().items()) for r in logs],
    }


async def test_pruning_leaves_mastery_cards_and_progress_as_they_were(
    tutor: Tutor, clock: FixedClock
) -> None:
    database = tutor.database
    await send(tutor, f"start {COURSE}")
    await send(tutor, "idk")  # placement: from the beginning
    for _ in range(3):  # solve it, give up on the reflection, go on
        _, _, answer = await open_exercise(tutor)
        for words in (answer, "idk", "idk", "next"):
            await send(tutor, words)
    assert await database.run(attempt_count) >= 3
    clock.advance(days=KEEP + 10)
    before = await database.run(learner_state)
    progress = joined(await send(tutor, "progress"))
    assert before["mastery"] and before["cards"]

    assert await prune_old_attempts(database, clock, KEEP) >= 3
    assert await database.run(attempt_count) == 0
    assert await database.run(learner_state) == before
    assert joined(await send(tutor, "progress")) == progress


@pytest.mark.parametrize(("keep", "registered"), [(KEEP, 1), (0, 0)])
async def test_the_daily_job_is_registered_only_when_attempts_expire(
    tmp_path: Path, keep: int, registered: int
) -> None:
    wanted = Settings(  # type: ignore[call-arg]
        _env_file=None,
        discord_token=None,
        slack_bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'tutor.db'}",
        content_dir=DEMO,
        attempts_keep_days=keep,
    )
    async with open_root(wanted, DEMO) as built:
        jobs = [job for job in built.jobs if job.name == "attempt-retention"]
        assert len(jobs) == registered
        for job in jobs:
            assert job.seconds == 24 * 3600
            assert await job.run() == 0  # a fresh database: nothing to prune
