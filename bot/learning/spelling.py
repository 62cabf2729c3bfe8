"""A text answer misspelled by one letter: "Versaille" for "Versailles".

Read only for ``exact`` answers of English courses, in words of at least ``MIN_LETTERS``
letters. In other languages one letter is as often another form of the word ("comemos",
"comimos") as a slip of the keyboard, and saying "check the spelling" would mislead.
In any language, a digit typed for the letter it looks like ("H20" for "H2O", "C0" for
"CO") is a slip too, where the answer mixes letters and digits.
"""

from __future__ import annotations

from typing import Final

from bot.learning.answer_key import AnswerKey
from bot.learning.answer_text import fold, normalise_text
from bot.learning.language_cues import language_code

__all__ = ["misspelled", "one_edit"]

MIN_LETTERS: Final = 6  # shorter words are other words one letter away ("cat", "cut")
MAX_CHARS: Final = 80  # longer answers are sentences, not spellings


def one_edit(a: str, b: str) -> bool:
    """Tell whether two different texts are one letter apart: one added, dropped, changed,
    or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        if a[start + 1 :] == b[start + 1 :]:
            return True  # one changed
        swapped = a[start : start + 2] == b[start : start + 2][::-1]
        return swapped and a[start + 2 :] == b[start + 2 :]
    short, long = sorted((a, b), key=len)
    return short[start:] == long[start + 1 :]  # one added or dropped


def misspelled(key: AnswerKey, candidate: str) -> bool:
    """Tell whether a wrong text answer is a right one misspelled by one letter."""
    if key.checker != "exact":
        return False
    said = fold(normalise_text(candidate))
    if not said or len(said) > MAX_CHARS or not any(ch.isalpha() for ch in said):
        return False
    for answer in (key.answer, *key.accept):
        meant = fold(normalise_text(answer))
        if said != meant and said.translate(_LOOK_ALIKE) == meant.translate(_LOOK_ALIKE):
            return any(ch.isdigit() for ch in meant)  # "h20" for "h2o"
    if language_code(key.language) != "en":
        return False
    for answer in (key.answer, *key.accept):
        meant = fold(normalise_text(answer))
        if "\n" in meant or sum(ch.isalpha() for ch in meant) < MIN_LETTERS:
            continue
        if one_edit(said, meant) and _in_a_long_word(said, meant):
            return True
    return False


# Digits and the letters they look like: "0" and "o", "1" and "l".
_LOOK_ALIKE: Final = str.maketrans("01", "ol")


def _in_a_long_word(said: str, meant: str) -> bool:
    """Tell whether the letter that differs sits in a word of the answer long enough."""
    words_said, words_meant = said.split(), meant.split()
    if len(words_said) != len(words_meant):
        return False
    differing = [w for w, s in zip(words_meant, words_said, strict=True) if w != s]
    return len(differing) == 1 and len(differing[0]) >= MIN_LETTERS and differing[0].isalpha()
