"""The pure engine weighs a judge's answers where its own reading is unsure, and only there.

Each decision runs twice, as a turn does: first with no answers (the engine notes what it
would ask), then with a judge's answers to those questions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.models import ReflectionExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import moves, problem, reflection
from bot.dialogue.judgements import (
    NO_JUDGE,
    ActReading,
    Ask,
    DiagnoseAsk,
    Diagnosis,
    ExplainAsk,
    Judgement,
    Judgements,
    ReadAsk,
    ReasoningAsk,
    SummaryAsk,
    TextJudgement,
)
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.wording import offline_text
from bot.learning.grading import UNCHECKED, AnswerKey, Grade, grade_answer

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
WORKED = "1/3 = 4/12 and 1/4 = 3/12, so 1/3 + 1/4 = 4/12 + 3/12 = 7/12."

Decide = Callable[[Judgements], Step]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([DEMO])


@pytest.fixture(scope="module")
def fractions(catalog: Catalog) -> RenderedExercise:
    exercise = catalog.courses["demo"].exercises["third-plus-quarter"]
    return render_exercise(exercise, {})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def coaching(catalog: Catalog) -> ReflectionExercise:
    exercise = catalog.courses["demo-coaching"].exercises["ideal-client"]
    assert isinstance(exercise, ReflectionExercise)
    return exercise


def judged(decide: Decide, answer: Judgement | None) -> tuple[tuple[Ask, ...], Step]:
    """Decide once to learn the question, then again with ``answer`` to it."""
    first = Judgements({})
    decide(first)
    asked = first.missing
    known = dict.fromkeys(asked, answer)
    second = Judgements(known)
    step = decide(second)
    assert second.missing == ()  # every question was answered
    return asked, step


def reading(act: str, candidate: str | None = None, confidence: float = 0.9) -> ActReading:
    return ActReading(act, candidate, confidence)


def judgement(
    met: tuple[int, ...] = (), *, vague: bool = False, correct: bool = True, sure: float = 0.9
) -> TextJudgement:
    return TextJudgement(met, vague, correct, "why the pieces must match", sure)


SURE_DIAGNOSIS = Diagnosis("adds only one of the two fractions", "turning 1/4 into twelfths", 0.8)


# --- reading a message the offline reading cannot place -------------------------------------


@pytest.mark.parametrize(
    ("act", "kind"),
    [
        ("question", "clarify"),
        ("feeling", "encourage"),
        ("dont_know", "smaller_step"),
        ("answer_request", "smaller_step"),
        ("chitchat", "chitchat"),
    ],
)
def test_a_trusted_reading_gives_the_acts_move(
    fractions: RenderedExercise, act: str, kind: str
) -> None:
    message = "je ne comprends pas très bien"
    offline = problem.respond(fractions, DialogueState(), message)
    assert offline.move == moves.SmallerStep("off_topic", 1, fractions.hints[0])

    asked, step = judged(
        lambda j: problem.respond(fractions, DialogueState(), message, judgements=j),
        reading(act),
    )
    assert asked == (ReadAsk(message, fractions.prompt, None),)
    assert step.move.kind == kind
    assert step.verdict is None  # not graded: no attempt counted
    assert step.state.attempts == 0


def test_an_unsure_or_failed_reading_leaves_the_offline_move(fractions: RenderedExercise) -> None:
    message = "je ne comprends pas très bien"
    offline = problem.respond(fractions, DialogueState(), message)
    for answer in (None, reading("question", confidence=0.4), reading("command")):
        _, step = judged(
            lambda j: problem.respond(fractions, DialogueState(), message, judgements=j), answer
        )
        assert step == offline


def test_a_message_the_offline_reading_is_sure_of_is_never_read_by_the_judge(
    fractions: RenderedExercise,
) -> None:
    for message in ["7/12", "2/7", "idk", "what does denominator mean?", "I'm so confused", ""]:
        notes = Judgements({})
        problem.respond(fractions, DialogueState(), message, judgements=notes)
        assert not any(isinstance(ask, ReadAsk) for ask in notes.missing), message


def test_the_answer_a_judge_finds_is_graded_by_the_checker(fractions: RenderedExercise) -> None:
    message = "the one I trust: 7/12, after a long and tangled working"

    def slow_for_the_whole_message(key: AnswerKey, text: str) -> Grade:
        return UNCHECKED if text == message else grade_answer(key, text)

    def decide(j: Judgements) -> Step:
        return problem.respond(
            fractions, DialogueState(), message, slow_for_the_whole_message, judgements=j
        )

    assert decide(NO_JUDGE).move == moves.Unchecked()
    # The answer found is right, and the message shows more than it: its working is asked
    # about next, in a round of its own; no judgement of it leaves the plain praise.
    first, found = ReadAsk(message, fractions.prompt, None), reading("answer", "7/12")
    read = Judgements({first: found})
    decide(read)
    (working,) = read.missing
    assert isinstance(working, ReasoningAsk)
    right = decide(Judgements({first: found, working: None}))
    assert isinstance(right.move, moves.Praise) and right.verdict == "correct"
    _, wrong = judged(decide, reading("answer", "the one I trust"))
    assert wrong.move == moves.Unchecked()  # the checker reads no answer in it: offline
    _, absent = judged(decide, reading("answer", "5/12"))
    assert absent.move == moves.Unchecked()  # not written in the message: ignored


def test_a_judge_cannot_turn_a_negated_answer_into_the_answer(
    fractions: RenderedExercise,
) -> None:
    message = "it's definitely not 7/12"
    offline = problem.respond(fractions, DialogueState(), message)
    _, step = judged(
        lambda j: problem.respond(fractions, DialogueState(), message, judgements=j),
        reading("answer", "7/12"),
    )
    assert step == offline
    assert step.verdict != "correct"


def test_an_answer_the_checker_read_stands_whatever_the_judge_reads(
    fractions: RenderedExercise,
) -> None:
    message = "7/12 no wait 5/12?"
    offline = problem.respond(fractions, DialogueState(), message)
    first = Judgements({})
    problem.respond(fractions, DialogueState(), message, judgements=first)
    (ask,) = first.missing
    second = Judgements({ask: reading("answer", "7/12")})
    step = problem.respond(fractions, DialogueState(), message, judgements=second)
    assert step == offline and step.verdict == "wrong"


def test_a_reply_to_a_targeted_question_read_by_the_judge(fractions: RenderedExercise) -> None:
    targeted = problem.respond(fractions, DialogueState(), "2/7").state
    message = "hmm, je pense que non"
    _, step = judged(
        lambda j: problem.respond(fractions, targeted, message, judgements=j),
        reading("reply"),
    )
    assert step.move == moves.ReplyHeard(expected=False, misconception="adding-denominators")
    assert step.state.asked is None and step.state.attempts == targeted.attempts


# --- diagnosing a wrong answer no misconception matches -------------------------------------


def test_a_trusted_diagnosis_gets_its_own_targeted_question(fractions: RenderedExercise) -> None:
    asked, step = judged(
        lambda j: problem.respond(fractions, DialogueState(), "5/12", judgements=j),
        SURE_DIAGNOSIS,
    )
    assert asked == (DiagnoseAsk(fractions.prompt, WORKED, "5/12", fractions.key),)
    assert step.move == moves.Diagnosed(
        "adds only one of the two fractions", "turning 1/4 into twelfths", 0
    )
    assert step.move.facts() == {"misconception": "adds only one of the two fractions"}
    assert step.verdict == "wrong" and step.state.attempts == 1
    assert step.state.asked == "diagnosed"
    # the next message is read as a reply to that question first
    heard = problem.respond(fractions, step.state, "oh, I forgot the quarter")
    assert heard.move == moves.ReplyHeard(expected=False, misconception=None)
    assert "7/12" not in offline_text(step.move)


def test_without_a_trusted_diagnosis_the_recheck_question_stays(
    fractions: RenderedExercise,
) -> None:
    offline = problem.respond(fractions, DialogueState(), "5/12")
    assert isinstance(offline.move, moves.Recheck)
    for answer in (None, replace(SURE_DIAGNOSIS, confidence=0.3)):
        _, step = judged(
            lambda j: problem.respond(fractions, DialogueState(), "5/12", judgements=j), answer
        )
        assert step == offline


def test_an_authored_misconception_or_a_due_hint_is_never_diagnosed(
    fractions: RenderedExercise,
) -> None:
    notes = Judgements({})
    step = problem.respond(fractions, DialogueState(), "2/7", judgements=notes)
    assert isinstance(step.move, moves.Targeted) and notes.missing == ()
    missed_once = replace(DialogueState(), misses_in_row=1, attempts=1)
    notes = Judgements({})
    step = problem.respond(fractions, missed_once, "5/12", judgements=notes)
    assert isinstance(step.move, moves.Hint) and step.move.automatic
    assert notes.missing == ()


# --- the why-step ---------------------------------------------------------------------------


def solved(fractions: RenderedExercise) -> DialogueState:
    return problem.respond(fractions, DialogueState(), "7/12").state


def test_a_short_explanation_a_judge_finds_right_closes_the_exercise(
    fractions: RenderedExercise,
) -> None:
    state, message = solved(fractions), "same size pieces"
    assert isinstance(problem.respond(fractions, state, message).move, moves.WhyFollowUp)
    asked, step = judged(
        lambda j: problem.respond(fractions, state, message, judgements=j), judgement()
    )
    (ask,) = asked
    assert isinstance(ask, ExplainAsk) and ask.text == message
    assert ask.reference == WORKED  # the answer is no longer secret in the why-step
    assert isinstance(step.move, moves.ReflectionClosed) and step.closed


def test_an_explanation_a_judge_finds_wrong_is_followed_up(fractions: RenderedExercise) -> None:
    state = solved(fractions)
    message = "because you always add the tops and then add the bottoms"
    assert isinstance(problem.respond(fractions, state, message).move, moves.ReflectionClosed)
    _, step = judged(
        lambda j: problem.respond(fractions, state, message, judgements=j),
        judgement(correct=False),
    )
    assert step.move == moves.WhyFollowUp(
        "Say a bit more, in a sentence: which step made it work, and why does it work?",
        missing="why the pieces must match",
    )
    assert not step.closed
    _, unsure = judged(
        lambda j: problem.respond(fractions, state, message, judgements=j),
        judgement(correct=False, sure=0.2),
    )
    assert isinstance(unsure.move, moves.ReflectionClosed)


def test_nothing_to_judge_in_the_why_step_asks_nobody(fractions: RenderedExercise) -> None:
    state = solved(fractions)
    for message in ["", "idk", "ok", "just tell me the answer"]:
        notes = Judgements({})
        problem.respond(fractions, state, message, judgements=notes)
        assert notes.missing == (), message


# --- reflections ----------------------------------------------------------------------------


def test_a_judge_can_meet_a_criterion_the_detectors_missed(coaching: ReflectionExercise) -> None:
    message = "la directrice de l'école du quartier"
    offline = reflection.respond(coaching, DialogueState(), message)
    assert isinstance(offline.move, moves.Probe) and offline.move.criterion == 0
    asked, step = judged(
        lambda j: reflection.respond(coaching, DialogueState(), message, j), judgement((0,))
    )
    (ask,) = asked
    assert isinstance(ask, ExplainAsk)
    assert ask.criteria == ("a specific person or role", "a measurable result")
    assert isinstance(step.move, moves.Probe) and step.move.criterion == 1
    assert step.state.model_met == ((0,),)
    # the judgement is kept with the turn: the next turn replays it, with no new question
    saved = DialogueState.from_json(step.state.to_json())
    assert saved == step.state
    notes = Judgements({})
    done = reflection.respond(coaching, saved, "so she doubles enrolments: 40 to 80", notes)
    assert done.state.outcome == "solved"
    assert reflection.evidence(coaching, done.state) == pytest.approx((1.0 + 0.9) / 2)
    assert [type(a) for a in notes.missing] == [SummaryAsk]


def test_a_judge_never_unmeets_what_the_detectors_found(coaching: ReflectionExercise) -> None:
    notes = Judgements({})
    message = "Maria, a bakery owner, to double sales within 3 months"
    reflection.respond(coaching, DialogueState(), message, notes)
    assert not any(isinstance(a, ExplainAsk) for a in notes.missing)  # all met: nothing to add
    # With a criterion still open the judge is asked, but finding the reply vague (or
    # meeting nothing) takes nothing away from what the detectors found.
    message = "my neighbour Sam, who runs a small shop"
    offline = reflection.respond(coaching, DialogueState(), message)
    assert offline.state.attempts == 1
    for answer in (judgement(vague=True), judgement(())):
        _, step = judged(
            lambda j: reflection.respond(coaching, DialogueState(), message, j), answer
        )
        assert step == offline


def test_a_judge_reading_substance_in_a_short_reply_judges_it(
    coaching: ReflectionExercise,
) -> None:
    offline = reflection.respond(coaching, DialogueState(), "small shops")
    assert isinstance(offline.move, moves.Probe) and offline.move.vague
    _, step = judged(
        lambda j: reflection.respond(coaching, DialogueState(), "small shops", j),
        judgement((0,)),
    )
    assert isinstance(step.move, moves.Probe) and not step.move.vague
    assert step.state.attempts == 1 and step.state.vague == 0
    _, vague = judged(
        lambda j: reflection.respond(coaching, DialogueState(), "small shops", j),
        judgement((0,), vague=True),
    )
    assert vague == offline


def test_filler_and_dont_know_are_never_sent_to_a_judge(coaching: ReflectionExercise) -> None:
    for message in ["hmm", "idk", "", "ok ok ok"]:
        notes = Judgements({})
        reflection.respond(coaching, DialogueState(), message, notes)
        assert notes.missing == (), message


def test_a_finished_reflection_is_summarised_by_the_judge(coaching: ReflectionExercise) -> None:
    message = "Maria, a bakery owner, to double sales within 3 months"
    offline = reflection.respond(coaching, DialogueState(), message)
    summary = "- Maria, who owns a bakery\n- doubling her sales within 3 months"
    asked, step = judged(
        lambda j: reflection.respond(coaching, DialogueState(), message, j), summary
    )
    assert asked == (SummaryAsk(coaching.prompt, (message,)),)
    assert isinstance(step.move, moves.ReflectionSummary) and step.move.summary == summary
    assert summary in offline_text(step.move)
    assert step.state == offline.state
    _, failed = judged(lambda j: reflection.respond(coaching, DialogueState(), message, j), None)
    assert failed == offline


def test_an_offline_state_is_stored_as_before() -> None:
    ex = TypeAdapter(ReflectionExercise).validate_python(
        {
            "id": "r",
            "kind": "reflection",
            "skill": "s",
            "prompt": "Who?",
            "criteria": [{"check": "names_person", "label": "who"}],
        }
    )
    step = reflection.respond(ex, DialogueState(), "my manager Sam")
    assert "model_met" not in step.state.to_json()
