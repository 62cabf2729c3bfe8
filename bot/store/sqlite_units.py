"""Units of work on a SQLite file: run in the database thread, each in its own transaction.

SQLite takes one writer at a time, so one thread with one connection runs every unit,
in the order they were submitted. The units that queued up while the thread was busy
are handed over in one batch (one trip to the thread and back), but each still commits
alone: a unit that fails rolls back alone, and no unit is ever run twice.

Committing the queued units together (group commit) was measured with the engine
benchmark and dropped. A commit here does not sync the file (WAL, synchronous=NORMAL),
so sharing one saved about a tenth of the CPU per turn only when one failing unit took
its whole group down with it; with a savepoint per unit, so that it fails alone, the
saving was gone.

The thread's connection never checkpoints the write-ahead log itself (a checkpoint
syncs the file and would hold up every unit behind it): a checkpointer thread of its
own runs a passive checkpoint every second, which never blocks a writer.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine, RootTransaction
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.store import sqlite_driver
from bot.store.prepared import STATEMENTS, Statements
from bot.store.unit_thread import Outcome, UnitThread

log = logging.getLogger(__name__)

Work = Callable[[Session], Any]


class SQLiteUnits:
    """The database thread and its connection."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.engine: Engine = create_engine(
            f"sqlite:///{path}",
            connect_args=sqlite_driver.connect_args(),
            pool_size=1,
            max_overflow=0,
            hide_parameters=True,  # an error's text must not carry a learner's words
        )
        event.listen(self.engine, "connect", sqlite_driver.set_pragmas)
        event.listen(self.engine, "connect", _no_autocheckpoint)
        event.listen(self.engine, "begin", _begin_immediate)
        self._connection: Connection | None = None  # touched only in the database thread
        self._prepared: Statements | None = None  # the same, for its statements
        self.units_run = 0  # units run so far, each once and in a transaction of its own
        self.batches = 0  # trips to the thread: fewer than units when they queued up
        self.checkpointer = Checkpointer(path)
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
        """Run the units that queued up, in order, each in its own transaction."""
        self.batches += 1
        outcomes: list[Outcome] = []
        for work in works:
            try:
                connection = self._connect()
            except Exception as exc:  # the file would not open: this unit did not run
                outcomes.append((None, exc))
                continue
            outcomes.append(_run_unit(connection, self._statements(connection), work))
            self.units_run += 1
            _end_leftover_transaction(connection)
        return outcomes

    def _connect(self) -> Connection:
        """The thread's connection, opened again if it was lost."""
        if self._connection is None or self._connection.invalidated:
            self._connection = self.engine.connect()
        return self._connection

    def _statements(self, connection: Connection) -> Statements:
        """What runs the units' Core statements on this connection (made once per connection)."""
        if self._prepared is None or self._prepared.connection is not connection:
            self._prepared = Statements(connection)
        return self._prepared

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

    def __init__(self, path: str) -> None:
        self.path = path
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

    def connect(self) -> sqlite3.Connection:
        """Open the checkpointer's own connection to the file."""
        return sqlite_driver.open_file(self.path)

    def _serve(self) -> None:
        """Checkpoint until stopped, and once more at the end."""
        try:
            connection = self.connect()
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


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    """Leave checkpoints to the checkpointer thread."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _begin_immediate(connection: Connection) -> None:
    """Begin each unit holding the write lock, so a read never has to upgrade to a write."""
    raw = cast(sqlite3.Connection, connection.connection.dbapi_connection)
    raw.execute("BEGIN IMMEDIATE")


def _run_unit(connection: Connection, statements: Statements, work: Work) -> Outcome:
    """Run one unit in its own transaction: its result once committed, or what it raised.

    The transaction belongs to the connection; the unit's session joins it (and only
    flushes into it), so a unit that runs Core statements alone never pays for the ORM's
    transaction bookkeeping.
    """
    try:
        transaction = connection.begin()
    except BaseException as exc:  # the write lock was not to be had: this unit did not run
        return None, exc
    with Session(
        connection, expire_on_commit=False, join_transaction_mode="rollback_only"
    ) as session:
        session.info[STATEMENTS] = statements
        try:
            result = work(session)
            session.flush()
            transaction.commit()
        except BaseException as exc:  # handed to the task waiting for this unit
            _roll_back(transaction)
            return None, exc
        return result, None


def _roll_back(transaction: RootTransaction) -> None:
    """Roll back a failed unit's work; SQLite may have rolled it back already."""
    try:  # also what ends a transaction whose COMMIT failed, as far as SQLAlchemy knows
        transaction.rollback()
    except SQLAlchemyError:  # the transaction is gone, and the unit's work with it
        log.debug("a failed unit's transaction was already gone", exc_info=True)


def _end_leftover_transaction(connection: Connection) -> None:
    """Roll back what SQLite still holds open after a failed COMMIT, which SQLAlchemy let go.

    A COMMIT refused (a deferred constraint, a busy database) leaves SQLite's transaction
    open; the next unit's BEGIN would fail on it.
    """
    if connection.invalidated or connection.in_transaction():
        return
    raw = cast(sqlite3.Connection, connection.connection.dbapi_connection)
    if not raw.in_transaction:
        return
    try:
        raw.rollback()
    except sqlite3.Error:
        log.warning("a failed transaction could not be rolled back; reconnecting", exc_info=True)
        connection.invalidate()
