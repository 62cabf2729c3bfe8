"""Helpers for the statements a unit of work runs past the ORM."""

from __future__ import annotations

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session


def core(session: Session) -> Connection:
    """Return the session's connection for a Core statement, after flushing pending ORM changes.

    A Core statement skips the ORM's autoflush; flushing first keeps what it reads
    consistent with what the unit of work has already changed.
    """
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection()
