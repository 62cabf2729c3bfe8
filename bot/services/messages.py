"""The neutral vocabulary between platform adapters and the tutor service."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Where = Literal["dm", "channel", "thread"]

# users.platform_user_id, users.dm_channel_id and outbox.recipient are VARCHAR(64)
ID_LIMIT = 64
NAME_LIMIT = 100  # users.display_name is VARCHAR(100)
_ID_HASH_CHARS = 16
# C0 and C1 controls and DEL: PostgreSQL refuses NUL, and none of them belongs in a message
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def _valid_unicode(text: str) -> str:
    """Join surrogate pairs and turn lone surrogates (undecodable input) into U+FFFD."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def clean_text(text: str) -> str:
    """Return text every store and terminal accepts: UTF-8, `\\n` line ends, no controls."""
    text = _valid_unicode(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _TEXT_CONTROLS.sub("", text)


def clean_id(value: str) -> str:
    """Return a platform id that fits the id columns; long ids keep a prefix and a hash."""
    value = _LINE_CONTROLS.sub("", _valid_unicode(value))
    if len(value) <= ID_LIMIT:
        return value
    # the hash of the whole id keeps two long ids with one prefix apart; a result is
    # exactly ID_LIMIT long, so cleaning it again changes nothing
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:_ID_HASH_CHARS]
    return f"{value[: ID_LIMIT - _ID_HASH_CHARS - 1]}~{digest}"


def clean_name(name: str) -> str:
    """Return a display name on one line, capped to fit its column."""
    return _LINE_CONTROLS.sub("", _valid_unicode(name))[:NAME_LIMIT]


@dataclass(frozen=True)
class Person:
    """Who: one learner on one platform; cleaned on creation, like Incoming."""

    platform: str
    user_id: str
    display_name: str = ""

    def __post_init__(self) -> None:
        """Normalise the id and the name once, at the edge."""
        object.__setattr__(self, "user_id", clean_id(self.user_id))
        object.__setattr__(self, "display_name", clean_name(self.display_name))

    def says(self, text: str, *, where: Where = "dm", channel_id: str | None = None) -> Incoming:
        """Return this person's message."""
        return Incoming(self.platform, self.user_id, text, where, channel_id, self.display_name)


@dataclass(frozen=True)
class Incoming:
    """Who said what, where; cleaned on creation, so every adapter stores the same."""

    platform: str
    user_id: str
    text: str
    where: Where = "dm"
    channel_id: str | None = None
    display_name: str = ""

    def __post_init__(self) -> None:
        """Normalise the text and ids once, at the edge."""
        object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "user_id", clean_id(self.user_id))
        if self.channel_id is not None:
            object.__setattr__(self, "channel_id", clean_id(self.channel_id))
        object.__setattr__(self, "display_name", clean_name(self.display_name))

    @property
    def person(self) -> Person:
        """Return who sent the message."""
        return Person(self.platform, self.user_id, self.display_name)


@dataclass(frozen=True)
class Attachment:
    """A file to attach to a reply, such as a chart."""

    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Choice:
    """A button or suggested word: a stable action id, and the label people see."""

    action: str
    label: str


# Action ids are stable: a platform keeps them in buttons that outlive a restart.
CHOICES = (
    Choice("hint", "Hint"),
    Choice("skip", "Skip"),
    Choice("next", "Next"),
    Choice("progress", "Progress"),
    Choice("review", "Review"),
    Choice("consent", "I agree"),
    Choice("start-review", "Start"),
    Choice("snooze-hour", "Snooze 1 h"),
    Choice("snooze-tomorrow", "Snooze to tomorrow"),
    Choice("forget-confirm", "Delete everything"),
    Choice("long-answer", "Long answer"),
)
_BY_ACTION = {choice.action: choice for choice in CHOICES}
_BY_LABEL = {choice.label: choice for choice in CHOICES}


def choices_for(actions: tuple[str, ...]) -> tuple[Choice, ...]:
    """Return the choices for action ids (an unknown id is dropped)."""
    return tuple(_BY_ACTION[action] for action in actions if action in _BY_ACTION)


def choice_from_payload(item: object) -> Choice | None:
    """Read a choice stored in an outbox payload: {action, label}, or an older plain label."""
    if isinstance(item, dict):
        action, label = item.get("action"), item.get("label")
        if isinstance(action, str) and isinstance(label, str):
            return Choice(action, label)
        return None
    return _BY_LABEL.get(item) if isinstance(item, str) else None


@dataclass(frozen=True)
class Opening:
    """A problem just opened, which may be re-told in a context the learner cares about.

    It travels with the opening reply inside the service only: the tutor drops it before
    the reply reaches an adapter.
    """

    dialogue_id: int
    user_id: int
    course_id: str
    exercise_id: str
    variant: Mapping[str, Any]
    problem: str  # the problem's text as the reply shows it: the part that may be re-told
    interest: str


@dataclass(frozen=True)
class Reply:
    """What the tutor says back: text, suggested choices, attachments."""

    text: str
    choices: tuple[Choice, ...] = ()
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
    opening: Opening | None = field(default=None, compare=False, repr=False)
