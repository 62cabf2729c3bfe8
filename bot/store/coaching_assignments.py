"""Repository functions for assignments: the work given, its steps, reminders and notices.

The reminder sweep reads assignments by `next_reminder_at` alone (indexed), so its cost
follows what is due now, not how much work exists. A coach-facing read joins the coach's
live link: nothing of a client who ended the link, or of another coach's work, comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, bindparam, case, func, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from bot.store.coaching import OPEN_STATES, live_link_filter
from bot.store.coaching_models import Assignment, AssignmentStep, CoachLink
from bot.store.models import Dialogue, Turn, User
from bot.store.prepared import Prepared
from bot.store.unit import core

_ASSIGNMENTS = SQLModel.metadata.tables[Assignment.__tablename__]
_COACH = SQLModel.metadata.tables[User.__tablename__].alias("coach")
_SETTLE_REMINDER = Prepared(
    update(_ASSIGNMENTS)
    .where(_ASSIGNMENTS.c.id == bindparam("assignment_id"))
    .values(
        next_reminder_at=bindparam("next_at"),
        reminders_sent=bindparam("sent"),
        unanswered=bindparam("unanswered_now"),
        paused_at=bindparam("paused"),
    )
)


def _due_reminders() -> Any:
    """The sweep's read: assignments by reminder time, with their client, link and coach."""
    return (
        select(
            col(Assignment.id),
            col(Assignment.next_reminder_at),
            col(Assignment.due_at),
            col(Assignment.state),
            col(Assignment.title),
            col(Assignment.reminders_sent),
            col(Assignment.unanswered),
            col(Assignment.link_id),
            col(Assignment.coach_id),
            col(Assignment.client_id),
            col(CoachLink.reminders),
            col(CoachLink.pause_after),
            col(User.platform),
            col(User.platform_user_id),
            col(User.timezone),
            col(User.quiet_start),
            col(User.quiet_end),
            col(User.paused_until),
            col(User.snoozed_until),
            col(User.unreachable_at),
            _COACH.c.display_name,
        )
        .join(CoachLink, col(CoachLink.id) == col(Assignment.link_id))
        .join(User, col(User.id) == col(Assignment.client_id))
        .join(_COACH, _COACH.c.id == col(Assignment.coach_id))
        .where(col(Assignment.next_reminder_at) <= bindparam("now"))
        .order_by(col(Assignment.next_reminder_at), col(Assignment.id))
        .limit(bindparam("limit"))
    )


_DUE_REMINDERS = Prepared(_due_reminders())
_DUE_REMINDERS_LOCKED = Prepared(
    _due_reminders().with_for_update(skip_locked=True, of=_ASSIGNMENTS)
)


class DueReminder(NamedTuple):
    """An assignment whose reminder time has come, with what the rules need to decide."""

    assignment_id: int
    next_reminder_at: datetime
    due_at: datetime
    state: str
    title: str
    reminders_sent: int
    unanswered: int
    link_id: int
    coach_id: int
    client_id: int
    reminders: str
    pause_after: int
    platform: str
    platform_user_id: str
    timezone: str
    quiet_start: str
    quiet_end: str
    paused_until: datetime | None
    snoozed_until: datetime | None
    unreachable_at: datetime | None
    coach_name: str


class ReminderUpdate(NamedTuple):
    """What the sweep writes back to one assignment."""

    assignment_id: int
    next_at: datetime | None
    sent: int
    unanswered: int
    paused: datetime | None


class StepDialogue(NamedTuple):
    """One worked step of an assignment: its dialogue and how it ended."""

    step: int
    dialogue_id: int
    outcome: str | None
    closed_at: datetime | None


class LinkWork(NamedTuple):
    """How a coach's client stands: open, done and overdue work, and when they last worked."""

    link_id: int
    open: int
    done: int
    overdue: int
    last_active: datetime | None


def add_assignment(session: Session, assignment: Assignment) -> Assignment:
    """Store a new assignment."""
    session.add(assignment)
    session.flush()
    return assignment


def _owned_by(coach_id: int) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """The assignment is the coach's, and so is the link it was made on."""
    return col(Assignment.coach_id) == coach_id, col(CoachLink.coach_id) == coach_id


def _on_live_links(*conditions: ColumnElement[bool]) -> Select[Assignment]:
    """Assignments meeting ``conditions`` whose coach and client are still linked."""
    return (
        select(Assignment)
        .join(CoachLink, col(CoachLink.id) == col(Assignment.link_id))
        .where(*conditions, live_link_filter())
    )


def assignment_for_coach(session: Session, coach_id: int, assignment_id: int) -> Assignment | None:
    """Return one of the coach's assignments to a client still linked (None otherwise)."""
    return session.execute(
        _on_live_links(
            col(Assignment.id) == assignment_id,
            *_owned_by(coach_id),
        )
    ).scalar_one_or_none()


def assignment_for_client(
    session: Session, client_id: int, assignment_id: int
) -> Assignment | None:
    """Return one of the client's assignments on a live link (None otherwise)."""
    return session.execute(
        _on_live_links(
            col(Assignment.id) == assignment_id,
            col(Assignment.client_id) == client_id,
        )
    ).scalar_one_or_none()


def open_assignments_of_client(session: Session, client_id: int) -> list[Assignment]:
    """Return the client's open assignments on live links, the earliest due first."""
    return list(
        session.execute(
            _on_live_links(
                col(Assignment.client_id) == client_id,
                col(Assignment.state).in_(OPEN_STATES),
            ).order_by(col(Assignment.due_at), col(Assignment.id))
        ).scalars()
    )


def assignments_of_link(
    session: Session, coach_id: int, link_id: int, limit: int = 50
) -> list[Assignment]:
    """Return the assignments of one of the coach's live links, newest first."""
    return list(
        session.execute(
            _on_live_links(
                col(Assignment.link_id) == link_id,
                *_owned_by(coach_id),
            )
            .order_by(col(Assignment.id).desc())
            .limit(limit)
        ).scalars()
    )


def work_by_link(session: Session, coach_id: int, now: datetime) -> dict[int, LinkWork]:
    """Count each live link's open, done and overdue assignments for the coach's view."""
    is_open = col(Assignment.state).in_(OPEN_STATES)
    rows = session.execute(
        select(
            col(Assignment.link_id),
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((col(Assignment.state) == "done", 1), else_=0)),
            func.sum(case((is_open & (col(Assignment.due_at) < now), 1), else_=0)),
            func.max(col(Assignment.last_activity_at)),
        )
        .join(CoachLink, col(CoachLink.id) == col(Assignment.link_id))
        .where(col(Assignment.coach_id) == coach_id, live_link_filter())
        .group_by(col(Assignment.link_id))
    )
    return {
        int(link): LinkWork(int(link), int(o or 0), int(d or 0), int(late or 0), last)
        for link, o, d, late, last in rows
    }


def add_step(
    session: Session, assignment_id: int, step: int, dialogue_id: int, now: datetime
) -> None:
    """Record the dialogue a step of an assignment is worked in."""
    session.add(
        AssignmentStep(
            assignment_id=assignment_id, step=step, dialogue_id=dialogue_id, opened_at=now
        )
    )
    session.flush()


def latest_step(session: Session, assignment_id: int) -> AssignmentStep | None:
    """Return the last step opened of an assignment, if any."""
    return session.execute(
        select(AssignmentStep)
        .where(col(AssignmentStep.assignment_id) == assignment_id)
        .order_by(col(AssignmentStep.step).desc())
        .limit(1)
    ).scalar_one_or_none()


def dialogue_is_open(session: Session, dialogue_id: int) -> bool:
    """Tell whether a dialogue is still in progress."""
    closed = session.execute(
        select(col(Dialogue.closed_at)).where(col(Dialogue.id) == dialogue_id)
    ).first()
    return closed is not None and closed[0] is None


def step_of_dialogue(
    session: Session, dialogue_id: int
) -> tuple[AssignmentStep, Assignment] | None:
    """Return the assignment step worked in a dialogue, and its assignment."""
    row = session.execute(
        select(AssignmentStep, Assignment)
        .join(Assignment, col(Assignment.id) == col(AssignmentStep.assignment_id))
        .where(col(AssignmentStep.dialogue_id) == dialogue_id)
    ).first()
    return None if row is None else (row[0], row[1])


def steps_for_coach(session: Session, coach_id: int, assignment_id: int) -> list[StepDialogue]:
    """Return the worked steps of one of the coach's assignments (none for anyone else)."""
    rows = session.execute(
        select(
            col(AssignmentStep.step),
            col(AssignmentStep.dialogue_id),
            col(AssignmentStep.outcome),
            col(AssignmentStep.closed_at),
        )
        .join(Assignment, col(Assignment.id) == col(AssignmentStep.assignment_id))
        .join(CoachLink, col(CoachLink.id) == col(Assignment.link_id))
        .where(
            col(Assignment.id) == assignment_id,
            col(Assignment.coach_id) == coach_id,
            col(CoachLink.coach_id) == coach_id,
            live_link_filter(),
        )
        .order_by(col(AssignmentStep.step))
    )
    return [StepDialogue(*row) for row in rows]


def steps_of(session: Session, assignment_id: int) -> list[StepDialogue]:
    """Return an assignment's worked steps (for code that already checked who asks)."""
    rows = session.execute(
        select(
            col(AssignmentStep.step),
            col(AssignmentStep.dialogue_id),
            col(AssignmentStep.outcome),
            col(AssignmentStep.closed_at),
        )
        .where(col(AssignmentStep.assignment_id) == assignment_id)
        .order_by(col(AssignmentStep.step))
    )
    return [StepDialogue(*row) for row in rows]


def turns_of(session: Session, dialogue_ids: Sequence[int]) -> dict[int, list[Turn]]:
    """Return the transcripts of some dialogues, by dialogue, each in order."""
    found: dict[int, list[Turn]] = {i: [] for i in dialogue_ids}
    if not dialogue_ids:
        return found
    rows = session.execute(
        select(Turn)
        .where(col(Turn.dialogue_id).in_(list(dialogue_ids)))
        .order_by(col(Turn.dialogue_id), col(Turn.seq))
    )
    for turn in rows.scalars():
        found[turn.dialogue_id].append(turn)
    return found


def dialogue_states(session: Session, dialogue_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """Return the stored state of some dialogues, by id."""
    if not dialogue_ids:
        return {}
    rows = session.execute(
        select(col(Dialogue.id), col(Dialogue.state)).where(
            col(Dialogue.id).in_(list(dialogue_ids))
        )
    )
    return {int(i): dict(state or {}) for i, state in rows}


def due_reminders(session: Session, now: datetime, limit: int) -> list[DueReminder]:
    """Return up to `limit` assignments whose reminder time has come, earliest first.

    On PostgreSQL the rows are locked until the unit ends (others skip them), so a client
    working on one meanwhile waits for the sweep's write instead of being overwritten.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    query = _DUE_REMINDERS_LOCKED if postgres else _DUE_REMINDERS
    rows = core(session).execute(query, {"now": now, "limit": limit})
    return [DueReminder(*row) for row in rows]


def settle_reminders(session: Session, updates: Sequence[ReminderUpdate]) -> None:
    """Write what the sweep decided for each assignment, in one batch."""
    if updates:
        core(session).execute(
            _SETTLE_REMINDER,
            [
                {
                    "assignment_id": u.assignment_id,
                    "next_at": u.next_at,
                    "sent": u.sent,
                    "unanswered_now": u.unanswered,
                    "paused": u.paused,
                }
                for u in updates
            ],
        )


def completions_to_notify(session: Session, limit: int) -> list[Assignment]:
    """Return finished assignments whose coach, still linked, has not been told yet."""
    return list(
        session.execute(
            _on_live_links(
                col(Assignment.completed_at).is_not(None),
                col(Assignment.notified_at).is_(None),
            )
            .order_by(col(Assignment.completed_at), col(Assignment.id))
            .limit(limit)
        ).scalars()
    )


def mark_notified(session: Session, assignment_id: int, summary: str, now: datetime) -> bool:
    """Record that the coach was told of a finished assignment; False if already done."""
    result = core(session).execute(
        update(Assignment)
        .where(col(Assignment.id) == assignment_id, col(Assignment.notified_at).is_(None))
        .values(notified_at=now, summary=summary)
    )
    return bool(result.rowcount == 1)


def recent_done_for_link(
    session: Session, coach_id: int, link_id: int, limit: int = 5
) -> list[Assignment]:
    """Return the latest finished assignments of one of the coach's live links."""
    return list(
        session.execute(
            _on_live_links(
                col(Assignment.link_id) == link_id,
                col(Assignment.coach_id) == coach_id,
                col(Assignment.state) == "done",
            )
            .order_by(col(Assignment.completed_at).desc())
            .limit(limit)
        ).scalars()
    )
