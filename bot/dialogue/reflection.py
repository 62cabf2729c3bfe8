"""Moves for a reflection exercise: check each criterion, probe the first unmet, summarise."""

from __future__ import annotations

from dataclasses import replace

from bot.content.models import ReflectionExercise
from bot.dialogue import moves
from bot.dialogue.intents import classify
from bot.dialogue.state import DialogueState, Step
from bot.learning.criteria import criterion_met

CHOICES_OPEN = ("skip",)
CHOICES_CLOSED = ("next", "progress")


def opening(exercise: ReflectionExercise) -> str:
    """Return the first message: the open prompt."""
    return exercise.prompt


def unmet_criteria(exercise: ReflectionExercise, answers: tuple[str, ...]) -> list[int]:
    """Return the indexes of criteria that the learner's answers so far do not meet."""
    combined = "\n".join(answers)
    return [i for i, c in enumerate(exercise.criteria) if not criterion_met(c, combined)]


def probe(exercise: ReflectionExercise, state: DialogueState) -> Step:
    """Probe the first criterion not met yet (a reflection's answer to `hint`)."""
    unmet = unmet_criteria(exercise, state.answers) or [0]
    move = moves.Probe(criterion=unmet[0], probe=exercise.criteria[unmet[0]].probe)
    return Step(state, move, CHOICES_OPEN)


def respond(exercise: ReflectionExercise, state: DialogueState, text: str) -> Step:
    """Take one answer; probe the first unmet criterion, or close with a summary."""
    intent = classify(text)
    if intent in {"empty", "dont_know", "answer_request"}:
        unmet = unmet_criteria(exercise, state.answers) or [0]
        move = moves.Probe(criterion=unmet[0], probe=exercise.criteria[unmet[0]].probe, vague=True)
        return Step(replace(state, vague=state.vague + 1), move, CHOICES_OPEN)
    answers = (*state.answers, text.strip()[:2000])
    state = replace(state, answers=answers, attempts=state.attempts + 1)
    unmet = unmet_criteria(exercise, answers)
    if unmet and state.probes < exercise.max_probes:
        move = moves.Probe(criterion=unmet[0], probe=exercise.criteria[unmet[0]].probe)
        return Step(replace(state, probes=state.probes + 1), move, CHOICES_OPEN)
    closed = replace(state, stage="closed", outcome="closed" if unmet else "solved")
    still_open = tuple(exercise.criteria[i].label or exercise.criteria[i].probe for i in unmet)
    summary = moves.ReflectionSummary(answers=answers, still_open=still_open)
    return Step(closed, summary, CHOICES_CLOSED, answered=True, closed=True)
