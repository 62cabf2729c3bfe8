"""Units of work on a SQLite file: run in the database thread, committed in groups.

SQLite takes one writer at a time, so one thread with one connection runs every unit,
in the order they were submitted. The units that waited while the thread was busy run
in one transaction and are committed together (group commit): each still sees what
the ones before it wrote, and none is answered before the commit. If any unit of a
group fails, the group is rolled back and its units run again one by one, so a unit
that fails fails alone.

The thread's connection never checkpoints the write-ahead log itself (a checkpoint
syncs the file and would hold up every unit behind it): a checkpointer thread of its
own runs a passive checkpoint every second, which never blocks a writer.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from bot.store.unit_thread import Outcome, UnitThread

log = logging.getLogger(__name__)

Work = Callable[[Session], Any]


class SQLiteUnits:
    """The database thread, its connection, and group commit."""

    def __init__(self, path: str, busy_timeout: float, on_connect: Callable[..., None]) -> None:
        self.path = path
        self.engine: Engine = create_engine(
            f"sqlite:///{path}",
            connect_args={"timeout": busy_timeout},
            pool_size=1,
            max_overflow=0,
            hide_parameters=True,  # an error's text must not carry a learner's words
        )
        event.listen(self.engine, "connect", on_connect)
        event.listen(self.engine, "connect", _own_transactions)
        event.listen(self.engine, "begin", _begin_immediate)
        self._connection: Connection | None = None  # touched only in the database thread
        self.units_run = 0  # units that ran (a unit run again after its group failed counts once)
        self.commits = 0  # transactions committed: fewer than units when groups formed
        self.checkpointer = Checkpointer(path, busy_timeout)
        # Both threads start with the first unit, so nothing opens the file before the
        # start-up checks have said it can be written.
        self.thread: UnitThread[Work] | None = None
        self._closed = False
        self._starting = threading.Lock()

    async def run(self, work: Work) -> Any:
        """Run `work(session)` in the database thread; its result once it is committed."""
        return await self._started().submit(work)

    async def close(self) -> None:
        """Finish the queued units, then close the connection."""
        with self._starting:
            self._closed = True
            thread = self.thread
        if thread is None:
            self.engine.dispose()
            return
        await thread.stop()

    def _started(self) -> UnitThread[Work]:
        """The database thread, started on first use (event loops in other threads included)."""
        with self._starting:
            if self.thread is None:
                if self._closed:
                    raise RuntimeError("the database thread is stopped")
                self.checkpointer.start()
                self.thread = UnitThread("tutor-db", self._run_batch, self._close)
            return self.thread

    def _run_batch(self, works: list[Work]) -> list[Outcome]:
        """Run a batch of units, committed together when all of them succeed."""
        connection = self._connect()
        self.units_run += len(works)
        if len(works) == 1:
            self.commits += 1
            return [_alone(connection, works[0])]
        results = []
        transaction = connection.begin()
        try:
            for work in works:
                # The session joins the group's transaction: its commit only flushes.
                with Session(connection, expire_on_commit=False) as session:
                    results.append(work(session))
                    session.commit()
            transaction.commit()
        except Exception:
            if transaction.is_active:
                transaction.rollback()
            log.debug("a group of %d units failed; running them one by one", len(works))
            self.commits += len(works)
            return [_alone(connection, work) for work in works]
        except BaseException:
            if transaction.is_active:
                transaction.rollback()
            raise
        self.commits += 1
        return [(result, None) for result in results]

    def _connect(self) -> Connection:
        """The thread's connection, opened again if it was lost."""
        if self._connection is None or self._connection.invalidated:
            self._connection = self.engine.connect()
        return self._connection

    def _close(self) -> None:
        """Close the connection and the engine (in the database thread), then checkpoint."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self.engine.dispose()
        self.checkpointer.stop()


class Checkpointer:
    """A thread that moves the write-ahead log into the database file, every second."""

    INTERVAL_SECONDS = 1.0

    def __init__(self, path: str, busy_timeout: float) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.checkpoints = 0  # passive checkpoints run so far
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="tutor-checkpoint", daemon=True)

    def start(self) -> None:
        """Start checkpointing every second."""
        self._thread.start()

    def stop(self) -> None:
        """Run a last checkpoint and end the thread (if it was started)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _serve(self) -> None:
        """Checkpoint until stopped, and once more at the end."""
        try:
            connection = sqlite3.connect(self.path, timeout=self.busy_timeout)
        except sqlite3.Error:
            log.warning("WAL checkpoints are off: the database file did not open", exc_info=True)
            return
        try:
            while not self._stop.wait(self.INTERVAL_SECONDS):
                self._checkpoint(connection)
            self._checkpoint(connection)
        finally:
            connection.close()

    def _checkpoint(self, connection: sqlite3.Connection) -> None:
        """One passive checkpoint: copies what no reader still needs, never waits."""
        try:
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as exc:
            log.warning("WAL checkpoint failed: %s", exc)


def _own_transactions(dbapi_connection: Any, _record: Any) -> None:
    """Let SQLAlchemy, not the sqlite3 module, begin transactions; leave checkpoints alone.

    The sqlite3 module begins a transaction only before a write, so a SAVEPOINT taken
    before any write would become the outer transaction and its RELEASE would commit.
    """
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    """Begin each unit holding the write lock, so a read never has to upgrade to a write."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _alone(connection: Connection, work: Work) -> Outcome:
    """Run one unit in its own transaction."""
    with Session(connection, expire_on_commit=False) as session:
        try:
            result = work(session)
            session.commit()
        except BaseException as exc:  # handed to the task waiting for this unit
            session.rollback()
            return None, exc
        return result, None
