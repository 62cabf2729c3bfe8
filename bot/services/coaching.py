"""Coach–client links: invites, accepting with the sentence of what the coach will see, ending.

Functions here are units of work (or parts of one): they take the session and the people
as stored users, and raise `CoachingError` with a plain sentence for anything a person
can get wrong. A coach names a client by link number or by name, only among their own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.services.coach_dates import describe, parse_session
from bot.store import coaching as coaching_store
from bot.store.coaching_models import CoachLink
from bot.store.models import User

__all__ = [
    "CODE_ALPHABET",
    "INVITE_DAYS",
    "CoachingError",
    "Invite",
    "accept_invite",
    "create_invite",
    "end_link",
    "find_client",
    "invite_preview",
    "name_of",
    "set_next_session",
    "set_reminders",
    "what_the_coach_sees",
]

INVITE_DAYS = 14
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, no 1/I: read aloud safely
CODE_LENGTH = 8
BRIEF_AHEAD = timedelta(hours=24)
REMINDER_MODES = {
    "all": "before the due date and when overdue",
    "overdue": "only when overdue",
    "off": "never",
}


class CoachingError(ValueError):
    """Something a coach or a client asked that cannot be done; the message says why."""


@dataclass(frozen=True)
class Invite:
    """An invite code a coach shares with a client, and until when it works."""

    code: str
    expires_at: datetime

    @property
    def shown(self) -> str:
        """The code as people type it: two groups of four."""
        return f"{self.code[:4]}-{self.code[4:]}"


def name_of(user: User) -> str:
    """What to call a person in a message: their display name, or a neutral word."""
    return user.display_name.strip() or "your coach"


def what_the_coach_sees(coach_name: str) -> str:
    """The explicit sentence a client reads before accepting."""
    return (
        f"If you accept, {coach_name} will see your work on the exercises they assign you "
        "(your answers, what I asked you, and a short summary), and a flag when you ask "
        "for them, seem stuck, or write something that worries me. Nothing else: not your "
        "courses, and not what you do for another coach. Either of you can end this at any "
        "time (`coach end`), and `/forget` deletes all of it."
    )


def create_invite(session: Session, coach: User, now: datetime, code: str | None = None) -> Invite:
    """Create an invite a client accepts with its code; it works for INVITE_DAYS days."""
    assert coach.id is not None
    code = code or "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    expires = now + timedelta(days=INVITE_DAYS)
    coaching_store.add_invite(session, coach.id, code, now, expires)
    return Invite(code, expires)


def normalise_code(text: str) -> str:
    """Read a code as typed: any case, with or without the dash or spaces."""
    return "".join(ch for ch in text.upper() if ch.isalnum())[:16]


def _pending_invite(session: Session, code: str, now: datetime) -> CoachLink:
    """Return the invite with this code if it can still be accepted."""
    link = coaching_store.invite_by_code(session, normalise_code(code))
    if link is None or link.ended_at is not None:
        raise CoachingError("I don't know that invite code. Check it with your coach.")
    if link.client_id is not None:
        raise CoachingError("That invite was already used. Ask your coach for a new one.")
    if link.invite_expires_at <= now:
        raise CoachingError("That invite has expired. Ask your coach for a new one.")
    return link


def invite_preview(session: Session, code: str, now: datetime) -> str:
    """Tell a client who invited them and what that coach will see, before they accept."""
    link = _pending_invite(session, code, now)
    coach = session.get(User, link.coach_id)
    assert coach is not None
    name = name_of(coach)
    return (
        f"{name} invited you to work with them here. {what_the_coach_sees(name)} Accepting "
        "also lets me keep your answers to their exercises, so they can read them."
    )


def accept_invite(session: Session, client: User, code: str, now: datetime) -> CoachLink:
    """Link the client to the coach who made the invite."""
    assert client.id is not None
    link = _pending_invite(session, code, now)
    if link.coach_id == client.id:
        raise CoachingError("That's your own invite: send the code to your client.")
    if coaching_store.live_link(session, link.coach_id, client.id) is not None:
        raise CoachingError("You're already working with this coach.")
    assert link.id is not None
    if not coaching_store.accept_invite(session, link.id, client.id, now):
        raise CoachingError("That invite was already used. Ask your coach for a new one.")
    session.refresh(link)
    return link


def find_client(session: Session, coach: User, ref: str) -> CoachLink:
    """Find one of the coach's clients by link number ("3", "#3") or by name."""
    assert coach.id is not None
    text = ref.strip().lstrip("#")
    if text.isdigit():
        link = coaching_store.link_for_coach(session, coach.id, int(text))
        if link is not None:
            return link
    clients = coaching_store.clients_of(session, coach.id)
    wanted = text.casefold()
    exact = [c for c in clients if c.display_name.casefold() == wanted]
    found = exact or [c for c in clients if wanted and c.display_name.casefold().startswith(wanted)]
    if len(found) > 1:
        names = ", ".join(f"#{c.link_id} {c.display_name}" for c in found[:5])
        raise CoachingError(f"Which one: {names}? Use the number.")
    if not found:
        raise CoachingError(f"{ref[:40]!r} isn't one of your clients. `clients` lists them.")
    link = coaching_store.link_for_coach(session, coach.id, found[0].link_id)
    assert link is not None
    return link


def end_link(session: Session, person: User, ref: str, now: datetime) -> str:
    """End a link from either side: a coach names a client, a client names a coach."""
    assert person.id is not None
    as_coach = _coach_side(session, person, ref)
    if as_coach is not None:
        coaching_store.end_link(session, as_coach, "coach", now)
        return "Done: you no longer see this client's work, and they get no more reminders."
    coaches = coaching_store.coaches_of(session, person.id)
    wanted = ref.strip().lstrip("#").casefold()
    found = [
        c
        for c in coaches
        if not wanted or str(c.link_id) == wanted or c.display_name.casefold().startswith(wanted)
    ]
    if len(found) != 1:
        if not coaches:
            raise CoachingError("You aren't working with a coach here.")
        names = ", ".join(f"#{c.link_id} {c.display_name or 'coach'}" for c in coaches)
        raise CoachingError(f"Which coach: {names}? Say `coach end <number>`.")
    link = coaching_store.link_for_client(session, person.id, found[0].link_id)
    assert link is not None
    coaching_store.end_link(session, link, "client", now)
    return (
        "Done: your coach no longer sees your work here, and their exercises are cancelled. "
        "What you wrote stays yours (`/export`, `/forget`)."
    )


def _coach_side(session: Session, person: User, ref: str) -> CoachLink | None:
    """The person's link as a coach to the client named, if they coach anyone by that name."""
    assert person.id is not None
    if not coaching_store.clients_of(session, person.id) or not ref.strip():
        return None
    try:
        return find_client(session, person, ref)
    except CoachingError:
        return None


def set_next_session(session: Session, coach: User, ref: str, when: str, now: datetime) -> str:
    """Set the next session with a client; the brief is prepared the day before."""
    link = find_client(session, coach, ref)
    at = parse_session(when, now, coach.timezone)
    if link.next_session_at is not None and link.next_session_at <= now:
        link.last_session_at = link.next_session_at
    link.next_session_at = at
    link.brief_due_at = max(now, at - BRIEF_AHEAD)
    session.add(link)
    return f"Next session: {describe(at, coach.timezone)}. I'll send you a brief the day before."


def set_reminders(
    session: Session, coach: User, ref: str, mode: str, pause_after: int | None = None
) -> CoachLink:
    """Turn a client's reminders down or up, and how many go unanswered before a pause."""
    link = find_client(session, coach, ref)
    if mode not in REMINDER_MODES:
        raise CoachingError("Reminders can be `all`, `overdue` or `off`.")
    if pause_after is not None and not 1 <= pause_after <= 10:
        raise CoachingError("Pause after 1 to 10 unanswered reminders.")
    link.reminders = mode
    if pause_after is not None:
        link.pause_after = pause_after
    session.add(link)
    return link
