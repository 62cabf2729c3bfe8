"""Moves for an exercise with a checkable answer: grade, probe, climb the hint ladder, reflect."""

from __future__ import annotations

from dataclasses import replace

from bot.content.rendering import RenderedExercise
from bot.dialogue import phrases
from bot.dialogue.intents import classify
from bot.dialogue.state import DialogueState, Step
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey, Grader, grade_answer

LADDER_TOP = 3
MISSES_BEFORE_HINT = 2
CHOICES_ANSWERING = ("Hint", "Skip")
CHOICES_CLOSED = ("Next", "Progress")


def graded_keys(exercise: RenderedExercise, state: DialogueState, text: str) -> list[AnswerKey]:
    """Return the answer keys that `respond` may grade ``text`` against."""
    if state.stage != "answering" or classify(text) != "answer":
        return []
    return [exercise.key, *(m.key for m in exercise.misconceptions)]


def opening(exercise: RenderedExercise) -> str:
    """Return the first message of the dialogue: the problem itself."""
    return exercise.prompt


def respond(
    exercise: RenderedExercise, state: DialogueState, text: str, grader: Grader = grade_answer
) -> Step:
    """Answer one learner message in an open dialogue."""
    if state.stage == "reflecting":
        return _reflect(exercise, state, text)
    intent = classify(text)
    if intent == "empty":
        return _smaller_step(exercise, state, phrases.EMPTY)
    if intent == "dont_know":
        return _smaller_step(exercise, state, phrases.DONT_KNOW_FIRST)
    if intent == "answer_request":
        return _smaller_step(exercise, state, phrases.ANSWER_REQUEST)
    grade = grader(exercise.key, text)
    if grade.unchecked:
        return Step(state, phrases.UNCHECKED, CHOICES_ANSWERING)
    if grade.hedged:
        pick = phrases.HEDGED[state.attempts % len(phrases.HEDGED)]
        return Step(replace(state, attempts=state.attempts + 1), pick, CHOICES_ANSWERING)
    if grade.correct:
        return _solved(exercise, state)
    if grade.candidate is None:
        return _smaller_step(exercise, state, phrases.OFF_TOPIC)
    return _missed(exercise, state, grade.candidate, text, grader)


def hint(exercise: RenderedExercise, state: DialogueState) -> Step:
    """Climb one rung of the hint ladder (nudge, specific hint, worked step)."""
    if state.stage != "answering":
        question = exercise.reflection or phrases.DEFAULT_REFLECTION
        return Step(state, f"You've solved it already. {question}")
    if state.hint_rung >= LADDER_TOP:
        return Step(state, phrases.NO_MORE_HINTS, ("Skip",))
    rung = state.hint_rung + 1
    text = f"{phrases.HINT_HEADERS[rung - 1]} {exercise.hints[rung - 1]}"
    choices = CHOICES_ANSWERING if rung < LADDER_TOP else ("Skip",)
    return Step(replace(state, hint_rung=rung, misses_in_row=0), text, choices)


def skip(state: DialogueState) -> Step:
    """Close the dialogue as skipped."""
    closed = replace(state, stage="closed", outcome="skipped")
    return Step(
        closed, "Skipped. " + phrases.CLOSED_NEXT, CHOICES_CLOSED, answered=True, closed=True
    )


def guard(exercise: RenderedExercise, state: DialogueState, text: str) -> str:
    """Replace a reply that would reveal the answer while it is still the tutor's secret."""
    if state.outcome in {"solved", "revealed"} or state.hint_rung >= LADDER_TOP:
        return text
    if reveals_answer(exercise.key, text, public_texts=(exercise.prompt,)):
        return phrases.LEAK_FALLBACK
    return text


def _solved(exercise: RenderedExercise, state: DialogueState) -> Step:
    """Confirm a correct answer, then ask why it works."""
    attempts = state.attempts + 1
    praise = (
        phrases.CORRECT_AFTER_HINTS
        if state.hint_rung
        else phrases.CORRECT[attempts % len(phrases.CORRECT)]
    )
    question = exercise.reflection or phrases.DEFAULT_REFLECTION
    new = replace(state, stage="reflecting", outcome="solved", attempts=attempts, misses_in_row=0)
    return Step(new, f"{praise} {question}", answered=True)


def _missed(
    exercise: RenderedExercise, state: DialogueState, candidate: str, text: str, grader: Grader
) -> Step:
    """Answer a wrong attempt: a targeted question, a re-check question, or the next rung."""
    attempts = state.attempts + 1
    misses = state.misses_in_row + 1
    state = replace(state, attempts=attempts, misses_in_row=misses)
    if state.hint_rung >= LADDER_TOP:
        return _reveal(exercise, state)
    for misconception in exercise.misconceptions:
        if grader(misconception.key, text).correct:
            return Step(state, misconception.question, CHOICES_ANSWERING)
    if misses >= MISSES_BEFORE_HINT:
        climbed = hint(exercise, state)
        return replace(climbed, text=f"{phrases.AUTO_HINT} {climbed.text}")
    kind = "code" if "```" in exercise.prompt else exercise.key.checker
    options = phrases.RECHECK.get(kind, phrases.RECHECK["exact"])
    question = options[(attempts - 1) % len(options)].format(candidate=candidate[:60])
    return Step(state, question, CHOICES_ANSWERING)


def _reveal(exercise: RenderedExercise, state: DialogueState) -> Step:
    """After the whole ladder and another miss, show the answer and ask why it holds."""
    question = exercise.reflection or phrases.DEFAULT_REFLECTION
    text = phrases.REVEALED.format(answer=exercise.key.answer, worked=exercise.hints[-1])
    new = replace(state, stage="reflecting", outcome="revealed")
    return Step(new, f"{text}\n{phrases.REVEALED_REFLECT.format(question=question)}", answered=True)


def _smaller_step(exercise: RenderedExercise, state: DialogueState, lead: str) -> Step:
    """Meet 'I don't know', an empty or off-topic message with the next, smaller step."""
    state = replace(state, vague=state.vague + 1)
    if state.hint_rung >= LADDER_TOP:
        return Step(state, phrases.NO_MORE_HINTS, ("Skip",))
    climbed = hint(exercise, state)
    return replace(climbed, text=f"{lead} {climbed.text}")


def _reflect(exercise: RenderedExercise, state: DialogueState, text: str) -> Step:
    """Take the learner's explanation; ask once more if it was blank, then close."""
    if classify(text) in {"empty", "dont_know"} and state.reflection_asks == 0:
        question = exercise.reflection or phrases.DEFAULT_REFLECTION
        new = replace(state, reflection_asks=1)
        return Step(new, phrases.REFLECT_AGAIN.format(question=question))
    thanks = phrases.REFLECTION_THANKS[state.attempts % len(phrases.REFLECTION_THANKS)]
    closed = replace(state, stage="closed", answers=(*state.answers, text.strip()[:2000]))
    return Step(closed, f"{thanks} {phrases.CLOSED_NEXT}", CHOICES_CLOSED, closed=True)


def end_review(exercise: RenderedExercise, step: Step) -> Step:
    """In a review, close on the answer instead of asking the reflection question."""
    if step.state.stage != "reflecting":
        return step
    closed = replace(step.state, stage="closed")
    if step.state.outcome == "solved":
        text = f"{phrases.REVIEW_REMEMBERED} {phrases.CLOSED_NEXT}"
    else:
        reveal = phrases.REVEALED.format(answer=exercise.key.answer, worked=exercise.hints[-1])
        text = f"{reveal}\n{phrases.REVIEW_AGAIN_SOON} {phrases.CLOSED_NEXT}"
    return Step(closed, text, CHOICES_CLOSED, answered=True, closed=True)


def placement_answer(
    exercise: RenderedExercise, state: DialogueState, text: str, grader: Grader = grade_answer
) -> Step:
    """Grade a placement item once, without hints or a verdict that gives the answer away."""
    grade = grader(exercise.key, text) if classify(text) == "answer" else None
    correct = grade is not None and grade.correct and not grade.hedged
    closed = replace(state, stage="closed", outcome="solved" if correct else "closed", attempts=1)
    reply = phrases.PLACEMENT_RIGHT if correct else phrases.PLACEMENT_NOTED
    return Step(closed, reply, answered=True, closed=True)
