"""Follow-ups the coach approves: a message to a client drafted from their work, sent only
when the coach says so (as written, or edited), or discarded.

With a model the draft is written by it from the client's recent work; offline it is
assembled from the same work. Either way it is held as a draft in the outbox until the
coach sends it, and it is sent in the client's waking hours.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session

from bot.services import coaching
from bot.services.coach_briefs import build_brief
from bot.services.coach_messages import choices_payload, waking_time
from bot.services.messages import Choice, Person, Reply
from bot.store import coach_followups as draft_store
from bot.store import coaching as coaching_store
from bot.store.db import Database
from bot.store.models import User
from bot.store.outbox import NewMessage

__all__ = [
    "DISCARD_ACTION",
    "EDIT_ACTION",
    "SEND_ACTION",
    "CoachFollowups",
    "FollowupWriter",
    "offline_draft",
]

log = logging.getLogger(__name__)

SEND_ACTION = "coach-followup-send"  # "coach-followup-send:<draft id>"
EDIT_ACTION = "coach-followup-edit"
DISCARD_ACTION = "coach-followup-discard"
MAX_CHARS = 1_500
DRAFT_SECONDS = 20.0
GONE = "That draft was already sent or discarded."


class FollowupWriter(Protocol):
    """What drafts a follow-up with a model (`bot.llm.judging.ModelJudge`)."""

    async def draft_followup(self, work: str) -> str | None:
        """Draft a follow-up from the client's work; None when it cannot."""
        ...


@dataclass(frozen=True)
class Material:
    """What a follow-up may draw on: the client's latest finished work, in their words."""

    link_id: int
    client: str
    title: str | None
    commitment: str | None
    answers: tuple[str, ...]

    def work_text(self) -> str:
        """The work as a model reads it: no names, the client's words as data."""
        lines = [f'Exercise: "{self.title}"' if self.title else "No finished exercise yet."]
        lines += [f"- {answer}" for answer in self.answers[-6:]]
        if self.commitment:
            lines.append(f'Their commitment: "{self.commitment}"')
        return "\n".join(lines)


def offline_draft(material: Material) -> str:
    """A follow-up assembled from the client's work, without a model."""
    if material.title and material.commitment:
        return (
            f'Thanks for working through "{material.title}". You wrote: '
            f'"{material.commitment}". How is that going so far?'
        )
    if material.title:
        return (
            f'Thanks for working through "{material.title}". '
            "What has stayed with you from it since?"
        )
    return "How have things been going since our last session?"


class CoachFollowups:
    """A coach's follow-ups; the `CoachDesk` serves them with these methods."""

    database: Database
    clock: Callable[[], datetime]
    followup_writer: FollowupWriter | None
    # The desk's runner: the person stored on first use, their errors as a sentence.
    _as: Callable[..., Any]
    _reply: Callable[..., Any]

    async def followup(self, coach: Person, client: str) -> Reply:
        """Draft a follow-up to one of the coach's clients; nothing is sent yet."""
        now = self.clock()

        def material(session: Session, user: User) -> Material:
            link = coaching.find_client(session, user, client)
            return _material(session, user, link.id, now)

        found = await self._as(coach, material)
        if isinstance(found, Reply):
            return found
        text = await self._drafted(found)

        def store(session: Session, user: User) -> Reply:
            draft_id = _store_draft(session, user, found, text, now)
            return draft_reply(found.client, text, draft_id)

        result: Reply = await self._reply(coach, store)
        return result

    async def _drafted(self, material: Material) -> str:
        """The model's draft when there is a model and it can, else the offline one."""
        writer = self.followup_writer
        if writer is not None:
            try:
                written = await asyncio.wait_for(
                    writer.draft_followup(material.work_text()), DRAFT_SECONDS
                )
            except Exception:
                log.warning("drafting a follow-up with the model failed; offline draft used")
                written = None
            if written:
                return written
        return offline_draft(material)

    async def followup_text(self, coach: Person, draft_id: int) -> str | None:
        """The text of one of the coach's drafts (to edit it), or None."""

        def work(session: Session, user: User) -> str | None:
            assert user.id is not None
            draft = draft_store.draft_for_coach(session, user.id, draft_id)
            return None if draft is None else str(draft.payload.get("draft", ""))

        found = await self._as(coach, work, unknown=Reply(GONE))
        return found if isinstance(found, str) else None

    async def send_followup(self, coach: Person, draft_id: int, text: str | None = None) -> Reply:
        """Send a draft as it is, or as the coach edited it, in the client's waking hours."""
        now = self.clock()
        return await self._reply(  # type: ignore[no-any-return]
            coach, lambda s, u: _release(s, u, draft_id, text, now), Reply(GONE)
        )

    async def discard_followup(self, coach: Person, draft_id: int) -> Reply:
        """Throw a draft away; the client never hears of it."""

        def work(session: Session, user: User) -> Reply:
            assert user.id is not None
            draft = draft_store.draft_for_coach(session, user.id, draft_id)
            if draft is None or not draft_store.discard_draft(session, draft_id):
                return Reply(GONE)
            return Reply("Discarded: nothing was sent.")

        return await self._reply(coach, work, Reply(GONE))  # type: ignore[no-any-return]


def draft_reply(client: str, text: str, draft_id: int) -> Reply:
    """Show the coach a draft with Send, Edit and Discard."""
    choices = (
        Choice(f"{SEND_ACTION}:{draft_id}", "Send"),
        Choice(f"{EDIT_ACTION}:{draft_id}", "Edit"),
        Choice(f"{DISCARD_ACTION}:{draft_id}", "Discard"),
    )
    return Reply(
        f"Draft follow-up #{draft_id} to {client} (nothing is sent until you press Send):\n\n"
        f"{text}",
        choices,
    )


def _material(session: Session, coach: User, link_id: int | None, now: datetime) -> Material:
    """Read the client's latest finished work for a follow-up."""
    assert coach.id is not None and link_id is not None
    link = coaching_store.link_for_coach(session, coach.id, link_id)
    if link is None:
        raise coaching.CoachingError("That isn't one of your clients any more.")
    brief = build_brief(session, coach, link, now)
    latest = brief.reports[0] if brief.reports else None
    answers = tuple(a for step in latest.steps for a in step.answers) if latest else ()
    return Material(
        link_id, brief.client, latest.title if latest else None, brief.commitment, answers
    )


def _store_draft(
    session: Session, coach: User, material: Material, text: str, now: datetime
) -> int:
    """Hold the draft in the outbox, addressed to the client but not ready to send."""
    assert coach.id is not None
    link = coaching_store.link_for_coach(session, coach.id, material.link_id)
    if link is None or link.client_id is None:
        raise coaching.CoachingError("That isn't one of your clients any more.")
    client = session.get(User, link.client_id)
    assert client is not None and client.id is not None
    payload = {"draft": text[:MAX_CHARS], "coach_id": coach.id, "link_id": link.id}
    key = f"followup:{link.id}:{secrets.token_hex(8)}"  # one per draft, however close in time
    message = NewMessage(
        client.id,
        client.platform,
        client.platform_user_id,
        draft_store.FOLLOWUP,
        payload,
        key,
        now,
        now,
    )
    return draft_store.add_draft(session, message)


def _release(
    session: Session, coach: User, draft_id: int, text: str | None, now: datetime
) -> Reply:
    """Send a draft to the client it was written for, if the link still stands."""
    assert coach.id is not None
    draft = draft_store.draft_for_coach(session, coach.id, draft_id)
    if draft is None:
        return Reply(GONE)
    link = coaching_store.link_for_coach(session, coach.id, int(draft.payload.get("link_id", 0)))
    client = session.get(User, draft.user_id)
    if link is None or client is None or link.client_id != client.id:
        draft_store.discard_draft(session, draft_id)
        return Reply("That client is no longer linked with you: the draft was discarded.")
    body = (text if text is not None else str(draft.payload.get("draft", ""))).strip()
    if not body:
        return Reply("The message is empty: write something, or discard the draft.")
    if len(body) > MAX_CHARS:
        return Reply(f"Keep the message under {MAX_CHARS} characters.")
    payload = {
        "text": f"A message from {coaching.name_of(coach)}:\n{body}",
        "choices": choices_payload(()),
        "coach_id": coach.id,
        "link_id": link.id,
    }
    ready = waking_time(now, client)
    if not draft_store.release_draft(session, draft_id, payload, ready):
        return Reply(GONE)
    name = client.display_name or "your client"
    when = "now" if ready <= now else "when their quiet hours end"
    return Reply(f"Approved: it goes to {name} {when}.")
