"""Replies to the tutor's own questions (re-checks, hints put as questions) are not attempts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue.replies import yes_or_no
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"

# An exercise of a course nobody wrote the engine for: an exact answer in one form only.
SIMPLEST = """\
id: simplify
title: Simplifying
description: One exercise.
placement: false
skills:
  - id: simplest-form
    title: Simplest form
exercises:
  - id: six-fifteenths
    kind: problem
    skill: simplest-form
    prompt: Write 6/15 in its simplest form.
    answer: 2/5
    checker: exact
    hints:
      nudge: Which number bigger than 1 divides both 6 and 15?
      specific: Both 6 and 15 are in the 3 times table. Divide the top and the bottom by 3.
      worked: 6 ÷ 3 = 2 and 15 ÷ 3 = 5, so the simplest form is 2/5.
    reflection: How do you know 2/5 cannot be simplified any further?
  - id: word-answer
    kind: problem
    skill: simplest-form
    prompt: Is 4/6 in its simplest form? Answer True or False.
    answer: "False"
    checker: exact
    hints:
      nudge: Does any number bigger than 1 divide both 4 and 6?
      specific: 2 divides both.
      worked: 4/6 = 2/3, so it was not in simplest form.
    reflection: What did you check?
"""


@pytest.fixture(scope="module")
def simplest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RenderedExercise]:
    folder = tmp_path_factory.mktemp("courses") / "simplify"
    folder.mkdir()
    (folder / "course.yaml").write_text(SIMPLEST, encoding="utf-8")
    course = load_catalog([folder.parent]).courses["simplify"]
    return {i: render_exercise(e, {}) for i, e in course.exercises.items()}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def demo() -> RenderedExercise:
    exercise = load_catalog([DEMO]).courses["demo"].exercises["third-plus-quarter"]
    return render_exercise(exercise, {})  # type: ignore[arg-type]


def test_yes_and_numbers_answering_our_questions_are_no_wrong_attempts(
    simplest: dict[str, RenderedExercise],
) -> None:
    exercise = simplest["six-fifteenths"]
    steps = play(exercise, ["3/5", "yes", "hint", "yes I did", "2/5"])
    kinds = [s.move.kind for s in steps]
    assert kinds == ["recheck", "reply_heard", "hint", "reply_heard", "praise"]
    assert [s.state.attempts for s in steps] == [1, 1, 1, 1, 2]
    assert [s.verdict for s in steps] == ["wrong", None, None, None, "correct"]
    assert steps[2].state.asked == "hint"  # the nudge is a question
    assert offline_text(steps[1].move) != offline_text(steps[3].move)  # each taken anew
    # "Which number divides both?" "3": a whole number cannot be meant as 2/5.
    divisor = play(exercise, ["hint", "3"])[1]
    assert divisor.move.kind == "reply_heard" and divisor.state.attempts == 0
    for step in [*steps[:-1], divisor]:
        assert "2/5" not in offline_text(step.move)
        assert "i did" not in offline_text(step.move).lower()


def test_without_a_question_the_same_messages_are_read_as_before(
    simplest: dict[str, RenderedExercise],
) -> None:
    exercise = simplest["six-fifteenths"]
    # The specific hint is no question: a number after it is an attempt.
    steps = play(exercise, ["hint", "3/5", "hint", "3"])
    assert steps[2].move.kind == "hint" and steps[2].state.asked is None
    assert steps[3].verdict == "wrong" and steps[3].state.attempts == 2


def test_a_number_of_the_answers_shape_after_a_hint_is_an_attempt(demo: RenderedExercise) -> None:
    steps = play(demo, ["hint", "5/7"])
    assert steps[1].verdict == "wrong" and steps[1].state.attempts == 1


def test_words_taking_up_the_hints_question_reply_to_it(demo: RenderedExercise) -> None:
    steps = play(demo, ["hint", "no, they need to be the same kind of piece", "7/12"])
    assert [s.move.kind for s in steps] == ["hint", "reply_heard", "praise"]
    assert steps[-1].state.attempts == 1
    twelfths = play(demo, ["hint", "12"])[1]  # the common piece, not an attempt at 7/12
    assert twelfths.move.kind == "reply_heard" and twelfths.state.attempts == 0


def test_anything_else_after_a_hint_question_is_read_as_before(demo: RenderedExercise) -> None:
    replied = play(demo, ["hint", "banana"])[1]
    assert replied.move.kind != "reply_heard"
    assert replied.state.attempts == 0


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("yes", True),
        ("yes I did", True),
        ("nope", True),
        ("I think so", True),
        ("ok", True),
        ("yes, 3", False),
        ("no, it's 3/5", False),
        ("3", False),
        ("they need the same piece", False),
    ],
)
def test_a_yes_or_a_no(simplest: dict[str, RenderedExercise], text: str, said: bool) -> None:
    assert yes_or_no(simplest["six-fifteenths"], text) is said


def test_after_a_yes_a_word_answer_is_still_an_answer(
    simplest: dict[str, RenderedExercise],
) -> None:
    exercise = simplest["word-answer"]
    assert yes_or_no(exercise, "yes")
    assert not yes_or_no(exercise, "yes it is False")
    steps = play(exercise, ["hint", "yes it is False"])
    assert steps[1].move.kind == "praise"


def test_a_step_told_in_words_is_asked_for_its_result_not_marked_wrong(
    simplest: dict[str, RenderedExercise], demo: RenderedExercise
) -> None:
    exercise = simplest["six-fifteenths"]
    told = play(exercise, ["I divided both by 3"])[0]
    assert told.move.kind == "reply_heard" and told.state.attempts == 0
    after_a_question = play(exercise, ["3/5", "I took 3 out of both"])[1]
    assert after_a_question.move.kind == "reply_heard"
    assert after_a_question.state.attempts == 1
    # A bare whole number is still an attempt, and so is a fraction said with words.
    assert play(exercise, ["3"])[0].verdict == "wrong"
    assert play(exercise, ["I divided both by 3 and got 3/5"])[0].verdict == "wrong"
    assert play(demo, ["I made both into 12ths"])[0].move.kind == "reply_heard"


def test_words_with_no_number_are_no_attempt_at_a_number_answer(
    simplest: dict[str, RenderedExercise],
) -> None:
    step = play(simplest["six-fifteenths"], ["I cancelled the common factor"])[0]
    assert step.verdict is None and step.state.attempts == 0
    assert "your answer" not in offline_text(step.move)


def test_a_long_answer_is_not_quoted_back_whole(simplest: dict[str, RenderedExercise]) -> None:
    recheck = play(simplest["six-fifteenths"], ["I think the simplest form would be 3/5"])[0]
    assert recheck.move.kind == "recheck"
    text = offline_text(recheck.move)
    assert "your answer" in text and "would be" not in text
    short = offline_text(play(simplest["six-fifteenths"], ["3/5"])[0].move)
    assert "3/5" in short


def test_a_yes_answers_only_a_problem_whose_answer_could_be_a_yes(
    simplest: dict[str, RenderedExercise],
) -> None:
    unasked = play(simplest["six-fifteenths"], ["yes"])[0]  # exact 2/5: no attempt at it
    assert unasked.move.kind == "chitchat" and unasked.state.attempts == 0
    true_or_false = play(simplest["word-answer"], ["no"])[0]  # "Answer True or False"
    assert true_or_false.verdict == "wrong" and true_or_false.state.attempts == 1


LOCATION = """\
id: estar
title: Ser y estar
description: Where things are.
language: es
placement: false
skills:
  - id: estar
    title: Estar
exercises:
  - id: madrid
    kind: problem
    skill: estar
    prompt: "Completa: Madrid ___ en España. (ser o estar)"
    answer: está
    checker: exact
    hints:
      nudge: ¿Hablamos de lo que es Madrid o de su ubicación?
      specific: Para la ubicación usamos estar.
      worked: Madrid está en España, porque es una ubicación.
    misconceptions:
      - answer: es
        question: ¿Describe la frase qué es Madrid, o dónde se encuentra?
    reflection: ¿Por qué se usa estar aquí?
"""


def test_words_taking_up_a_targeted_question_reply_to_it(tmp_path: Path) -> None:
    madrid = inline_exercise(tmp_path, LOCATION, "madrid")
    steps = play(madrid, ["es", "dónde se encuentra", "está"])
    assert [s.move.kind for s in steps] == ["targeted", "reply_heard", "praise"]
    assert [s.state.attempts for s in steps] == [1, 1, 2]
    # Words of the question's own language that every reply uses are no taking up.
    other = play(madrid, ["es", "que sí"])[1]
    assert other.move.kind != "reply_heard" and other.state.attempts == 2


CONJUGATION = """\
id: etre
title: Être
description: Le verbe être.
language: fr
placement: false
skills:
  - id: etre
    title: Être
exercises:
  - id: nous
    kind: problem
    skill: etre
    prompt: Conjugue « être » avec « nous » au présent.
    answer: sommes
    checker: exact
    hints:
      nudge: C'est un verbe irrégulier.
      specific: Ça commence par « som ».
      worked: nous sommes.
    misconceptions:
      - answer: êtes
        question: « êtes » va avec quel pronom ?
    reflection: Pourquoi ce verbe est-il difficile ?
"""


def test_a_word_naming_what_a_targeted_question_asks_for_is_a_reply(tmp_path: Path) -> None:
    rendered = inline_exercise(tmp_path, CONJUGATION, "nous")
    steps = play(rendered, ["êtes", "vous", "sommes"])
    assert [s.move.kind for s in steps] == ["targeted", "reply_heard", "praise"]
    assert [s.state.attempts for s in steps] == [1, 1, 2]


def test_after_the_reply_a_wrong_word_is_an_attempt_and_the_same_mistake_always_is(
    tmp_path: Path,
) -> None:
    rendered = inline_exercise(tmp_path, CONJUGATION, "nous")
    again = play(rendered, ["êtes", "êtes"])
    assert again[1].move.kind == "targeted" and again[1].state.attempts == 2
    later = play(rendered, ["êtes", "vous", "sont"])
    assert later[2].verdict == "wrong" and later[2].state.attempts == 2


CAPITALS = """\
id: capitals
title: Capitals
description: Capital cities.
placement: false
skills:
  - id: capitals
    title: Capitals
exercises:
  - id: australia
    kind: recall
    skill: capitals
    prompt: What is the capital of Australia?
    answer: Canberra
    checker: exact
    hints:
      nudge: It's not the biggest city.
      specific: It was built as a compromise between two big cities.
      worked: The capital is Canberra.
"""


@pytest.mark.parametrize(
    "reply", ["I just guessed", "because it's the biggest", "I thought it was the biggest one"]
)
def test_telling_how_the_last_answer_came_about_replies_to_the_recheck(
    tmp_path: Path, reply: str
) -> None:
    steps = play(inline_exercise(tmp_path, CAPITALS, "australia"), ["Melbourne", reply])
    assert [s.move.kind for s in steps] == ["recheck", "reply_heard"]
    assert steps[1].state.attempts == 1


@pytest.mark.parametrize("reply", ["I think it's Perth", "I guess Perth", "Perth"])
def test_a_new_answer_after_the_recheck_is_an_attempt(tmp_path: Path, reply: str) -> None:
    steps = play(inline_exercise(tmp_path, CAPITALS, "australia"), ["Melbourne", reply])
    assert steps[1].verdict == "wrong" and steps[1].state.attempts == 2
