"""A learner's own settings: time zone, quiet hours, pausing review prompts, interests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # the settings validate with this module: it must not load the store
    from bot.store.models import User

_HOURS = re.compile(r"^\s*(\d{1,2}):?(\d{2})\s*[-–to ]+\s*(\d{1,2}):?(\d{2})\s*$")
MAX_PAUSE_DAYS = 365
MAX_INTERESTS = 5
MAX_INTEREST_CHARS = 36  # five of them, joined, fit the stored 200 characters
NO_INTERESTS = {"", "none", "no", "off", "clear", "nothing", "-"}
_LOCALE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,2}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f<>`]")


class SettingsInputError(ValueError):
    """A setting the learner typed that cannot be used; the message says why."""


@dataclass(frozen=True)
class SettingsChange:
    """What a learner asked to change; None leaves a setting as it is."""

    timezone: str | None = None
    quiet_hours: str | None = None
    pause_days: int | None = None
    interests: str | None = None  # comma-separated; "none" clears them
    locale: str | None = None  # a language tag the platform gave, such as "fr-FR"


def apply_settings(user: User, change: SettingsChange, now: datetime) -> list[str]:
    """Validate and apply a change; return one sentence per setting changed."""
    done: list[str] = []
    if change.timezone is not None:
        user.timezone = parse_timezone(change.timezone)
        done.append(f"Time zone: {user.timezone}.")
    if change.quiet_hours is not None:
        user.quiet_start, user.quiet_end = parse_quiet_hours(change.quiet_hours)
        done.append(f"Quiet hours: {user.quiet_start} to {user.quiet_end} your time.")
    if change.pause_days is not None:
        if not 0 <= change.pause_days <= MAX_PAUSE_DAYS:
            raise SettingsInputError(f"Pause for 0 to {MAX_PAUSE_DAYS} days.")
        if change.pause_days == 0:
            user.paused_until = None
            done.append("Review prompts are back on.")
        else:
            user.paused_until = now + timedelta(days=change.pause_days)
            done.append(f"No review prompts until {user.paused_until:%Y-%m-%d} (UTC).")
    if change.locale is not None:
        user.locale = parse_locale(change.locale)
        done.append(f"Language: {user.locale or 'not set'}.")
    if change.interests is not None:
        user.interests = ", ".join(parse_interests(change.interests))
        done.append(
            f"Interests: {user.interests}. Where I can, I'll set problems in them."
            if user.interests
            else "Interests cleared: problems keep their own settings."
        )
    return done


def describe_settings(user: User) -> str:
    """Describe the learner's current settings."""
    paused = f"paused until {user.paused_until:%Y-%m-%d %H:%M} UTC" if user.paused_until else "on"
    return (
        f"Time zone: {user.timezone}. Quiet hours: {user.quiet_start} to {user.quiet_end}. "
        f"Review prompts: {paused}. Interests: {user.interests or 'none'}."
    )


def parse_interests(text: str) -> list[str]:
    """Read up to five interests, comma- or semicolon-separated; "none" means no interests."""
    if text.strip().lower() in NO_INTERESTS:
        return []
    interests: list[str] = []
    for part in re.split(r"[,;\n]+", text):
        interest = " ".join(_CONTROL.sub(" ", part).split())
        if not interest:
            continue
        if len(interest) > MAX_INTEREST_CHARS:
            raise SettingsInputError(
                f"Keep each interest under {MAX_INTEREST_CHARS} characters, "
                "such as `football, cooking`."
            )
        if interest.lower() not in (known.lower() for known in interests):
            interests.append(interest)
    if len(interests) > MAX_INTERESTS:
        raise SettingsInputError(f"Name up to {MAX_INTERESTS} interests, separated by commas.")
    return interests


def parse_locale(text: str) -> str:
    """Read a language tag such as `fr-FR` or `pt_BR` (stored with a hyphen); empty clears it."""
    tag = text.strip()
    if not tag:
        return ""
    if len(tag) > 16 or not _LOCALE.match(tag):
        raise SettingsInputError("Give a language tag such as en-GB or fr-FR.")
    return tag.replace("_", "-")


def interest_list(stored: str) -> list[str]:
    """The interests a learner stored, one per item."""
    return [part.strip() for part in stored.split(",") if part.strip()]


def parse_timezone(text: str) -> str:
    """Return a valid IANA time zone name for what the learner typed."""
    name = text.strip().replace(" ", "_")
    if not name or len(name) > 64 or ".." in name or name.startswith("/"):
        raise SettingsInputError("Give a time zone such as Europe/Paris or America/New_York.")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise SettingsInputError(
            f"I don't know the time zone {name[:64]!r}. Try one like Europe/Paris or Asia/Tokyo."
        ) from exc
    return name


def parse_quiet_hours(text: str) -> tuple[str, str]:
    """Parse quiet hours such as `21:00-08:00` into two HH:MM strings."""
    match = _HOURS.match(text)
    if match is None:
        raise SettingsInputError("Give quiet hours as HH:MM-HH:MM, for example 21:00-08:00.")
    start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
    if start_h > 23 or end_h > 23 or start_m > 59 or end_m > 59:
        raise SettingsInputError("Hours go from 00:00 to 23:59.")
    return f"{start_h:02d}:{start_m:02d}", f"{end_h:02d}:{end_m:02d}"
