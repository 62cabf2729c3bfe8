"""Before the tutor uses a database: it can be reached and written, and one process migrates.

Every failure here is an operator's to fix (a setting, a server, a file's permissions), so
it becomes one plain sentence naming DATABASE_URL, never the URL's password.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import socket
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.errors import InfrastructureError, SettingsError
from bot.store import sqlite_driver

log = logging.getLogger(__name__)

EXAMPLES = "sqlite+aiosqlite:///data/tutor.db or postgresql+asyncpg://user@host:5432/dbname"
DEFAULT_PORTS: dict[str, int | str] = {"postgresql": 5432}
MIGRATION_LOCK = 74_110_002  # PostgreSQL advisory lock: one migration at a time across workers
# Errors of a connection that failed or was lost, as opposed to a bug in a statement.
CONNECTION_ERRORS = (OSError, sa_exc.OperationalError, sa_exc.InterfaceError)


@contextmanager
def plain_url_errors() -> Iterator[None]:
    """Turn a malformed URL or an unknown or missing driver into a plain SettingsError."""
    try:
        yield
    except sa_exc.NoSuchModuleError as exc:
        kind = str(exc).rpartition(":")[2].strip() or "?"
        raise SettingsError(
            f"DATABASE_URL: unknown database type '{kind}'; use {EXAMPLES}."
        ) from exc
    except sa_exc.ArgumentError as exc:  # after its subclass above
        raise SettingsError(f"DATABASE_URL: not a database URL; use {EXAMPLES}.") from exc
    except ImportError as exc:
        raise SettingsError(
            f"DATABASE_URL: the driver '{exc.name}' is not installed; use {EXAMPLES}."
        ) from exc
    except sa_exc.InvalidRequestError as exc:  # a sync driver given to the async engine
        raise SettingsError(
            f"DATABASE_URL: the driver is not an async one; use {EXAMPLES}."
        ) from exc


def where(url: URL) -> str:
    """Name the database for the operator, without its password."""
    if url.get_backend_name() == "sqlite":
        return f"the SQLite file {url.database}"
    port = url.port or DEFAULT_PORTS.get(url.get_backend_name(), "its default port")
    return f"{url.get_backend_name()} at {url.host or 'localhost'}:{port}"


def unreachable(url: URL, error: BaseException) -> InfrastructureError:
    """The sentence for a database that could not be opened or reached."""
    verb = "open" if url.get_backend_name() == "sqlite" else "connect to"
    return InfrastructureError(f"DATABASE_URL: cannot {verb} {where(url)} ({reason(url, error)}).")


def migration_failed(url: URL, error: BaseException) -> InfrastructureError:
    """The sentence for a migration stopped by the database (lost, locked, refused)."""
    return InfrastructureError(
        f"DATABASE_URL: could not migrate {where(url)} ({reason(url, error)})."
    )


def reason(url: URL, error: BaseException) -> str:
    """Say in a few words why a connection failed."""
    for cause in _chain(error):
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, TimeoutError):
            return "timed out"
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and "Connect call failed" in str(cause)
        ):
            return "connection refused"
    cause = error.orig if isinstance(error, sa_exc.DBAPIError) and error.orig else error
    text = (str(cause).strip().splitlines() or [type(cause).__name__])[0][:160]
    password = str(url.password or "")
    if len(password) >= 4:  # no driver is known to echo it; a shorter one would mangle words
        text = text.replace(password, "***")
    return text


async def check_server(engine: AsyncEngine, url: URL) -> None:
    """Connect once, and refuse a server that only takes reads (a standby)."""
    try:
        async with engine.connect() as connection:
            if url.get_backend_name() != "postgresql":
                return
            read_only = await connection.exec_driver_sql("SHOW transaction_read_only")
            if read_only.scalar() == "on":
                raise InfrastructureError(
                    f"DATABASE_URL: {where(url)} is read-only; point it at the primary server."
                )
    except (OSError, sa_exc.DBAPIError) as exc:  # refused, unknown host or database, bad login
        raise unreachable(url, exc) from exc


def check_sqlite_writable(path: str) -> None:
    """Write to the file for real, then roll back: a read-only file or folder fails here."""
    try:
        connection = sqlite_driver.open_file(path, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            (version,) = connection.execute("PRAGMA user_version").fetchone()
            # Setting the header cookie needs the write lock even to the same value.
            connection.execute(f"PRAGMA user_version = {int(version)}")
            connection.execute("ROLLBACK")
        finally:
            connection.close()
    except sqlite3.Error as exc:
        hint = (
            "; the tutor needs to write to the file and to its folder"
            if getattr(exc, "sqlite_errorname", "") in {"SQLITE_READONLY", "SQLITE_CANTOPEN"}
            else ""
        )
        raise InfrastructureError(
            f"DATABASE_URL: cannot write to the SQLite file {path} ({exc}){hint}."
        ) from exc


@asynccontextmanager
async def sqlite_migration_lock(path: str) -> AsyncIterator[None]:
    """Hold a lock file beside the database, so processes starting together migrate in turn."""
    lock_path = f"{path}.migrate-lock"
    try:
        descriptor = os.open(lock_path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InfrastructureError(
            f"DATABASE_URL: cannot write in the folder of the SQLite file {path} "
            f"({exc.strerror or exc}); the tutor needs to write to the file and to its folder."
        ) from exc
    try:
        # Waiting for another process's migration blocks: do it off the event loop.
        await asyncio.to_thread(fcntl.flock, descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error and what caused it, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
