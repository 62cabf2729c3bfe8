from fractions import Fraction

import pytest

from bot.learning.answer_leak import reveals_answer
from bot.learning.answer_text import fold
from bot.learning.grading import AnswerKey, grade_answer
from tests.support.surface_forms import numeric_forms

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
        "seven twelfths",
        "the answer is 7 over 12",
        "seven over twelve",
        "try 7 divided by 12",
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
    "4 " + "and then " * 60 + "x",
    "4, " * 3000,
]
KEYS = [
    AnswerKey("exact", "4\n2\n7"),
    AnswerKey("exact", "1/7"),
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
    # how long each takes is printed by bench/bench_hostile_inputs.py, not asserted here
    for key in KEYS:
        result = reveals_answer(key, text, public_texts=[text[:100]])
        assert isinstance(result, bool)


def test_fails_closed_on_unexpected_input() -> None:
    assert reveals_answer(SEVEN_TWELFTHS, None) is True  # type: ignore[arg-type]


def test_a_typical_hint_with_the_steps_is_no_leak() -> None:
    text = (
        "Nice work so far! You found 1/3 = 4/12. Now write 1/4 with a denominator of 12, "
        "then add the numerators and keep the denominator. What do you get? "
    ) * 5
    assert not reveals_answer(SEVEN_TWELFTHS, text, public_texts=FRACTION_PROMPT)
    assert not reveals_answer(EXPAND, text, public_texts=EXPAND_PROMPT)


# --- the guard reads what the grader reads ------------------------------------------------


GRADER_FORMS = [
    (AnswerKey("numeric", "7/12"), "seven twelfths"),
    (AnswerKey("numeric", "7/12"), "7 twelfths"),
    (AnswerKey("numeric", "30"), "thirty"),
    (AnswerKey("numeric", "30"), "30%"),
    (AnswerKey("numeric", "30"), "30 percent"),
    (AnswerKey("numeric", "30"), "thirty percent"),
    (AnswerKey("numeric", "0.3"), "30%"),
    (AnswerKey("numeric", "0.3"), "30 per cent"),
    (AnswerKey("numeric", "0.3"), "three tenths"),
    (AnswerKey("numeric", "0.75"), "0,75"),
    (AnswerKey("numeric", "75%"), "seventy-five"),
    (AnswerKey("numeric", "75%"), "three quarters"),
    (AnswerKey("numeric", "900 m"), "900m"),
    (AnswerKey("numeric", "900 m"), "nine hundred metres"),
    (AnswerKey("numeric", "-4"), "minus four"),
    (AnswerKey("numeric", "5/2"), "two and a half"),
    (AnswerKey("numeric", "1/2"), "a half"),
    (AnswerKey("numeric", "8:50"), "8:50"),
    (AnswerKey("numeric", "0.75", language="es"), "tres cuartos"),
    (AnswerKey("numeric", "0.75", language="es"), "75 por ciento"),
    (AnswerKey("numeric", "1.5", language="es"), "1,5"),
    (AnswerKey("numeric", "21", language="de"), "einundzwanzig"),
    (AnswerKey("numeric", "1"), "one"),
    (AnswerKey("expression", "x = -4"), "x equals minus four"),
    (AnswerKey("expression", "x = 3"), "x = three"),
    (AnswerKey("exact", "está", language="es"), "esta"),
    (AnswerKey("exact", "Bogotá", language="es"), "BOGOTA"),
    (AnswerKey("pattern", "x", pattern="caf[ée]"), "cafe"),
    (AnswerKey("pattern", "x", pattern="él habla"), "el habla"),
    (CAPITALS, "b"),
    (CAPITALS, "it's b"),
    (AnswerKey("choice", "Bogotá", choices=("Lima", "Bogotá"), language="es"), "es la b"),
]


@pytest.mark.parametrize(("key", "form"), GRADER_FORMS)
def test_every_form_the_grader_accepts_is_caught(key: AnswerKey, form: str) -> None:
    assert grade_answer(key, form).correct
    assert reveals_answer(key, form)
    assert reveals_answer(key, f"Well done! {form}")
    assert reveals_answer(key, f"Yes: {form}.")


def test_a_number_in_the_prompt_stays_public_in_words_too() -> None:
    key = AnswerKey("numeric", "3")
    prompt = ["Solve 2x + 3 = 9"]
    assert not reveals_answer(key, "Subtract 3 from both sides.", public_texts=prompt)
    assert not reveals_answer(key, "Take three away from both sides.", public_texts=prompt)
    assert reveals_answer(key, "So x is 3.", public_texts=prompt)
    assert reveals_answer(key, "x equals three", public_texts=prompt)
    assert reveals_answer(key, "The answer is three.", public_texts=prompt)


def test_a_fraction_in_words_is_public_only_as_written() -> None:
    key = AnswerKey("numeric", "1/2")
    assert reveals_answer(key, "It's one half.", public_texts=["Simplify 2/4."])
    assert not reveals_answer(key, "What is one half of 2/4?", public_texts=["one half of 2/4"])


@pytest.mark.parametrize(
    "text",
    [
        "Two things happen to x: which would you undo first?",
        "After how many months are the two running totals the same?",
        "Pick the one you believe, and tell me why.",
        "One small step: what is 1/3 as twelfths?",
        "Even a rough one is fine.",
        "Commit to one and say what makes it right.",
    ],
)
def test_counting_words_in_ordinary_sentences_are_no_leak(text: str) -> None:
    for answer in ("1", "2"):
        assert not reveals_answer(AnswerKey("numeric", answer), text), (answer, text)


def test_a_count_of_the_answers_own_unit_is_the_answer() -> None:
    key = AnswerKey("numeric", "6 minutes")
    assert reveals_answer(key, "It takes six minutes.")
    assert reveals_answer(key, "That means six minutes in all")
    assert not reveals_answer(key, "Six eggs take how long?")


def test_percent_and_plain_keys_leak_the_way_the_grader_matches_them() -> None:
    plain, fraction, percent = (AnswerKey("numeric", a) for a in ("30", "0.3", "30%"))
    assert reveals_answer(plain, "30%") and grade_answer(plain, "30%").correct
    assert not reveals_answer(plain, "0.3") and not grade_answer(plain, "0.3").correct
    assert not reveals_answer(fraction, "30") and not grade_answer(fraction, "30").correct
    for text in ("30", "0.3", "thirty percent"):
        assert reveals_answer(percent, text) and grade_answer(percent, text).correct


def test_strict_accents_leave_the_bare_form_alone() -> None:
    key = AnswerKey("exact", "él", language="es", strict_accents=True)
    assert not grade_answer(key, "el").correct
    assert not reveals_answer(key, "Mira el verbo.")
    assert reveals_answer(key, "Es él.")


def test_a_paraphrase_of_the_right_option_after_an_answer_cue_leaks() -> None:
    options = ("They have a denominator of 7", "They have a denominator of 12")
    key = AnswerKey("choice", options[1], choices=options)
    prompt = ["Which is true? a) They have a denominator of 7 b) They have a denominator of 12"]
    assert reveals_answer(key, "The answer is: the denominator is twelve.", public_texts=prompt)
    assert reveals_answer(key, "The right one is where 12 is the denominator", public_texts=prompt)
    assert not reveals_answer(key, "The answer is: the denominator is 7.", public_texts=prompt)
    assert not reveals_answer(key, "Which denominator do both share?", public_texts=prompt)


# A property: for each key, every written form of its value that the grader accepts is
# caught by the guard in a sentence that states it, and (but for the word "one", which
# is mostly a pronoun) in a plain sentence too.
PROPERTY_KEYS = [
    ("7/12", None),
    ("3/2", None),
    ("1/2", None),
    ("30", None),
    ("0.3", None),
    ("75%", None),
    ("-4", None),
    ("2.5", None),
    ("12", None),
    ("105", None),
    ("1500", None),
    ("1", None),
    ("900", "m"),
    ("45", "minutes"),
]
STATING = ("{}", "It's {}.", "So the answer is {}.", "You should get {}", "x = {}")
PLAIN = ("Well, {} is what it comes to.", "Check: {} here?", "I make it {} overall.")


@pytest.mark.parametrize(("answer", "unit"), PROPERTY_KEYS)
def test_property_every_accepted_form_is_caught(answer: str, unit: str | None) -> None:
    key = AnswerKey("numeric", f"{answer} {unit}" if unit else answer)
    value = Fraction(answer.rstrip("%")) / (100 if answer.endswith("%") else 1)
    forms = list(dict.fromkeys(numeric_forms(value, unit)))
    if answer.endswith("%"):
        forms += list(numeric_forms(Fraction(answer.rstrip("%"))))
    accepted = [f for f in forms if grade_answer(key, f).correct]
    assert len(accepted) >= 4, accepted  # the property is not vacuous
    for form in accepted:
        for template in STATING:
            assert reveals_answer(key, template.format(form)), template.format(form)
        if form not in ("one",):
            for template in PLAIN:
                assert reveals_answer(key, template.format(form)), template.format(form)


def test_property_holds_for_forms_in_the_course_language() -> None:
    for language, forms in {
        "es": ("siete doceavos", "7/12"),
        "fr": ("sept douzièmes",),
        "de": ("sieben Zwölftel",),
    }.items():
        key = AnswerKey("numeric", "7/12", language=language)
        for form in forms:
            assert grade_answer(key, form).correct, form
            assert reveals_answer(key, f"Bien: {form}."), form


def test_text_keys_property_every_case_and_accent_variant_is_caught() -> None:
    for answer in ("está", "Bogotá", "naïve café", "hablo"):
        key = AnswerKey("exact", answer, language="es")
        variants = {answer, answer.upper(), answer.lower(), fold(answer), fold(answer).upper()}
        for form in variants:
            if grade_answer(key, form).correct:
                assert reveals_answer(key, f"Yes: {form}!"), form
                assert reveals_answer(key, f"I'd write {form} here"), form


def test_a_compound_number_word_after_a_sentence_is_read_whole() -> None:
    for language, word, value in (("de", "einundzwanzig", "21"), ("es", "veintidós", "22")):
        key = AnswerKey("numeric", value, language=language)
        assert grade_answer(key, f"Gut! {word}").correct, word
        assert reveals_answer(key, f"Bien. {word}"), word
        assert not grade_answer(
            AnswerKey("numeric", "20", language=language), f"Ok. {word}"
        ).correct


def test_a_very_long_run_of_digits_is_read_not_failed_closed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert not reveals_answer(SEVEN_TWELFTHS, "1" * 20_000)
    assert not reveals_answer(AnswerKey("expression", "(a+b+c+d)^6"), "1" * 20_000)
    assert "answer-leak check failed" not in caplog.text
