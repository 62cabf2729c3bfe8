"""The database: engines, units of work, sessions, and migrations applied on start.

Work on the store is a synchronous unit of work (`Database.run`): on a SQLite file it runs
in the database's own thread, all its statements in one trip there, so no statement ever
blocks the event loop. On other databases (and an in-memory SQLite) it runs through
SQLAlchemy's `run_sync` on the async driver. Async sessions (`Database.session`) run on
the async engine (aiosqlite or asyncpg) for code that awaits between statements.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager, nullcontext
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from bot.errors import InfrastructureError
from bot.store import preflight, sqlite_driver
from bot.store.sqlite_units import SQLiteUnits

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
CONNECT_TIMEOUT_SECONDS = 10.0  # a server that does not answer: say so at start, not after 60 s

P = ParamSpec("P")
T = TypeVar("T")


def make_engine(url: str) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL, foreign keys and a busy timeout.

    A malformed URL or an unknown or missing driver is a plain SettingsError.
    """
    with preflight.plain_url_errors():
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        connect_args: dict[str, Any] = {}
        if parsed.get_driver_name() == "asyncpg" and "timeout" not in parsed.query:
            connect_args["timeout"] = CONNECT_TIMEOUT_SECONDS
        return create_async_engine(
            parsed, pool_pre_ping=True, hide_parameters=True, connect_args=connect_args
        )


def _sqlite_engine(parsed: URL) -> AsyncEngine:
    """The async engine of a SQLite file, on aiosqlite as SQLAlchemy drives it."""
    database = parsed.database or ""
    if database and database != ":memory:":
        folder = Path(database).parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = "a file is in the way" if isinstance(exc, FileExistsError) else exc.strerror
            raise InfrastructureError(
                f"DATABASE_URL: cannot create the folder {folder} for the SQLite file "
                f"({why or exc})."
            ) from exc
    engine = create_async_engine(
        # Any sqlite URL works (sqlite:///x.db too): sessions need the async driver.
        parsed.set(drivername="sqlite+aiosqlite"),
        connect_args=sqlite_driver.connect_args(),
        hide_parameters=True,  # an error's text must not carry a learner's words
    )
    event.listen(engine.sync_engine, "connect", sqlite_driver.set_pragmas)
    event.listen(engine.sync_engine, "begin", sqlite_driver.begin)
    return engine


def make_units(url: str) -> SQLiteUnits | None:
    """Create the database thread that runs units of work on a SQLite file (None otherwise)."""
    parsed = make_url(url)
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or database in {"", ":memory:"}:
        return None
    return SQLiteUnits(database)


def alembic_config() -> Config:
    """Build the alembic configuration for this package's migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


class Database:
    """The engines, a session factory and units of work for one database URL."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.parsed_url = self.engine.url
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self.units = make_units(url)
        # An in-memory SQLite is one connection shared by every session: they take turns.
        memory = self.engine.dialect.name == "sqlite" and self.units is None
        self._one_at_a_time = asyncio.Lock() if memory else None

    async def run(
        self, work: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run `work(session, ...)` once, in a transaction of its own; its result once committed.

        `work` is never run a second time, here or below: no retry, no group replayed. If it
        raises, or its commit fails, everything it wrote is rolled back and the error is
        raised here; only the caller may decide to run it again. Units never share a
        transaction, so one unit's failure never touches another's work. On a SQLite file a
        unit runs in the database thread and a cancelled caller does not stop it.
        """
        if self.units is None:
            async with self.session() as session:
                return await session.run_sync(work, *args, **kwargs)

        def bound(session: Session) -> T:
            return work(session, *args, **kwargs)

        result: T = await self.units.run(bound)
        return result

    @property
    def is_sqlite(self) -> bool:
        """Tell whether this database is a SQLite file."""
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """Open a session that commits on success and rolls back on error."""
        async with self._one_at_a_time or nullcontext(), self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def upgrade(self, revision: str = "head") -> None:
        """Check the database can be reached and written, then apply migrations to `revision`.

        On a SQLite file, processes starting together take turns (a lock file beside it);
        each reads the schema's version only once it holds the lock, so the second finds
        the work done. On PostgreSQL an advisory lock does the same.
        """
        path = self.units.path if self.units is not None else None
        if path is None:
            await preflight.check_server(self.engine, self.parsed_url)
            await self._migrate("upgrade", revision)
        else:
            async with preflight.sqlite_migration_lock(path):
                await asyncio.to_thread(preflight.check_sqlite_writable, path)
                await self._migrate("upgrade", revision)
        log.info("database schema at %s", revision)

    async def _migrate(self, action: str, revision: str) -> None:
        """Run an alembic command; a connection that fails or is lost is one plain sentence."""
        try:
            async with self.engine.connect() as connection, _foreign_keys_off(connection):
                async with connection.begin():
                    await connection.run_sync(_run_alembic, action, revision)
        except preflight.CONNECTION_ERRORS as exc:
            raise preflight.migration_failed(self.parsed_url, exc) from exc

    async def downgrade(self, revision: str) -> None:
        """Undo migrations down to `revision`."""
        await self._migrate("downgrade", revision)

    async def close(self) -> None:
        """Close every pooled connection, after the units of work already started."""
        if self.units is not None:
            await self.units.close()
        await self.engine.dispose()


def _run_alembic(connection: Connection, action: str, revision: str) -> None:
    """Run an alembic command on an open connection."""
    if connection.dialect.name == "postgresql":
        # Workers starting together migrate in turn; released when the transaction ends.
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({preflight.MIGRATION_LOCK})")
    config = alembic_config()
    config.attributes["connection"] = connection
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:  # raised inside the transaction: the migration is rolled back
            raise InfrastructureError(
                f"DATABASE_URL: migrating {preflight.where(connection.engine.url)} to "
                f"{revision} would leave {len(broken)} rows whose foreign key points nowhere "
                f"(the first in table {broken[0][0]}); nothing was changed."
            )


@asynccontextmanager
async def _foreign_keys_off(connection: AsyncConnection) -> AsyncIterator[None]:
    """On SQLite, turn foreign keys off while migrating, on again afterwards.

    A migration there rebuilds a table by dropping it, and dropping a table with foreign
    keys on deletes its rows first, cascading to every row that refers to them. The
    pragma only takes effect outside a transaction, so it goes to the driver directly.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None  # an open aiosqlite connection
    async with raw.execute("PRAGMA foreign_keys=OFF"):
        pass
    try:
        yield
    finally:
        async with raw.execute("PRAGMA foreign_keys=ON"):
            pass
