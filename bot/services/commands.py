"""The in-chat commands, the same words on every platform."""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS = (
    "courses",
    "start",
    "hint",
    "skip",
    "next",
    "progress",
    "review",
    "snooze",
    "help",
    "quit",
)
ALIASES = {"learn": "start", "exit": "quit", "bye": "quit", "menu": "help", "stats": "progress"}

HELP_TEXT = """\
Here's how this works: I ask, you answer, and we work it out together. I won't hand you
answers, but I'll give you hints when you ask.
  courses          list the courses
  start <course>   start or continue a course
  hint             a hint (each one is a little more specific)
  skip             skip this exercise
  next             the next exercise
  progress         where you stand in your course
  review           practise what is due for review
  snooze           no review prompts for an hour (`snooze tomorrow`: until tomorrow morning)
  help             this list
  quit             leave (your place is saved)"""


@dataclass(frozen=True)
class Command:
    """A recognised command and its argument."""

    name: str
    argument: str = ""


def parse_command(text: str) -> Command | None:
    """Recognise a command: one of the command words alone, or `start` with a course id."""
    words = text.strip().split()
    if not words or len(words) > 2:
        return None
    head = words[0].lower().lstrip("/!")
    head = ALIASES.get(head, head)
    if head not in COMMANDS:
        return None
    if len(words) == 2 and head not in {"start", "snooze"}:
        return None
    return Command(head, words[1].lower() if len(words) == 2 else "")
