"""A cohort's calendar: its start date, pace and time zone, and which week a moment falls in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.content.catalog import Course
from bot.services.account import SettingsInputError, parse_timezone

__all__ = [
    "PACES",
    "CohortInputError",
    "Place",
    "parse_pace",
    "parse_start",
    "parse_zone",
    "week_number",
    "week_skill",
]

PACES = {"weekly": "a skill per week", "self": "self-paced"}
_PACE_WORDS = {
    "weekly": "weekly",
    "week": "weekly",
    "skill-per-week": "weekly",
    "self": "self",
    "self-paced": "self",
    "selfpaced": "self",
}
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


class CohortInputError(ValueError):
    """Something a creator, staff member or learner asked that cannot be done; says why."""


@dataclass(frozen=True)
class Place:
    """Where a cohort request was made: the server or workspace, and the channel if any."""

    workspace_id: str
    channel_id: str | None = None


def parse_pace(text: str) -> str:
    """Return `weekly` or `self` for what the creator typed."""
    pace = _PACE_WORDS.get(text.strip().casefold().replace(" ", "-"))
    if pace is None:
        raise CohortInputError("Pace is `weekly` (a skill per week) or `self` (self-paced).")
    return pace


def parse_zone(text: str) -> str:
    """Return a valid IANA time zone name, or say what is wrong in words."""
    try:
        return parse_timezone(text or "UTC")
    except SettingsInputError as exc:
        raise CohortInputError(str(exc)) from exc


def parse_start(text: str, timezone: str, now: datetime) -> datetime:
    """Return the start of the given date (YYYY-MM-DD, today or tomorrow) in the zone, in UTC."""
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    word = text.strip().casefold()
    if word in {"", "today", "now"}:
        day = today
    elif word == "tomorrow":
        day = today + timedelta(days=1)
    else:
        match = _ISO_DATE.match(word)
        if match is None:
            raise CohortInputError("Give the start date as YYYY-MM-DD, `today` or `tomorrow`.")
        try:
            day = date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise CohortInputError(f"{text.strip()} is not a date on the calendar.") from exc
    if day < today - timedelta(days=365) or day > today + timedelta(days=365):
        raise CohortInputError("Start the cohort within a year of today.")
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def week_number(starts_on: datetime, timezone: str, moment: datetime) -> int:
    """Return the cohort week (1 = the first) a moment falls in, by dates in its zone; 0
    before the start."""
    zone = ZoneInfo(timezone)
    first = starts_on.astimezone(zone).date()
    day = moment.astimezone(zone).date()
    if day < first:
        return 0
    return (day - first).days // 7 + 1


def week_skill(course: Course, pace: str, week: int) -> str | None:
    """Return the skill in focus in a week of a weekly cohort (None when self-paced or over)."""
    if pace != "weekly" or week < 1:
        return None
    order = course.skill_order()
    return order[week - 1] if week <= len(order) else None
