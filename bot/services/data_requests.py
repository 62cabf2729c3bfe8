"""A learner asking in plain words for their data to be deleted or exported.

Discord and Slack have commands for both (`/forget`, `/export`; `/tutor forget`, `/tutor
export`), but people also type "delete my data" in the DM. Such a message is no answer to
an exercise: deleting gets the same confirmation button as the command (nothing is
deleted before the click), exporting is pointed at the command that sends the file.
Single words ("forget", "export") are left alone: in a DM they may be an answer.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from bot.services.messages import Reply, choices_for

__all__ = ["FORGET_QUESTION", "data_reply", "data_request"]

FORGET_QUESTION: Final = "This deletes your progress, answers and settings for good. Are you sure?"
_FORGET: Final = frozenset(
    {
        "forget me",
        "forget my data",
        "forget about me",
        "delete me",
        "delete my data",
        "delete all my data",
        "delete my account",
        "delete my progress",
        "delete everything about me",
        "erase my data",
        "remove my data",
        "wipe my data",
    }
)
_EXPORT: Final = frozenset(
    {"export my data", "download my data", "send me my data", "get my data", "export data"}
)
_EXPORT_COMMANDS: Final = {"discord": "`/export`", "slack": "`/tutor export`"}
_POLITE: Final = re.compile(
    r"^(?:(?:please|pls|can\s+you|could\s+you|i\s+want\s+(?:you\s+)?to|i'?d\s+like\s+"
    r"(?:you\s+)?to)\s+)+|(?:\s+(?:please|pls|now|thanks))+$"
)


def data_request(text: str) -> Literal["forget", "export"] | None:
    """Tell whether a message asks for the learner's data to be deleted or exported."""
    said = " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())
    if len(said) > 60:
        return None
    said = _POLITE.sub("", said).strip()
    if said in _FORGET:
        return "forget"
    if said in _EXPORT:
        return "export"
    return None


def data_reply(request: Literal["forget", "export"], platform: str) -> Reply:
    """What a request for the learner's data gets on this platform."""
    if request == "forget":
        return Reply(FORGET_QUESTION, choices_for(("forget-confirm",)))
    command = _EXPORT_COMMANDS.get(platform)
    if command is None:
        return Reply("Type `export` to get everything I store about you.")
    return Reply(
        f"Use {command}: it sends you a file with everything I store about you, seen only by you."
    )
