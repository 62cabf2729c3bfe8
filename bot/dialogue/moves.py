"""The tutor's moves as data: what it decided to do, before anyone words it.

The dialogue engine returns one move per learner message. Wording (offline phrases or a
model) turns it into text; the transcript keeps it beside the words, so a coach or a course
creator can count and read what the tutor meant to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from bot.dialogue.move_base import MISCONCEPTION_CHARS, Move
from bot.dialogue.moves_asides import (
    ChitChat,
    Clarify,
    Encourage,
    OnTheWay,
    PickAnOption,
    ReplyHeard,
    Rounded,
    RuledOut,
    SayItInCode,
    TryFirst,
)

__all__ = [
    "MISCONCEPTION_CHARS",
    "AlreadySolved",
    "AskWhyAgain",
    "CheckStep",
    "ChitChat",
    "Clarify",
    "Diagnosed",
    "Encourage",
    "Hedged",
    "Hint",
    "LeakWithheld",
    "ModelExplanation",
    "Move",
    "NoMoreHints",
    "OnTheWay",
    "PickAnOption",
    "PlacementHelp",
    "PlacementNoted",
    "Praise",
    "Probe",
    "Recheck",
    "ReflectionClosed",
    "ReflectionSummary",
    "ReplyHeard",
    "Reveal",
    "ReviewClosed",
    "Rounded",
    "RuledOut",
    "SayItInCode",
    "Skipped",
    "SkippedWithAnswer",
    "SmallerStep",
    "Targeted",
    "TryFirst",
    "Unchecked",
    "WhyFollowUp",
]


@dataclass(frozen=True)
class Targeted(Move):
    """A question aimed at the misconception the wrong answer matched."""

    kind: ClassVar[str] = "targeted"
    misconception: str | None
    question: str

    def facts(self) -> dict[str, Any]:
        return {"misconception": self.misconception}


@dataclass(frozen=True)
class Recheck(Move):
    """Ask the learner to re-check a wrong answer that matched no known misconception."""

    kind: ClassVar[str] = "recheck"
    checker: str
    candidate: str
    attempt: int


@dataclass(frozen=True)
class Diagnosed(Move):
    """A question aimed at a mistake a judge diagnosed in a wrong answer no authored
    misconception matched: the mistaken idea and the step, never the answer."""

    kind: ClassVar[str] = "diagnosed"
    misconception: str
    step: str
    attempt: int

    def facts(self) -> dict[str, Any]:
        return {"misconception": self.misconception[:MISCONCEPTION_CHARS]}


@dataclass(frozen=True)
class Hint(Move):
    """One rung of the hint ladder (1 nudge, 2 specific hint, 3 worked step)."""

    kind: ClassVar[str] = "hint"
    rung: int
    text: str
    automatic: bool = False  # climbed after repeated misses, not asked for

    def facts(self) -> dict[str, Any]:
        return {"rung": self.rung}


@dataclass(frozen=True)
class SmallerStep(Move):
    """A non-answer (empty, don't know, a request for the answer, off topic) met with a hint."""

    kind: ClassVar[str] = "smaller_step"
    reason: str
    rung: int
    text: str

    def facts(self) -> dict[str, Any]:
        return {"rung": self.rung}


@dataclass(frozen=True)
class NoMoreHints(Move):
    """The ladder has run out: point at the worked step, or `skip`."""

    kind: ClassVar[str] = "no_more_hints"


@dataclass(frozen=True)
class Hedged(Move):
    """Several different answers at once: ask the learner to commit to one."""

    kind: ClassVar[str] = "hedged"
    attempt: int


@dataclass(frozen=True)
class Unchecked(Move):
    """The answer could not be checked in time: ask for a simpler form."""

    kind: ClassVar[str] = "unchecked"


@dataclass(frozen=True)
class Praise(Move):
    """A correct answer: confirm it, then ask why it works."""

    kind: ClassVar[str] = "praise"
    after_hints: bool
    attempt: int
    question: str
    accent: str | None = None  # right but for the accents: how the answer is written
    working: bool = False  # a judge found the working the learner showed sound
    powers: bool = False  # right with powers typed as glued digits ("x2"): write them with ^


@dataclass(frozen=True)
class CheckStep(Move):
    """A right answer whose shown working a judge found unsound at one step: the verdict
    stands, and the learner is asked to look at that step again instead of why it works."""

    kind: ClassVar[str] = "check_step"
    after_hints: bool
    attempt: int
    step: str  # the step that does not hold, never its right result


@dataclass(frozen=True)
class Reveal(Move):
    """The ladder ran out and the learner missed again: show the answer, then ask why."""

    kind: ClassVar[str] = "reveal"
    answer: str
    worked: str
    question: str


@dataclass(frozen=True)
class AskWhyAgain(Move):
    """The why-answer was blank: ask once more, gently."""

    kind: ClassVar[str] = "ask_why_again"
    question: str


@dataclass(frozen=True)
class ReflectionClosed(Move):
    """The learner explained why: thank them and close."""

    kind: ClassVar[str] = "close"
    attempt: int


@dataclass(frozen=True)
class AlreadySolved(Move):
    """A hint asked for after solving: point back at the why-question."""

    kind: ClassVar[str] = "already_solved"
    question: str


@dataclass(frozen=True)
class Skipped(Move):
    """The learner skipped the exercise (its answer kept when still secret)."""

    kind: ClassVar[str] = "skip"
    answer_kept: bool = False  # skipped before the ladder ran out: the answer stays secret


@dataclass(frozen=True)
class ReviewClosed(Move):
    """A review ends on the answer, remembered or shown, without the why-question."""

    kind: ClassVar[str] = "review_close"
    remembered: bool
    answer: str
    worked: str


@dataclass(frozen=True)
class PlacementNoted(Move):
    """A placement item is answered once, without a verdict that gives the answer away."""

    kind: ClassVar[str] = "placement"
    correct: bool
    skipped: bool = False  # the learner typed `skip`: the item counts as not known


@dataclass(frozen=True)
class Probe(Move):
    """A reflection probe for the first criterion the answers do not meet yet."""

    kind: ClassVar[str] = "probe"
    criterion: int
    probe: str
    vague: bool = False
    rung: int = 1  # 1 for the first probe on this criterion in the dialogue, 2 the next...
    # Why no reply was judged: `hint`, or why it was vague (filler, short, salad, repeat...).
    reason: str = ""
    quoted: str | None = None  # the learner's own words the probe quotes, verbatim

    def facts(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "rung": self.rung}


@dataclass(frozen=True)
class ReflectionSummary(Move):
    """A reflection closes on what the learner worked out, in their words."""

    kind: ClassVar[str] = "summary"
    answers: tuple[str, ...]
    still_open: tuple[str, ...]
    summary: str | None = None  # a judge's summary of the answers, in the learner's words


@dataclass(frozen=True)
class LeakWithheld(Move):
    """The worded reply would have revealed the secret answer: a safe question instead."""

    kind: ClassVar[str] = "leak_withheld"
    withheld: str  # the kind of move whose wording was withheld


@dataclass(frozen=True)
class WhyFollowUp(Move):
    """A vague why-answer: one specific follow-up."""

    kind: ClassVar[str] = "why_follow_up"
    probe: str
    missing: str = ""  # what a judge found the explanation does not say yet


@dataclass(frozen=True)
class ModelExplanation(Move):
    """A second vague why-answer: close kindly with a model explanation."""

    kind: ClassVar[str] = "model_explanation"
    explanation: str


@dataclass(frozen=True)
class SkippedWithAnswer(Move):
    """The learner gave up: show the worked solution and the answer, so they leave knowing."""

    kind: ClassVar[str] = "skip"
    answer: str
    worked: str


@dataclass(frozen=True)
class PlacementHelp(Move):
    """A question or hint request during placement: how placement works, item still open."""

    kind: ClassVar[str] = "placement_help"
