"""aiosqlite with one thread hop per statement instead of four.

aiosqlite runs every call (make a cursor, execute, fetch, close) as its own round trip to
the connection's thread. On a 2-core machine each round trip costs far more than the
statement itself, so this cursor runs execute, fetch-all and close as one call in that
thread and serves the rows from memory. Nothing blocking ever runs on the event loop.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

import aiosqlite

Row = tuple[Any, ...]


class OneHopCursor:
    """A cursor whose execute runs, fetches and closes in one trip to the database thread."""

    arraysize = 1

    def __init__(self, connection: OneHopConnection) -> None:
        self._connection = connection
        self._rows: deque[Row] = deque()
        self.description: Sequence[Any] | None = None
        self.rowcount = -1
        self.lastrowid: int | None = None

    async def __aenter__(self) -> OneHopCursor:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> OneHopCursor:
        """Execute a statement and fetch all its rows, in the database thread."""
        raw = self._connection.raw

        def run() -> tuple[Any, int, int | None, list[Row]]:
            cursor = raw.cursor()
            try:
                cursor.execute(sql, tuple(parameters) if parameters is not None else ())
                rows = cursor.fetchall() if cursor.description else []
                return cursor.description, cursor.rowcount, cursor.lastrowid, rows
            finally:
                cursor.close()

        self.description, self.rowcount, self.lastrowid, rows = await self._connection.run(run)
        self._rows = deque(rows)
        return self

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> OneHopCursor:
        """Execute a statement for many parameter sets, in the database thread."""
        raw = self._connection.raw
        batch = [tuple(p) for p in seq]

        def run() -> tuple[int, int | None]:
            cursor = raw.cursor()
            try:
                cursor.executemany(sql, batch)
                return cursor.rowcount, cursor.lastrowid
            finally:
                cursor.close()

        self.description = None
        self.rowcount, self.lastrowid = await self._connection.run(run)
        self._rows.clear()
        return self

    async def fetchone(self) -> Row | None:
        """Return the next row, already fetched."""
        return self._rows.popleft() if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Row]:
        """Return up to `size` rows, already fetched."""
        count = size or self.arraysize
        return [self._rows.popleft() for _ in range(min(count, len(self._rows)))]

    async def fetchall(self) -> list[Row]:
        """Return the remaining rows, already fetched."""
        rows = list(self._rows)
        self._rows.clear()
        return rows

    async def close(self) -> None:
        """Forget the rows (the SQLite cursor was closed in the database thread)."""
        self._rows.clear()

    async def nextset(self) -> None:
        """SQLite has no further result sets."""
        return None


class OneHopConnection(aiosqlite.Connection):
    """An aiosqlite connection whose cursors take one trip per statement."""

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection (only to be used inside `run`)."""
        return self._conn

    async def run(self, function: Any) -> Any:
        """Run a function in the connection's thread."""
        return await self._execute(function)

    def cursor(self) -> OneHopCursor:  # type: ignore[override]
        """Return a cursor; making it costs no trip to the thread."""
        return OneHopCursor(self)


BUSY_TIMEOUT_SECONDS = 30.0


async def connect(path: str) -> OneHopConnection:
    """Open a SQLite file through the one-hop connection."""

    def connector() -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS)

    connection = OneHopConnection(connector, 64)
    connection._thread.daemon = True
    await connection
    return connection
