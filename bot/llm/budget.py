"""Token accounting and caps: who a call is for, what it used, whether more is allowed.

The turn says whom its model calls are for with `usage_scope(user_id, course_id)`; the
client reads it from a context variable, so the calls made while wording or judging that
turn are counted for that learner and course without passing ids through every layer.
Usage is written in the background (batched), so recording it never delays a reply.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.llm.calls import CallKind, Usage
from bot.store import usage as usage_store
from bot.store.db import Database
from bot.store.types import utc_now
from bot.store.usage import UsageRow

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


class StoredUsage:
    """The usage ledger on the database: caps read from it, usage written in batches."""

    def __init__(
        self,
        database: Database,
        caps: TokenCaps = TokenCaps(),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.caps = caps
        self.clock = clock
        self._pending: list[UsageRow] = []
        self._writing: list[UsageRow] = []
        self._writer: asyncio.Task[None] | None = None

    async def allows(self, scope: UsageScope) -> bool:
        """Tell whether the learner's day and the course's month are under their caps."""
        check_learner = bool(self.caps.learner_daily) and scope.user_id is not None
        check_course = bool(self.caps.course_monthly) and scope.course_id is not None
        if not (check_learner or check_course):
            return True
        now = self.clock()
        try:
            learner, course = await self.database.run(_used, scope, now)
        except _STORE_ERRORS:
            # The caps cannot be read: the offline path is the safe answer.
            log.warning("token usage could not be read; the model is skipped for this call")
            return False
        unwritten = [*self._writing, *self._pending]
        if check_learner:
            learner += sum(_tokens(r) for r in unwritten if r.user_id == scope.user_id)
            if learner >= self.caps.learner_daily:
                return False
        if check_course:
            course += sum(_tokens(r) for r in unwritten if r.course_id == scope.course_id)
            if course >= self.caps.course_monthly:
                return False
        return True

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
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        """Write queued usage until the queue is empty."""
        while self._pending:
            self._writing, self._pending = self._pending, []
            try:
                await self.database.run(usage_store.record_usage, self._writing)
            except _STORE_ERRORS:
                log.warning("token usage of %d model calls could not be stored", len(self._writing))
            except Exception:
                log.exception("storing token usage failed")
            finally:
                self._writing = []

    async def flush(self) -> None:
        """Wait until every usage recorded so far is written."""
        while self._writer is not None and not self._writer.done():
            await self._writer

    async def close(self) -> None:
        """Write what is queued; call before the database closes."""
        await self.flush()


def _tokens(row: UsageRow) -> int:
    return row.prompt_tokens + row.completion_tokens


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
