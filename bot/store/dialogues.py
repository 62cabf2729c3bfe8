"""Repository functions for dialogues and their transcripts.

A learner's message reads and writes their open dialogue with Core statements built
once with bound parameters, into a plain `OpenDialogue`: a turn spends no time on ORM
bookkeeping or on composing SQL expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import Dialogue, Turn, User
from bot.store.unit import core

_DIALOGUES = SQLModel.metadata.tables[Dialogue.__tablename__]
_OPEN_COLUMNS = [
    _DIALOGUES.c[name]
    for name in (
        "id",
        "user_id",
        "course_id",
        "exercise_id",
        "purpose",
        "variant",
        "state",
        "stage",
        "hint_rung",
        "attempts",
        "turn_count",
        "started_at",
    )
]
_OPEN_DIALOGUE = (
    select(*_OPEN_COLUMNS)
    .where(col(Dialogue.user_id) == bindparam("user_id"), col(Dialogue.closed_at).is_(None))
    .order_by(col(Dialogue.id).desc())
    .limit(1)
)
_USER_AND_OPEN_DIALOGUE = (
    select(col(User.id), col(User.consent_at), col(User.active_course_id), *_OPEN_COLUMNS)
    .outerjoin(
        Dialogue,
        (col(Dialogue.user_id) == col(User.id)) & col(Dialogue.closed_at).is_(None),
    )
    .where(
        col(User.platform) == bindparam("platform"),
        col(User.platform_user_id) == bindparam("platform_user_id"),
    )
    .order_by(col(Dialogue.id).desc())
    .limit(1)
)
_RECENT_DIALOGUES = (
    select(
        col(Dialogue.id),
        col(Dialogue.exercise_id),
        col(Dialogue.purpose),
        col(Dialogue.outcome),
        col(Dialogue.closed_at).is_not(None),
    )
    .where(
        col(Dialogue.user_id) == bindparam("user_id"),
        col(Dialogue.course_id) == bindparam("course_id"),
    )
    .order_by(col(Dialogue.id).desc())
    .limit(bindparam("limit"))
)
_LAST_VARIANT = (
    select(col(Dialogue.variant))
    .where(
        col(Dialogue.user_id) == bindparam("user_id"),
        col(Dialogue.course_id) == bindparam("course_id"),
        col(Dialogue.exercise_id) == bindparam("exercise_id"),
    )
    .order_by(col(Dialogue.id).desc())
    .limit(1)
)
# Writes go straight to the tables: a turn needs no ORM bookkeeping.
_INSERT_TURNS = insert(SQLModel.metadata.tables[Turn.__tablename__])
_INSERT_DIALOGUE = insert(_DIALOGUES).returning(_DIALOGUES.c.id)
_SAVE_DIALOGUE = update(_DIALOGUES).where(_DIALOGUES.c.id == bindparam("dialogue_id"))


@dataclass
class OpenDialogue:
    """A dialogue in progress, as a turn reads and changes it."""

    id: int
    user_id: int
    course_id: str
    exercise_id: str
    purpose: str
    variant: dict[str, Any]
    state: dict[str, Any]
    stage: str
    hint_rung: int
    attempts: int
    turn_count: int
    started_at: datetime


class Learner(NamedTuple):
    """Who wrote a message: their id, when they consented (None: not yet), their course."""

    id: int
    consent_at: datetime | None
    active_course_id: str | None


def open_dialogue(session: Session, user_id: int) -> OpenDialogue | None:
    """Return the user's dialogue still in progress, if any."""
    row = core(session).execute(_OPEN_DIALOGUE, {"user_id": user_id}).first()
    return None if row is None else OpenDialogue(*row)


def start_dialogue(
    session: Session,
    *,
    user_id: int,
    course_id: str,
    exercise_id: str,
    variant: dict[str, Any],
    purpose: str,
    now: datetime,
    opening: str,
) -> int:
    """Create a dialogue for an exercise variant, with the opening question; return its id."""
    connection = session.connection()
    dialogue_id: int = connection.execute(
        _INSERT_DIALOGUE,
        {
            "user_id": user_id,
            "course_id": course_id,
            "exercise_id": exercise_id,
            "purpose": purpose,
            "variant": variant,
            "state": {},
            "stage": "answering",
            "hint_rung": 0,
            "attempts": 0,
            "turn_count": 1,
            "outcome": None,
            "started_at": now,
            "updated_at": now,
            "closed_at": None,
        },
    ).scalar_one()
    connection.execute(_INSERT_TURNS, [_turn_row(dialogue_id, 1, "tutor", opening, now)])
    return dialogue_id


def save_turn(
    session: Session,
    dialogue: OpenDialogue,
    changes: dict[str, Any],
    messages: list[tuple[str, str]],
    now: datetime,
) -> None:
    """Store a dialogue's changed columns and append messages (role, text) to its transcript.

    Two Core statements, whatever changed; `dialogue` is brought up to date in memory.
    """
    first = dialogue.turn_count + 1
    rows = [
        _turn_row(dialogue.id, first + i, role, text, now)
        for i, (role, text) in enumerate(messages)
    ]
    values = {**changes, "turn_count": dialogue.turn_count + len(messages), "updated_at": now}
    connection = core(session)
    connection.execute(_SAVE_DIALOGUE, {"dialogue_id": dialogue.id, **values})
    if rows:
        connection.execute(_INSERT_TURNS, rows)
    for key in ("state", "stage", "hint_rung", "attempts", "turn_count"):
        if key in values:
            setattr(dialogue, key, values[key])


def close_dialogue(session: Session, dialogue_id: int, outcome: str, now: datetime) -> None:
    """Close a dialogue without a learner turn."""
    values = {"outcome": outcome, "stage": "closed", "closed_at": now, "updated_at": now}
    core(session).execute(_SAVE_DIALOGUE, {"dialogue_id": dialogue_id, **values})


def _turn_row(dialogue_id: int, seq: int, role: str, text: str, now: datetime) -> dict[str, Any]:
    """One transcript row for a Core insert."""
    return {"dialogue_id": dialogue_id, "seq": seq, "role": role, "text": text, "created_at": now}


def user_and_open_dialogue(
    session: Session, platform: str, platform_user_id: str
) -> tuple[Learner | None, OpenDialogue | None]:
    """Find who wrote and their open dialogue, if any, in one query."""
    params = {"platform": platform, "platform_user_id": platform_user_id}
    row = core(session).execute(_USER_AND_OPEN_DIALOGUE, params).first()
    if row is None:
        return None, None
    learner = Learner(row[0], row[1], row[2])
    return learner, None if row[3] is None else OpenDialogue(*row[3:])


def transcript(session: Session, dialogue_id: int) -> list[Turn]:
    """Return a dialogue's messages in order."""
    result = session.execute(
        select(Turn).where(col(Turn.dialogue_id) == dialogue_id).order_by(col(Turn.seq))
    )
    return list(result.scalars())


class RecentDialogue(NamedTuple):
    """What choosing the next exercise needs to know of a past dialogue."""

    id: int
    exercise_id: str
    purpose: str
    outcome: str | None
    closed: bool


def recent_dialogues(
    session: Session, user_id: int, course_id: str, limit: int = 20
) -> list[RecentDialogue]:
    """Return the user's latest dialogues in a course, newest first."""
    params = {"user_id": user_id, "course_id": course_id, "limit": limit}
    rows = core(session).execute(_RECENT_DIALOGUES, params)
    return [RecentDialogue(*row) for row in rows]  # type: ignore[arg-type]


def last_variant(
    session: Session, user_id: int, course_id: str, exercise_id: str
) -> dict[str, Any] | None:
    """Return the variant the user saw last time for an exercise."""
    params = {"user_id": user_id, "course_id": course_id, "exercise_id": exercise_id}
    variant: dict[str, Any] | None = core(session).execute(_LAST_VARIANT, params).scalar()
    return variant
