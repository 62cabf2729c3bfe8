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
  quit             leave (your place is saved)
With a coach:
  coach join <code>   connect with a coach (I show what they will see first)
  assignments         the exercises your coach gave you
  assignment <n>      start or continue one of them
  coach end [name]    stop working with a coach"""


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


# The words of a coach's client, the same on every platform. Each takes only its exact
# shape, so an answer that starts with "coach" or "assignments" stays an answer.
MAX_NAME_WORDS = 4


@dataclass(frozen=True)
class CoachingWord:
    """A client's coaching word: join (an invite code), accept, assignments, assignment, end."""

    name: str
    argument: str = ""


def parse_coaching_word(text: str) -> CoachingWord | None:
    """Recognise `coach join <code>`, `assignments`, `assignment <n>` or `coach end [name]`."""
    words = text.strip().split()
    if not words or len(words) > 2 + MAX_NAME_WORDS:
        return None
    head = words[0].lower().lstrip("/!")
    if head == "assignments" and len(words) == 1:
        return CoachingWord("assignments")
    if head == "assignment" and len(words) == 2 and words[1].lstrip("#").isdigit():
        return CoachingWord("assignment", words[1].lstrip("#"))
    if head != "coach" or len(words) < 2:
        return None
    verb = words[1].lower()
    if verb == "join" and len(words) == 3:
        return CoachingWord("join", words[2])
    if verb == "end":
        return CoachingWord("end", " ".join(words[2:]))
    return None
