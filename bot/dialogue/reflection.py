"""Moves for a reflection exercise: read each reply, probe what is still unmet, summarise.

The state keeps every learner turn in `answers`, a vague reply and a `hint` included.
What was asked before is derived by replaying those turns through the same decisions, so
the engine never asks one probe twice in a dialogue and stores nothing beside what the
learner said (and, with a judge, what it found in each turn: `DialogueState.model_met`).

With a judge, the offline detectors stay the first reader and the judge can only add to
them: a reply they found too vague to judge (too short, keyword salad, a question or a
feeling; never an empty one, filler, a repeat, a don't-know or a request for the answer)
is judged after all when a trusted judge finds it substantive and meeting a criterion,
and a criterion (other than a `none_of`) counts as met when the detectors or a trusted
judge found it met. A judge never makes a detector's finding count for less: a reflection
is about the learner's own situation, and there is no right answer to hold it against.
A finished reflection is summarised by the judge, in the learner's words, when it can.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.content.models import NoneOf, ReflectionExercise
from bot.dialogue import moves
from bot.dialogue.intents import classify
from bot.dialogue.judgements import NO_JUDGE, ExplainAsk, Judgements, SummaryAsk
from bot.dialogue.probes import Rung, label_of, ladder
from bot.dialogue.state import DialogueState, Step
from bot.learning.criteria import (
    Answers,
    asks_for_a_list,
    criterion_met,
    items_listed,
    keywords_of,
    reflection_credit,
    vagueness,
)

CHOICES_OPEN = ("skip",)
CHOICES_CLOSED = ("next", "progress")
VAGUE_IN_A_ROW = 3  # the third vague reply in a row closes the reflection, kindly
HINT = "hint"  # a `hint` is kept as this turn: it asks for a probe and is never judged
TURN_CHARS = 2000
# Vague for sure: a judge is not asked about these.
_SURELY_VAGUE = {"empty", "dont_know", "answer_request", "filler", "repeat"}
Met = tuple[int, ...] | None  # the criteria a judge found met in one turn (None: no judgement)
_FIRST_PERSON = re.compile(
    r"^\W*(?:i\b|i['’]m|im\b|this\b|it['’]?s\b|that['’]?s\b|ugh|argh|sigh)", re.I
)


@dataclass(frozen=True)
class _History:
    """What the dialogue has been so far, rebuilt from the learner's turns."""

    said: tuple[str, ...] = ()  # the replies judged against the criteria
    # The first of them to meet a criterion: the ones before it were false starts.
    first_useful: int | None = None
    asked: tuple[tuple[int, str], ...] = ()  # (criterion, probe template) of every probe
    probes: int = 0  # probes after judged replies (bounded by max_probes)
    vague_in_row: int = 0
    model_met: frozenset[int] = frozenset()  # criteria a judge found met in judged replies

    def probes_on(self, criterion: int) -> int:
        """Count the probes asked on one criterion."""
        return sum(1 for c, _ in self.asked if c == criterion)


def opening(exercise: ReflectionExercise) -> str:
    """Return the first message: the open prompt."""
    return exercise.prompt


def unmet_criteria(
    exercise: ReflectionExercise,
    answers: tuple[str, ...],
    model_met: frozenset[int] = frozenset(),
) -> list[int]:
    """Return the indexes of criteria that the given replies do not meet yet."""
    judged = Answers.of(answers)
    return [
        i
        for i, c in enumerate(exercise.criteria)
        if i not in model_met and not criterion_met(c, judged)
    ]


def probe(
    exercise: ReflectionExercise, state: DialogueState, judgements: Judgements = NO_JUDGE
) -> Step:
    """Answer `hint` with the next probe for the first criterion not met yet."""
    return _advance(exercise, state, HINT, judgements)


def respond(
    exercise: ReflectionExercise,
    state: DialogueState,
    text: str,
    judgements: Judgements = NO_JUDGE,
) -> Step:
    """Take one reply: probe a vague one or an unmet criterion, or close with a summary."""
    return _advance(exercise, state, text.strip()[:TURN_CHARS], judgements)


def evidence(exercise: ReflectionExercise, state: DialogueState) -> float:
    """Return the evidence (0 to 1) a finished reflection gives for its skill.

    Each criterion counts 1 when met without a probe, less for each probe it took (see
    `bot.learning.criteria.reflection_credit`), 0 when still unmet; the evidence is the
    mean over the criteria.
    """
    history = _replay(exercise, state.answers, state.model_met)
    judged = Answers.of(history.said)
    results = [
        (criterion_met(c, judged) or i in history.model_met, history.probes_on(i))
        for i, c in enumerate(exercise.criteria)
    ]
    return reflection_credit(results)


def _advance(
    exercise: ReflectionExercise, state: DialogueState, text: str, judgements: Judgements
) -> Step:
    """Decide the move for one more turn and record the turn in the state."""
    history = _replay(exercise, state.answers, state.model_met)
    met = _judged_met(exercise, history, text, judgements) if judgements.active else None
    move, after = _decide(exercise, history, text, met)
    if (
        isinstance(move, moves.ReflectionSummary)
        and move.answers
        and judgements.active
        and not judgements.missing  # the reply's own judgement may still change the summary
    ):
        summary = judgements.summary(SummaryAsk(exercise.prompt, move.answers))
        if summary:
            move = replace(move, summary=summary)
    judged = len(after.said) > len(history.said)
    new = replace(
        state,
        answers=(*state.answers, text),
        attempts=state.attempts + int(judged),
        vague=state.vague + int(not judged),
        probes=after.probes,
        model_met=_with_turn(state.model_met, len(state.answers), met),
    )
    if isinstance(move, moves.Probe):
        return Step(new, move, CHOICES_OPEN)
    unmet = unmet_criteria(exercise, after.said, after.model_met)
    closed = replace(new, stage="closed", outcome="closed" if unmet else "solved")
    return Step(closed, move, CHOICES_CLOSED, answered=True, closed=True)


def _with_turn(model_met: tuple[Met, ...], turns: int, met: Met) -> tuple[Met, ...]:
    """Add one turn's judgement, aligned with the turns in `answers` (kept empty offline)."""
    if met is None and not model_met:
        return model_met
    padded = (*model_met, *(None,) * (turns - len(model_met)))
    return (*padded[:turns], met)


def _judged_met(
    exercise: ReflectionExercise, history: _History, text: str, judgements: Judgements
) -> Met:
    """Ask the judge about a reply the detectors cannot settle; the criteria it found met."""
    if text == HINT:
        return None
    reason = _vague_reason(exercise, history, text)
    if reason in _SURELY_VAGUE:
        return None
    if reason is None:
        judged_so_far = (*history.said, text)
        if not unmet_criteria(exercise, judged_so_far, history.model_met):
            return None  # the detectors found every criterion met: nothing to add
    labels = tuple(label_of(c) for c in exercise.criteria)
    judged = judgements.explanation(ExplainAsk(text, exercise.prompt, labels))
    if judged is None or judged.vague:
        return None
    met = tuple(
        i
        for i in judged.criteria_met
        if 0 <= i < len(exercise.criteria) and not isinstance(exercise.criteria[i], NoneOf)
    )
    return met or None


def _replay(
    exercise: ReflectionExercise, turns: tuple[str, ...], model_met: tuple[Met, ...] = ()
) -> _History:
    """Rebuild the history by deciding each earlier turn again, in order."""
    history = _History()
    for index, turn in enumerate(turns):
        met = model_met[index] if index < len(model_met) else None
        _, history = _decide(exercise, history, turn, met)
    return history


def _decide(
    exercise: ReflectionExercise, history: _History, text: str, met: Met = None
) -> tuple[moves.Move, _History]:
    """Return the move for one turn and the history after it.

    ``met``: the criteria a judge found met in this turn (it then counts as judged).
    """
    reason = "hint" if text == HINT else _vague_reason(exercise, history, text)
    if met is not None and reason != "hint":
        reason = None  # substantive to a trusted judge: judge it
    if reason and reason != "hint":  # asking for a probe is not a vague reply
        history = replace(history, vague_in_row=history.vague_in_row + 1)
        if history.vague_in_row >= VAGUE_IN_A_ROW:
            return _summary(exercise, history), history
    elif not reason:
        first_useful = history.first_useful
        if first_useful is None and (met or _adds_anything(exercise, history, text)):
            first_useful = len(history.said)
        history = replace(
            history,
            said=(*history.said, text),
            first_useful=first_useful,
            vague_in_row=0,
            model_met=history.model_met.union(met or ()),
        )
        if history.probes >= exercise.max_probes:
            return _summary(exercise, history), history
    chosen = _next_probe(exercise, history)
    if chosen is None:
        return _summary(exercise, history), history
    index, rung = chosen
    move = moves.Probe(
        criterion=index,
        probe=rung.text,
        vague=reason not in (None, "hint"),
        rung=history.probes_on(index) + 1,
        reason=reason or "",
        quoted=rung.quoted,
    )
    history = replace(
        history,
        asked=(*history.asked, (index, rung.template)),
        probes=history.probes + int(reason is None),
    )
    return move, history


def _vague_reason(exercise: ReflectionExercise, history: _History, text: str) -> str | None:
    """Say why a reply cannot be judged yet (None: judge it)."""
    intent = _intent(text)
    if intent in {"empty", "dont_know", "answer_request"}:
        return intent
    reason = vagueness(text, history.said, keywords_of(exercise.criteria))
    if reason == "short" and _adds_an_item(exercise, history, text):
        return None  # "confidence" after "list three" is one more item, not a shrug
    if reason:
        return reason
    if intent == "feeling" and not _FIRST_PERSON.match(text):
        return None  # "she feels overwhelmed" is about the client: judge it
    if intent in {"question", "feeling"} and not _adds_anything(exercise, history, text):
        return intent
    return None


# Every turn replays the earlier ones: read each message's act once.
_intent = lru_cache(1024)(classify)


def _adds_an_item(exercise: ReflectionExercise, history: _History, text: str) -> bool:
    """Tell whether a reply adds an item to a list the criteria ask for."""
    if not asks_for_a_list(exercise.criteria):
        return False
    before = Answers.of(history.said)
    return items_listed(Answers.of((*history.said, text))) > items_listed(before)


def _adds_anything(exercise: ReflectionExercise, history: _History, text: str) -> bool:
    """Tell whether a reply meets a criterion the earlier replies did not."""
    before = unmet_criteria(exercise, history.said, history.model_met)
    after = unmet_criteria(exercise, (*history.said, text), history.model_met)
    return len(after) < len(before)


def _next_probe(exercise: ReflectionExercise, history: _History) -> tuple[int, Rung] | None:
    """Return the first unmet criterion with a probe not asked yet, and that probe."""
    judged = Answers.of(history.said)
    for index in unmet_criteria(exercise, history.said, history.model_met):
        used = {template for c, template in history.asked if c == index}
        fresh = [r for r in ladder(exercise.criteria[index], judged) if r.template not in used]
        if fresh:
            return index, fresh[0]
    return None


def _summary(exercise: ReflectionExercise, history: _History) -> moves.ReflectionSummary:
    """Close on what the learner worked out, in their words, and what is still open."""
    unmet = unmet_criteria(exercise, history.said, history.model_met)
    still_open = tuple(label_of(exercise.criteria[i]) for i in unmet)
    # What the learner worked out, in their words: from the first reply that met a
    # criterion on (the false starts before it were probed and left behind); all of them
    # when none did, so the learner still sees what they wrote.
    answers = history.said[history.first_useful or 0 :]
    return moves.ReflectionSummary(answers=answers, still_open=still_open)
