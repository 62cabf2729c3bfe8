"""A right answer's shown working, judged: a slip gets a look at its step, the verdict stays.

And a placement reply the offline reading is unsure of is read by the judge, as in
practice; the checker, never the judge, grades the answer. Each decision runs as a turn
does: once to note the question, then with the judge's answer to it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.rendering import RenderedExercise, render_exercise
from bot.content.style_checks import question_count
from bot.dialogue import moves, phrases, placement, problem
from bot.dialogue.judgements import (
    NO_JUDGE,
    ActReading,
    Judgement,
    Judgements,
    ReadAsk,
    ReasoningAsk,
    ReasoningJudgement,
)
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.wording import offline_text
from bot.dialogue.working import shows_working
from bot.learning.grading import UNCHECKED, AnswerKey, Grade, grade_answer

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
SLIPPED = "1/3 is 4/12 and 1/4 is 2/12, so 7/12"
SLIP = ReasoningJudgement(False, "turning 1/4 into twelfths", 0.8)

Decide = Callable[[Judgements], Step]


@pytest.fixture(scope="module")
def fractions() -> RenderedExercise:
    catalog: Catalog = load_catalog([DEMO])
    exercise = catalog.courses["demo"].exercises["third-plus-quarter"]
    return render_exercise(exercise, {})  # type: ignore[arg-type]


def judged(decide: Decide, answer: Judgement | None) -> tuple[tuple[object, ...], Step]:
    """Decide once to learn the question, then again with ``answer`` to it."""
    first = Judgements({})
    decide(first)
    second = Judgements(dict.fromkeys(first.missing, answer))
    step = decide(second)
    assert second.missing == ()
    return first.missing, step


def solve(fractions: RenderedExercise, text: str) -> Decide:
    return lambda j: problem.respond(fractions, DialogueState(), text, judgements=j)


# --- the working shown with a right answer --------------------------------------------------


def test_unsound_working_gets_a_question_about_its_step_and_keeps_the_verdict(
    fractions: RenderedExercise,
) -> None:
    offline = problem.respond(fractions, DialogueState(), SLIPPED)
    asked, step = judged(solve(fractions, SLIPPED), SLIP)
    assert asked == (ReasoningAsk(fractions.prompt, fractions.hints[-1], SLIPPED, fractions.key),)
    assert step.move == moves.CheckStep(after_hints=False, attempt=1, step=SLIP.step)
    # the same verdict, evidence and state as the plain praise: only the question differs
    assert isinstance(offline.move, moves.Praise)
    assert (step.verdict, step.answered, step.state) == (
        offline.verdict,
        offline.answered,
        offline.state,
    )
    assert step.verdict == "correct" and step.state.outcome == "solved"
    words = offline_text(step.move)
    assert SLIP.step in words and fractions.reflection not in words
    assert question_count(words) == 1
    assert fractions.hints[-1] not in words


def test_sound_working_is_praised_as_such_then_the_why_question(
    fractions: RenderedExercise,
) -> None:
    _, step = judged(solve(fractions, SLIPPED), ReasoningJudgement(True, "", 0.9))
    assert step.move == moves.Praise(False, 1, fractions.reflection or "", working=True)
    words = offline_text(step.move)
    assert phrases.WORKING_SOUND in words and words.endswith(fractions.reflection or "?")
    assert question_count(words) == 1


@pytest.mark.parametrize(
    "answer",
    [
        None,  # no judgement: the call failed
        ReasoningJudgement(False, "turning 1/4 into twelfths", 0.3),  # not sure enough
        ReasoningJudgement(False, "   ", 0.9),  # unsound, but no step to ask about
    ],
)
def test_no_trusted_judgement_of_the_working_leaves_the_offline_move(
    fractions: RenderedExercise, answer: ReasoningJudgement | None
) -> None:
    offline = problem.respond(fractions, DialogueState(), SLIPPED)
    _, step = judged(solve(fractions, SLIPPED), answer)
    assert step == offline


@pytest.mark.parametrize("bare", ["7/12", "7 / 12", "it's 7/12", "is it 7/12?", "7/12 I think"])
def test_a_bare_right_answer_is_never_judged(fractions: RenderedExercise, bare: str) -> None:
    notes = Judgements({})
    step = problem.respond(fractions, DialogueState(), bare, judgements=notes)
    assert notes.missing == () and isinstance(step.move, moves.Praise)


def test_what_counts_as_working() -> None:
    assert shows_working("I made both twelfths, 4/12 + 3/12 = 7/12", "7/12")
    assert shows_working("7/12 because the pieces have to be the same size", "7/12")
    assert not shows_working("the answer is 7/12", "7/12")
    assert not shows_working("7/12", None)


def test_a_review_and_an_offline_engine_never_ask_about_the_working(
    fractions: RenderedExercise,
) -> None:
    notes = Judgements({})
    problem.respond(fractions, DialogueState(), SLIPPED, judgements=notes, judge_working=False)
    assert notes.missing == ()
    offline = problem.respond(fractions, DialogueState(), SLIPPED, judgements=NO_JUDGE)
    assert isinstance(offline.move, moves.Praise) and not offline.move.working


# --- a placement reply the offline reading is unsure of -------------------------------------


def place(fractions: RenderedExercise, text: str, grader: Callable[..., Grade] = grade_answer):
    return lambda j: placement.placement_answer(fractions, DialogueState(), text, grader, j)


@pytest.mark.parametrize(
    ("act", "move", "verdict"),
    [
        ("question", moves.PlacementHelp(), None),
        ("answer_request", moves.PlacementHelp(), None),
        ("dont_know", moves.PlacementNoted(False), None),
    ],
)
def test_a_placement_reply_the_offline_reading_cannot_place_is_read_by_the_judge(
    fractions: RenderedExercise, act: str, move: moves.Move, verdict: str | None
) -> None:
    message = "je ne comprends pas la question"
    offline = placement.placement_answer(fractions, DialogueState(), message)
    assert offline.move == moves.PlacementNoted(False) and offline.verdict == "wrong"
    asked, step = judged(place(fractions, message), ActReading(act, None, 0.9))
    assert asked == (ReadAsk(message, fractions.prompt),)
    assert step.move == move and step.verdict == verdict
    if isinstance(move, moves.PlacementHelp):
        assert step.state == DialogueState() and not step.closed  # the item is still open


def test_an_unsure_or_failed_placement_reading_leaves_the_offline_move(
    fractions: RenderedExercise,
) -> None:
    message = "je ne comprends pas la question"
    offline = placement.placement_answer(fractions, DialogueState(), message)
    for answer in (None, ActReading("question", None, 0.3)):
        _, step = judged(place(fractions, message), answer)
        assert step == offline


def test_the_answer_a_judge_finds_in_a_placement_reply_is_graded_by_the_checker(
    fractions: RenderedExercise,
) -> None:
    message = "the one I trust: 7/12, after a long and tangled working"

    def slow_for_the_whole_message(key: AnswerKey, text: str) -> Grade:
        return UNCHECKED if text == message else grade_answer(key, text)

    decide = place(fractions, message, slow_for_the_whole_message)
    assert decide(NO_JUDGE).verdict == "unchecked"
    _, right = judged(decide, ActReading("answer", "7/12", 0.9))
    assert right.move == moves.PlacementNoted(True) and right.verdict == "correct"
    _, absent = judged(decide, ActReading("answer", "5/12", 0.9))
    assert absent.verdict == "unchecked"  # not written in the message: ignored


def test_a_placement_reply_the_offline_reading_is_sure_of_is_never_read(
    fractions: RenderedExercise,
) -> None:
    for message in ["7/12", "2/7", "idk", "what does denominator mean?", ""]:
        notes = Judgements({})
        placement.placement_answer(fractions, DialogueState(), message, judgements=notes)
        assert notes.missing == (), message
