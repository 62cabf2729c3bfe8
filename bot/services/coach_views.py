"""What a coach reads: their clients at a glance, one client's work with transcripts, a CSV.

Every view starts from the coach's own live links and reads assignments through them, so
it can only show the coach's clients' work on the exercises that coach assigned.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.coach_dates import describe
from bot.services.coach_work import WorkReport, read_work
from bot.services.messages import Attachment, Reply
from bot.store import coaching as coaching_store
from bot.store import coaching_assignments as assignment_store
from bot.store.coaching_models import Assignment, CoachLink
from bot.store.models import User

__all__ = ["client_reply", "clients_reply", "export_csv", "transcript_markdown"]

CSV_COLUMNS = (
    "client",
    "link",
    "assignment",
    "title",
    "state",
    "assigned_at",
    "due_at",
    "completed_at",
    "steps_done",
    "steps",
    "reminders_sent",
    "summary",
)


def clients_reply(session: Session, coach: User, now: datetime) -> Reply:
    """List the coach's clients: open, overdue and done work, last active, next session, flags."""
    assert coach.id is not None
    clients = coaching_store.clients_of(session, coach.id)
    if not clients:
        return Reply("No clients yet. `invite` makes a code to send to one.")
    work = assignment_store.work_by_link(session, coach.id, now)
    flags: dict[int, int] = {}
    for flag in coaching_store.flags_for_coach(session, coach.id):
        flags[flag.link_id] = flags.get(flag.link_id, 0) + 1
    lines = ["Your clients:"]
    for c in clients:
        w = work.get(c.link_id)
        parts = [f"#{c.link_id} {c.display_name or 'client'}"]
        if w is not None:
            late = f" ({w.overdue} overdue)" if w.overdue else ""
            parts.append(f"{w.open} open{late}, {w.done} done")
            if w.last_active is not None:
                parts.append(f"last active {describe(w.last_active, coach.timezone)}")
        else:
            parts.append("nothing assigned yet")
        if c.next_session_at is not None:
            parts.append(f"next session {describe(c.next_session_at, coach.timezone)}")
        if flags.get(c.link_id):
            parts.append(f"{flags[c.link_id]} flag(s)")
        lines.append("  " + ", ".join(parts))
    return Reply("\n".join(lines))


def client_reply(session: Session, coach: User, link: CoachLink, now: datetime) -> Reply:
    """One client's assignments with summaries, and their transcripts as a file."""
    assert coach.id is not None and link.id is not None and link.client_id is not None
    client = session.get(User, link.client_id)
    name = client.display_name if client is not None and client.display_name else "client"
    given = assignment_store.assignments_of_link(session, coach.id, link.id)
    if not given:
        return Reply(f"Nothing assigned to {name} yet. `assign` gives them an exercise.")
    lines = [f"{name}:"]
    documents = []
    for a in given:
        lines.append("  " + _assignment_line(a, coach.timezone, now))
        if a.summary:
            lines.append(f"    {a.summary}")
        if a.steps_done or a.state == "done":
            documents.append(transcript_markdown(read_work(session, a), name, coach.timezone))
    attachments: tuple[Attachment, ...] = ()
    if documents:
        data = "\n\n".join(documents).encode("utf-8")
        attachments = (Attachment(f"{_file_name(name)}-transcripts.md", data, "text/markdown"),)
    return Reply("\n".join(lines), attachments=attachments)


def _assignment_line(a: Assignment, timezone: str, now: datetime) -> str:
    due = describe(a.due_at, timezone)
    if a.state == "done" and a.completed_at is not None:
        return f'"{a.title}": done {describe(a.completed_at, timezone)} (due {due})'
    if a.state == "cancelled":
        return f'"{a.title}": cancelled'
    late = ", overdue" if a.due_at < now else ""
    paused = ", reminders paused" if a.paused_at is not None else ""
    return f'"{a.title}": step {a.steps_done} of {len(a.steps)} done, due {due}{late}{paused}'


def transcript_markdown(report: WorkReport, client: str, timezone: str) -> str:
    """One assignment's transcript, step by step, with what each tutor turn meant to do."""
    lines = [f"# {report.title}", f"Due {describe(report.due_at, timezone)}."]
    for step in report.steps:
        lines += ["", f"## Step {step.number}: {step.prompt}"]
        for turn in step.transcript[1:]:
            if turn.role == "learner":
                lines.append(f"**{client}:** {turn.text}")
            else:
                lines.append(f"*Tutor ({turn.move or 'reply'}):* {turn.text}")
        if step.still_open:
            lines.append(f"Still open: {', '.join(step.still_open)}.")
    return "\n".join(lines)


def export_csv(session: Session, coach: User) -> Reply:
    """Every assignment the coach gave their current clients, as a CSV file."""
    assert coach.id is not None
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in coaching_store.clients_of(session, coach.id):
        for a in reversed(assignment_store.assignments_of_link(session, coach.id, c.link_id, 1000)):
            writer.writerow(
                (
                    c.display_name,
                    c.link_id,
                    a.id,
                    a.title,
                    a.state,
                    a.assigned_at.isoformat(),
                    a.due_at.isoformat(),
                    a.completed_at.isoformat() if a.completed_at else "",
                    a.steps_done,
                    len(a.steps),
                    a.reminders_sent,
                    a.summary or "",
                )
            )
    data = out.getvalue().encode("utf-8")
    return Reply(
        "Your clients' assignments, as a CSV file.",
        attachments=(Attachment("clients.csv", data, "text/csv"),),
    )


def _file_name(name: str) -> str:
    """A file name made from a display name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "client"
