"""Grading that reads people: negation, hedges in any course language, sentences."""

from __future__ import annotations

import pickle

import pytest

from bot.learning.grading import AnswerKey, Grade, grade_answer


def numeric(answer: str, language: str = "en", **kwargs: object) -> AnswerKey:
    return AnswerKey("numeric", answer, language=language, **kwargs)  # type: ignore[arg-type]


def expression(answer: str, language: str = "en") -> AnswerKey:
    return AnswerKey("expression", answer, language=language)


def exact(answer: str, language: str = "en", strict: bool = False) -> AnswerKey:
    return AnswerKey("exact", answer, language=language, strict_accents=strict)


CAPITALS = AnswerKey("choice", "Paris", choices=("London", "Paris", "Rome"))

# --- negation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        (numeric("2"), "it's definitely not 2"),
        (numeric("7/12"), "not 7/12"),
        (numeric("7/12"), "I don't think it's 7/12"),
        (numeric("7/12"), "7/12 is wrong"),
        (numeric("2"), "it can't be 2"),
        (expression("x = 3"), "isn't x = 3"),
        (expression("x = 3"), "x ≠ 3"),
        (numeric("15", "es"), "no es 15"),
        (numeric("15", "fr"), "ce n'est pas 15"),
        (numeric("15", "de"), "das ist nicht 15"),
        (numeric("15", "pt"), "não é 15"),
        (numeric("15", "it"), "non è 15"),
        (exact("hablo", "es"), "no es hablo"),
        (exact("Canberra"), "it's not Canberra"),
        (CAPITALS, "not Paris"),
        (CAPITALS, "not b"),
    ],
)
def test_a_negated_answer_is_never_correct_and_is_no_answer(key: AnswerKey, reply: str) -> None:
    assert grade_answer(key, reply) == Grade(False, None)


@pytest.mark.parametrize(
    ("key", "reply", "candidate"),
    [
        (numeric("3"), "not 2, it's 3", "3"),
        (numeric("3"), "it isn't 2 but 3", "3"),
        (numeric("3"), "3, not 2", "3"),
        (numeric("3", "es"), "no es 2, es 3", "3"),
        (numeric("3", "de"), "nicht 2, sondern 3", "3"),
        (expression("x = 3"), "x ≠ 2, x = 3", "3"),
        (CAPITALS, "not London, it's Paris", "paris"),
    ],
)
def test_a_negated_candidate_gives_way_to_the_affirmed_one(
    key: AnswerKey, reply: str, candidate: str
) -> None:
    assert grade_answer(key, reply) == Grade(True, candidate)


@pytest.mark.parametrize(
    ("key", "reply", "candidate"),
    [
        (exact("4/5"), "I think the answer is 1/3, not 1/2", "1/3"),
        (exact("4/5"), "1/3 not 1/2", "1/3"),
        (exact("hablamos"), "hablan, not hablamos", "hablan"),
        (exact("hablamos", "es"), "hablo, no hablamos", "hablo"),
        (numeric("4/5"), "I think the answer is 1/3, not 1/2", "1/3"),
    ],
)
def test_a_wrong_answer_with_a_rival_ruled_out_is_read_as_that_answer(
    key: AnswerKey, reply: str, candidate: str
) -> None:
    # a text answer is read as a wrong attempt to talk about, not as a message with none
    assert grade_answer(key, reply) == Grade(False, candidate)


def test_a_negation_inside_a_sentence_is_no_rival() -> None:
    # "it does" is not an answer set against "print 4 and then 1"
    grade = grade_answer(exact("4\n1"), "it does not print 4 and then 1")
    assert not grade.correct and grade.candidate != "it does"


@pytest.mark.parametrize(
    "reply",
    [
        "it prints 4 and then 1",
        "4 and 1",
        "First 4, then 1.",
        "4; 1",
        "I think it prints 4 and then 1",
        "it prints 4 and 1 because 17 // 4 is 4",
        "4\n1",
    ],
)
def test_printed_lines_may_be_said_in_one_sentence(reply: str) -> None:
    assert grade_answer(exact("4\n1"), reply) == Grade(True, "4\n1")


@pytest.mark.parametrize(
    "reply",
    [
        "1 and then 4",  # the wrong order
        "4 1",  # a space or a comma alone may be one printed line
        "4, 1",
        "it prints 4 and then 1/2",
        "5 4 and 1",  # more output than the answer
        "4 and 1 or 5 and 1",
        "it does not print 4 and then 1",
        "why 4 and 1?",
    ],
)
def test_lines_said_in_one_sentence_are_not_guessed(reply: str) -> None:
    assert not grade_answer(exact("4\n1"), reply).correct


def test_one_printed_line_is_not_read_as_two() -> None:
    assert not grade_answer(exact("Hello\nWorld"), "Hello World").correct
    assert grade_answer(exact("Hello\nWorld"), "hello and then world").correct


def test_doubt_is_not_negation() -> None:
    assert grade_answer(numeric("7/12"), "not sure but 7/12").correct
    assert grade_answer(numeric("7/12"), "I'm not sure, 7/12?").correct
    assert grade_answer(numeric("7/12", "es"), "no sé, pero 7/12").correct


# --- hedges ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        (numeric("7/12"), "7/12, 5/12"),
        (numeric("7/12"), "2/7, 7/12, 1/12"),
        (numeric("7/12"), "is it 7/12? 5/12?"),
        (numeric("7/12"), "maybe 7/12, maybe 5/12"),
        (numeric("7/12", "es"), "7/12 o 5/12"),
        (numeric("7/12", "es"), "quizás 7/12 o tal vez 5/12"),
        (numeric("7/12", "fr"), "7/12 ou 5/12"),
        (numeric("7/12", "de"), "7/12 oder 5/12"),
        (numeric("7/12", "pt"), "7/12 ou talvez 5/12"),
        (numeric("7/12", "it"), "7/12 oppure 5/12"),
        (numeric("6", "de"), "sechs oder acht"),
        (expression("x = 3", "es"), "x = 3 o x = 4"),
        (expression("x = 3"), "x = 3, x = 4"),
        (exact("hablo", "es"), "hablo o hablas"),
        (exact("hablo", "es"), "hablas, hablo"),
        (exact("went"), "goed or went"),
        (AnswerKey("choice", "b", choices=("x", "y", "z"), language="fr"), "b ou c"),
        (AnswerKey("choice", "b", choices=("x", "y", "z"), language="de"), "a oder b"),
    ],
)
def test_several_different_answers_are_a_hedge_in_the_course_language(
    key: AnswerKey, reply: str
) -> None:
    grade = grade_answer(key, reply)
    assert grade.hedged and not grade.correct


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        (numeric("7/12"), "7/12, or 14/24: the same"),
        (numeric("7/12"), "1/3 = 4/12, 1/4 = 3/12, so 7/12"),
        (numeric("12"), "the sides are 3, 4 and 5 so the answer is 12"),
        (expression("x = 3"), "5x - 2x = 9, 3x = 9, x = 3"),
        (numeric("7/12", "es"), "7/12, o sea 14/24"),
    ],
)
def test_working_and_equal_values_are_not_a_hedge(key: AnswerKey, reply: str) -> None:
    grade = grade_answer(key, reply)
    assert grade.correct and not grade.hedged


def test_a_hedge_names_its_last_alternative() -> None:
    assert grade_answer(numeric("7/12"), "7/12, 5/12") == Grade(False, "5/12", hedged=True)


def test_an_apposition_is_not_a_hedge() -> None:
    assert not grade_answer(exact("Paris"), "Paris, France").hedged
    assert not grade_answer(exact("hablo", "es"), "sí, hablo").hedged


# --- the answer in a sentence, and the oracle --------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "I think it's 7/12 because 1/3 is 4/12 and 1/4 is 3/12",
        "7/12 I guess",
        "7/12 because 4/12 + 3/12 = 7/12",
        "Because 1/3 = 4/12 and 1/4 = 3/12, the answer is 7/12.",
        "my answer is 7/12, is that right?",
        "seven twelfths",
        "is it 7/12?",
        "how about 7/12?",
        "7/12, why does the bottom stay the same?",
        "5/12, sorry, I mean 7/12",
    ],
)
def test_an_answer_inside_a_sentence_is_graded_as_an_answer(reply: str) -> None:
    assert grade_answer(numeric("7/12"), reply).correct


# Each reply shape, filled with the right answer and with a wrong one, must be read the same
# way: an answer both times (then right only with the right value), or no answer both times.
SHAPES = [
    "{}",
    "is it {}?",
    "is it {} or not?",
    "{} I guess",
    "I think it's {} because that's what I got",
    "what do you mean by {}?",
    "why would it be {}?",
    "it's definitely not {}",
    "{} is wrong",
    "hmm {}",
    "{}? no wait",
    "Step 1: {}",
]
ORACLE_KEYS = [
    (numeric("7/12"), "7/12", "5/12"),
    (numeric("12"), "12", "13"),
    (expression("x = 3"), "x = 3", "x = 4"),
    (exact("hablo", "es"), "hablo", "habla"),
    (exact("le café", "fr"), "le café", "la café"),
    (CAPITALS, "Paris", "Rome"),
    (CAPITALS, "b", "c"),
]


@pytest.mark.parametrize(("key", "right", "wrong"), ORACLE_KEYS)
@pytest.mark.parametrize("shape", SHAPES)
def test_whether_a_reply_is_an_answer_never_depends_on_the_answer(
    key: AnswerKey, right: str, wrong: str, shape: str
) -> None:
    with_right = grade_answer(key, shape.format(right))
    with_wrong = grade_answer(key, shape.format(wrong))
    assert (with_right.candidate is None) == (with_wrong.candidate is None)
    assert with_right.hedged == with_wrong.hedged
    assert not with_wrong.correct
    if with_right.candidate is not None and not with_right.hedged:
        assert with_right.correct


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        (numeric("7/12"), "what do you mean by 7/12?"),
        (numeric("7/12"), "how do I turn 1/3 into twelfths?"),
        (numeric("42", "es"), "¿qué significa 42?"),
        (exact("somos", "es"), "¿qué quiere decir somos?"),
    ],
)
def test_an_open_question_is_no_answer(key: AnswerKey, reply: str) -> None:
    assert grade_answer(key, reply) == Grade(False, None)


# --- worked solutions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reply", "candidate"),
    [
        ("12", "2 eggs a minute, so she needs 12 eggs in 6 minutes", "12"),
        ("12", "She lays 12 eggs in 6 minutes.", "12"),
        ("16", "She needs 16 days to read 240 pages", "16"),
        ("35", "105/3 = 35", "35"),
        ("6", "3 x 6 = 18 eggs\n18 - 12 = 6\nso 6 eggs are left", "6"),
        ("4", "x = 4. Check: 2(4) + 3 = 11", "4"),
        ("8", "7 boxes hold 168, 12 pencils left, so one more box: 8", "8"),
        ("16", "15 x 10 = 150\n240 - 150 = 90\n90 / 15 = 6\n10 + 6 = 16", "16"),
        ("7/12", "1. change 1/3 to 4/12\n2. change 1/4 to 3/12\n3. add: 7/12", "7/12"),
        ("15", "It takes 15 minutes for 12 eggs", "15"),
    ],
)
def test_a_worked_solution_is_read_at_its_conclusion(
    answer: str, reply: str, candidate: str
) -> None:
    assert grade_answer(numeric(answer), reply) == Grade(True, candidate)


def test_the_key_unit_picks_the_number_it_is_about() -> None:
    assert grade_answer(numeric("6 minutes"), "12 eggs in 6 minutes").correct
    assert grade_answer(numeric("12 eggs"), "12 eggs in 6 minutes").correct


def test_division_in_a_line_is_one_value_not_two_alternatives() -> None:
    assert grade_answer(numeric("35"), "105/3") == Grade(True, "105/3")
    assert grade_answer(numeric("35"), "105/3 = 35") == Grade(True, "35")
    assert grade_answer(expression("x = 35"), "x = 105/3 = 35").correct
    assert grade_answer(exact("35"), "105/3 = 35").correct
    assert not grade_answer(numeric("105"), "105/3").correct


# --- keys travel to worker processes -----------------------------------------------------


def test_keys_and_grades_stay_picklable_and_frozen() -> None:
    key = AnswerKey("exact", "habló", language="es", strict_accents=True)
    grade = Grade(True, "habló", accent_only=True)
    assert pickle.loads(pickle.dumps(key)) == key
    assert pickle.loads(pickle.dumps(grade)) == grade
    with pytest.raises(AttributeError):
        key.language = "fr"  # type: ignore[misc]
    assert hash(key) == hash(AnswerKey("exact", "habló", language="es", strict_accents=True))


def test_an_unknown_language_reads_english() -> None:
    assert grade_answer(numeric("7/12", "xx"), "7/12 or 5/12").hedged
    assert grade_answer(numeric("7/12", "es-MX"), "7/12 o 5/12").hedged


WORDY = [
    "seven " * 400,
    "because " * 300,
    "not " * 600,
    "is it 7/12? " * 200,
    "7/12, " * 400,
    "or " * 800,
    "twenty-one " * 200,
    "einundzwanzig" * 150,
    "1. x\n" * 500,
    "so " * 700,
    "= " * 1000,
    "a " * 1000,
    "900m " * 400,
    "minus " * 400,
    "0,5 " * 500,
    "8:50 " * 400,
    "what " * 400 + "?",
    "hablo " * 400,
    "le café ou " * 200,
    "¿" * 2000,
    "x = 3, " * 300,
    "(b) " * 500,
    "one " * 600,
    "quatre-vingt-" * 160,
    "n't " * 600,
    "step 3 " * 300,
]


@pytest.mark.parametrize("language", ["en", "es", "fr", "de"])
def test_wordy_replies_are_graded_in_every_language(language: str) -> None:
    keys = [
        numeric("7/12", language),
        expression("x = 3", language),
        exact("hablo", language),
        AnswerKey("choice", "b", choices=("x", "y", "z"), language=language),
        AnswerKey("pattern", "x", pattern=r"\d+", language=language),
    ]
    for reply in WORDY:
        for key in keys:
            assert isinstance(grade_answer(key, reply), Grade), (key.checker, reply[:20])
