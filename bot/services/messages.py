"""The neutral vocabulary between platform adapters and the tutor service."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Where = Literal["dm", "channel", "thread"]


@dataclass(frozen=True)
class Incoming:
    """Who said what, where."""

    platform: str
    user_id: str
    text: str
    where: Where = "dm"
    channel_id: str | None = None
    display_name: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file to attach to a reply, such as a chart."""

    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Reply:
    """What the tutor says back: text, suggested choices, attachments."""

    text: str
    choices: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)
