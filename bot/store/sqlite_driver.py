"""How the tutor opens a SQLite file: one busy timeout, one set of pragmas, our own BEGIN.

Four kinds of connection open the file: the async engine's (aiosqlite as SQLAlchemy
drives it, for sessions and migrations), the database thread's (units of work), the
checkpointer's and the start-up check's. All of them wait the same time for a lock
another connection holds.

The engines' connections leave transactions to SQLAlchemy (a "begin" listener), not to
the sqlite3 module: the module begins one only before a write, so a SAVEPOINT taken
before any write would become the outer transaction, and its RELEASE would commit.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy.engine import Connection

# Long enough to outlast any other writer's transaction (a sweep, a migration step); short
# enough that a lock held by something stuck becomes an honest "not saved" within seconds,
# not a database thread (and every learner queued behind it) frozen for half a minute.
BUSY_TIMEOUT_SECONDS = 10.0
BUSY_TIMEOUT_MS = round(BUSY_TIMEOUT_SECONDS * 1000)


def connect_args() -> dict[str, Any]:
    """The arguments an engine passes to `sqlite3.connect` (through aiosqlite or not)."""
    return {"timeout": BUSY_TIMEOUT_SECONDS, "isolation_level": None}


def open_file(path: str, **kwargs: Any) -> sqlite3.Connection:
    """Open a SQLite file with the sqlite3 module, with the busy timeout."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, **kwargs)


def begin(connection: Connection) -> None:
    """Begin a session's transaction; it takes the write lock at its first write."""
    connection.exec_driver_sql("BEGIN")


def set_pragmas(dbapi_connection: Any, _record: Any = None) -> None:
    """Turn on WAL, foreign keys and the busy timeout for a new engine connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # sqlite3's `timeout` set it already; said again so no other value can creep in here.
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of page cache per connection
    cursor.close()
