"""One learner turn in an open dialogue, in phases: read, decide, word, guard, write.

Read and decide run in one short unit of work that writes nothing; wording is awaited
outside any transaction (a model may take seconds); the guard checks the words for the
secret answer; the write is a second short unit that stores the new state only if the
dialogue has not moved since it was read (its turn count is the version).

The read unit may stop before deciding for good: when a reply needs isolated grading
(`GradingNeeded`), or when the engine asked its judge something not answered yet
(`JudgementNeeded`). The tutor then grades or consults outside the unit and runs it again.
With a model (wording or judge), the read unit also reads the dialogue's last messages,
which a model's prompt holds beside a running summary of the earlier ones.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.content.catalog import Course
from bot.content.models import Exercise
from bot.content.rendering import RenderedExercise
from bot.dialogue import moves, problem
from bot.dialogue.conversation import NO_CONVERSATION, WINDOW_TURNS, Conversation, Exchange
from bot.dialogue.judgements import Ask, JudgeContext, Judgement
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.wording import OfflineWording, Wording, WordingContext, offline_text
from bot.learning.grading import Grade
from bot.learning.grading_pool import GradeRequest
from bot.services.answer_checks import AnswerChecks, GradingNeeded
from bot.services.exercise_flow import ExerciseFlow
from bot.services.judge_calls import JudgeCalls, JudgementNeeded
from bot.services.messages import Reply, choices_for
from bot.store import dialogues as dialogue_store
from bot.store.dialogues import OpenDialogue, TurnRecord
from bot.store.recent_turns import recent_turns

__all__ = ["STALE", "DialogueTurns", "TurnPlan", "WordedStep"]

log = logging.getLogger(__name__)

WORDING_TIMEOUT = 10.0
STALE = (
    "Two of your messages crossed, so I kept the first one. "
    "Send this one again if you still want to."
)


@dataclass(frozen=True)
class TurnPlan:
    """A decided turn, waiting to be worded and written."""

    user_id: int
    dialogue: OpenDialogue
    course: Course
    exercise: Exercise
    rendered: RenderedExercise | None
    text: str
    step: Step
    conversation: Conversation = NO_CONVERSATION  # read only when a model words the move
    window: tuple[Exchange, ...] | None = None  # the messages it was built from, when read


@dataclass(frozen=True)
class WordedStep:
    """The move that goes out (the guard may have replaced it) and its words."""

    move: moves.Move
    text: str


class DialogueTurns:
    """Run learner turns through the dialogue engine, wording and the store."""

    def __init__(
        self,
        flow: ExerciseFlow,
        checks: AnswerChecks,
        wording: Wording | None = None,
        wording_timeout: float = WORDING_TIMEOUT,
        judges: JudgeCalls | None = None,
    ) -> None:
        self.flow = flow
        self.checks = checks
        self.wording = wording or OfflineWording()
        self.wording_timeout = wording_timeout
        self.judges = judges or JudgeCalls()

    def decide(
        self,
        session: Session,
        user_id: int,
        dialogue: OpenDialogue,
        text: str,
        command: str,
        grades: Mapping[GradeRequest, Grade] | None,
        judged: Mapping[Ask, Judgement | None] | None = None,
    ) -> TurnPlan | GradingNeeded | JudgementNeeded | list[Reply]:
        """Read what the decision needs and decide the move; write nothing.

        Returns GradingNeeded when the reply needs isolated checks not among ``grades``
        (None: grade them here), JudgementNeeded when the engine asked the judge something
        not among ``judged`` (None: decide offline), and replies when the exercise no
        longer exists.
        """
        decided = self._decided(
            user_id, dialogue, text, command, grades, judged, lambda: _window(session, dialogue)
        )
        return [self.flow.orphan(session, dialogue)] if decided is None else decided

    def decide_known(
        self,
        user_id: int,
        dialogue: OpenDialogue,
        window: tuple[Exchange, ...] | None,
        text: str,
        command: str,
        grades: Mapping[GradeRequest, Grade],
        judged: Mapping[Ask, Judgement | None],
    ) -> TurnPlan | GradingNeeded | JudgementNeeded | None:
        """Decide on a dialogue as this process last wrote it, without the store.

        None when that is not enough: the exercise is not in the catalog as known here, or a
        model needs the last messages and they are not known. The write checks the version.
        """
        return self._decided(user_id, dialogue, text, command, grades, judged, lambda: window)

    def _decided(
        self,
        user_id: int,
        dialogue: OpenDialogue,
        text: str,
        command: str,
        grades: Mapping[GradeRequest, Grade] | None,
        judged: Mapping[Ask, Judgement | None] | None,
        window_of: Callable[[], tuple[Exchange, ...] | None],
    ) -> TurnPlan | GradingNeeded | JudgementNeeded | None:
        """Decide the move (None: the exercise, or the window a model needs, is missing)."""
        course, exercise = self.flow.exercise_of(dialogue)
        if course is None or exercise is None:
            return None
        runner = self.flow.runner
        state = DialogueState.from_json(dialogue.state)
        judgements = self.judges.judgements(judged)
        known = grades or {}
        if not command and grades is not None:
            keys = runner.graded_keys(course, exercise, dialogue.variant, state, text)
            needed = self.checks.missing(keys, text, known)
            if keys and judged:
                # An answer the judge found in the message is graded as the message is.
                for candidate in judgements.candidates():
                    more = self.checks.missing(keys, candidate, known)
                    if more is not None:
                        earlier = needed.requests if needed is not None else ()
                        needed = GradingNeeded(tuple(dict.fromkeys((*earlier, *more.requests))))
            if needed is not None:
                return needed
        step = runner.decide(
            course,
            exercise,
            dialogue.variant,
            state,
            text,
            command=command,
            purpose=dialogue.purpose,
            grader=self.checks.grader(known),
            judgements=judgements,
        )
        # A model's prompt (the judge's or the wording's) holds the last messages.
        window = window_of() if judgements.missing or not self.offline else None
        if window is None and (judgements.missing or not self.offline):
            return None
        if judgements.missing:
            context = JudgeContext(_conversation(window or ()), user_id, course.id)
            return JudgementNeeded(judgements.missing, context)
        rendered = runner.rendered(course, exercise, dialogue.variant)
        conversation = NO_CONVERSATION if window is None else _conversation(window)
        return TurnPlan(
            user_id, dialogue, course, exercise, rendered, text, step, conversation, window
        )

    @property
    def offline(self) -> bool:
        """True when wording needs no await: the whole turn can be one unit of work."""
        return isinstance(self.wording, OfflineWording)

    def word_offline(self, plan: TurnPlan) -> WordedStep:
        """Word the move with the offline phrases and guard it, without leaving the unit."""
        return self._guarded(plan, plan.step.move, offline_text(plan.step.move))

    async def word(self, plan: TurnPlan) -> WordedStep:
        """Word the move, then let the one answer-leak check see the words."""
        move = plan.step.move
        return self._guarded(plan, move, await self._words(plan, move))

    def _guarded(self, plan: TurnPlan, move: moves.Move, words: str) -> WordedStep:
        """Run the one answer-leak check on the words.

        Words that would reveal the answer are replaced by the move's offline phrase when
        that passes, else by a safe question; the wording hears of it either way.
        """
        rendered = plan.rendered
        if rendered is None or problem.guard(rendered, plan.step.state, words) is not None:
            return WordedStep(move, words)
        log.warning("a %s reply was withheld: it would reveal the answer", move.kind)
        self.wording.withheld(move.kind)
        offline = offline_text(move)
        if offline != words and problem.guard(rendered, plan.step.state, offline) is not None:
            return WordedStep(move, offline)
        safe = moves.LeakWithheld(withheld=move.kind)
        return WordedStep(safe, offline_text(safe))

    async def _words(self, plan: TurnPlan, move: moves.Move) -> str:
        """Ask the wording for text; the offline phrases answer when it fails or is slow."""
        if isinstance(self.wording, OfflineWording):
            return offline_text(move)
        prompt = plan.rendered.prompt if plan.rendered is not None else ""
        context = WordingContext(
            prompt=prompt,
            learner_text=plan.text,
            conversation=plan.conversation,
            user_id=plan.user_id,
            course_id=plan.course.id,
        )
        try:
            words = await asyncio.wait_for(
                self.wording.word(move, context), timeout=self.wording_timeout
            )
        except Exception:
            log.warning("wording a %s move failed; the offline phrase was used", move.kind)
            return offline_text(move)
        return words if isinstance(words, str) and words.strip() else offline_text(move)

    def write(self, session: Session, plan: TurnPlan, worded: WordedStep) -> list[Reply]:
        """Store the turn, the new state and the evidence, unless the dialogue moved on."""
        written = self.write_if_current(session, plan, worded)
        return [Reply(STALE)] if written is None else written

    def write_if_current(
        self, session: Session, plan: TurnPlan, worded: WordedStep
    ) -> list[Reply] | None:
        """Store the turn as `write` does; None, with nothing stored, if the dialogue moved on."""
        step, now = plan.step, self.flow.clock()
        record = TurnRecord(
            learner_text=plan.text,
            tutor_text=worded.text,
            move=worded.move.kind,
            verdict=step.verdict,
            **worded.move.facts(),
        )
        outcome = step.state.outcome if step.closed else None
        state = step.state.to_json()
        if not dialogue_store.save_turn(session, plan.dialogue, state, record, now, outcome):
            return None
        self.flow.record_attempt(session, plan.user_id, plan.dialogue, step, now)
        reply = Reply(worded.text, choices_for(step.choices))
        if step.closed:
            reply = self.flow.closing(plan.dialogue, reply)
        if not step.answered:
            return [reply]
        extra = self.flow.after_answer(
            session, plan.user_id, plan.course, plan.exercise, plan.dialogue, step.state
        )
        return [reply, *extra]


def _window(session: Session, dialogue: OpenDialogue) -> tuple[Exchange, ...]:
    """The dialogue's last messages after the opening, as a model's prompt reads them."""
    rows = recent_turns(session, dialogue.id, WINDOW_TURNS)
    return tuple(Exchange("learner" if role == "learner" else "tutor", text) for role, text in rows)


def _conversation(window: tuple[Exchange, ...]) -> Conversation:
    """The last messages, and a summary of the earlier ones in the window."""
    return Conversation.of(list(window))
