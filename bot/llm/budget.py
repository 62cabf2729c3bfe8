"""Token accounting and caps: who a call is for, what it used, whether more is allowed.

The turn says whom its model calls are for with `usage_scope(user_id, course_id)`; the
client reads it from a context variable, so the calls made while wording or judging that
turn are counted for that learner and course without passing ids through every layer.
Usage is written in the background, a second's worth of calls at a time, so recording it
never delays a reply and costs the database one unit of work for many calls.

Checking a cap reads the database once per learner (and course) and period, then keeps a
tally: what the database held then, plus what this process has used since. So a call does
not wait on the database, and the month's sum over a busy course is not run per call. The
tally is read again after `REFRESH_SECONDS`, so what other processes on the same database
used counts too, that late at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.llm.calls import CallKind, Usage
from bot.store import usage as usage_store
from bot.store.db import Database
from bot.store.types import utc_now
from bot.store.usage import UsageRow, month_start, utc_day_start

__all__ = [
    "StoredUsage",
    "TokenCaps",
    "UsageLedger",
    "UsageScope",
    "current_scope",
    "usage_scope",
]

log = logging.getLogger(__name__)

_STORE_ERRORS = (SQLAlchemyError, sqlite3.Error, OSError)

REFRESH_SECONDS: Final = 60.0  # how old a tally may be before the database is read again
TALLIES_KEPT: Final = 8_192  # learners' days and courses' months tallied; the oldest go
# Seconds usage waits to be written with what comes in meanwhile: one unit of work for
# many calls, not one per call. Closing the ledger writes what waits at once.
WRITE_EVERY_SECONDS: Final = 1.0


@dataclass(frozen=True)
class UsageScope:
    """Whom a model call is for: the learner (a user id) and the course, when known."""

    user_id: int | None = None
    course_id: str | None = None


_NOBODY = UsageScope()
_SCOPE: ContextVar[UsageScope | None] = ContextVar("llm_usage_scope", default=None)


def current_scope() -> UsageScope:
    """Return whom the model calls made here are for."""
    return _SCOPE.get() or _NOBODY


@contextmanager
def usage_scope(user_id: int | None, course_id: str | None) -> Iterator[UsageScope]:
    """Count the model calls made inside the block for this learner and course."""
    scope = UsageScope(user_id, course_id)
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


@dataclass(frozen=True)
class TokenCaps:
    """Per-learner daily and per-course monthly token caps (0: no cap)."""

    learner_daily: int = 0
    course_monthly: int = 0


class UsageLedger(Protocol):
    """Where the client asks for room before a call and reports what the call used."""

    async def allows(self, scope: UsageScope) -> bool:
        """Tell whether a call for ``scope`` stays within its caps."""
        ...

    def record(self, scope: UsageScope, kind: CallKind, usage: Usage) -> None:
        """Note a call's usage; never blocks and never raises."""
        ...


# A learner's day or a course's month: ("learner", user id, midnight) or ("course", id, 1st).
_Period = tuple[str, int | str, datetime]


@dataclass
class _Tally:
    """Tokens of one period: as the database held them when read, and used here since."""

    stored: int
    since: int
    read_at: datetime


class StoredUsage:
    """The usage ledger on the database: caps read from it, usage written in batches."""

    def __init__(
        self,
        database: Database,
        caps: TokenCaps = TokenCaps(),
        clock: Callable[[], datetime] = utc_now,
        refresh_seconds: float = REFRESH_SECONDS,
        write_every: float = WRITE_EVERY_SECONDS,
    ) -> None:
        self.database = database
        self.caps = caps
        self.clock = clock
        self.refresh = timedelta(seconds=refresh_seconds)
        self.reads = 0  # times the caps' usage was read from the database
        self._pending: list[UsageRow] = []
        self._writing: list[UsageRow] = []
        self._writer: asyncio.Task[None] | None = None
        self.write_every = write_every
        self._hurry = asyncio.Event()  # set while a flush waits: write without waiting
        self._tallies: OrderedDict[_Period, _Tally] = OrderedDict()

    async def allows(self, scope: UsageScope) -> bool:
        """Tell whether the learner's day and the course's month are under their caps."""
        now = self.clock()
        learner = scope.user_id if self.caps.learner_daily else None
        course = scope.course_id if self.caps.course_monthly else None
        capped: list[tuple[_Period, int]] = []
        if learner is not None:
            capped.append((("learner", learner, utc_day_start(now)), self.caps.learner_daily))
        if course is not None:
            capped.append((("course", course, month_start(now)), self.caps.course_monthly))
        if not capped:
            return True
        if any(not self._fresh(period, now) for period, _ in capped):
            try:
                await self._read(UsageScope(learner, course), now)
            except _STORE_ERRORS:
                # The caps cannot be read: the offline path is the safe answer.
                log.warning("token usage could not be read; the model is skipped for this call")
                return False
        for period, cap in capped:
            tally = self._tallies.get(period)
            if tally is not None and tally.stored + tally.since >= cap:
                return False
        return True

    def _fresh(self, period: _Period, now: datetime) -> bool:
        """Tell whether the period's tally was read recently enough to go by."""
        tally = self._tallies.get(period)
        return tally is not None and timedelta(0) <= now - tally.read_at < self.refresh

    async def _read(self, scope: UsageScope, now: datetime) -> None:
        """Read the learner's day and the course's month from the database, and tally them."""
        learner, course = await self.database.run(_used, scope, now)
        self.reads += 1
        # What this process used but has not stored yet counts from the start.
        unwritten = [*self._writing, *self._pending]
        if scope.user_id is not None:
            period: _Period = ("learner", scope.user_id, utc_day_start(now))
            self._keep(period, _Tally(learner, _unwritten(unwritten, period), now))
        if scope.course_id is not None:
            period = ("course", scope.course_id, month_start(now))
            self._keep(period, _Tally(course, _unwritten(unwritten, period), now))

    def _keep(self, period: _Period, tally: _Tally) -> None:
        """Keep a tally, forgetting the least recently read past `TALLIES_KEPT`."""
        self._tallies[period] = tally
        self._tallies.move_to_end(period)
        while len(self._tallies) > TALLIES_KEPT:
            self._tallies.popitem(last=False)

    def record(self, scope: UsageScope, kind: CallKind, usage: Usage) -> None:
        """Queue a call's usage; a background task writes what is queued in one unit."""
        row = UsageRow(
            scope.user_id,
            scope.course_id,
            kind,
            usage.prompt_tokens,
            usage.completion_tokens,
            self.clock(),
        )
        self._pending.append(row)
        for period in _periods(row):
            tally = self._tallies.get(period)
            if tally is not None:
                tally.since += _tokens(row)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        """Write queued usage, what came in during `write_every` at a time, until none is left."""
        while self._pending:
            if not self._hurry.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._hurry.wait(), self.write_every)
            self._writing, self._pending = self._pending, []
            try:
                await self.database.run(usage_store.record_usage, self._writing)
            except _STORE_ERRORS:
                log.warning("token usage of %d model calls could not be stored", len(self._writing))
            except Exception:
                log.exception("storing token usage failed")
            finally:
                self._writing = []

    @property
    def writer(self) -> asyncio.Task[None] | None:
        """The task writing queued usage, while there is any."""
        return self._writer

    async def flush(self) -> None:
        """Write every usage recorded so far now, and wait until it is written."""
        self._hurry.set()
        try:
            while self._writer is not None and not self._writer.done():
                await self._writer
        finally:
            self._hurry.clear()

    async def close(self) -> None:
        """Write what is queued; call before the database closes."""
        await self.flush()


def _tokens(row: UsageRow) -> int:
    return row.prompt_tokens + row.completion_tokens


def _periods(row: UsageRow) -> list[_Period]:
    """The learner's day and the course's month a call's usage counts in."""
    periods: list[_Period] = []
    if row.user_id is not None:
        periods.append(("learner", row.user_id, utc_day_start(row.created_at)))
    if row.course_id is not None:
        periods.append(("course", row.course_id, month_start(row.created_at)))
    return periods


def _unwritten(rows: list[UsageRow], period: _Period) -> int:
    """Tokens of the rows not yet stored that count in ``period``."""
    return sum(_tokens(row) for row in rows if period in _periods(row))


def _used(session: Session, scope: UsageScope, now: datetime) -> tuple[int, int]:
    """Return the learner's tokens today and the course's this month (0 where unknown)."""
    learner = (
        usage_store.learner_tokens_today(session, scope.user_id, now)
        if scope.user_id is not None
        else 0
    )
    course = (
        usage_store.course_tokens_this_month(session, scope.course_id, now)
        if scope.course_id is not None
        else 0
    )
    return learner, course
