"""The words the console reads itself, as Discord has commands: export, forget, settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.services.data_requests import data_request

SETTINGS_USAGE = (
    "Type `settings` to see yours, or change them: `settings timezone Europe/Paris`, "
    "`settings quiet 21:00-08:00` (no review prompts then), `settings pause 3` (days; "
    "`settings pause 0` or `settings resume` turns them back on), "
    "`settings interests football, cooking` (problems set in them, where I can)."
)
FORGET_QUESTION = (
    "This deletes your progress, answers and settings for good. Are you sure? "
    "Type `yes` to delete everything, or `no` to keep it."
)
_SETTING_KEYS = {
    "timezone": "timezone",
    "time-zone": "timezone",
    "time_zone": "timezone",
    "tz": "timezone",
    "zone": "timezone",
    "quiet": "quiet_hours",
    "quiet-hours": "quiet_hours",
    "quiet_hours": "quiet_hours",
    "pause": "pause_days",
    "pause-days": "pause_days",
    "pause_days": "pause_days",
    "resume": "resume",
    "interests": "interests",
    "interest": "interests",
}
_FILLERS = {"hours", "days", "day", "to", "="}
_MAX_SETTINGS_WORDS = 8  # a longer message that starts with "settings" is an answer
YES = {"yes", "y", "yes please", "delete", "delete everything", "sure"}
NO = {"no", "n", "nope", "cancel", "keep", "keep it", "stop"}


@dataclass(frozen=True)
class SettingsWords:
    """What `settings ...` asked to change; None leaves a setting as it is."""

    timezone: str | None = None
    quiet_hours: str | None = None
    pause_days: int | None = None
    interests: str | None = None

    def __bool__(self) -> bool:
        values = (self.timezone, self.quiet_hours, self.pause_days, self.interests)
        return any(v is not None for v in values)


@dataclass(frozen=True)
class ConsoleWord:
    """A word the console handles itself, with what was asked of `settings`."""

    name: str  # export, forget or settings
    settings: SettingsWords = field(default_factory=SettingsWords)
    problem: str | None = None  # a `settings` the console could not read


def console_word(text: str) -> ConsoleWord | None:
    """Recognise `export`, `forget` or `settings [...]` (a leading / is allowed)."""
    words = text.strip().split()
    if not words:
        return None
    head = words[0].lower().lstrip("/!")
    if head in {"export", "forget"} and len(words) == 1:
        return ConsoleWord(head)
    request = data_request(text)  # "delete my data": it asks before anything is deleted
    if request is not None:
        return ConsoleWord(request)
    # a list of interests may run longer than other settings
    limit = 2 * _MAX_SETTINGS_WORDS if "interest" in text.lower() else _MAX_SETTINGS_WORDS
    if head == "settings" and len(words) <= limit:
        try:
            return ConsoleWord("settings", settings=read_settings(words[1:]))
        except ValueError as exc:
            return ConsoleWord("settings", problem=str(exc))
    return None


def read_settings(words: list[str]) -> SettingsWords:
    """Read `timezone X`, `quiet A-B`, `pause N` or `resume`, also as key=value."""
    tokens: list[str] = []
    for word in words:
        name, equals, value = word.partition("=")
        tokens += [name, value] if equals and value else [word.rstrip("=")]
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for token in tokens:
        key = _SETTING_KEYS.get(token.lower().rstrip(":,"))
        if key == "resume":
            fields["pause_days"] = ["0"]
            current = None
        elif key is not None:
            fields[key] = []
            current = key
        elif current is None:
            raise ValueError(f"I don't know the setting {token[:40]!r}. {SETTINGS_USAGE}")
        elif token.lower() not in _FILLERS or current in {"timezone", "interests"}:
            fields[current].append(token)
    for key, values in fields.items():
        if not values:
            raise ValueError(f"Give a value after `{key.split('_')[0]}`. {SETTINGS_USAGE}")
    return SettingsWords(
        timezone=" ".join(fields["timezone"]) if "timezone" in fields else None,
        quiet_hours=" ".join(fields["quiet_hours"]) if "quiet_hours" in fields else None,
        pause_days=_days(fields["pause_days"]) if "pause_days" in fields else None,
        interests=" ".join(fields["interests"]) if "interests" in fields else None,
    )


def _days(values: list[str]) -> int:
    """Read a number of days to pause review prompts (`off` is 0)."""
    text = values[0].lower()
    if len(values) == 1 and text in {"off", "no", "none"}:
        return 0
    if len(values) != 1 or not text.isdigit() or len(text) > 4:
        raise ValueError("Pause for a whole number of days, such as `settings pause 3`.")
    return int(text)


# A coach's words at the console (Discord and Slack have slash commands and modals).
COACH_USAGE = (
    "Coach words: `coach invite`, `coach exercise`, `coach exercises`, "
    "`coach from <course> <exercise>`, `coach edit <exercise number>`, "
    "`coach assign <client> <exercise number> <due> [note]`, `coach clients`, "
    "`coach client <name>`, `coach brief <name>`, `coach next <client> <when>`, "
    "`coach reminders <client> all|overdue|off [pause after N]`, `coach csv`, "
    "`coach followup <client>` (then `coach send <n> [edited text]` or `coach discard <n>`), "
    "`coach end <name>`."
)
_MAX_DUE_WORDS = 5
_MAX_NAME_WORDS = 4
_NO_ARGUMENT = {"invite", "clients", "exercises", "csv"}
_REMINDER_MODES = {"all", "overdue", "off"}
_NAMED = {"client", "brief", "followup"}


@dataclass(frozen=True)
class CoachWord:
    """A coach's word at the console and what follows it."""

    name: str  # invite, exercise, exercises, from, assign, clients, client, brief, next...
    client: str = ""
    exercise: int = 0
    due: str = ""  # a due date, or the next session's date for `next`
    note: str = ""
    worksheet: str = ""  # lines pasted under `coach exercise`
    mode: str = ""  # `reminders`: all, overdue or off
    pause_after: int | None = None  # `reminders`: unanswered reminders before a pause
    course: str = ""  # `from`: an installed course and one of its reflections
    course_exercise: str = ""


def coach_word(text: str) -> CoachWord | None:
    """Recognise a coach's word; anything not exactly in its shape is not one."""
    first, _newline, rest = text.strip().partition("\n")
    words = first.split()
    if len(words) < 2 or words[0].lower().lstrip("/!") != "coach":
        return None
    verb, args = words[1].lower(), words[2:]
    if verb == "exercise" and not args:
        return CoachWord("exercise", worksheet=rest.strip())
    if rest:
        return None
    if verb in _NO_ARGUMENT and not args:
        return CoachWord(verb)
    if verb in _NAMED and 1 <= len(args) <= _MAX_NAME_WORDS:
        return CoachWord(verb, client=" ".join(args))
    if verb == "edit" and len(args) == 1 and args[0].lstrip("#").isdigit():
        return CoachWord("edit", exercise=int(args[0].lstrip("#")))
    if verb in {"send", "discard"} and args and args[0].lstrip("#").isdigit():
        if verb == "discard" and len(args) > 1:
            return None
        return CoachWord(verb, exercise=int(args[0].lstrip("#")), note=" ".join(args[1:]))
    if verb == "from" and len(args) == 2:
        return CoachWord("from", course=args[0], course_exercise=args[1])
    if verb == "next" and 2 <= len(args) <= 1 + _MAX_DUE_WORDS:
        return CoachWord("next", client=args[0], due=" ".join(args[1:]))
    if verb == "reminders" and len(args) >= 2 and args[1].lower() in _REMINDER_MODES:
        return _reminders(args)
    if verb == "assign" and len(args) >= 3 and args[1].lstrip("#").isdigit():
        due, note = _due_and_note(args[2:])
        return CoachWord(
            "assign", client=args[0], exercise=int(args[1].lstrip("#")), due=due, note=note
        )
    return None


def _reminders(args: list[str]) -> CoachWord | None:
    """Read `<client> all|overdue|off [pause after N | N]`."""
    rest = [w for w in args[2:] if w.lower() not in {"pause", "after", "paused"}]
    if len(rest) > 1 or (rest and not rest[0].isdigit()) or (rest and len(rest[0]) > 3):
        return None
    pause_after = int(rest[0]) if rest else None
    return CoachWord("reminders", client=args[0], mode=args[1].lower(), pause_after=pause_after)


def _due_and_note(words: list[str]) -> tuple[str, str]:
    """Split `friday 5pm Bring one example` into the due date and the note (longest date)."""
    from bot.services.coach_dates import DateInputError, parse_due

    now = datetime.now(UTC)
    for count in range(min(_MAX_DUE_WORDS, len(words)), 0, -1):
        try:
            parse_due(" ".join(words[:count]), now, "UTC")
        except DateInputError:
            continue
        return " ".join(words[:count]), _unquoted(" ".join(words[count:]))
    return words[0], _unquoted(" ".join(words[1:]))


def _unquoted(text: str) -> str:
    """Drop the quotes around a note."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text
