"""When a learner may be prompted: their time zone, quiet hours, pause, snooze, daily cap.

A pure module: every function takes `now`; datetimes are UTC-aware.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@dataclass(frozen=True)
class Recipient:
    """What the rules need to know about one learner."""

    timezone: str
    quiet_start: str
    quiet_end: str
    paused_until: datetime | None = None
    snoozed_until: datetime | None = None
    unreachable: bool = False
    prompts_today: int = 0


def zone(name: str) -> ZoneInfo:
    """Return the learner's time zone, UTC when the stored name is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _clock(text: str) -> time:
    """Parse HH:MM."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(local: datetime, quiet_start: str, quiet_end: str) -> bool:
    """Tell whether a local time falls in quiet hours (which may wrap past midnight)."""
    start, end, now = _clock(quiet_start), _clock(quiet_end), local.time()
    if start == end:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end


def local_day_start(now: datetime, timezone: str) -> datetime:
    """Return the UTC instant at which the learner's current local day began."""
    local = now.astimezone(zone(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(UTC)


def quiet_ends_at(now: datetime, recipient: Recipient) -> datetime:
    """Return the next UTC instant when the learner's quiet hours end."""
    tz = zone(recipient.timezone)
    local = now.astimezone(tz)
    end = _clock(recipient.quiet_end)
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += timedelta(days=1)
    return candidate.astimezone(UTC)


def may_prompt(now: datetime, recipient: Recipient, daily_cap: int) -> bool:
    """Tell whether the learner may get a review prompt now."""
    if now.tzinfo is None:
        raise ValueError("now must be UTC-aware")
    if recipient.unreachable or recipient.prompts_today >= daily_cap:
        return False
    if recipient.paused_until is not None and recipient.paused_until > now:
        return False
    if recipient.snoozed_until is not None and recipient.snoozed_until > now:
        return False
    local = now.astimezone(zone(recipient.timezone))
    return not in_quiet_hours(local, recipient.quiet_start, recipient.quiet_end)


def spread(count: int, now: datetime, per_second: float, burst: int) -> list[datetime]:
    """Give each of `count` prompts a send time: the first `burst` now, the rest paced out."""
    if count <= burst:
        return [now] * count
    gap = 1.0 / per_second
    return [now + timedelta(seconds=max(0, i - burst) * gap) for i in range(count)]


def prompt_text(due: int) -> str:
    """Word the review prompt for a number of due items."""
    items = "1 item is" if due == 1 else f"{due} items are"
    return (
        f"Time for a quick review: {items} ready, just before you'd forget them. "
        "It takes a few minutes."
    )
