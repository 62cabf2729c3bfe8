import time

import pytest

from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey

SEVEN_TWELFTHS = AnswerKey("numeric", "7/12")
FRACTION_PROMPT = ["What is 1/3 + 1/4?"]
SOLVE = AnswerKey("expression", "x = 3")
SOLVE_PROMPT = ["Solve 2x + 3 = 9"]
EXPAND = AnswerKey("expression", "x^2 + 2x + 1")
EXPAND_PROMPT = ["Expand (x+1)^2"]
CAPITALS = AnswerKey("choice", "b", choices=("London", "Paris", "Rome"))
CAPITALS_PROMPT = ["What is the capital of France? (a) London (b) Paris (c) Rome"]


@pytest.mark.parametrize(
    "text",
    [
        "The answer is 7/12.",
        "7/12",
        "That gives 14/24",
        "7 / 12 is right",
        "It's 0.5833",
        "about 0.58",
        "roughly 0.583333333",
        "58.33%",
        "that's 58%",
        "4/12 + 3/12 = 7/12",
        "So 1/3 + 1/4 = 7/12, well done",
    ],
)
def test_numeric_leaks_in_any_equivalent_form(text: str) -> None:
    assert reveals_answer(SEVEN_TWELFTHS, text, public_texts=FRACTION_PROMPT)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "What is 1/3 + 1/4?",
        "Try writing 1/3 + 1/4 over a common denominator.",
        "What is 1/3 as twelfths? And 1/4?",
        "Is 5/12 right?",
        "Not 2/7: you can't add the bottoms.",
        "0.6 is close but check again",
        "about 60%",
        "0.5",
        "7 pieces",
        "12 slices",
        "seven twelfths",
        "12/7",
        "-7/12",
        "x7/12",
    ],
)
def test_numeric_non_leaks(text: str) -> None:
    assert not reveals_answer(SEVEN_TWELFTHS, text, public_texts=FRACTION_PROMPT)


def test_compound_expressions_do_not_count_for_numeric_answers() -> None:
    assert not reveals_answer(SEVEN_TWELFTHS, "Think about 1/3 + 1/4.")
    assert not reveals_answer(SEVEN_TWELFTHS, "what is 4/12 + 3/12?")


def test_rounded_decimals_need_two_significant_digits_and_one_percent() -> None:
    key = AnswerKey("numeric", "2/3")
    assert reveals_answer(key, "0.67")
    assert reveals_answer(key, "0.666")
    assert reveals_answer(key, "66.7%")
    assert not reveals_answer(key, "0.7")
    assert not reveals_answer(key, "0.65")
    close = AnswerKey("numeric", "0.599")
    assert not reveals_answer(close, "0.6")
    assert not reveals_answer(close, "60%")
    assert reveals_answer(close, "0.60")
    assert reveals_answer(close, "60.0%")


def test_mixed_numbers_and_percent_forms() -> None:
    key = AnswerKey("numeric", "3/2")
    for text in ["1 1/2", "1.5", "150%", "3/2", "6/4", "1 and 1/2"]:
        assert reveals_answer(key, text), text
    for text in ["2/3", "1 1/3", "1", "2"]:
        assert not reveals_answer(key, text), text


def test_percent_answers_leak_as_bare_numbers_too() -> None:
    key = AnswerKey("numeric", "75%")
    assert reveals_answer(key, "It's 75")
    assert reveals_answer(key, "0.75 of the total")
    assert reveals_answer(key, "3/4")
    assert not reveals_answer(key, "70")


def test_numeric_accept_entries_and_tolerance() -> None:
    key = AnswerKey("numeric", "3.14", accept=("22/7",), tolerance=0.01)
    assert reveals_answer(key, "pi is about 3.1416")
    assert reveals_answer(key, "22/7")
    assert not reveals_answer(key, "3.5")


def test_answer_number_in_the_prompt_only_counts_after_an_answer_cue() -> None:
    key = AnswerKey("numeric", "3")
    prompt = ["Solve 2x + 3 = 9"]
    assert not reveals_answer(key, "First, subtract 3 from both sides.", public_texts=prompt)
    assert reveals_answer(key, "The answer is 3.", public_texts=prompt)
    assert reveals_answer(key, "The answer is 3.")


@pytest.mark.parametrize(
    "text",
    ["so x = 3", "x=3", "3 = x", "x = 6/2", "the answer is 3", "Is it x = 3?"],
)
def test_equation_answer_leaks(text: str) -> None:
    assert reveals_answer(SOLVE, text, public_texts=SOLVE_PROMPT)


@pytest.mark.parametrize(
    "text",
    [
        "Solve 2x + 3 = 9",
        "What could you subtract from both sides of 2x + 3 = 9?",
        "Subtract 3 from both sides.",
        "What do you get for 3x?",
        "So 2x = 6. What next?",
        "x = 4 doesn't work, does it?",
        "Check with x = 2.",
    ],
)
def test_equation_non_leaks(text: str) -> None:
    assert not reveals_answer(SOLVE, text, public_texts=SOLVE_PROMPT)


def test_bare_number_answer_in_an_equation_exercise() -> None:
    key = AnswerKey("expression", "3")
    assert reveals_answer(key, "It is 3.", public_texts=["Solve x + 4 = 7"])
    assert reveals_answer(key, "x = 3", public_texts=["Solve x + 4 = 7"])
    assert not reveals_answer(key, "Subtract 4 from 7.", public_texts=["Solve x + 4 = 7"])


@pytest.mark.parametrize(
    "text",
    ["It is x^2 + 2x + 1", "x² + 2x + 1", "1 + 2x + x^2", "(x + 1)(x + 1)", "x(x+2) + 1"],
)
def test_expression_leaks_in_equivalent_forms(text: str) -> None:
    assert reveals_answer(EXPAND, text, public_texts=EXPAND_PROMPT)


@pytest.mark.parametrize(
    "text",
    [
        "Expand (x+1)^2",
        "(x+1)^2 means (x+1) times itself.",
        "What is x times x?",
        "Try x^2 + 2x",
        "x^2 + x + 1 is not quite it",
        "x^2 + 1 forgets the middle term",
    ],
)
def test_expression_non_leaks(text: str) -> None:
    assert not reveals_answer(EXPAND, text, public_texts=EXPAND_PROMPT)


def test_symbolic_equation_answers() -> None:
    key = AnswerKey("expression", "y = 2x + 1")
    assert reveals_answer(key, "So y = 1 + 2x")
    assert reveals_answer(key, "it's 2x + 1")
    assert not reveals_answer(key, "y = 2x - 1")


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("it prints Hello 3!", True),
        ("The output is `hello   3`", True),
        ("say hello 3 times", True),
        ("hello 30", False),
        ("othello 3", False),
        ("hello, 3", False),
        ("hello", False),
    ],
)
def test_exact_leaks_are_word_bounded_substrings(text: str, leaks: bool) -> None:
    assert reveals_answer(AnswerKey("exact", "hello 3"), text) is leaks


def test_exact_answer_in_the_prompt_is_public() -> None:
    key = AnswerKey("exact", "hello")
    assert not reveals_answer(key, "Print hello first", public_texts=["Make it print hello"])


def test_exact_multi_line_answers() -> None:
    key = AnswerKey("exact", "1\n2\n3")
    assert reveals_answer(key, "It prints 1\n2\n3")
    assert not reveals_answer(key, "It prints 1\n2")


def test_pattern_leaks() -> None:
    key = AnswerKey("pattern", "x", pattern=r"hel+o\s*3")
    assert reveals_answer(key, "it prints HELLLO 3")
    assert not reveals_answer(key, "it prints hello 4")
    assert not reveals_answer(key, "quote: hello 3", public_texts=["Why does it print hello 3?"])


@pytest.mark.parametrize(
    "text",
    ["It's Paris", "The answer is Paris", "option b", "Option B!", "the answer is b", "(b)"],
)
def test_choice_leaks_without_public_texts(text: str) -> None:
    assert reveals_answer(CAPITALS, text)


def test_choice_answer_given_as_a_number_or_text() -> None:
    for answer in ("2", "Paris", "(b)"):
        key = AnswerKey("choice", answer, choices=("London", "Paris", "Rome"))
        assert reveals_answer(key, "Go with option 2"), answer
        assert reveals_answer(key, "the answer is (b)"), answer
        assert reveals_answer(key, "It's Paris"), answer
        assert not reveals_answer(key, "option 1 or option c?"), answer


def test_choice_article_a_is_not_a_letter_reference() -> None:
    key = AnswerKey("choice", "a", choices=("London", "Paris"))
    assert not reveals_answer(key, "The answer is a city name.")
    assert reveals_answer(key, "The answer is a.")
    assert reveals_answer(key, "option a")


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("The answer is Paris.", True),
        ("option b", True),
        ("I'd go with answer b", True),
        ("It's Paris", False),
        ("Which city has the Eiffel Tower: (a) London (b) Paris (c) Rome?", False),
        ("Think about option a", False),
        ("(a+b)^2", False),
        ("The answer is a capital city.", False),
        ("consider London", False),
    ],
)
def test_choice_leaks_with_the_prompt_public(text: str, leaks: bool) -> None:
    assert reveals_answer(CAPITALS, text, public_texts=CAPITALS_PROMPT) is leaks


HOSTILE = [
    "",
    "\x00" * 5000,
    "9^9^9^9",
    "(" * 20_000,
    "x" * 20_000,
    "1" * 20_000,
    "__import__('os').system('ls')",
    "😀" * 5000,
    "7/12 " * 4000,
    "x^2+2x+1 = (x+1)(x-1), " * 800,
    "(x+y+z+w)^64 = (a+b)^64 " * 200,
    "9^(9^(9^(3x))) = x",
    "0." + "0" * 5000 + "1",
    "‮x = 3",
]
KEYS = [
    SEVEN_TWELFTHS,
    SOLVE,
    EXPAND,
    AnswerKey("expression", "(a+b+c+d)^6"),
    AnswerKey("exact", "hello 3"),
    CAPITALS,
    AnswerKey("pattern", "x", pattern=r"\d+x"),
    AnswerKey("pattern", "x", pattern="(unclosed"),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_raises_or_hangs(text: str) -> None:
    for key in KEYS:
        start = time.perf_counter()
        result = reveals_answer(key, text, public_texts=[text[:100]])
        assert isinstance(result, bool)
        assert time.perf_counter() - start < 2.0


def test_fails_closed_on_unexpected_input() -> None:
    assert reveals_answer(SEVEN_TWELFTHS, None) is True  # type: ignore[arg-type]


def test_typical_message_is_fast() -> None:
    text = (
        "Nice work so far! You found 1/3 = 4/12. Now write 1/4 with a denominator of 12, "
        "then add the numerators and keep the denominator. What do you get? "
    ) * 5
    start = time.perf_counter()
    for _ in range(20):
        assert not reveals_answer(SEVEN_TWELFTHS, text, public_texts=FRACTION_PROMPT)
        assert not reveals_answer(EXPAND, text, public_texts=EXPAND_PROMPT)
    assert (time.perf_counter() - start) / 20 < 0.05
