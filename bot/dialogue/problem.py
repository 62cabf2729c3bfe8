"""Moves for an exercise with a checkable answer: read, grade, question, climb the ladder."""

from __future__ import annotations

from dataclasses import replace

from bot.content.rendering import RenderedExercise
from bot.dialogue import explanation, moves, phrases
from bot.dialogue.intents import method_question
from bot.dialogue.judgements import (
    NO_JUDGE,
    DiagnoseAsk,
    Judgements,
    ReadAsk,
    ReasoningJudgement,
)
from bot.dialogue.no_answer import no_answer_move
from bot.dialogue.replies import (
    HINT_ASKED,
    asked,
    code_in_words,
    describes_a_step,
    heard,
    mistaken,
    offers_no_number,
    question_asked,
    read_intent,
    reply_heard,
    reply_to_question,
    yes_or_no,
)
from bot.dialogue.second_reading import candidate_stands, unsure
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.working import judged_working, praise_move
from bot.learning.answer_leak import reveals_answer
from bot.learning.answer_text import as_written
from bot.learning.grading import AnswerKey, Grade, Grader, grade_answer
from bot.learning.grading_text import output_on_one_line
from bot.learning.prompt_equations import solves_the_prompt
from bot.learning.spelling import misspelled

LADDER_TOP = 3
SMALLER_STEP_TOP = 2  # non-answers get at most the specific hint; the worked step waits
MISSES_BEFORE_HINT = 2
# Action ids of the choices offered with a reply; the services give them labels.
CHOICES_ANSWERING = ("hint", "skip")
CHOICES_CLOSED = ("next", "progress")
CHOICES_SKIP = ("skip",)
_SPELLING = "spelling"  # `DialogueState.asked` after "check the spelling"
# `DialogueState.asked` after "the question asks for a ratio" or "for one number".
_FORMS = {"ratio": "ratio", "number": "one_number"}
_UNIT = "unit"  # `DialogueState.asked` after "check the unit"
_LAYOUT = "layout"  # and after "the values are right, check the layout"
_SMALLER_STEP_REASONS = {"empty", "dont_know", "answer_request"}


def graded_keys(exercise: RenderedExercise, state: DialogueState, text: str) -> list[AnswerKey]:
    """Return the answer keys that `respond` may grade ``text`` against."""
    if state.stage != "answering" or read_intent(exercise, text) != "answer":
        return []
    return [exercise.key, *(m.key for m in exercise.misconceptions)]


def opening(exercise: RenderedExercise) -> str:
    """Return the first message of the dialogue: the problem itself."""
    return exercise.prompt


def respond(
    exercise: RenderedExercise,
    state: DialogueState,
    text: str,
    grader: Grader = grade_answer,
    judgements: Judgements = NO_JUDGE,
    *,
    judge_working: bool = True,
) -> Step:
    """Decide the move for one learner message in an open dialogue.

    With a judge, a message the offline reading is unsure of (see `second_reading.unsure`)
    is read by it: a trusted act other than an answer gets that act's move, and an answer
    it finds in the message is graded by the checker in place of the whole message. A
    right answer that shows its working may have the working judged (`bot.dialogue.working`)
    unless ``judge_working`` is off (a review closes on the answer, whatever the working).
    """
    if state.stage == "reflecting":
        return explanation.respond(exercise, state, text, judgements)
    intent = read_intent(exercise, text)
    if intent in _SMALLER_STEP_REASONS:
        return _smaller_step(exercise, state, intent)
    if intent == "feeling":
        return _encourage(exercise, state)
    if intent == "question" or method_question(text):
        return _clarify(exercise, state, text)
    if intent == "chitchat":
        if state.asked is not None and yes_or_no(exercise, text):
            return Step(heard(state), reply_heard(exercise, state, text), CHOICES_ANSWERING)
        return Step(state, moves.ChitChat(), CHOICES_ANSWERING)
    grade = grader(exercise.key, text)
    if not grade.correct and grade.candidate is not None and offers_no_number(exercise, text):
        grade = replace(grade, candidate=None)  # words about the problem, not an attempt
    message = text
    if judgements.active and unsure(text, grade):
        read = _judged_reading(exercise, state, text, grade, grader, judgements)
        if isinstance(read, Step):
            return read
        if read is not None:
            text, grade = read
    if grade.unchecked:
        return Step(state, moves.Unchecked(), CHOICES_ANSWERING, verdict="unchecked")
    if grade.correct and not grade.hedged:
        accent = exercise.key.answer if grade.accent_only else None
        working = (
            judged_working(exercise, message, grade.candidate, judgements)
            if judge_working
            else None
        )
        return _solved(exercise, state, accent, working, powers=grade.typed_power)
    if grade.rounded:
        # "0.58" for 7/12: the value is found; the exact one is asked for, no attempt lost.
        fraction = "/" in exercise.key.answer
        new = replace(heard(state), tried_since_hint=True)
        return Step(new, moves.Rounded(fraction=fraction), CHOICES_ANSWERING)
    if grade.step is not None:
        if _restates(exercise, grade.step):  # the problem's own equation: no step taken yet
            return _smaller_step(exercise, state, "off_topic")
        # "2x = 8" on the way to x = 4: right so far, no attempt at the answer yet.
        return Step(heard(state), moves.OnTheWay(step=grade.step), CHOICES_ANSWERING)
    if state.asked is not None:
        reply = reply_to_question(exercise, state, text, grade.candidate, grader)
        if reply is not None:
            return Step(heard(state), reply, CHOICES_ANSWERING)
    elif code_in_words(exercise, text) and not mistaken(exercise, text, grader):
        # "use return instead of print": the change told, not written; ask for the code.
        return Step(heard(state), moves.SayItInCode(state.heard), CHOICES_ANSWERING)
    elif describes_a_step(exercise, text) and not mistaken(exercise, text, grader):
        # "I divided both by 4": a step on the way, not a wrong answer; ask for the result.
        return Step(heard(state), reply_heard(exercise, state, text), CHOICES_ANSWERING)
    if grade.hedged:
        move = moves.Hedged(attempt=state.attempts)
        new = replace(asked(state, None), attempts=state.attempts + 1, tried_since_hint=True)
        return Step(new, move, CHOICES_ANSWERING, verdict="hedged")
    if grade.candidate is None:
        taken = no_answer_move(exercise, state, text)
        if taken is not None:
            return Step(*taken, CHOICES_ANSWERING)
        return _smaller_step(exercise, state, "off_topic")
    missed = _missed(exercise, state, grade, text, grader, judgements, message)
    return replace(missed, verdict="wrong")


def _restates(exercise: RenderedExercise, step: str) -> bool:
    """Tell whether an equation is the problem's own, written back ("2x + 3 = 11")."""

    def bare(text: str) -> str:
        return "".join(text.split()).casefold()

    return bare(step) in bare(exercise.prompt)


def _clarify(exercise: RenderedExercise, state: DialogueState, text: str = "") -> Step:
    """Answer a question about the problem with a clarification that gives nothing away;
    "do I add them?" with "try it and see" instead of a yes or a no."""
    step = method_question(text) or ""
    clarify = moves.Clarify(exercise.clarification, exercise.prompt, step=step)
    return Step(asked(state, None), clarify, CHOICES_ANSWERING)


def _judged_reading(
    exercise: RenderedExercise,
    state: DialogueState,
    text: str,
    grade: Grade,
    grader: Grader,
    judgements: Judgements,
) -> Step | tuple[str, Grade] | None:
    """Read an unsure message through the judge: a move for its act, or the answer in it.

    The answer it finds is graded only where the checker read none (or gave up): an
    answer the checker read and graded stands. None: no trusted reading, or one the
    engine cannot use; the offline reading stands.
    """
    reading = judgements.read(ReadAsk(text, exercise.prompt, question_asked(exercise, state)))
    if reading is None:
        return None
    match reading.act:
        case "question":
            return _clarify(exercise, state)
        case "feeling":
            return _encourage(exercise, state)
        case "dont_know" | "answer_request":
            return _smaller_step(exercise, state, reading.act)
        case "chitchat":
            return Step(state, moves.ChitChat(), CHOICES_ANSWERING)
        case "reply" if state.asked is not None:
            return Step(heard(state), reply_heard(exercise, state, text), CHOICES_ANSWERING)
        case "answer" if (
            reading.candidate
            and (grade.unchecked or grade.candidate is None)
            and candidate_stands(text, reading.candidate, exercise.key.language)
        ):
            found = grader(exercise.key, reading.candidate)
            if found.unchecked or found.candidate is None:
                return None
            return reading.candidate, found
    return None


def hint(exercise: RenderedExercise, state: DialogueState) -> Step:
    """Climb one rung of the hint ladder (nudge, specific hint, worked step)."""
    if state.stage != "answering":
        return Step(state, moves.AlreadySolved(_why_question(exercise)))
    if state.hint_rung >= LADDER_TOP:
        return Step(state, moves.NoMoreHints(), CHOICES_SKIP)
    rung = state.hint_rung + 1
    if rung == LADDER_TOP and not state.tried_since_hint:
        # The worked step shows the way to the answer: it waits for a real try.
        return _try_first(state)
    choices = CHOICES_ANSWERING if rung < LADDER_TOP else CHOICES_SKIP
    move = moves.Hint(rung=rung, text=exercise.hints[rung - 1])
    # A hint put as a question ("Is there a number that divides both?") gets replies too.
    question = HINT_ASKED if move.text.rstrip().endswith("?") else None
    new = replace(asked(state, question), hint_rung=rung, misses_in_row=0, tried_since_hint=False)
    return Step(new, move, choices)


def skip(state: DialogueState, exercise: RenderedExercise | None = None) -> Step:
    """Close the dialogue: skipped, or, after a solved answer, without the why-step."""
    if state.stage == "reflecting":
        # The answer was found already: skipping the explanation takes nothing back.
        return Step(replace(state, stage="closed"), moves.Skipped(), CHOICES_CLOSED, closed=True)
    closed = replace(state, stage="closed", outcome="skipped")
    move: moves.Move = moves.Skipped()
    if exercise is not None and not answer_is_secret(state):
        # The ladder ran out: the worked step was shown, so the answer may be too.
        move = moves.SkippedWithAnswer(answer=exercise.key.answer, worked=exercise.hints[-1])
    elif exercise is not None:
        # Skipping is no way round the ladder: the answer stays secret for another try.
        move = moves.Skipped(answer_kept=True)
    return Step(closed, move, CHOICES_CLOSED, answered=True, closed=True)


def answer_is_secret(state: DialogueState) -> bool:
    """Return True while no reply may reveal the answer."""
    if state.stage == "closed" or state.outcome in {"solved", "revealed"}:
        return False
    return state.hint_rung < LADDER_TOP


def guard(exercise: RenderedExercise, state: DialogueState, text: str) -> str | None:
    """Return ``text``, or None if it would reveal the answer while it is still secret."""
    if answer_is_secret(state) and reveals_answer(
        exercise.key, text, public_texts=(exercise.prompt,)
    ):
        return None
    return text


def _why_question(exercise: RenderedExercise) -> str:
    return exercise.reflection or phrases.DEFAULT_REFLECTION


def _solved(
    exercise: RenderedExercise,
    state: DialogueState,
    accent: str | None = None,
    working: ReasoningJudgement | None = None,
    *,
    powers: bool = False,
) -> Step:
    """Confirm a correct answer (noting accents or powers it wrote loosely), then ask why.

    Working a judge found unsound at one step gets a question about that step instead.
    """
    attempts = state.attempts + 1
    hinted, why = bool(state.hint_rung), _why_question(exercise)
    move = praise_move(hinted, attempts, why, accent, working, powers)
    new = replace(
        asked(state, None), stage="reflecting", outcome="solved", attempts=attempts, misses_in_row=0
    )
    return Step(new, move, answered=True, verdict="correct")


def _missed(
    exercise: RenderedExercise,
    state: DialogueState,
    grade: Grade,
    text: str,
    grader: Grader,
    judgements: Judgements = NO_JUDGE,
    message: str = "",
) -> Step:
    """Answer a wrong attempt: a targeted question, a re-check question, or the next rung.

    Where the re-check question would go (no authored misconception matched, no hint due
    yet), a trusted diagnosis from the judge gets a question aimed at it instead.
    """
    candidate = grade.candidate or ""
    if exercise.key.checker == "exact":  # read casefolded: quote it back as it was typed
        candidate = as_written(candidate, text)
    attempts = state.attempts + 1
    misses = state.misses_in_row + 1
    state = replace(state, attempts=attempts, misses_in_row=misses, tried_since_hint=True)
    if state.hint_rung >= LADDER_TOP:
        return _reveal(exercise, state)
    known = exercise.misconceptions
    matched = next((i for i, m in enumerate(known) if grader(m.key, text).correct), None)
    if matched is None:  # "2 3 4 5": a misconception's values, on one line
        matched = next((i for i, m in enumerate(known) if output_on_one_line(m.key, text)), None)
    if matched is not None:
        targeted = moves.Targeted(known[matched].name, known[matched].question)
        return Step(asked(state, "targeted", matched), targeted, CHOICES_ANSWERING)
    if output_on_one_line(exercise.key, text) and state.asked != _LAYOUT:
        # "2 3 4" for lines 2, 3 and 4: the values are right, their layout is not (said once
        # in a row, as for spelling).
        layout = moves.Recheck(checker=_LAYOUT, candidate=candidate, attempt=attempts - 1)
        return Step(asked(state, _LAYOUT), layout, CHOICES_ANSWERING)
    form = _FORMS.get(grade.wants_form or "", "")
    for said, check in (
        (grade.other_unit, _UNIT),
        (grade.accent_only, "accents"),
        (bool(form), form),
        (misspelled(exercise.key, candidate), _SPELLING),
    ):
        if said and state.asked != check:
            # "50 mph" for 50 km/h, "1:4" for 1/4, "Versaille": said once in a row, then the
            # ladder goes on.
            recheck = moves.Recheck(checker=check, candidate=candidate, attempt=attempts - 1)
            return Step(asked(state, check), recheck, CHOICES_ANSWERING)
    if misses >= MISSES_BEFORE_HINT:
        climbed = hint(exercise, state)
        assert isinstance(climbed.move, moves.Hint)
        return replace(climbed, move=replace(climbed.move, automatic=True))
    if judgements.active and not judgements.missing:  # a reading pending may change it all
        ask = DiagnoseAsk(exercise.prompt, exercise.hints[-1], message or text, exercise.key)
        diagnosis = judgements.diagnosis(ask)
        if diagnosis is not None:
            diagnosed = moves.Diagnosed(diagnosis.misconception, diagnosis.step, attempts - 1)
            return Step(asked(state, "diagnosed"), diagnosed, CHOICES_ANSWERING)
    kind: str = "code" if "```" in exercise.prompt else exercise.key.checker
    if kind == "expression" and "=" in candidate and not _solves(exercise, candidate):
        kind = "equation_step"  # "2x = 14": ask about that step, not "put it back"
    elif kind in ("expression", "numeric") and _solves(exercise, candidate):
        kind = "conditions"  # "-7" for "x² = 49, x positive": the equation is not all
    move = moves.Recheck(checker=kind, candidate=candidate, attempt=attempts - 1)
    return Step(asked(state, "recheck"), move, CHOICES_ANSWERING)


def _solves(exercise: RenderedExercise, candidate: str) -> bool:
    """Tell whether a wrong value makes the problem's own equation true."""
    return solves_the_prompt(exercise.prompt, exercise.key.answer, candidate)


def _reveal(exercise: RenderedExercise, state: DialogueState) -> Step:
    """After the whole ladder and another miss, show the answer and ask why it holds."""
    move = moves.Reveal(
        answer=exercise.key.answer, worked=exercise.hints[-1], question=_why_question(exercise)
    )
    new = replace(asked(state, None), stage="reflecting", outcome="revealed")
    return Step(new, move, answered=True)


def _try_first(state: DialogueState) -> Step:
    """Hold the worked step back until a real try, worded anew each time it waits."""
    move = moves.TryFirst(rung=state.hint_rung, held=state.held)
    return Step(replace(state, held=state.held + 1), move, CHOICES_ANSWERING)


def _smaller_step(exercise: RenderedExercise, state: DialogueState, reason: str) -> Step:
    """Meet 'I don't know', an empty or off-topic message with the next, smaller step."""
    state = replace(state, vague=state.vague + 1)
    if state.hint_rung >= LADDER_TOP:
        return Step(state, moves.NoMoreHints(), CHOICES_SKIP)
    if state.hint_rung >= SMALLER_STEP_TOP:
        return _try_first(state)
    climbed = hint(exercise, state)
    assert isinstance(climbed.move, moves.Hint)
    move = moves.SmallerStep(reason=reason, rung=climbed.move.rung, text=climbed.move.text)
    return replace(climbed, move=move)


def _encourage(exercise: RenderedExercise, state: DialogueState) -> Step:
    """Acknowledge a feeling, then make the next step smaller."""
    step = _smaller_step(exercise, state, "feeling")
    if isinstance(step.move, moves.SmallerStep):
        return replace(step, move=moves.Encourage(rung=step.move.rung, text=step.move.text))
    return step


def end_review(exercise: RenderedExercise, step: Step) -> Step:
    """In a review, close on the answer instead of asking the reflection question."""
    if step.state.stage != "reflecting":
        return step
    closed = replace(step.state, stage="closed")
    move = moves.ReviewClosed(
        remembered=step.state.outcome == "solved",
        answer=exercise.key.answer,
        worked=exercise.hints[-1],
    )
    return replace(step, state=closed, move=move, choices=CHOICES_CLOSED, closed=True)
