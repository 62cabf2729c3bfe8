"""Units of work on a real SQLite file: order, group commit, failures, the free event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import User


def add_user(session: Session, name: str) -> int:
    """A unit: create a user and return their id."""
    user = user_store.get_or_create_user(session, "console", name)
    session.flush()
    assert user.id is not None
    return user.id


def count_users(session: Session) -> int:
    """A unit: how many users are stored."""
    return int(session.execute(select(func.count()).select_from(User)).scalar_one())


async def hold_the_thread(database: Database) -> tuple[threading.Event, asyncio.Future[None]]:
    """Keep the database thread busy until the returned event is set, so units queue up."""
    started, release = threading.Event(), threading.Event()

    def wait(_session: Session) -> None:
        started.set()
        release.wait(5)

    held = asyncio.ensure_future(database.run(wait))
    await asyncio.to_thread(started.wait, 5)
    return release, held


async def test_units_run_in_order_and_each_caller_gets_its_own_result(
    database: Database,
) -> None:
    names = [f"learner-{i}" for i in range(40)]
    ids = await asyncio.gather(*(database.run(add_user, name) for name in names))
    assert ids == sorted(ids)  # submitted in this order, run in this order
    stored = await database.run(
        lambda s: {u.platform_user_id: u.id for u in s.execute(select(User)).scalars()}
    )
    assert [stored[name] for name in names] == ids


async def test_units_that_queue_up_are_committed_together(database: Database) -> None:
    units = database.units
    assert units is not None
    release, held = await hold_the_thread(database)
    commits_before = units.commits
    waiting = [asyncio.ensure_future(database.run(add_user, f"g{i}")) for i in range(10)]
    await asyncio.sleep(0.05)
    release.set()
    await held
    ids = await asyncio.gather(*waiting)
    assert len(set(ids)) == 10
    assert units.commits - commits_before < 10  # at least one group shared a commit
    assert await database.run(count_users) == 10


async def test_a_unit_sees_what_the_unit_before_it_in_its_group_wrote(
    database: Database,
) -> None:
    release, held = await hold_the_thread(database)
    first = asyncio.ensure_future(database.run(add_user, "ada"))
    second = asyncio.ensure_future(
        database.run(lambda s: user_store.get_user(s, "console", "ada") is not None)
    )
    await asyncio.sleep(0.05)
    release.set()
    await held
    assert await first
    assert await second is True


async def test_a_failing_unit_fails_alone_and_its_group_is_kept(database: Database) -> None:
    def add_then_fail(session: Session) -> None:
        add_user(session, "doomed")
        raise ValueError("this unit fails after writing")

    release, held = await hold_the_thread(database)
    before = asyncio.ensure_future(database.run(add_user, "before"))
    failing = asyncio.ensure_future(database.run(add_then_fail))
    after = asyncio.ensure_future(database.run(add_user, "after"))
    await asyncio.sleep(0.05)
    release.set()
    await held
    await before
    await after
    with pytest.raises(ValueError, match="fails after writing"):
        await failing
    names = await database.run(
        lambda s: sorted(u.platform_user_id for u in s.execute(select(User)).scalars())
    )
    assert names == ["after", "before"]  # the failed unit's write was rolled back, alone


async def test_the_event_loop_runs_while_a_unit_works(database: Database) -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    def slow(session: Session) -> int:
        time.sleep(0.3)  # in the database thread, never on the event loop
        return count_users(session)

    task = asyncio.create_task(ticker())
    assert await database.run(slow) == 0
    task.cancel()
    assert ticks >= 10


async def test_a_cancelled_caller_leaves_the_thread_working(database: Database) -> None:
    release, held = await hold_the_thread(database)
    abandoned = asyncio.ensure_future(database.run(add_user, "gone-away"))
    await asyncio.sleep(0.01)
    abandoned.cancel()
    release.set()
    await held
    assert await database.run(add_user, "next") > 0
    # the abandoned unit still ran to its end: nothing is half written
    assert await database.run(count_users) == 2


async def test_close_finishes_queued_units_and_checkpoints_the_log(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'close.db'}")
    await database.upgrade()
    units = database.units
    assert units is not None
    queued = [asyncio.ensure_future(database.run(add_user, f"c{i}")) for i in range(20)]
    await asyncio.sleep(0)  # the tasks start and queue their units
    await database.close()
    assert all(task.done() and not task.exception() for task in queued)
    assert units.checkpointer.checkpoints >= 1  # the last one runs on close
    reopened = Database(f"sqlite+aiosqlite:///{tmp_path / 'close.db'}")
    assert await reopened.run(count_users) == 20
    await reopened.close()
    with pytest.raises(RuntimeError, match="stopped"):
        await database.run(count_users)
