"""Repository functions for dialogues and their transcripts.

A learner's message reads and writes their open dialogue with Core statements built
once with bound parameters, into a plain `OpenDialogue`: a turn spends no time on ORM
bookkeeping or on composing SQL expressions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.models import Dialogue, Turn, User
from bot.store.prepared import Prepared
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
        "turn_count",
        "started_at",
    )
]
_OPEN_DIALOGUE = Prepared(
    select(*_OPEN_COLUMNS)
    .where(col(Dialogue.user_id) == bindparam("user_id"), col(Dialogue.closed_at).is_(None))
    .order_by(col(Dialogue.id).desc())
    .limit(1)
)
_USER_AND_OPEN_DIALOGUE = Prepared(
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
_RECENT_DIALOGUES = Prepared(
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
_LAST_VARIANT = Prepared(
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
_INSERT_TURNS = Prepared(insert(SQLModel.metadata.tables[Turn.__tablename__]))
_INSERT_DIALOGUE = Prepared(insert(_DIALOGUES).returning(_DIALOGUES.c.id))
_SAVE_DIALOGUE = Prepared(update(_DIALOGUES).where(_DIALOGUES.c.id == bindparam("dialogue_id")))
# A turn is written only on the version of the dialogue it was decided on.
_SAVE_TURN_STATE = Prepared(
    update(_DIALOGUES).where(
        _DIALOGUES.c.id == bindparam("dialogue_id"),
        _DIALOGUES.c.turn_count == bindparam("version"),
        _DIALOGUES.c.closed_at.is_(None),
    )
)


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
    turn_count: int
    started_at: datetime

    @property
    def stage(self) -> str:
        """Where the dialogue stands: answering, reflecting or closed."""
        return str(self.state.get("stage", "answering"))

    @property
    def hint_rung(self) -> int:
        """The highest rung of the hint ladder reached."""
        return int(self.state.get("hint_rung", 0))


@dataclass(frozen=True)
class TurnRecord:
    """One learner message and the tutor's reply, with the move beside the words."""

    learner_text: str
    tutor_text: str
    move: str
    verdict: str | None = None
    misconception: str | None = None
    rung: int | None = None
    criterion: int | None = None


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
    connection = core(session)
    dialogue_id: int = connection.execute(
        _INSERT_DIALOGUE,
        {
            "user_id": user_id,
            "course_id": course_id,
            "exercise_id": exercise_id,
            "purpose": purpose,
            "variant": variant,
            "state": {},
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
    state: dict[str, Any],
    record: TurnRecord,
    now: datetime,
    outcome: str | None = None,
) -> bool:
    """Store a turn and the dialogue's new state; False if the dialogue moved on meanwhile.

    The dialogue is written only if its turn count is still the one read (nothing else
    took a turn since, and it is still open); `outcome` closes it. `dialogue` is brought
    up to date in memory.
    """
    version = dialogue.turn_count
    values: dict[str, Any] = {"state": state, "turn_count": version + 2, "updated_at": now}
    if outcome is not None:
        values.update(outcome=outcome, closed_at=now)
    connection = core(session)
    params = {"dialogue_id": dialogue.id, "version": version, **values}
    if connection.execute(_SAVE_TURN_STATE, params).rowcount != 1:
        return False
    learner = _turn_row(dialogue.id, version + 1, "learner", record.learner_text, now)
    learner["verdict"] = record.verdict
    tutor = _turn_row(dialogue.id, version + 2, "tutor", record.tutor_text, now)
    tutor.update(
        move=record.move,
        misconception=record.misconception,
        rung=record.rung,
        criterion=record.criterion,
    )
    connection.execute(_INSERT_TURNS, [learner, tutor])
    dialogue.state, dialogue.turn_count = state, version + 2
    return True


def close_dialogue(session: Session, dialogue_id: int, outcome: str, now: datetime) -> None:
    """Close a dialogue without a learner turn."""
    values = {"outcome": outcome, "closed_at": now, "updated_at": now}
    core(session).execute(_SAVE_DIALOGUE, {"dialogue_id": dialogue_id, **values})


def retell_opening(session: Session, dialogue_id: int, original: str, retold: str) -> bool:
    """Replace an open dialogue's opening problem with its re-told words; False if it moved on.

    The opening is marked `reframed` so a reader of the transcript knows it was re-told.
    """
    still_open = (
        select(col(Dialogue.id))
        .where(col(Dialogue.id) == dialogue_id, col(Dialogue.closed_at).is_(None))
        .scalar_subquery()
    )
    result = session.execute(
        update(Turn)
        .where(
            col(Turn.dialogue_id) == still_open,
            col(Turn.seq) == 1,
            col(Turn.role) == "tutor",
            col(Turn.text) == original,
        )
        .values(text=retold, move="reframed")
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def _turn_row(dialogue_id: int, seq: int, role: str, text: str, now: datetime) -> dict[str, Any]:
    """One transcript row for a Core insert (every column, so rows batch as one statement)."""
    return {
        "dialogue_id": dialogue_id,
        "seq": seq,
        "role": role,
        "text": text,
        "move": None,
        "misconception": None,
        "rung": None,
        "criterion": None,
        "verdict": None,
        "created_at": now,
    }


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


def misconception_counts(
    session: Session, course_id: str, since: datetime
) -> list[tuple[str, int]]:
    """Return how often learners of a course hit each misconception since ``since``, most first."""
    hits = func.count(col(Turn.id))
    query = (
        select(col(Turn.misconception), hits)
        .join(Dialogue, col(Dialogue.id) == col(Turn.dialogue_id))
        .where(
            col(Dialogue.course_id) == course_id,
            col(Turn.misconception).is_not(None),
            col(Turn.created_at) >= since,
        )
        .group_by(col(Turn.misconception))
        .order_by(hits.desc(), col(Turn.misconception))
    )
    return [(str(name), int(count)) for name, count in session.execute(query)]
