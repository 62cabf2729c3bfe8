"""What the engine may ask a judge (a model) when its own reading is unsure, as data.

The engine stays pure: it never calls a model. Where its offline reading is unsure it
looks the question up in a `Judgements` it was given. A question not answered yet is
noted there and read as "no judgement" (the offline path). The turn then stops before
writing anything, the service awaits the judge outside any transaction and decides the
turn again with the judgements in hand. A judgement is data the engine weighs: it only
counts when the judge is at least `TRUSTED` sure, and the engine still decides the move.

Who asks what, and when:

- `ReadAsk`: a message the offline reading cannot place (no answer found in it, a check
  that gave up, or a wrong answer phrased as a question) is classified into its dialogue
  act. An answer the judge finds in it is graded by the checker, never by the judge.
- `ExplainAsk`: a why-step explanation, or a reflection reply, is judged against its
  criteria (see `bot.dialogue.explanation` and `bot.dialogue.reflection` for the rules).
- `DiagnoseAsk`: a wrong answer that matches no authored misconception is diagnosed.
- `ReasoningAsk`: a right answer that shows its working has the working judged: is the
  method sound, and if not, at which step it goes wrong. The verdict stays the checker's.
- `SummaryAsk`: a finished reflection is summarised for the learner, in their words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol, TypeVar

from bot.dialogue.conversation import NO_CONVERSATION, Conversation
from bot.learning.answer_key import AnswerKey

__all__ = [
    "NO_JUDGE",
    "TRUSTED",
    "ActReading",
    "Ask",
    "DiagnoseAsk",
    "Diagnosis",
    "ExplainAsk",
    "Judge",
    "JudgeContext",
    "Judgement",
    "Judgements",
    "OfflineJudge",
    "ReadAsk",
    "ReasoningAsk",
    "ReasoningJudgement",
    "SummaryAsk",
    "TextJudgement",
    "ask_judge",
]

# A judgement counts only when the judge says it is at least this sure.
TRUSTED = 0.6


# --- the questions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReadAsk:
    """What kind of message is this? (The problem as the learner sees it; our last question.)"""

    text: str
    problem: str
    asked: str | None = None


@dataclass(frozen=True)
class ExplainAsk:
    """Which criteria does this free text meet; is it vague; is it right?"""

    text: str
    question: str
    criteria: tuple[str, ...]
    reference: str = ""


@dataclass(frozen=True)
class DiagnoseAsk:
    """Which mistaken idea leads to this wrong answer, and at which step?

    The reference solution goes to this judging call only, never to a prompt that words a
    reply; ``key`` lets the judge drop a diagnosis that would give the answer away, since
    the diagnosis is what the wording of the question then sees.
    """

    problem: str
    reference: str
    wrong_answer: str
    key: AnswerKey


@dataclass(frozen=True)
class ReasoningAsk:
    """Is the working shown with this right answer sound, and if not, where does it slip?

    A judging call: it may hold the reference solution. ``key`` lets the judge drop a step
    that would name the answer, since the step is what the learner is then asked about.
    """

    problem: str
    reference: str
    text: str
    key: AnswerKey


@dataclass(frozen=True)
class SummaryAsk:
    """What did the learner work out, in their own words?"""

    problem: str
    said: tuple[str, ...]


Ask = ReadAsk | ExplainAsk | DiagnoseAsk | ReasoningAsk | SummaryAsk


# --- the answers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActReading:
    """A message's dialogue act, and the answer inside it (copied from it), if any."""

    act: str
    candidate: str | None
    confidence: float


@dataclass(frozen=True)
class TextJudgement:
    """Free text judged against criteria; ``criteria_met`` holds 0-based indexes."""

    criteria_met: tuple[int, ...]
    vague: bool
    correct: bool
    missing: str
    confidence: float


@dataclass(frozen=True)
class Diagnosis:
    """The likely misconception behind a wrong answer, and the step where it went wrong."""

    misconception: str
    step: str
    confidence: float


@dataclass(frozen=True)
class ReasoningJudgement:
    """A right answer's working judged: sound or not, and the step that does not hold."""

    sound: bool
    step: str
    confidence: float


Judgement = ActReading | TextJudgement | Diagnosis | ReasoningJudgement | str

A = TypeVar("A", ActReading, TextJudgement, Diagnosis, ReasoningJudgement, str)


# --- what the engine consults ----------------------------------------------------------------


class Judgements:
    """The judgements at hand for one decision, and the questions still unanswered.

    An inactive one (no judge configured) answers nothing and notes nothing: the offline
    engine pays one attribute check for it.
    """

    __slots__ = ("_known", "_missing", "active")

    def __init__(self, known: Mapping[Ask, Judgement | None] | None = None, *, active: bool = True):
        self.active = active
        self._known: Mapping[Ask, Judgement | None] = known or {}
        self._missing: dict[Ask, None] = {}

    @property
    def missing(self) -> tuple[Ask, ...]:
        """The questions asked that have no answer yet, in the order they were asked."""
        return tuple(self._missing)

    def read(self, ask: ReadAsk) -> ActReading | None:
        """The act a trusted judge read in a message, or None."""
        reading = self._answer(ask, ActReading)
        return reading if reading is not None and reading.confidence >= TRUSTED else None

    def explanation(self, ask: ExplainAsk) -> TextJudgement | None:
        """A trusted judgement of free text, or None."""
        judged = self._answer(ask, TextJudgement)
        return judged if judged is not None and judged.confidence >= TRUSTED else None

    def diagnosis(self, ask: DiagnoseAsk) -> Diagnosis | None:
        """A trusted diagnosis of a wrong answer, or None."""
        found = self._answer(ask, Diagnosis)
        return found if found is not None and found.confidence >= TRUSTED else None

    def reasoning(self, ask: ReasoningAsk) -> ReasoningJudgement | None:
        """A trusted judgement of the working shown with a right answer, or None."""
        judged = self._answer(ask, ReasoningJudgement)
        return judged if judged is not None and judged.confidence >= TRUSTED else None

    def summary(self, ask: SummaryAsk) -> str | None:
        """The judge's summary of a finished reflection, or None."""
        return self._answer(ask, str)

    def candidates(self) -> tuple[str, ...]:
        """The answers a judge found inside messages, so they can be graded in advance."""
        return tuple(
            found.candidate
            for found in self._known.values()
            if isinstance(found, ActReading) and found.candidate
        )

    def _answer(self, ask: Ask, kind: type[A]) -> A | None:
        if not self.active:
            return None
        if ask not in self._known:
            self._missing[ask] = None
            return None
        found = self._known[ask]
        return found if isinstance(found, kind) else None


NO_JUDGE = Judgements(active=False)


# --- the judge -------------------------------------------------------------------------------


@dataclass(frozen=True)
class JudgeContext:
    """What a judge may know about the turn besides the question."""

    conversation: Conversation = NO_CONVERSATION
    # Whose turn it is, for counting a model's tokens against the caps; never sent to it.
    user_id: int | None = None
    course_id: str | None = None


class Judge(Protocol):
    """Anything that judges for the engine: a model, a test double, or nobody."""

    async def read(self, ask: ReadAsk, context: JudgeContext) -> ActReading | None:
        """Classify a message the offline reading is unsure of."""
        ...

    async def explanation(self, ask: ExplainAsk, context: JudgeContext) -> TextJudgement | None:
        """Judge free text against its criteria."""
        ...

    async def diagnose(self, ask: DiagnoseAsk, context: JudgeContext) -> Diagnosis | None:
        """Diagnose a wrong answer no authored misconception matches."""
        ...

    async def reasoning(
        self, ask: ReasoningAsk, context: JudgeContext
    ) -> ReasoningJudgement | None:
        """Judge the working shown with a right answer."""
        ...

    async def summarise(self, ask: SummaryAsk, context: JudgeContext) -> str | None:
        """Summarise a finished reflection for the learner."""
        ...


class OfflineJudge:
    """The default: judges nothing, so the engine keeps its offline reading."""

    async def read(self, ask: ReadAsk, context: JudgeContext) -> ActReading | None:
        """No reading."""
        return None

    async def explanation(self, ask: ExplainAsk, context: JudgeContext) -> TextJudgement | None:
        """No judgement."""
        return None

    async def diagnose(self, ask: DiagnoseAsk, context: JudgeContext) -> Diagnosis | None:
        """No diagnosis."""
        return None

    async def reasoning(
        self, ask: ReasoningAsk, context: JudgeContext
    ) -> ReasoningJudgement | None:
        """No judgement of the working."""
        return None

    async def summarise(self, ask: SummaryAsk, context: JudgeContext) -> str | None:
        """No summary."""
        return None


async def ask_judge(judge: Judge, ask: Ask, context: JudgeContext) -> Judgement | None:
    """Put one question to the judge."""
    match ask:
        case ReadAsk():
            return await judge.read(ask, context)
        case ExplainAsk():
            return await judge.explanation(ask, context)
        case DiagnoseAsk():
            return await judge.diagnose(ask, context)
        case ReasoningAsk():
            return await judge.reasoning(ask, context)
        case SummaryAsk():
            return await judge.summarise(ask, context)
