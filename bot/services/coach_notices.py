"""The coach's notice when a client finishes an assignment: their words, what was probed,
and a short factual summary (a model's, when one is configured and answers in time).

Finishing an assignment only marks it done (in the turn's own unit of work); this job
reads the finished ones not yet notified, awaits the model outside any transaction, then
stamps the assignment notified and queues the notice in one unit, with a key per
assignment: a notice is queued once, whatever crashes in between.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from bot.dialogue.conversation import Exchange
from bot.services.coach_messages import client_key, message_to
from bot.services.coach_work import WorkReport, clip, offline_summary, read_work
from bot.store import coaching_assignments as assignment_store
from bot.store.db import Database
from bot.store.models import User
from bot.store.outbox import enqueue

__all__ = [
    "COACH_NOTICE",
    "CoachSummariser",
    "model_summary",
    "notice_text",
    "send_completion_notices",
    "summarise",
]

log = logging.getLogger(__name__)

COACH_NOTICE = "coach_notice"
SUMMARY_TIMEOUT = 20.0
NOTICE_CHARS = 1900  # under Discord's 2,000; the full transcript is in `client <name>`


class CoachSummariser(Protocol):
    """What writes the coach's summary with a model (`bot.llm.judging.ModelJudge`)."""

    async def summarise_for_coach(
        self, turns: Sequence[Exchange], *, problem: str, summary: str = ""
    ) -> str | None:
        """Summarise a client's work for their coach; None when it cannot."""
        ...


async def send_completion_notices(
    database: Database,
    now: datetime,
    summariser: CoachSummariser | None = None,
    *,
    limit: int = 20,
    summary_seconds: float = SUMMARY_TIMEOUT,
) -> int:
    """Tell coaches about finished assignments; return how many notices were queued."""
    pending = await database.run(_pending_work, limit)
    queued = 0
    for report, client_name in pending:
        summary = await summarise(report, summariser, summary_seconds)
        queued += int(await database.run(_queue_notice, report, client_name, summary, now))
    if queued:
        log.info("coach notices: %d queued", queued)
    return queued


async def summarise(
    report: WorkReport, summariser: CoachSummariser | None, summary_seconds: float = SUMMARY_TIMEOUT
) -> str:
    """The model's summary of the work, or the offline one when there is no model or it fails."""
    written = await model_summary(report, summariser, summary_seconds)
    return written or offline_summary(report)


async def model_summary(
    report: WorkReport, summariser: CoachSummariser | None, summary_seconds: float = SUMMARY_TIMEOUT
) -> str | None:
    """A model's summary of the work; None without a model, or when it fails or is slow."""
    if summariser is None:
        return None
    try:
        written = await asyncio.wait_for(
            summariser.summarise_for_coach(report.exchanges(), problem=report.problem()),
            timeout=summary_seconds,
        )
    except Exception:
        log.warning("the coach summary of assignment %s fell back offline", report.assignment_id)
        return None
    return written.strip() if isinstance(written, str) and written.strip() else None


def _pending_work(session: Session, limit: int) -> list[tuple[WorkReport, str]]:
    """Read the finished assignments whose coach was not told yet, with the client's name."""
    found = []
    for assignment in assignment_store.completions_to_notify(session, limit):
        client = session.get(User, assignment.client_id)
        name = client.display_name if client is not None and client.display_name else "Your client"
        found.append((read_work(session, assignment), name))
    return found


def _queue_notice(
    session: Session, report: WorkReport, client: str, summary: str, now: datetime
) -> bool:
    """Stamp the assignment notified and queue the coach's notice, once."""
    if not assignment_store.mark_notified(session, report.assignment_id, summary, now):
        return False
    coach = session.get(User, report.coach_id)
    if coach is None:
        return False
    payload = {
        "text": notice_text(report, client, summary),
        "assignment_id": report.assignment_id,
        "summary": summary,
        "steps": [
            {
                "prompt": s.prompt,
                "answers": list(s.answers),
                "probes": [{"for": p.label, "text": p.text} for p in s.probes],
                "still_open": list(s.still_open),
                "outcome": s.outcome,
            }
            for s in report.steps
        ],
    }
    key = client_key(report.client_id, "done", report.assignment_id)
    enqueue(session, [message_to(coach, COACH_NOTICE, payload, key, now)])
    return True


def notice_text(report: WorkReport, client: str, summary: str) -> str:
    """The coach's message: the summary, then each step in the client's own words."""
    lines = [f'{client} finished "{report.title}".', f"Summary: {summary}", ""]
    for step in report.steps:
        lines.append(f"Step {step.number}: {clip(step.prompt, 200)}")
        for turn in step.transcript[1:]:
            if turn.role == "learner":
                lines.append(f'  {client}: "{clip(turn.text)}"')
            elif turn.move == "probe":
                lines.append(f"  I probed: {clip(turn.text, 200)}")
        if step.still_open:
            lines.append("  Still open: " + ", ".join(step.still_open))
    text = "\n".join(lines)
    if len(text) > NOTICE_CHARS:
        text = (
            text[: NOTICE_CHARS - 60].rstrip()
            + "\n… (the full transcript: `client "
            + client
            + "`)"
        )
    return text
