"""The answer said in other words: output lines in one sentence, a number answer in words."""

import pytest

from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("it prints 4 and then 2", True),
        ("first 4, then 2", True),
        ("it prints four, then two", True),
        ("each friend gets 4 and 2 are left over", True),
        ("the output is 4 2", True),
        ("it prints 42", False),
        ("How many whole groups of 5 fit into 22, and how many are left over?", False),
        ("2, then 4", False),  # not in the order printed
    ],
)
def test_output_lines_named_in_one_sentence_leak(text: str, leaks: bool) -> None:
    key = AnswerKey("exact", "4\n2")
    prompt = ["cookies = 22\nfriends = 5\nprint(cookies // friends)\nprint(cookies % friends)"]
    assert reveals_answer(key, text, public_texts=prompt) is leaks


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("one seventh", True),
        ("1 over 7", True),
        ("so it is one over seven", True),
        ("1 / 7", True),
        ("2/14 is equal to it, so halving was a good move", False),  # still to simplify
        ("Which fraction equals 4/28 and cannot be made simpler?", False),
        ("Is there a number bigger than 1 that divides both 4 and 28?", False),
    ],
)
def test_an_exact_number_answer_leaks_in_words_but_not_as_another_fraction(
    text: str, leaks: bool
) -> None:
    key = AnswerKey("exact", "1/7")
    assert reveals_answer(key, text, public_texts=["Write 4/28 in its simplest form."]) is leaks


def test_an_exact_whole_number_leaks_in_words() -> None:
    key = AnswerKey("exact", "12")
    assert reveals_answer(key, "twelve")
    assert reveals_answer(key, "a dozen")
    assert not reveals_answer(key, "24/2")


RETURN = AnswerKey(
    "pattern",
    "return width * height",
    pattern=r"^\s*return\s*\(?\s*(width\s*\*\s*height|height\s*\*\s*width)\s*\)?\s*$",
)


@pytest.mark.parametrize(
    ("text", "leaks"),
    [
        ("Write `return width * height` on line 2.", True),
        ("Try this:\nreturn width * height\nthen run it.", True),
        ("The fix: return height * width. Try it.", True),
        ("```python\n    return width * height\n```", True),
        ("Which keyword hands a value back to the caller?", False),
        ("Replace print with the keyword that hands the value back.", False),
    ],
)
def test_an_anchored_pattern_answer_leaks_inside_a_sentence(text: str, leaks: bool) -> None:
    prompt = ["def area(width, height):\n    print(width * height)"]
    assert reveals_answer(RETURN, text, public_texts=prompt) is leaks
