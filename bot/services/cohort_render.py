"""A cohort's status in words (short enough for a chat message) and as a CSV file."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.services.cohort_status import StatusReport
from bot.services.progress_text import clip_text
from bot.store.cohorts_members import LeaderboardRow

__all__ = ["LEADERBOARD_MINIMUM", "csv_bytes", "leaderboard_text", "status_text"]

LEADERBOARD_MINIMUM = 3  # members who scored before a leaderboard is shown
MAX_LISTED = 8  # names per section of the status message; the CSV has everyone
_MARKS = {"mastered": "M", "proficient": "P", "learning": "l"}


def _ago(moment: datetime | None, now: datetime) -> str:
    """Say how long ago, in whole days or hours."""
    if moment is None:
        return "never"
    hours = int((now - moment).total_seconds() // 3600)
    if hours < 24:
        return f"{max(hours, 0)} h ago"
    return f"{hours // 24} d ago"


def _more(count: int) -> list[str]:
    return [f"  … and {count - MAX_LISTED} more (see the CSV)"] if count > MAX_LISTED else []


def status_text(report: StatusReport) -> str:
    """Render the status compactly: counts first, then who is stuck, clusters, items, idle."""
    now, total = report.generated_at, len(report.members)
    week = f"week {report.week}" if report.week else "not started yet"
    focus = f", focus: {report.focus}" if report.focus else ""
    lines = [f"**{report.title}** ({report.course_title}): {week}{focus}. {total} member(s)."]
    if report.skills and total:
        lines.append("Skills (mastered / proficient / learning of members):")
        for skill_id, title in report.skills:
            states = [m.skills.get(skill_id) for m in report.members]
            lines.append(
                f"  {clip_text(title, 40)}: {states.count('mastered')} / "
                f"{states.count('proficient')} / {states.count('learning')}"
            )
    overdue = sum(1 for m in report.members if m.overdue)
    if overdue:
        lines.append(f"Reviews overdue: {overdue} member(s).")
    if report.stuck:
        lines.append(f"Stuck ({len(report.stuck)}):")
        for s in report.stuck[:MAX_LISTED]:
            seen = f", misconception: {s.misconception}" if s.misconception else ""
            lines.append(
                f"  {s.name} on {clip_text(s.skill_title, 40)} since {_ago(s.since, now)} "
                f"({s.misses} misses{seen})"
            )
        lines += _more(len(report.stuck))
    else:
        lines.append("Nobody is stuck.")
    if report.clusters:
        lines.append("Misconceptions this week:")
        for number, c in enumerate(report.clusters[:MAX_LISTED], 1):
            lines.append(f"  {number}. {c.misconception}: {c.members} member(s) ({c.skill_title})")
            lines.append(f"     to discuss: {clip_text(c.question, 160)}")
    for label, flags in (("Too hard", report.too_hard), ("Too easy", report.too_easy)):
        if flags:
            listed = ", ".join(
                f"{clip_text(f.title, 40)} ({round(f.success * 100)}% {f.source})"
                for f in flags[:MAX_LISTED]
            )
            lines.append(f"{label}: {listed}")
    if report.inactive:
        names = ", ".join(
            f"{name} ({_ago(last, now)})" for name, last in report.inactive[:MAX_LISTED]
        )
        lines.append(f"Inactive {report.inactive_days}+ days ({len(report.inactive)}): {names}")
        lines += _more(len(report.inactive))
    return "\n".join(lines)


def csv_bytes(report: StatusReport) -> bytes:
    """One row per member and skill: status, reached and confirmed dates, activity, stuck."""
    zone = ZoneInfo(report.timezone)
    stuck_on = {(s.user_id, s.skill_id): s for s in report.stuck}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "member",
            "skill",
            "status",
            "proficient_at",
            "mastered_at",
            "last_active",
            "reviews_overdue",
            "stuck",
            "stuck_since",
            "misconception",
        ]
    )

    def day(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    for member in report.members:
        for skill_id, _title in report.skills:
            reached, confirmed = report.reached.get((member.user_id, skill_id), (None, None))
            stuck = stuck_on.get((member.user_id, skill_id))
            writer.writerow(
                [
                    _safe_cell(member.name),
                    skill_id,
                    member.skills.get(skill_id, "not started"),
                    day(reached),
                    day(confirmed),
                    day(member.last_active),
                    member.overdue,
                    "yes" if stuck else "no",
                    day(stuck.since) if stuck else "",
                    stuck.misconception or "" if stuck else "",
                ]
            )
    return out.getvalue().encode("utf-8")


def _safe_cell(text: str) -> str:
    """Keep a spreadsheet from reading a display name as a formula."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@"} else text


def leaderboard_text(title: str, rows: list[LeaderboardRow], limit: int = 10) -> str:
    """Rank members by skills mastered, then proficient; say so when too few have scored."""
    if len(rows) < LEADERBOARD_MINIMUM:
        return (
            f"The {title} leaderboard shows once {LEADERBOARD_MINIMUM} members have a skill "
            "at the goal."
        )
    lines = [f"**{title}**: skills mastered (proficient)"]
    for rank, row in enumerate(rows[:limit], 1):
        lines.append(f"  {rank}. {row.display_name}: {row.mastered} ({row.proficient})")
    return "\n".join(lines)
