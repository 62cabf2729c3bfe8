"""Hot statements compiled once, run on a SQLite file straight on the sqlite3 cursor.

A learner's turn runs a handful of small statements. Through SQLAlchemy each one costs
several times what SQLite itself spends on it (an execution context, parameter
processing, a result object). A `Prepared` statement is compiled once per set of
parameter names with SQLAlchemy's own compiler and column types, and then runs as plain
SQL with positional parameters on the unit's sqlite3 connection, inside the transaction
SQLAlchemy began. Values still go through the column types (UTC datetimes, JSON) both
ways, and errors come out as SQLAlchemy's exceptions, so callers see no difference.

On any other database a `Prepared` statement runs through SQLAlchemy as usual.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

__all__ = ["STATEMENTS", "Prepared", "Rows", "Statements"]

# Where a unit's session keeps the `Statements` of its connection (Session.info).
STATEMENTS = "tutor.statements"

Params = Mapping[str, Any]
Statement = Executable  # a SELECT, INSERT, UPDATE or DELETE of Core (or SQLModel)
Processor = Callable[[Any], Any] | None


class Rows:
    """The rows a statement returned, and how many rows it changed."""

    def __init__(self, rows: list[tuple[Any, ...]], rowcount: int) -> None:
        self._rows = rows
        self.rowcount = rowcount

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)

    def all(self) -> list[tuple[Any, ...]]:
        """Every row."""
        return list(self._rows)

    def first(self) -> tuple[Any, ...] | None:
        """The first row, or None."""
        return self._rows[0] if self._rows else None

    def scalar(self) -> Any:
        """The first column of the first row, or None."""
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        """The first column of the only row; an error when there is not exactly one."""
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0][0]

    def scalars(self) -> list[Any]:
        """The first column of every row."""
        return [row[0] for row in self._rows]


@dataclass(frozen=True)
class _Plan:
    """A statement compiled for SQLite with a fixed set of parameter names."""

    sql: str
    names: tuple[str, ...]
    literals: dict[str, Any]  # values the statement carries itself (a LIMIT 1)
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...] | None  # None: the statement returns no rows

    def values(self, params: Params) -> tuple[Any, ...]:
        """The positional parameters, each through its column type."""
        out = []
        for name, process in zip(self.names, self.binds, strict=True):
            value = params[name] if name in params else self.literals[name]
            out.append(value if process is None else process(value))
        return tuple(out)

    def rows(self, cursor: sqlite3.Cursor) -> list[tuple[Any, ...]]:
        """The rows of the cursor, each value through its column type."""
        if self.results is None:
            return []
        processors = self.results
        if not any(processors):
            return cursor.fetchall()
        return [
            tuple(v if p is None else p(v) for v, p in zip(row, processors, strict=True))
            for row in cursor.fetchall()
        ]


class Prepared:
    """A Core statement, compiled once per dialect and set of parameter names."""

    def __init__(self, statement: Statement) -> None:
        self.statement = statement
        self._plans: dict[frozenset[str], _Plan] = {}

    def plan(self, dialect: Dialect, keys: frozenset[str]) -> _Plan:
        """The compiled form for these parameter names (compiled on first use)."""
        plan = self._plans.get(keys)
        if plan is None:
            plan = self._compile(dialect, keys)
            self._plans[keys] = plan
        return plan

    def _compile(self, dialect: Dialect, keys: frozenset[str]) -> _Plan:
        statement: Any = self.statement
        compiled = cast(SQLCompiler, statement.compile(dialect=dialect, column_keys=sorted(keys)))
        names = tuple(compiled.positiontup or ())
        literals = {n: v for n, v in compiled.params.items() if n not in keys}
        missing = [n for n in names if n not in keys and literals.get(n) is None]
        if missing:  # a Python-side default would be skipped here: pass every value
            raise ValueError(f"prepared statement needs values for {', '.join(missing)}")
        binds = tuple(
            compiled.binds[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names
        )
        return _Plan(str(compiled), names, literals, binds, self._results(dialect))

    def _results(self, dialect: Dialect) -> tuple[Processor, ...] | None:
        """How each returned column is read back (None: the statement returns no rows)."""
        statement: Any = self.statement
        columns = list(statement.exported_columns)  # a SELECT's columns, or RETURNING's
        if not columns:
            return None
        return tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)


class Statements:
    """Runs statements for one unit of work: prepared ones straight on SQLite's cursor."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.dialect = connection.dialect
        raw = connection.connection.dbapi_connection if self.dialect.name == "sqlite" else None
        self._sqlite = raw if isinstance(raw, sqlite3.Connection) else None

    def execute(self, statement: Prepared | Executable, params: Any = None) -> Any:
        """Run a statement with one set of parameters, or a list of them (many rows)."""
        if not isinstance(statement, Prepared):
            return self.connection.execute(statement, params)
        if self._sqlite is None:
            return self.connection.execute(statement.statement, params)
        return self._run(statement, params or {})

    def _run(self, prepared: Prepared, params: Params | Sequence[Params]) -> Rows:
        many = not isinstance(params, Mapping)
        batch: Sequence[Params] = [params] if isinstance(params, Mapping) else params
        if not batch:
            return Rows([], 0)
        plan = prepared.plan(self.dialect, frozenset(batch[0]))
        assert self._sqlite is not None
        try:
            if many:
                cursor = self._sqlite.executemany(plan.sql, [plan.values(p) for p in batch])
                return Rows([], cursor.rowcount)
            cursor = self._sqlite.execute(plan.sql, plan.values(batch[0]))
            return Rows(plan.rows(cursor), cursor.rowcount)
        except sqlite3.Error as exc:
            raise DBAPIError.instance(
                plan.sql, None, exc, sqlite3.Error, hide_parameters=True
            ) from exc
