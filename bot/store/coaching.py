"""Repository functions for coach–client links, coaches' exercises and flags.

A coach-facing read takes the coach's id and returns only rows of that coach's live links
(accepted, not ended): a coach never reaches another coach's client, and loses sight of a
client the moment the link ends.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.coaching_models import (
    Assignment,
    AssignmentStep,
    CoachExercise,
    CoachFlag,
    CoachLink,
)
from bot.store.models import Dialogue, OutboxMessage, User
from bot.store.unit import core

_FLAGS = SQLModel.metadata.tables[CoachFlag.__tablename__]
OPEN_STATES = ("assigned", "started")


class LinkedPerson(NamedTuple):
    """One side of a live link, as the other side sees it."""

    link_id: int
    user_id: int
    display_name: str
    platform: str
    accepted_at: datetime
    next_session_at: datetime | None
    reminders: str


def live_link_filter() -> Any:
    """The condition a link meets while both sides see each other."""
    return col(CoachLink.accepted_at).is_not(None) & col(CoachLink.ended_at).is_(None)


def add_invite(
    session: Session, coach_id: int, code: str, now: datetime, expires_at: datetime
) -> CoachLink:
    """Store a new invite from a coach."""
    link = CoachLink(
        coach_id=coach_id, invite_code=code, created_at=now, invite_expires_at=expires_at
    )
    session.add(link)
    session.flush()
    return link


def invite_by_code(session: Session, code: str) -> CoachLink | None:
    """Find an invite (accepted or not) by its code."""
    return session.execute(
        select(CoachLink).where(col(CoachLink.invite_code) == code)
    ).scalar_one_or_none()


def accept_invite(session: Session, link_id: int, client_id: int, now: datetime) -> bool:
    """Make a pending, unexpired invite a live link; False if it was taken or has expired."""
    result = core(session).execute(
        update(CoachLink)
        .where(
            col(CoachLink.id) == link_id,
            col(CoachLink.client_id).is_(None),
            col(CoachLink.ended_at).is_(None),
            col(CoachLink.invite_expires_at) > now,
        )
        .values(client_id=client_id, accepted_at=now)
    )
    return bool(result.rowcount == 1)


def live_link(session: Session, coach_id: int, client_id: int) -> CoachLink | None:
    """Return the live link between a coach and a client, if any."""
    return session.execute(
        select(CoachLink).where(
            col(CoachLink.coach_id) == coach_id,
            col(CoachLink.client_id) == client_id,
            live_link_filter(),
        )
    ).scalar_one_or_none()


def link_for_coach(session: Session, coach_id: int, link_id: int) -> CoachLink | None:
    """Return one of the coach's live links (None for any link that is not theirs)."""
    return session.execute(
        select(CoachLink).where(
            col(CoachLink.id) == link_id, col(CoachLink.coach_id) == coach_id, live_link_filter()
        )
    ).scalar_one_or_none()


def link_for_client(session: Session, client_id: int, link_id: int) -> CoachLink | None:
    """Return one of the client's live links (None for any link that is not theirs)."""
    return session.execute(
        select(CoachLink).where(
            col(CoachLink.id) == link_id, col(CoachLink.client_id) == client_id, live_link_filter()
        )
    ).scalar_one_or_none()


def clients_of(session: Session, coach_id: int) -> list[LinkedPerson]:
    """Return the coach's clients on live links, oldest link first."""
    return _linked(session, col(CoachLink.coach_id) == coach_id, col(CoachLink.client_id))


def coaches_of(session: Session, client_id: int) -> list[LinkedPerson]:
    """Return the client's coaches on live links, oldest link first."""
    return _linked(session, col(CoachLink.client_id) == client_id, col(CoachLink.coach_id))


def _linked(session: Session, side: Any, other: Any) -> list[LinkedPerson]:
    rows = session.execute(
        select(
            col(CoachLink.id),
            col(User.id),
            col(User.display_name),
            col(User.platform),
            col(CoachLink.accepted_at),
            col(CoachLink.next_session_at),
            col(CoachLink.reminders),
        )
        .join(User, col(User.id) == other)
        .where(side, live_link_filter())
        .order_by(col(CoachLink.id))
    )
    return [LinkedPerson(*row) for row in rows]  # type: ignore[arg-type]


def end_link(session: Session, link: CoachLink, by: str, now: datetime) -> None:
    """End a link: neither side sees the other, and its open assignments are cancelled.

    A step the client was in the middle of is closed, so their next message is not taken
    as work for a coach who no longer sees it.
    """
    link.ended_at, link.ended_by, link.brief_due_at = now, by, None
    session.add(link)
    open_steps = (
        select(col(AssignmentStep.dialogue_id))
        .join(Assignment, col(Assignment.id) == col(AssignmentStep.assignment_id))
        .where(col(Assignment.link_id) == link.id, col(AssignmentStep.closed_at).is_(None))
    )
    core(session).execute(
        update(Dialogue)
        .where(col(Dialogue.id).in_(open_steps), col(Dialogue.closed_at).is_(None))
        .values(closed_at=now, updated_at=now, outcome="closed")
    )
    core(session).execute(
        update(Assignment)
        .where(col(Assignment.link_id) == link.id, col(Assignment.state).in_(OPEN_STATES))
        .values(state="cancelled", next_reminder_at=None)
    )


def add_exercise(
    session: Session,
    coach_id: int,
    title: str,
    steps: list[dict[str, Any]],
    source: str,
    now: datetime,
) -> CoachExercise:
    """Store a coach's new exercise."""
    exercise = CoachExercise(
        coach_id=coach_id, title=title, steps=steps, source=source, created_at=now, updated_at=now
    )
    session.add(exercise)
    session.flush()
    return exercise


def exercise_for_coach(session: Session, coach_id: int, exercise_id: int) -> CoachExercise | None:
    """Return one of the coach's own exercises (None for anyone else's)."""
    return session.execute(
        select(CoachExercise).where(
            col(CoachExercise.id) == exercise_id,
            col(CoachExercise.coach_id) == coach_id,
            col(CoachExercise.archived_at).is_(None),
        )
    ).scalar_one_or_none()


def exercises_of(session: Session, coach_id: int) -> list[CoachExercise]:
    """Return the coach's exercises, newest first."""
    return list(
        session.execute(
            select(CoachExercise)
            .where(
                col(CoachExercise.coach_id) == coach_id, col(CoachExercise.archived_at).is_(None)
            )
            .order_by(col(CoachExercise.id).desc())
        ).scalars()
    )


def update_exercise(
    session: Session,
    exercise: CoachExercise,
    title: str,
    steps: list[dict[str, Any]],
    now: datetime,
) -> None:
    """Change a coach's exercise; work already assigned keeps the steps it was given."""
    exercise.title, exercise.steps = title, steps
    exercise.revision += 1
    exercise.updated_at = now
    session.add(exercise)


def insert_flag(
    session: Session,
    *,
    link_id: int,
    coach_id: int,
    client_id: int,
    assignment_id: int | None,
    kind: str,
    once_key: str,
    now: datetime,
) -> bool:
    """Store a flag unless the same one was raised before; True when it is new."""
    values = {
        "link_id": link_id,
        "coach_id": coach_id,
        "client_id": client_id,
        "assignment_id": assignment_id,
        "kind": kind,
        "once_key": once_key,
        "raised_at": now,
        "seen_at": None,
    }
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(_FLAGS).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(_FLAGS).on_conflict_do_nothing()
    else:  # pragma: no cover - the two supported databases are above
        statement = insert(_FLAGS)
    return bool(core(session).execute(statement, values).rowcount == 1)


def flags_for_coach(
    session: Session, coach_id: int, client_id: int | None = None
) -> list[CoachFlag]:
    """Return flags on the coach's live links (one client's, if given), newest first."""
    query = (
        select(CoachFlag)
        .join(CoachLink, col(CoachLink.id) == col(CoachFlag.link_id))
        .where(col(CoachFlag.coach_id) == coach_id, col(CoachLink.coach_id) == coach_id)
        .where(live_link_filter())
        .order_by(col(CoachFlag.id).desc())
    )
    if client_id is not None:
        query = query.where(col(CoachFlag.client_id) == client_id)
    return list(session.execute(query).scalars())


def client_key_prefix(client_id: int) -> str:
    """The start of the outbox keys of coach messages about one client."""
    return f"coach:{client_id}:"


def forget_client_traces(session: Session, client_id: int) -> int:
    """Delete messages to coaches that quote or describe the client; return how many.

    They belong to the coach's outbox rows (not the client's), so the cascade from the
    client's row does not reach them; their keys name the client.
    """
    prefix = client_key_prefix(client_id)
    result = core(session).execute(
        delete(OutboxMessage).where(
            col(OutboxMessage.idempotency_key).startswith(prefix, autoescape=True)
        )
    )
    return int(result.rowcount or 0)


def briefs_due(session: Session, now: datetime, limit: int) -> list[CoachLink]:
    """Return live links whose pre-session brief is due, earliest first."""
    return list(
        session.execute(
            select(CoachLink)
            .where(col(CoachLink.brief_due_at) <= now, live_link_filter())
            .order_by(col(CoachLink.brief_due_at), col(CoachLink.id))
            .limit(limit)
        ).scalars()
    )


def settle_brief(session: Session, link_id: int, due_at: datetime) -> bool:
    """Mark a link's brief sent, if it is still the one read; False if it changed."""
    result = core(session).execute(
        update(CoachLink)
        .where(col(CoachLink.id) == link_id, col(CoachLink.brief_due_at) == due_at)
        .values(brief_due_at=None)
    )
    return bool(result.rowcount == 1)
