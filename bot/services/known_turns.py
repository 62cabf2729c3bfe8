"""A turn on the dialogue as this process last wrote it: no read unit, one write.

With a model, a turn waits seconds for its words; reading the learner and their open
dialogue again for the next message, in its own unit of work, would cost the database
thread more than the decision itself. So after a turn is written, the tutor keeps what
the next one needs: the learner, the open dialogue at its new version, and the last
messages a model's prompt holds. The next message is decided from that on the event loop
and written in one unit whose version check refuses it if anything moved the dialogue
meanwhile (another process, a coach closing it, a command). Then the entry is dropped and
the turn runs again the long way, reading afresh: a learner never sees a stale decision.

Only a turn that leaves its dialogue open is kept, and an answered one only in practice
(a placement answer moves on, a coach's step may close); a command takes the long way;
a window of messages too long to keep is not kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from bot.dialogue.conversation import WINDOW_TURNS, Exchange
from bot.dialogue.judgements import Ask, Judgement
from bot.learning.grading import Grade
from bot.learning.grading_pool import GradeRequest
from bot.services.answer_checks import GradingNeeded
from bot.services.commands import parse_command
from bot.services.judge_calls import JudgementNeeded
from bot.services.messages import Incoming, Reply
from bot.services.turns import DialogueTurns, TurnPlan, WordedStep
from bot.store.dialogues import OpenDialogue

__all__ = ["KNOWN_LEARNERS", "Known", "KnownDialogues", "turn_on_known"]

KNOWN_LEARNERS: Final = 4_096  # learners remembered; the least recent are forgotten
WINDOW_CHARS: Final = 16_000  # a window longer than this is read again, not kept
ROUNDS: Final = 6  # grading and judging rounds before the long way is taken
DIALOGUE_COMMANDS: Final = frozenset({"", "hint", "skip"})
PRACTICE: Final = "practice"


@dataclass(frozen=True)
class Known:
    """What the next turn of one learner needs, as this process last wrote it."""

    user_id: int
    dialogue: OpenDialogue
    window: tuple[Exchange, ...] | None  # None: no model reads the messages


class KnownDialogues:
    """The open dialogues of the most recent learners (touched on the event loop only)."""

    def __init__(self, limit: int = KNOWN_LEARNERS) -> None:
        self.limit = limit
        self._known: OrderedDict[tuple[str, str], Known] = OrderedDict()

    def get(self, message: Incoming) -> Known | None:
        """The learner's open dialogue as last written here, if it is kept."""
        return self._known.get((message.platform, message.user_id))

    def drop(self, platform: str, user_id: str) -> None:
        """Forget a learner's dialogue: their next message reads it afresh."""
        self._known.pop((platform, user_id), None)

    def __len__(self) -> int:
        return len(self._known)

    def written(self, message: Incoming, plan: TurnPlan, worded: WordedStep) -> None:
        """Keep the dialogue a turn left open and unanswered, at the version it wrote."""
        key = (message.platform, message.user_id)
        step = plan.step
        # A practice answer only records its outcome; anything else may open or close one.
        if step.closed or (step.answered and plan.dialogue.purpose != PRACTICE):
            self._known.pop(key, None)
            return
        window = plan.window
        if window is not None:
            said = (Exchange("learner", plan.text), Exchange("tutor", worded.text))
            window = (*window, *said)[-WINDOW_TURNS:]
            if sum(len(e.text) for e in window) > WINDOW_CHARS:
                self._known.pop(key, None)
                return
        self._known[key] = Known(plan.user_id, plan.dialogue, window)
        self._known.move_to_end(key)
        while len(self._known) > self.limit:
            self._known.popitem(last=False)


async def turn_on_known(
    turns: DialogueTurns,
    known: Known,
    text: str,
    write: Callable[[TurnPlan, WordedStep], Awaitable[list[Reply] | None]],
) -> tuple[TurnPlan, WordedStep, list[Reply]] | None:
    """Decide, word and write a dialogue turn on what is known; None: take the long way.

    None comes before any wording when the message is a command or the known state is not
    enough, and after it when the write found the dialogue moved on (nothing was stored).
    """
    command = parse_command(text)
    name = command.name if command is not None else ""
    if name not in DIALOGUE_COMMANDS:
        return None
    grades: dict[GradeRequest, Grade] = {}
    judged: dict[Ask, Judgement | None] = {}
    for _ in range(ROUNDS):
        decided = turns.decide_known(
            known.user_id, known.dialogue, known.window, text, name, grades, judged
        )
        if isinstance(decided, GradingNeeded):
            grades.update(await turns.checks.check(decided))
        elif isinstance(decided, JudgementNeeded):
            judged.update(await turns.judges.consult(decided))
        elif decided is None:
            return None
        else:
            break
    else:
        return None
    assert isinstance(decided, TurnPlan)
    worded = await turns.word(decided)
    replies = await write(decided, worded)
    return None if replies is None else (decided, worded, replies)
