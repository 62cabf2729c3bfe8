"""Due dates and session times as a coach types them: "friday", "in 3 days", "2026-03-20".

A pure module: every function takes `now` (UTC-aware) and the time zone the words are
meant in (the client's, for a due date), and returns a UTC-aware datetime.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from bot.scheduling.rules import zone

DEFAULT_DUE_TIME = time(20, 0)  # "due friday": by Friday evening, the client's time
DEFAULT_SESSION_TIME = time(9, 0)
LONGEST_AHEAD = timedelta(days=366)

WEEKDAYS = {
    name: index
    for index, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
MONTHS = {
    name: index + 1
    for index, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        )
    )
    for name in names
}
SMALL_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "twenty": 20,
}
EXAMPLES = '"friday", "tomorrow 18:00", "in 3 days", "in 2 weeks", "March 20" or "2026-03-20"'

_CLOCK = re.compile(r"^(?P<h>\d{1,2})(?::(?P<m>\d{2}))?(?P<ampm>am|pm)?$")
_IN = re.compile(r"^in\s+(?P<n>\d{1,3}|[a-z]+)\s+(?P<unit>day|days|week|weeks)$")
_ISO = re.compile(r"^(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})$")
_DAY_MONTH = re.compile(r"^(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[a-z]+)(?:\s+(?P<y>\d{4}))?$")
_MONTH_DAY = re.compile(r"^(?P<mon>[a-z]+)\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{4}))?$")


class DateInputError(ValueError):
    """Words that are not a date this module can read, or a date that will not do."""


def parse_due(text: str, now: datetime, timezone: str) -> datetime:
    """Read a due date in the client's time zone; the day's evening when no time is given."""
    return parse_when(text, now, timezone, DEFAULT_DUE_TIME)


def parse_session(text: str, now: datetime, timezone: str) -> datetime:
    """Read a session date and time in the coach's time zone; 09:00 when no time is given."""
    return parse_when(text, now, timezone, DEFAULT_SESSION_TIME)


def parse_when(text: str, now: datetime, timezone: str, default: time) -> datetime:
    """Read a day (and optional time of day) after `now`, as a UTC instant."""
    if now.tzinfo is None:
        raise ValueError("now must be UTC-aware")
    words = " ".join(text.strip().lower().replace(",", " ").split())
    if not words:
        raise DateInputError(f"Give a date, such as {EXAMPLES}.")
    tz = zone(timezone)
    today = now.astimezone(tz).date()
    day_words, at = _split_time(words, default)
    day = _day(day_words, today)
    when = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
    if when <= now:
        raise DateInputError(
            f"{day:%A} {day.day} {day:%B %Y} at {at:%H:%M} has already passed ({timezone} time). "
            "Give a later date."
        )
    if when - now > LONGEST_AHEAD:
        raise DateInputError("Give a date within the next year.")
    return when


def _split_time(words: str, default: time) -> tuple[str, time]:
    """Take a trailing time of day ("at 17:00", "5pm", "noon") off the words.

    A bare number is a time only after "at": "march 20" is a day.
    """
    parts = words.split()
    if len(parts) >= 2 and parts[-1] in {"am", "pm"}:
        parts = [*parts[:-2], parts[-2] + parts[-1]]
    at = default
    if parts and parts[-1] == "noon":
        at, parts = time(12, 0), parts[:-1]
    elif parts and (match := _CLOCK.match(parts[-1])) is not None:
        after_at = len(parts) >= 2 and parts[-2] in {"at", "@"}
        if match["m"] or match["ampm"] or after_at:
            at, parts = _clock(match), parts[:-1]
    if parts and parts[-1] in {"at", "@", "by"}:
        parts = parts[:-1]
    return " ".join(parts) or "today", at


def _clock(match: re.Match[str]) -> time:
    """The time of day a clock word says."""
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"] == "pm" and hour < 12:
        hour += 12
    elif match["ampm"] == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or (match["ampm"] and int(match["h"]) > 12):
        raise DateInputError("A time of day goes from 00:00 to 23:59.")
    return time(hour, minute)


def _day(words: str, today: date) -> date:
    """Read the day part: today, tomorrow, a weekday, in N days or weeks, or a date."""
    if words in {"today", "tonight"}:
        return today
    if words == "tomorrow":
        return today + timedelta(days=1)
    if words in {"end of week", "end of the week", "this week"}:
        return _next_weekday(today, 4, allow_today=True)
    if words == "next week":
        return today + timedelta(days=7)
    parts = words.split()
    if parts and parts[0] in {"next", "this", "on", "by"} and len(parts) == 2:
        parts = parts[1:]
    if len(parts) == 1 and parts[0] in WEEKDAYS:
        return _next_weekday(today, WEEKDAYS[parts[0]], allow_today=False)
    if (match := _IN.match(words)) is not None:
        count = _count(match["n"])
        days = count * (7 if match["unit"].startswith("week") else 1)
        return today + timedelta(days=days)
    if (match := _ISO.match(words)) is not None:
        return _date(int(match["y"]), int(match["mo"]), int(match["d"]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if (match := pattern.match(words)) is not None and match["mon"] in MONTHS:
            month, day = MONTHS[match["mon"]], int(match["d"])
            if match["y"]:
                return _date(int(match["y"]), month, day)
            found = _date(today.year, month, day)
            return found if found >= today else _date(today.year + 1, month, day)
    raise DateInputError(f"I can't read {words[:40]!r} as a date. Try {EXAMPLES}.")


def _next_weekday(today: date, weekday: int, *, allow_today: bool) -> date:
    """The next day with that weekday: strictly after today, unless `allow_today`."""
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not allow_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _count(word: str) -> int:
    """Read "3", "three" or "a" as a number of days or weeks."""
    if word.isdigit():
        return int(word)
    if word in SMALL_NUMBERS:
        return SMALL_NUMBERS[word]
    raise DateInputError(f"I can't read {word[:20]!r} as a number of days. Try {EXAMPLES}.")


def _date(year: int, month: int, day: int) -> date:
    """Build a date, with a plain sentence when there is no such day."""
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise DateInputError(f"There is no day {year}-{month:02d}-{day:02d}.") from exc


def describe(when: datetime, timezone: str) -> str:
    """Say a UTC instant as a person in `timezone` reads it: "Friday 6 March, 20:00"."""
    local = when.astimezone(zone(timezone))
    return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"
