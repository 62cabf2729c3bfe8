"""Flags: the coach is told, once, when a client asks for them, is stuck, or may be in distress.

The distress check is a safety net, not a service: a few unambiguous phrases get a short
caring reply with a pointer to real help (configurable: `SafetyWords`), the exercise is
not tutored through, and the client's coaches are told that something needs a human.
It will miss things and it is no substitute for a person; say so wherever it is offered.

A flag carries its kind only, never the client's words; the coach's message says what
happened, not what was written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.scheduling.rules import zone
from bot.services.coach_messages import client_key, message_to
from bot.store import coaching as coaching_store
from bot.store import dialogues as dialogue_store
from bot.store.coaching_assignments import step_of_dialogue
from bot.store.coaching_models import Assignment
from bot.store.models import User
from bot.store.outbox import enqueue

__all__ = [
    "ASKED_FOR_COACH",
    "COACH_FLAG",
    "DEFAULT_HELP_POINTER",
    "DISTRESS",
    "STUCK",
    "SafetyWords",
    "Screened",
    "raise_flag",
    "raise_stuck",
    "read_flag",
    "screen_message",
]

ASKED_FOR_COACH = "asked_for_coach"
STUCK = "stuck"
DISTRESS = "distress"
COACH_FLAG = "coach_flag"
DEFAULT_HELP_POINTER = (
    "If you might be in danger, please call your local emergency number now. You can also "
    "talk to someone at a crisis line: findahelpline.com lists one for your country."
)

_DISTRESS = re.compile(
    r"\b(?:kill(?:ing)? my ?self|suicid\w*|end(?:ing)? (?:it all|my life)|"
    r"take my (?:own )?life|want(?:ed)? to die|wish i (?:was|were) dead|"
    r"(?:don'?t|do not) want to (?:live|be alive|be here anymore)|no reason to live|"
    r"self[- ]?harm\w*|hurt(?:ing)? my ?self|cut(?:ting)? my ?self|overdos\w*|"
    r"can'?t go on)\b",
    re.IGNORECASE,
)
_ASKS_FOR_COACH = re.compile(
    r"\b(?:talk|speak|chat|get in touch|message|contact|call|see|meet)\s+(?:to\s+|with\s+)?"
    r"(?:my|the)\s+coach\b|\bi(?:'d| would)? (?:want|need|like) (?:to see )?(?:my|the) coach\b|"
    r"\b(?:tell|ask) my coach\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SafetyWords:
    """The wording of the caring reply; the pointer to real help is the deployment's."""

    pointer: str = DEFAULT_HELP_POINTER

    def caring_message(self, coach_told: bool) -> str:
        """The short reply to a message that may need a human, instead of tutoring."""
        text = (
            "I'm really sorry you're going through this. I'm an exercise tool, not the right "
            "help for this, so I'll stop the exercise here. " + self.pointer.strip()
        )
        if coach_told:
            text += " I've let your coach know you may want to talk."
        return text


@dataclass(frozen=True)
class Screened:
    """What a client's message raised: its kind and how many coaches were told."""

    kind: str
    coaches_told: int


def read_flag(text: str) -> str | None:
    """Tell whether a message may need a human (distress) or asks for the coach."""
    if _DISTRESS.search(text):
        return DISTRESS
    if _ASKS_FOR_COACH.search(text):
        return ASKED_FOR_COACH
    return None


def screen_message(session: Session, client: User, text: str, now: datetime) -> Screened | None:
    """Raise the flag a client's message calls for, once; None when it calls for none.

    A message in an assignment's dialogue tells that assignment's coach; any other tells
    every coach the client works with (once a day per coach and kind).
    """
    kind = read_flag(text)
    if kind is None:
        return None
    assert client.id is not None
    dialogue = dialogue_store.open_dialogue(session, client.id)
    found = step_of_dialogue(session, dialogue.id) if dialogue is not None else None
    links = coaching_store.coaches_of(session, client.id)
    if found is not None:
        assignment = found[1]
        links = [link for link in links if link.link_id == assignment.link_id]
        assignment_id: int | None = assignment.id
        once_key = f"assignment:{assignment.id}"
    else:
        assignment_id = None
        once_key = f"day:{now.astimezone(zone(client.timezone)).date().isoformat()}"
    for link in links:
        raise_flag(
            session,
            link_id=link.link_id,
            coach_id=link.user_id,
            client_id=client.id,
            kind=kind,
            once_key=once_key,
            assignment_id=assignment_id,
            now=now,
        )
    # A coach told earlier (the flag is raised once) still knows: count every coach.
    return Screened(kind, len(links))


def raise_stuck(
    session: Session,
    link_id: int,
    coach_id: int,
    client_id: int,
    assignment_id: int,
    now: datetime,
) -> bool:
    """Tell the coach once that a client seems stuck on an assignment."""
    return raise_flag(
        session,
        link_id=link_id,
        coach_id=coach_id,
        client_id=client_id,
        kind=STUCK,
        once_key=f"assignment:{assignment_id}",
        assignment_id=assignment_id,
        now=now,
    )


def raise_flag(
    session: Session,
    *,
    link_id: int,
    coach_id: int,
    client_id: int,
    kind: str,
    once_key: str,
    assignment_id: int | None,
    now: datetime,
) -> bool:
    """Store a flag and queue the coach's message, unless it was raised before."""
    new = coaching_store.insert_flag(
        session,
        link_id=link_id,
        coach_id=coach_id,
        client_id=client_id,
        assignment_id=assignment_id,
        kind=kind,
        once_key=once_key,
        now=now,
    )
    if not new:
        return False
    coach, client = session.get(User, coach_id), session.get(User, client_id)
    assert coach is not None and client is not None
    title = _title(session, assignment_id)
    message = message_to(
        coach,
        COACH_FLAG,
        {"text": flag_text(kind, client.display_name or "A client", title), "flag": kind},
        client_key(client_id, "flag", link_id, kind, once_key),
        now,
    )
    if kind == DISTRESS:  # told at once, whatever the hour: it may not wait for the morning
        message = message._replace(next_attempt_at=now)
    enqueue(session, [message])
    return True


def _title(session: Session, assignment_id: int | None) -> str:
    """The title of the assignment a flag is about ("" when about none)."""
    if assignment_id is None:
        return ""
    assignment = session.get(Assignment, assignment_id)
    return assignment.title if assignment is not None else ""


def flag_text(kind: str, client: str, title: str) -> str:
    """The coach's message for a flag: what happened, never what the client wrote."""
    on = f' on "{title}"' if title else ""
    if kind == DISTRESS:
        return (
            f"{client} wrote something{on} that suggests they may be in distress. I replied "
            "with a short caring message and a pointer to real help, and stopped the "
            "exercise. Please reach out to them."
        )
    if kind == STUCK:
        return (
            f"{client} seems stuck{on}: several vague answers, or no work after the reminders. "
            "Their reminders are paused; a word from you may help."
        )
    return f"{client} asked to talk to you{on}."
