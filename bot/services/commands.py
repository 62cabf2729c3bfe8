"""The in-chat commands, the same words on every platform."""

from __future__ import annotations

import re
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
# A hint asked for in words, the whole message: "can I have a hint?", "another clue pls",
# "I need help", "una pista por favor". ("help" alone lists the commands.)
_HINT_REQUEST = re.compile(
    r"\W*(?:(?:ok|okay|um+|hmm+|so|pls|please|sorry)\W+)*"
    r"(?:(?:can|could|may)\s+(?:i|you)\s+(?:please\s+)?(?:have|get|give\s+me|show\s+me|"
    r"send\s+me)\s+|(?:please\s+)?(?:give|show|send)\s+me\s+|i\s+(?:need|want|would\s+like|"
    r"'d\s+like)\s+|(?:dame|donne[- ]moi|gib\s+mir|me\s+da|dammi)\s+)?"
    r"(?:a\s+|an\s+|another\s+|one\s+more\s+|more\s+|some\s+|the\s+next\s+|a\s+little\s+|"
    r"una\s+|otra\s+|un\s+|une\s+|einen\s+|ein\s+|uma\s+|outra\s+|un'\s*)?"
    r"(?:hints?|clues?|help(?:\s+me)?|nudge|pista|indice|tipp|hinweis|dica|suggerimento|aiuto|"
    r"ayuda)"
    r"(?:\s+(?:please|pls|plz|por\s+favor|s'il\s+(?:te|vous)\s+pla[iî]t|bitte|per\s+favore|"
    r"here|with\s+this(?:\s+one)?))*\W*",
    re.IGNORECASE,
)

# Skipping asked for in words, the whole message: "can I skip this one?", "skip it please",
# "I'd like to skip", "let me skip this question".
_SKIP_REQUEST = re.compile(
    r"\W*(?:(?:ok|okay|um+|hmm+|so|pls|please|sorry)\W+)*"
    r"(?:(?:can|could|may)\s+(?:i|we)\s+(?:please\s+|just\s+)?|let\s+me\s+(?:just\s+)?|"
    r"i\s+(?:want|need|would\s+like|'d\s+like)\s+to\s+(?:just\s+)?|i'?ll\s+(?:just\s+)?|"
    r"(?:please\s+|just\s+)?)"
    r"skip(?:\s+(?:this|it|that|the))?(?:\s+(?:one|question|exercise|problem))?"
    r"(?:\s+(?:please|pls|plz|for\s+now))*\W*",
    re.IGNORECASE,
)

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
    alone = len(words) == 1 and head in COMMANDS  # "help" alone lists the commands
    if not alone and len(text) <= 80 and _HINT_REQUEST.fullmatch(text.strip()):
        return Command("hint")
    if not alone and len(text) <= 80 and _SKIP_REQUEST.fullmatch(text.strip()):
        return Command("skip")
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
