"""Helpers for the statements a unit of work runs past the ORM."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.store.prepared import STATEMENTS, Statements


def core(session: Session) -> Statements:
    """Return what runs the unit's Core statements, after flushing pending ORM changes.

    A Core statement skips the ORM's autoflush; flushing first keeps what it reads
    consistent with what the unit of work has already changed.
    """
    if session.new or session.dirty or session.deleted:
        session.flush()
    # The database thread hands its units theirs; elsewhere a unit's session keeps one
    # connection until it ends: ask for it once.
    statements: Statements | None = session.info.get(STATEMENTS)
    if statements is None:
        statements = Statements(session.connection())
        session.info[STATEMENTS] = statements
    return statements
