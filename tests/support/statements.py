"""Count the SQL statements units of work run: a figure that must not grow with the data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.store.db import Database

__all__ = ["counting"]


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    """Record every SQL statement the units of work run while inside."""
    engine: Any = database.units.engine if database.units else database.engine.sync_engine
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)
