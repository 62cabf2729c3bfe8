import dataclasses

import pytest

from bot.learning.grading import AnswerKey, Grade, grade_answer


def numeric(answer: str, **kwargs: object) -> AnswerKey:
    return AnswerKey("numeric", answer, **kwargs)  # type: ignore[arg-type]


def expression(answer: str, **kwargs: object) -> AnswerKey:
    return AnswerKey("expression", answer, **kwargs)  # type: ignore[arg-type]


CAPITALS = AnswerKey("choice", "b", choices=("London", "Paris", "Rome"))


# --- exact ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "hello 3",
        "Hello 3",
        "  HELLO   3  ",
        "hello 3.",
        '"hello 3"',
        "`hello 3`",
        "“hello 3”!",
        "(hello 3)",
        "ｈｅｌｌｏ　３",
        "The output is hello 3",
        "It prints: hello 3",
        "I ran it.\nThe output is hello 3",
    ],
)
def test_exact_accepts_normalised_forms(reply: str) -> None:
    assert grade_answer(AnswerKey("exact", "hello 3"), reply) == Grade(True, "hello 3")


@pytest.mark.parametrize(
    "reply", ["hello 4", "hello", "hello 33", "xhello 3", "hello 3 world", "hello 3\nbye"]
)
def test_exact_rejects_other_text(reply: str) -> None:
    assert not grade_answer(AnswerKey("exact", "hello 3"), reply).correct


def test_exact_uses_accept_entries() -> None:
    key = AnswerKey("exact", "colour", accept=("color",))
    assert grade_answer(key, "Color").correct
    assert not grade_answer(key, "colr").correct


def test_exact_compares_multi_line_output_line_by_line() -> None:
    key = AnswerKey("exact", "1\n2\n3")
    assert grade_answer(key, "1\n2\n3").correct
    assert grade_answer(key, "  1 \n\n 2\n3  \n").correct
    assert grade_answer(key, "The output is:\n1\n2\n3").correct
    assert grade_answer(key, "The output is 1\n2\n3").correct
    assert not grade_answer(key, "1\n2\n4").correct
    assert not grade_answer(key, "1 2 3").correct
    assert not grade_answer(key, "2\n3").correct


def test_exact_hedge_is_not_correct() -> None:
    grade = grade_answer(AnswerKey("exact", "hello 3"), "hello 4 or hello 3")
    assert grade == Grade(False, "hello 3", hedged=True)


def test_exact_reports_the_last_line_as_the_candidate_when_wrong() -> None:
    assert grade_answer(AnswerKey("exact", "hello 3"), "hmm\nHello 4!") == Grade(False, "hello 4")


# --- numeric ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("0.75", "0.75"),
        ("0.75", "3/4"),
        ("0.75", "75%"),
        ("0.75", "6/8"),
        ("3/4", ".75"),
        ("75%", "0.75"),
        ("75%", "75"),
        ("1000", "1,000"),
        ("1234567", "1,234,567"),
        ("-2", "-2"),
        ("-2", "−2"),
        ("2", "+2"),
        ("1.5", "1 1/2"),
        ("-1.5", "-1 1/2"),
        ("12", "12 cm"),
        ("12", "12cm"),
        ("5", "5 apples"),
        ("3.5", "$3.50"),
        ("3.50", "3.5"),
        ("7/12", "7 / 12"),
        ("2", "x = 2"),
        ("12 cm", "12"),
        ("$3.50", "3.5 dollars"),
        ("3", "three"),
        ("900", "900m"),
    ],
)
def test_numeric_accepts_equivalent_forms(answer: str, reply: str) -> None:
    assert grade_answer(numeric(answer), reply).correct


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("7/12", "0.5833"),
        ("7/12", "0.58"),
        ("7/12", "5/12"),
        ("7/12", "12/7"),
        ("2", "-2"),
        ("0.75", "75"),
        ("1000", "1,0000"),
        ("1.5", "1 1/4"),
        ("3", "33"),
        ("3", "thirty"),
        ("3", ""),
    ],
)
def test_numeric_rejects_other_values(answer: str, reply: str) -> None:
    assert not grade_answer(numeric(answer), reply).correct


def test_numeric_tolerance() -> None:
    key = numeric("3.14", tolerance=0.01)
    assert grade_answer(key, "3.1416").correct
    assert grade_answer(key, "3.13").correct
    assert grade_answer(key, "22/7").correct
    assert not grade_answer(key, "3.2").correct
    assert not grade_answer(key, "3").correct


def test_zero_tolerance_is_exact_rational_equality() -> None:
    assert grade_answer(numeric("1/3"), "2/6").correct
    assert not grade_answer(numeric("1/3"), "0.3333333333").correct


@pytest.mark.parametrize(
    "reply",
    [
        "7/12",
        "I added them and got 7/12, so 7/12",
        "I think it's 7/12",
        "1/3 + 1/4 = 7/12",
        "4/12 + 3/12 = 7/12.",
        "The answer is 7/12. Since 1/3 is 4/12 and 1/4 is 3/12.",
        "first I tried 5/12 but that was wrong, it's 7/12",
        "7/12 or 14/24, same thing",
    ],
)
def test_numeric_finds_the_answer_inside_a_longer_reply(reply: str) -> None:
    assert grade_answer(numeric("7/12"), reply).correct


def test_numeric_last_candidate_wins() -> None:
    assert grade_answer(numeric("7/12"), "1/3 + 1/4 = 7/12") == Grade(True, "7/12")
    assert grade_answer(numeric("7/12"), "7/12? no wait, 5/12") == Grade(False, "5/12")


@pytest.mark.parametrize(
    "reply",
    ["is it 7/12 or 5/12?", "5/12 or 7/12", "either 2 or 7/12", "7/12 / 5/12", "7/12? Or 1/2?"],
)
def test_numeric_hedges_are_wrong_even_when_one_option_is_right(reply: str) -> None:
    grade = grade_answer(numeric("7/12"), reply)
    assert grade.hedged
    assert not grade.correct


def test_hedge_candidate_and_either_or() -> None:
    assert grade_answer(numeric("3"), "either 2 or 3") == Grade(False, "3", hedged=True)
    assert grade_answer(numeric("3"), "x = 2 or x = 3").hedged


def test_numeric_coefficients_are_not_answers() -> None:
    assert grade_answer(numeric("3"), "2x = 6 so x = 3") == Grade(True, "3")
    assert grade_answer(numeric("2"), "2x") == Grade(False, None)


# --- expression ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "2x+1",
        "1+2x",
        "x*2+1",
        "2 x + 1",
        "2·x + 1",
        "2(x + 1/2)",
        "(4x + 2)/2",
        "x + x + 1",
        "so it's 2x + 1.",
        "I think the answer is 2x+1",
        "y = 2x + 1",
    ],
)
def test_expression_equivalent_forms(reply: str) -> None:
    assert grade_answer(expression("2x+1"), reply).correct


@pytest.mark.parametrize("reply", ["2x-1", "2x", "x+1", "2x+2", "2y+1", "x^2+1", "2x + 1.001"])
def test_expression_non_equivalent_forms(reply: str) -> None:
    assert not grade_answer(expression("2x+1"), reply).correct


def test_expression_ignores_a_lone_variable_that_is_probably_a_word() -> None:
    assert grade_answer(expression("2a+1"), "2a+1 is a good answer") == Grade(True, "2a+1")
    assert grade_answer(expression("a"), "a") == Grade(True, "a")


def test_exact_keeps_brackets_that_are_part_of_the_answer() -> None:
    assert grade_answer(AnswerKey("exact", "f(x)"), "f(x)").correct
    assert grade_answer(AnswerKey("exact", "(1, 2)"), "(1, 2)").correct
    assert not grade_answer(AnswerKey("exact", "f(x)"), "f(y)").correct


def test_expression_algebraic_identities() -> None:
    assert grade_answer(expression("x^2 - 1"), "(x+1)(x-1)").correct
    assert grade_answer(expression("(x+1)^2"), "x² + 2x + 1").correct
    assert grade_answer(expression("x^2 + 2xy + y^2"), "(x+y)^2").correct
    assert grade_answer(expression("x + 1"), "(x^2 - 1)/(x - 1)").correct
    assert grade_answer(expression("1/x + 1/y"), "(x+y)/(xy)").correct
    assert grade_answer(expression("2sqrt(2)"), "sqrt(8)").correct
    assert not grade_answer(expression("x^2 - 1"), "(x-1)^2").correct
    assert not grade_answer(expression("x"), "sqrt(x^2)").correct


@pytest.mark.parametrize(
    ("answer", "reply", "candidate"),
    [
        ("2", "x=2", "2"),
        ("2", "x = 2", "2"),
        ("x = 2", "2", "2"),
        ("x = 3", "3 = x", "3"),
        ("x = 3", "so x = 3", "3"),
        ("x = 3", "x = 6/2 = 3", "3"),
        ("x = 3", "2x = 6, so x = 3.", "3"),
        ("3 = x", "x = 3", "3"),
        ("y = 2x + 1", "y = 1 + 2x", "1 + 2x"),
        ("y = 2x + 1", "2x + 1 = y", "2x + 1"),
    ],
)
def test_expression_equations(answer: str, reply: str, candidate: str) -> None:
    assert grade_answer(expression(answer), reply) == Grade(True, candidate)


def test_expression_wrong_equations() -> None:
    assert not grade_answer(expression("x = 3"), "x = 4").correct
    assert not grade_answer(expression("x = 3"), "2x = 6").correct
    assert grade_answer(expression("x = 3"), "x = -3") == Grade(False, "-3")


def test_general_equations_match_either_orientation() -> None:
    key = expression("2x + 3y = 6")
    assert grade_answer(key, "3y + 2x = 6").correct
    assert grade_answer(key, "6 = 2x + 3y").correct
    assert not grade_answer(key, "2x + 3y = 7").correct


def test_expression_hedges() -> None:
    grade = grade_answer(expression("2x+1"), "2x+1 or 2x-1")
    assert grade == Grade(False, "2x-1", hedged=True)
    assert grade_answer(expression("x = 3"), "x = 3 or x = 4").hedged
    assert not grade_answer(expression("2x+1"), "2x+1 or 1+2x").hedged


def test_large_expressions_are_compared_without_hanging() -> None:
    key = expression("(a+b+c+d+e+f)^60")
    assert grade_answer(key, "(f+e+d+c+b+a)^60").correct
    assert not grade_answer(key, "(a+b+c+d+e+f)^59").correct
    assert grade_answer(expression("(x+1)^64 - (x+1)^64 + x"), "x").correct


def test_unparseable_expression_key_grades_false() -> None:
    assert grade_answer(expression("2x +* 1"), "2x+1") == Grade(False, None)


# --- choice -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        "b",
        "B",
        "(b)",
        "B)",
        "b.",
        "option b",
        "Option B",
        "answer: b",
        "The answer is (b)",
        "2",
        "Paris",
        "paris!",
        "I think it's Paris",
        "not London, it's Paris",
    ],
)
def test_choice_accepts_letters_numbers_and_text(reply: str) -> None:
    assert grade_answer(CAPITALS, reply).correct


@pytest.mark.parametrize("reply", ["a", "c", "(c)", "option a", "1", "3", "London", "Rome", "d"])
def test_choice_rejects_other_options(reply: str) -> None:
    assert not grade_answer(CAPITALS, reply).correct


def test_choice_answer_may_be_the_option_text_or_number() -> None:
    by_text = dataclasses.replace(CAPITALS, answer="Paris")
    by_number = dataclasses.replace(CAPITALS, answer="2")
    for key in (by_text, by_number):
        assert grade_answer(key, "b").correct
        assert grade_answer(key, "paris").correct
        assert not grade_answer(key, "a").correct


def test_choice_numbers_mean_option_text_when_options_are_numbers() -> None:
    key = AnswerKey("choice", "c", choices=("1", "2", "3", "4"))
    assert grade_answer(key, "3").correct
    assert grade_answer(key, "c").correct
    assert not grade_answer(key, "4").correct


@pytest.mark.parametrize("reply", ["a or b", "(a) or (b)", "b, c", "London or Paris?"])
def test_choice_hedges(reply: str) -> None:
    grade = grade_answer(CAPITALS, reply)
    assert grade.hedged
    assert not grade.correct


def test_choice_letter_a_as_an_article_is_not_a_reference() -> None:
    key = AnswerKey("choice", "a", choices=("London", "Paris"))
    assert not grade_answer(key, "The answer is a city in France: Paris").correct
    assert grade_answer(key, "option a is right").correct
    assert grade_answer(key, "the answer is a.").correct


def test_choice_prefers_the_longest_option_mentioned() -> None:
    key = AnswerKey("choice", "a", choices=("New York", "York"))
    assert grade_answer(key, "I'd say New York").correct
    assert not grade_answer(key, "I'd say York").correct


# --- pattern ------------------------------------------------------------------------------


def test_pattern_searches_the_reply_case_insensitively() -> None:
    key = AnswerKey("pattern", "hello 3", pattern=r"hel+o\s+3\b")
    assert grade_answer(key, "It prints HELLO   3") == Grade(True, "HELLO 3")
    assert grade_answer(key, "hellllo 3").correct
    assert not grade_answer(key, "hello 34").correct
    assert grade_answer(key, "nope") == Grade(False, "nope")


def test_pattern_accept_entries_are_regexes_too() -> None:
    key = AnswerKey("pattern", "x", pattern=r"^yes$", accept=(r"^yep$",))
    assert grade_answer(key, " yes ").correct
    assert grade_answer(key, "Yep").correct
    assert not grade_answer(key, "yes please").correct


def test_pattern_without_regex_uses_the_answer() -> None:
    key = AnswerKey("pattern", r"\bo\(n\)")
    assert grade_answer(key, "It is O(n) time").correct


def test_invalid_pattern_grades_false() -> None:
    assert not grade_answer(AnswerKey("pattern", "x", pattern="(unclosed"), "(unclosed").correct


def test_pattern_only_sees_two_thousand_characters() -> None:
    key = AnswerKey("pattern", "x", pattern="needle")
    assert grade_answer(key, "needle" + "x" * 1990).correct
    assert not grade_answer(key, "needle" + "x" * 2000).correct


# --- misconceptions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "wrong", "reply"),
    [
        (numeric("7/12"), "2/7", "2/7"),
        (numeric("7/12"), "2/7", "I got 2/7"),
        (numeric("7/12", accept=("0.58333",)), "2/7", "1/3 + 1/4 = 2/7"),
        (expression("x = 3"), "x = 15", "x = 15"),
        (expression("2x+1"), "2x-1", "it's 2x - 1"),
        (CAPITALS, "a", "London"),
        (AnswerKey("exact", "hello 3"), "hello3", "Hello3"),
    ],
)
def test_misconception_matching_by_replacing_the_answer(
    key: AnswerKey, wrong: str, reply: str
) -> None:
    assert grade_answer(dataclasses.replace(key, answer=wrong, accept=()), reply).correct
    assert not grade_answer(key, reply).correct


# --- safety -------------------------------------------------------------------------------


def test_unknown_checker_and_non_string_reply_grade_false() -> None:
    assert grade_answer(AnswerKey("vibes", "x"), "x") == Grade(False, None)  # type: ignore[arg-type]
    assert grade_answer(numeric("1"), None) == Grade(False, None)  # type: ignore[arg-type]


def test_long_replies_are_graded_on_their_last_two_thousand_characters() -> None:
    assert grade_answer(numeric("7/12"), "blah " * 2000 + "so 7/12").correct
    assert not grade_answer(numeric("7/12"), "7/12 " + "x" * 2000).correct


def test_unparseable_reply_has_no_candidate() -> None:
    assert grade_answer(numeric("3"), "no idea") == Grade(False, None)
    assert grade_answer(expression("2x+1"), "no idea!") == Grade(False, None)
    assert grade_answer(CAPITALS, "no idea") == Grade(False, None)
