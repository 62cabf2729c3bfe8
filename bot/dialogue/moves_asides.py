"""Moves for messages that are no attempt at the answer: questions, feelings, replies to
the tutor's own questions, steps on the way, options ruled out.

Re-exported by ``bot.dialogue.moves``, where every move is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.dialogue.move_base import Move

__all__ = [
    "ChitChat",
    "Clarify",
    "Encourage",
    "OnTheWay",
    "PickAnOption",
    "ReplyHeard",
    "Rounded",
    "RuledOut",
    "SayItInCode",
    "TryFirst",
]


@dataclass(frozen=True)
class Clarify(Move):
    """A question about the problem: clarify it without giving anything away."""

    kind: ClassVar[str] = "clarify"
    clarification: str | None
    prompt: str
    concept: str = ""
    # A step the learner asked whether to take ("do I add them?"), said to them ("add
    # them"): the tutor asks them to try it rather than say yes or no.
    step: str = ""


@dataclass(frozen=True)
class Encourage(Move):
    """A feeling ("I'm confused", "this is hard"): acknowledge it, then a smaller step."""

    kind: ClassVar[str] = "encourage"
    rung: int
    text: str

    def facts(self) -> dict[str, Any]:
        return {"rung": self.rung}


@dataclass(frozen=True)
class ChitChat(Move):
    """A greeting, thanks or 'ok': answer briefly and hand the problem back."""

    kind: ClassVar[str] = "chitchat"


@dataclass(frozen=True)
class SayItInCode(Move):
    """A change to code told in words ("use return instead of print"): ask for the code."""

    kind: ClassVar[str] = "say_it_in_code"
    heard: int = 0  # replies taken before this one (wording only)


@dataclass(frozen=True)
class OnTheWay(Move):
    """A step that is right so far ("2x = 8" on the way to x = 4, "3 × 4" still to work
    out where the answer is 12): keep going."""

    kind: ClassVar[str] = "on_the_way"
    step: str  # the learner's equation, as they wrote it


@dataclass(frozen=True)
class Rounded(Move):
    """The right value, rounded ("0.58" for 7/12): ask for it exactly, without saying it."""

    kind: ClassVar[str] = "rounded"
    fraction: bool  # the answer is written as a fraction


@dataclass(frozen=True)
class PickAnOption(Move):
    """A reply to a choice question that names no one option: ask for the one picked.

    ``unlisted``: the reply is a short answer of its own ("Oceania"), none of the options.
    """

    kind: ClassVar[str] = "pick_option"
    unlisted: bool = False


@dataclass(frozen=True)
class RuledOut(Move):
    """Options ruled out and none picked ("not oxygen"): ask which one, judging nothing.

    ``options`` 0: a typed answer set aside ("definitely not Sydney"): ask what it is.
    """

    kind: ClassVar[str] = "ruled_out"
    options: int  # how many options the reply ruled out
    heard: int = 0  # replies taken so far in this exercise: the wording varies with it


@dataclass(frozen=True)
class ReplyHeard(Move):
    """A reply to the tutor's own question: take it, then ask for the answer again."""

    kind: ClassVar[str] = "reply_heard"
    expected: bool  # it said what the targeted question was after
    misconception: str | None = None
    heard: int = 0  # replies taken before this one (wording only, not stored)

    def facts(self) -> dict[str, Any]:
        return {"misconception": self.misconception}


@dataclass(frozen=True)
class TryFirst(Move):
    """The worked step waits for a real attempt since the last hint."""

    kind: ClassVar[str] = "try_first"
    rung: int
    held: int = 0  # how many times it waited before this one (wording only, not stored)

    def facts(self) -> dict[str, Any]:
        return {"rung": self.rung}
