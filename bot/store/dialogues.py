"""Repository functions for dialogues and their transcripts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlmodel import col

from bot.store.models import Dialogue, Turn, User


def open_dialogue(session: Session, user_id: int) -> Dialogue | None:
    """Return the user's dialogue still in progress, if any."""
    result = session.execute(
        select(Dialogue)
        .where(col(Dialogue.user_id) == user_id, col(Dialogue.closed_at).is_(None))
        .order_by(col(Dialogue.id).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


def start_dialogue(
    session: Session,
    *,
    user_id: int,
    course_id: str,
    exercise_id: str,
    variant: dict[str, Any],
    purpose: str,
    now: datetime,
) -> Dialogue:
    """Create a new dialogue for one exercise variant."""
    dialogue = Dialogue(
        user_id=user_id,
        course_id=course_id,
        exercise_id=exercise_id,
        variant=variant,
        purpose=purpose,
        started_at=now,
        updated_at=now,
    )
    session.add(dialogue)
    session.flush()
    return dialogue


def add_turns(
    session: Session, dialogue: Dialogue, messages: list[tuple[str, str]], now: datetime
) -> None:
    """Append messages (role, text) to a dialogue's transcript in one statement."""
    assert dialogue.id is not None
    rows = []
    for role, text in messages:
        dialogue.turn_count += 1
        rows.append(
            {
                "dialogue_id": dialogue.id,
                "seq": dialogue.turn_count,
                "role": role,
                "text": text,
                "created_at": now,
            }
        )
    # A Core insert: the transcript needs no identities back, so no RETURNING per row.
    session.execute(insert(Turn), rows)
    session.add(dialogue)


def add_turn(session: Session, dialogue: Dialogue, role: str, text: str, now: datetime) -> None:
    """Append one message to a dialogue's transcript."""
    add_turns(session, dialogue, [(role, text)], now)


def user_and_open_dialogue(
    session: Session, platform: str, platform_user_id: str
) -> tuple[User | None, Dialogue | None]:
    """Load a user and their open dialogue, if any, in one query."""
    result = session.execute(
        select(User, Dialogue)
        .outerjoin(
            Dialogue,
            (col(Dialogue.user_id) == col(User.id)) & col(Dialogue.closed_at).is_(None),
        )
        .where(col(User.platform) == platform, col(User.platform_user_id) == platform_user_id)
        .order_by(col(Dialogue.id).desc())
        .limit(1)
    )
    row = result.first()
    if row is None:
        return None, None
    return row[0], row[1]


def transcript(session: Session, dialogue_id: int) -> list[Turn]:
    """Return a dialogue's messages in order."""
    result = session.execute(
        select(Turn).where(col(Turn.dialogue_id) == dialogue_id).order_by(col(Turn.seq))
    )
    return list(result.scalars())


def recent_dialogues(
    session: Session, user_id: int, course_id: str, limit: int = 20
) -> list[Dialogue]:
    """Return the user's latest dialogues in a course, newest first."""
    result = session.execute(
        select(Dialogue)
        .where(col(Dialogue.user_id) == user_id, col(Dialogue.course_id) == course_id)
        .order_by(col(Dialogue.id).desc())
        .limit(limit)
    )
    return list(result.scalars())


def exercise_outcomes(session: Session, user_id: int, course_id: str) -> dict[str, set[str]]:
    """Return, per exercise the user has closed in a course, the outcomes it was closed with."""
    result = session.execute(
        select(col(Dialogue.exercise_id), col(Dialogue.outcome)).where(
            col(Dialogue.user_id) == user_id,
            col(Dialogue.course_id) == course_id,
            col(Dialogue.closed_at).is_not(None),
        )
    )
    outcomes: dict[str, set[str]] = {}
    for exercise_id, outcome in result.all():
        outcomes.setdefault(exercise_id, set()).add(outcome or "closed")
    return outcomes


def last_variant(
    session: Session, user_id: int, course_id: str, exercise_id: str
) -> dict[str, Any] | None:
    """Return the variant the user saw last time for an exercise."""
    result = session.execute(
        select(col(Dialogue.variant))
        .where(
            col(Dialogue.user_id) == user_id,
            col(Dialogue.course_id) == course_id,
            col(Dialogue.exercise_id) == exercise_id,
        )
        .order_by(col(Dialogue.id).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()
