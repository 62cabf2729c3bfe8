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


MAX_COURSE_WORDS = 6  # `start python basics`: a course named by words of its title


def parse_command(text: str) -> Command | None:
    """Recognise a command: a command word alone, `snooze <when>`, or `start <course>`.

    A course may be named by several words of its title; whether they name one is for
    the caller to decide (`start by finding a common denominator` is an answer).
    """
    words = text.strip().split()
    if not words:
        return None
    head = words[0].lower().lstrip("/!")
    head = ALIASES.get(head, head)
    if head not in COMMANDS:
        return None
    rest = words[1:]
    if not rest:
        return Command(head)
    if head == "snooze" and len(rest) == 1:
        return Command(head, rest[0].lower())
    if head == "start" and len(rest) <= MAX_COURSE_WORDS:
        return Command(head, " ".join(rest).lower())
    return None
