"""Units of work on a real SQLite file: order, batches, failures, the free event loop.

Every unit runs once, in a transaction of its own: a failing unit (its own error, a
refused commit, a transaction SQLite ended) rolls back alone and is never run again.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store import users as user_store
from bot.store.db import Database
from bot.store.models import User
from tests.support.postgres import create_database_or_skip, drop_database


def add_user(session: Session, name: str) -> int:
    """A unit: create a user and return their id."""
    user = user_store.get_or_create_user(session, "console", name)
    session.flush()
    assert user.id is not None
    return user.id


def count_users(session: Session) -> int:
    """A unit: how many users are stored."""
    return int(session.execute(select(func.count()).select_from(User)).scalar_one())


class Counted:
    """A unit that adds a user and counts how many times it ran."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.runs = 0

    def __call__(self, session: Session) -> int:
        self.runs += 1
        return add_user(session, self.name)


def stored_names(session: Session) -> list[str]:
    """A unit: the names of the stored users, sorted."""
    return sorted(u.platform_user_id for u in session.execute(select(User)).scalars())


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


async def test_units_that_queue_up_go_in_one_batch_and_commit_one_by_one(
    database: Database,
) -> None:
    units = database.units
    assert units is not None
    release, held = await hold_the_thread(database)
    batches, runs = units.batches, units.units_run
    waiting = [asyncio.ensure_future(database.run(add_user, f"g{i}")) for i in range(10)]
    await asyncio.sleep(0.05)
    release.set()
    await held
    ids = await asyncio.gather(*waiting)
    assert len(set(ids)) == 10
    assert units.batches - batches < 10  # they queued up: fewer trips than units
    assert units.units_run - runs == 11  # the held unit and the ten, each run once
    assert await database.run(count_users) == 10


async def test_a_unit_sees_what_the_unit_before_it_in_its_batch_wrote(
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


async def run_queued(database: Database, *works: Callable[[Session], object]) -> list[object]:
    """Queue units behind a busy thread, so they go in one batch; their outcomes, in order."""
    release, held = await hold_the_thread(database)
    futures = [asyncio.ensure_future(database.run(work)) for work in works]
    await asyncio.sleep(0.05)
    release.set()
    await held
    return await asyncio.gather(*futures, return_exceptions=True)


def add_then_fail(session: Session) -> None:
    """A unit that writes, then raises."""
    add_user(session, "doomed")
    raise ValueError("this unit fails after writing")


async def test_a_failing_unit_fails_alone_and_the_others_are_not_run_again(
    database: Database,
) -> None:
    before, after = Counted("before"), Counted("after")
    results = await run_queued(database, before, add_then_fail, after)
    assert isinstance(results[1], ValueError)
    assert await database.run(stored_names) == ["after", "before"]  # only its write undone
    assert (before.runs, after.runs) == (1, 1)


def make_parent_and_child(session: Session) -> None:
    """A unit: two tables linked by a foreign key, apart from the tutor's own."""
    session.execute(text("CREATE TABLE parent (id INTEGER PRIMARY KEY)"))
    session.execute(text("CREATE TABLE child (parent_id INTEGER REFERENCES parent (id))"))


def add_dangling_child(session: Session) -> None:
    """A unit whose COMMIT is refused: a foreign key checked only at commit."""
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    session.execute(text("INSERT INTO child VALUES (999)"))


async def test_a_unit_whose_commit_is_refused_fails_alone_and_is_not_run_again(
    database: Database,
) -> None:
    await database.run(make_parent_and_child)
    ada, bob = Counted("ada"), Counted("bob")
    results = await run_queued(database, ada, add_dangling_child, bob)
    assert isinstance(results[1], IntegrityError)
    assert (ada.runs, bob.runs) == (1, 1)
    assert await database.run(stored_names) == ["ada", "bob"]


async def test_a_refused_commit_leaves_the_next_unit_a_clean_start(database: Database) -> None:
    await database.run(make_parent_and_child)
    for _ in range(2):  # SQLite keeps a refused COMMIT's transaction open: not for long
        with pytest.raises(IntegrityError, match="FOREIGN KEY"):
            await database.run(add_dangling_child)
    assert await database.run(add_user, "next") > 0


async def test_a_unit_whose_transaction_sqlite_ended_fails_alone(database: Database) -> None:
    def end_everything(session: Session) -> None:
        add_user(session, "ender")
        # What SQLite does itself after some I/O errors: the whole transaction is gone.
        session.connection().exec_driver_sql("ROLLBACK")
        raise OSError("disk I/O error")

    ada, bob = Counted("ada"), Counted("bob")
    results = await run_queued(database, ada, end_everything, bob)
    assert isinstance(results[1], OSError)
    assert (ada.runs, bob.runs) == (1, 1)
    assert await database.run(stored_names) == ["ada", "bob"]


@pytest.mark.parametrize("kind", ["sqlite memory", "postgresql"])
async def test_a_unit_runs_once_and_fails_alone_on_the_async_path(kind: str) -> None:
    url = "sqlite+aiosqlite://" if kind == "sqlite memory" else await create_database_or_skip()
    database = Database(url)
    try:
        await database.upgrade()
        assert database.units is None  # run through the async engine's run_sync
        ada, bob = Counted("ada"), Counted("bob")
        results = await asyncio.gather(
            *(database.run(w) for w in (ada, add_then_fail, bob)), return_exceptions=True
        )
        assert isinstance(results[1], ValueError)
        assert (ada.runs, bob.runs) == (1, 1)
        assert await database.run(stored_names) == ["ada", "bob"]
    finally:
        await database.close()
        if kind == "postgresql":
            await drop_database(url)


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
