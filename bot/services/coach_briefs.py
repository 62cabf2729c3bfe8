"""The brief before a session, for the coach alone: what the client is working on, whether
the work given last time happened, the pattern across recent exercises, a first question.

Offline it is assembled from the recorded assignments, moves and answers; with a model,
the pattern is also put in the model's words from the same transcripts. The day before a
session the brief sweep sends it to the coach (`brief_due_at`, indexed, drives it); the
coach can also ask for it at any time.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.coach_dates import describe
from bot.services.coach_messages import client_key, message_to
from bot.services.coach_notices import CoachSummariser, model_summary
from bot.services.coach_work import WorkReport, commitment_of, read_work
from bot.store import coaching as coaching_store
from bot.store import coaching_assignments as assignment_store
from bot.store.coaching import OPEN_STATES
from bot.store.coaching_models import CoachLink
from bot.store.db import Database
from bot.store.models import User
from bot.store.outbox import enqueue

__all__ = ["COACH_BRIEF", "Brief", "build_brief", "send_due_briefs", "with_model_pattern"]

log = logging.getLogger(__name__)

COACH_BRIEF = "coach_brief"
RECENT_DONE = 5
FLAG_WORDS = {
    "asked_for_coach": "asked to talk to you",
    "stuck": "seemed stuck",
    "distress": "wrote something that may need a human",
}


@dataclass(frozen=True)
class Brief:
    """A pre-session brief, in parts a platform can lay out its own way."""

    link_id: int
    client_id: int
    client: str
    session_at: datetime | None
    working_on: tuple[str, ...]
    since_last: str
    commitment: str | None
    pattern: str
    flags: tuple[str, ...]
    first_question: str
    reports: tuple[WorkReport, ...] = ()

    def text(self, timezone: str) -> str:
        """The brief as one message, dates in the coach's time zone."""
        when = f" on {describe(self.session_at, timezone)}" if self.session_at else ""
        lines = [f"Brief for your session with {self.client}{when} (for you only)."]
        lines.append(
            "Working on: " + ("; ".join(self.working_on) if self.working_on else "nothing open.")
        )
        lines.append(f"Since the last session: {self.since_last}")
        if self.commitment:
            lines.append(f'Their last commitment, in their words: "{self.commitment}"')
        lines.append(f"Pattern: {self.pattern}")
        if self.flags:
            lines.append("Flags: " + "; ".join(self.flags) + ".")
        lines.append(f"A first question: {self.first_question}")
        return "\n".join(lines)


def build_brief(session: Session, coach: User, link: CoachLink, now: datetime) -> Brief:
    """Assemble the brief for one of the coach's clients from what is recorded."""
    assert coach.id is not None and link.id is not None and link.client_id is not None
    client = session.get(User, link.client_id)
    name = client.display_name if client is not None and client.display_name else "your client"
    since = link.last_session_at or link.accepted_at or link.created_at
    given = assignment_store.assignments_of_link(session, coach.id, link.id)
    open_now = [a for a in given if a.state in OPEN_STATES]
    working_on = tuple(
        f'"{a.title}" (step {a.steps_done + 1} of {len(a.steps)}, due '
        f"{describe(a.due_at, coach.timezone)}{', overdue' if a.due_at < now else ''})"
        for a in open_now
    )
    recent = [a for a in given if a.assigned_at >= since and a.state != "cancelled"]
    done = [a for a in recent if a.state == "done"]
    late = [a for a in done if a.completed_at is not None and a.completed_at > a.due_at]
    overdue = [a for a in recent if a.state in OPEN_STATES and a.due_at < now]
    if recent:
        since_last = f"{len(done)} of {len(recent)} exercise(s) done"
        since_last += f" ({len(late)} after the due date)" if late else ""
        since_last += f"; {len(overdue)} overdue." if overdue else "."
    else:
        since_last = "no exercise given since then."
    finished = assignment_store.recent_done_for_link(session, coach.id, link.id, RECENT_DONE)
    reports = tuple(read_work(session, a) for a in finished)
    commitment = (
        commitment_of([x for s in reports[0].steps for x in s.answers]) if reports else None
    )
    flags = tuple(
        f"{FLAG_WORDS.get(f.kind, f.kind)} ({describe(f.raised_at, coach.timezone)})"
        for f in coaching_store.flags_for_coach(session, coach.id, link.client_id)
        if f.raised_at >= since
    )
    return Brief(
        link_id=link.id,
        client_id=link.client_id,
        client=name,
        session_at=link.next_session_at,
        working_on=working_on,
        since_last=since_last,
        commitment=commitment,
        pattern=_pattern(reports),
        flags=flags,
        first_question=_first_question(commitment, overdue[0].title if overdue else None, reports),
        reports=reports,
    )


def _pattern(reports: tuple[WorkReport, ...]) -> str:
    """What recurs across the recent exercises: the criteria probed and left open most."""
    if not reports:
        return "no finished exercise yet."
    probed = Counter(p.label for r in reports for s in r.steps for p in s.probes if p.label)
    still_open = Counter(label for r in reports for s in r.steps for label in s.still_open)
    vague = sum(s.vague for r in reports for s in r.steps)
    parts = [f"across the last {len(reports)} exercise(s)"]
    if probed:
        label, count = probed.most_common(1)[0]
        parts.append(f"I probed most for {label} ({count} time(s))")
    else:
        parts.append("the answers were specific without probing")
    if still_open:
        label, count = still_open.most_common(1)[0]
        parts.append(f"still open most often: {label} ({count})")
    if vague:
        parts.append(f"{vague} reply(ies) too vague to judge")
    return ", ".join(parts) + "."


def _first_question(
    commitment: str | None, overdue: str | None, reports: tuple[WorkReport, ...]
) -> str:
    """A question to open the session with, from the strongest thing the record shows."""
    if commitment:
        return f'You wrote "{commitment}". What happened when you tried it?'
    if overdue:
        return f'What got in the way of "{overdue}"?'
    probed = Counter(p.label for r in reports for s in r.steps for p in s.probes if p.label)
    if probed:
        label = probed.most_common(1)[0][0]
        return f"When you think about {label}, what makes it hard to pin down?"
    return "What from the last weeks do you most want to talk about today?"


async def with_model_pattern(
    brief: Brief, summariser: CoachSummariser | None, summary_seconds: float = 20.0
) -> Brief:
    """Put the pattern in a model's words from the recent transcripts, when there is one."""
    if summariser is None or not brief.reports:
        return brief
    latest = brief.reports[0]
    joined = replace(
        latest,
        title="The client's recent exercises",
        completed_at=None,
        steps=tuple(s for r in brief.reports for s in r.steps),
    )
    written = await model_summary(joined, summariser, summary_seconds)
    return replace(brief, pattern=written) if written else brief


async def send_due_briefs(
    database: Database, now: datetime, summariser: CoachSummariser | None = None, limit: int = 100
) -> int:
    """Send the coach the brief of each session due tomorrow; return how many were queued."""
    due = await database.run(_due, now, limit)
    queued = 0
    for brief, due_at, timezone in due:
        brief = await with_model_pattern(brief, summariser)
        queued += int(await database.run(_queue_brief, brief, due_at, timezone, now))
    if queued:
        log.info("coach briefs: %d queued", queued)
    return queued


def _due(session: Session, now: datetime, limit: int) -> list[tuple[Brief, datetime, str]]:
    found = []
    for link in coaching_store.briefs_due(session, now, limit):
        coach = session.get(User, link.coach_id)
        if coach is None or link.brief_due_at is None:
            continue
        found.append((build_brief(session, coach, link, now), link.brief_due_at, coach.timezone))
    return found


def _queue_brief(
    session: Session, brief: Brief, due_at: datetime, timezone: str, now: datetime
) -> bool:
    """Mark the link's brief sent and queue it to the coach, once."""
    if not coaching_store.settle_brief(session, brief.link_id, due_at):
        return False
    link = session.get(CoachLink, brief.link_id)
    coach = session.get(User, link.coach_id) if link is not None else None
    if coach is None:
        return False
    session_key = brief.session_at.isoformat() if brief.session_at else due_at.isoformat()
    key = client_key(brief.client_id, "brief", brief.link_id, session_key)
    payload = {"text": brief.text(timezone), "link_id": brief.link_id}
    enqueue(session, [message_to(coach, COACH_BRIEF, payload, key, now)])
    return True
