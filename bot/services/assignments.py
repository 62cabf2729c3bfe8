"""Assignments: a coach gives a client an exercise with a due date and a note; the client
works it step by step as tutoring dialogues; finishing it leaves a notice for the coach.

`after_step` is what the exercise flow calls when a coaching dialogue ends (the seam with
the tutor, see `bot.services.coach_flow`): it records the step, opens the next one or
finishes the assignment. The coach's notice is written later by `coach_notices`, where a
model may summarise the work outside any transaction.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.dialogue.state import DialogueState
from bot.services import coach_flags
from bot.services.coach_dates import describe, parse_due
from bot.services.coach_exercises import (
    COACHING_COURSE,
    COACHING_PURPOSE,
    step_opening,
    step_variant,
)
from bot.services.coach_messages import choices_payload, client_key, message_to, start_choice
from bot.services.coach_reminders import (
    ReminderPolicy,
    after_work_reminder_at,
    first_reminder_at,
)
from bot.services.coaching import CoachingError, name_of
from bot.services.messages import Reply, choices_for
from bot.store import coaching_assignments as assignment_store
from bot.store import dialogues as dialogue_store
from bot.store.coaching import OPEN_STATES
from bot.store.coaching_models import Assignment, AssignmentStep, CoachExercise, CoachLink
from bot.store.dialogues import OpenDialogue
from bot.store.models import User
from bot.store.outbox import enqueue

__all__ = [
    "COACH_ASSIGNMENT",
    "NOTE_CHARS",
    "STUCK_VAGUE",
    "after_step",
    "assign",
    "client_assignments",
    "start_assignment",
]

COACH_ASSIGNMENT = "coach_assignment"
NOTE_CHARS = 1000
STUCK_VAGUE = 3  # vague replies in one step that tell the coach the client is stuck
STEP_CHOICES = choices_for(("skip",))


def assign(
    session: Session,
    coach: User,
    link: CoachLink,
    exercise: CoachExercise,
    due: str,
    note: str,
    now: datetime,
    policy: ReminderPolicy,
) -> Assignment:
    """Give a linked client one of the coach's exercises; the client hears of it by DM."""
    assert coach.id is not None and link.client_id is not None and link.id is not None
    if link.coach_id != coach.id or exercise.coach_id != coach.id:
        raise CoachingError("You can only assign your own exercises to your own clients.")
    client = session.get(User, link.client_id)
    assert client is not None and client.id is not None
    due_at = parse_due(due, now, client.timezone)
    note = note.strip()
    if len(note) > NOTE_CHARS:
        raise CoachingError(f"Keep the note under {NOTE_CHARS} characters.")
    assignment = assignment_store.add_assignment(
        session,
        Assignment(
            link_id=link.id,
            coach_id=coach.id,
            client_id=client.id,
            exercise_id=exercise.id,
            title=exercise.title,
            steps=list(exercise.steps),
            note=note,
            due_at=due_at,
            assigned_at=now,
            next_reminder_at=first_reminder_at(due_at, now, link.reminders, policy),
        ),
    )
    assert assignment.id is not None
    coach_name = name_of(coach)
    steps = len(exercise.steps)
    text = (
        f'{coach_name} gave you an exercise: "{exercise.title}" '
        f"({steps} step{'s' if steps != 1 else ''}), due {describe(due_at, client.timezone)}."
    )
    if note:
        text += f"\nTheir note: {note}"
    text += "\nPress Start when you have ten minutes; I'll ask, and we'll work it out together."
    payload = {
        "text": text,
        "choices": choices_payload((start_choice(assignment.id),)),
        "assignment_id": assignment.id,
    }
    key = client_key(client.id, "assigned", assignment.id)
    enqueue(session, [message_to(client, COACH_ASSIGNMENT, payload, key, now)])
    return assignment


def start_assignment(
    session: Session, client: User, assignment_id: int | None, now: datetime, policy: ReminderPolicy
) -> list[Reply]:
    """Open (or resume) the client's assignment at the step they reached.

    Without an id, the open assignment due first is taken.
    """
    assert client.id is not None
    assignment = _client_assignment(session, client.id, assignment_id)
    if assignment.state == "done":
        return [Reply(f'You finished "{assignment.title}" already. Thank you!')]
    assert assignment.id is not None
    current = assignment_store.latest_step(session, assignment.id)
    if current is not None and current.closed_at is not None:
        current = None  # that step is done: the next one opens
    if current is not None and assignment_store.dialogue_is_open(session, current.dialogue_id):
        newest = dialogue_store.open_dialogue(session, client.id)
        if newest is not None and newest.id == current.dialogue_id:
            _worked_on(assignment, now, policy, session)
            return [Reply(_last_tutor_text(session, current.dialogue_id), STEP_CHOICES)]
        # Another exercise was opened on top: this step starts again, where replies go.
        dialogue_store.close_dialogue(session, current.dialogue_id, "closed", now)
    reply = _open_step(session, client.id, assignment, now, replacing=current)
    _worked_on(assignment, now, policy, session)
    return [reply]


def _client_assignment(session: Session, client_id: int, assignment_id: int | None) -> Assignment:
    """The client's assignment by id, or the open one due first."""
    if assignment_id is not None:
        found = assignment_store.assignment_for_client(session, client_id, assignment_id)
        if found is None or found.state == "cancelled":
            raise CoachingError("I can't find that exercise. `assignments` lists yours.")
        return found
    open_ones = assignment_store.open_assignments_of_client(session, client_id)
    if not open_ones:
        raise CoachingError("You have no exercise from a coach to do right now.")
    return open_ones[0]


def _open_step(
    session: Session,
    client_id: int,
    assignment: Assignment,
    now: datetime,
    replacing: AssignmentStep | None = None,
) -> Reply:
    """Start the dialogue of the assignment's next step and ask its prompt.

    A step whose dialogue was closed without an answer (the client switched to a course)
    starts again in a new dialogue.
    """
    assert assignment.id is not None
    index = assignment.steps_done
    opening = step_opening(assignment.steps, index, assignment.title)
    dialogue_id = dialogue_store.start_dialogue(
        session,
        user_id=client_id,
        course_id=COACHING_COURSE,
        exercise_id=f"a{assignment.id}-s{index + 1}",
        variant=step_variant(assignment.steps, index, len(assignment.steps)),
        purpose=COACHING_PURPOSE,
        now=now,
        opening=opening,
    )
    if replacing is not None:
        replacing.dialogue_id, replacing.opened_at = dialogue_id, now
        session.add(replacing)
    else:
        assignment_store.add_step(session, assignment.id, index + 1, dialogue_id, now)
    if assignment.state == "assigned":
        assignment.state, assignment.started_at = "started", now
    return Reply(opening, STEP_CHOICES)


def _worked_on(
    assignment: Assignment, now: datetime, policy: ReminderPolicy, session: Session
) -> None:
    """The client worked on it: reminders count from zero again (and resume if paused)."""
    assignment.last_activity_at = now
    assignment.unanswered = 0
    assignment.paused_at = None
    if assignment.state in OPEN_STATES:
        link = session.get(CoachLink, assignment.link_id)
        mode = link.reminders if link is not None else "off"
        assignment.next_reminder_at = after_work_reminder_at(assignment.due_at, now, mode, policy)
    session.add(assignment)


def _last_tutor_text(session: Session, dialogue_id: int) -> str:
    """The tutor's last question in a dialogue, to pick the step up again."""
    turns = dialogue_store.transcript(session, dialogue_id)
    tutor = [t.text for t in turns if t.role == "tutor"]
    return "Welcome back! Where we left off:\n" + (tutor[-1] if tutor else "")


def after_step(
    session: Session,
    dialogue: OpenDialogue,
    state: DialogueState,
    now: datetime,
    policy: ReminderPolicy | None = None,
) -> list[Reply]:
    """Record a finished step; open the next one, or finish the assignment.

    Called in the unit of work that wrote the step's last turn. Returns the replies that
    follow the tutor's closing words (the next step's prompt, or a thank-you).
    """
    found = assignment_store.step_of_dialogue(session, dialogue.id)
    if found is None:
        return []
    step, assignment = found
    assert assignment.id is not None
    if step.closed_at is not None or assignment.state not in OPEN_STATES:
        return []
    step.closed_at, step.outcome = now, state.outcome or "closed"
    session.add(step)
    assignment.steps_done = step.step
    _worked_on(assignment, now, policy or ReminderPolicy(), session)
    if state.vague >= STUCK_VAGUE:
        coach_flags.raise_stuck(
            session,
            assignment.link_id,
            assignment.coach_id,
            assignment.client_id,
            assignment.id,
            now,
        )
    if assignment.steps_done < len(assignment.steps):
        return [_open_step(session, dialogue.user_id, assignment, now)]
    assignment.state, assignment.completed_at = "done", now
    assignment.next_reminder_at = None
    session.add(assignment)
    coach = session.get(User, assignment.coach_id)
    who = name_of(coach) if coach is not None else "your coach"
    return [
        Reply(
            f'That\'s all of "{assignment.title}". {who} will see your answers and a short '
            "summary before your next session. Thank you for doing the work!"
        )
    ]


def client_assignments(session: Session, client: User) -> Reply:
    """List the client's open assignments from their coaches, each with a Start button."""
    assert client.id is not None
    open_ones = assignment_store.open_assignments_of_client(session, client.id)
    if not open_ones:
        return Reply("You have no exercise from a coach right now.")
    lines = ["Your exercises from your coach:"]
    for a in open_ones:
        assert a.id is not None
        progress = f", step {a.steps_done + 1} of {len(a.steps)}" if a.steps_done else ""
        lines.append(f'  "{a.title}": due {describe(a.due_at, client.timezone)}{progress}')
    return Reply("\n".join(lines), tuple(start_choice(a.id) for a in open_ones if a.id))
