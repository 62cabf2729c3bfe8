"""What a learner's words mention: phrases an author listed, a question's own words, options.

Read loosely, as people write: a number in digits or words, a word singular or plural,
without its apostrophe, or (when long) one letter off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from bot.content.rendering import RenderedExercise
from bot.dialogue.intents import opens_as_talk
from bot.learning.answer_text import fold as fold_accents
from bot.learning.language_cues import cues_for
from bot.learning.lexicon import FUNCTION_WORDS
from bot.learning.number_vocab import VOCABS
from bot.learning.reply_numbers import reply_numbers
from bot.learning.spelling import one_edit

__all__ = [
    "about_the_options",
    "asks_with",
    "mentions_any",
    "only_denies",
    "problem_words",
    "short_answer",
    "takes_up",
]

SHORT_ANSWER_WORDS: Final = 4  # words an answer of its own may have ("the Pacific Ocean")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text, spaces folded."""
    return " ".join(fold_accents(text).split())


# Words, whole numbers (with what is glued to them: "1/2" is not "1") and single signs.
_TOKEN = re.compile(r"\d+(?:[/.,]\d+)*|[^\W\d_]+(?:'[^\W\d_]+)*|[^\w\s]")
_CARDINALS = {word: str(value) for word, value in VOCABS["en"].cardinals.items() if value < 100}


_LONG_WORD = 9  # shorter words one letter apart are as often other words ("multiply")


def _tokens(text: str) -> list[str]:
    """A text's words, a small number in words as its digits ("two" is "2"), apostrophes
    dropped ("doesnt" is "doesn't")."""
    words = _TOKEN.findall(fold(text).replace("\u2019", "'"))
    return [_CARDINALS.get(token, token).replace("'", "") for token in words]


# Words an explanation uses for one another ("an equal chance" says "the same chance").
# Tight groups only: each word means the others wherever a reason uses it.
_SYNONYM_GROUPS: Final = (
    "same equal identical equivalent",
    "likely probable",
    "chance probability likelihood odds",
    "divide split",
    "multiply times",
    "bigger larger greater",
    "smaller less fewer",
    "whole entire",
    "opposite inverse reverse",
    "fair unbiased",
    "piece part portion",
)
_SYNONYMS: Final = {
    word: frozenset(group.split()) for group in _SYNONYM_GROUPS for word in group.split()
}


def _same_word(said: str, wanted: str) -> bool:
    """One word for another: a plural or another ending ("hydrogens" for "hydrogen",
    "multiplying" for "multiply"), a long word misspelled by one letter ("denominater"),
    or a word of the same meaning in a reason ("equal" for "same")."""
    return any(_one_form(said, word) for word in _SYNONYMS.get(wanted, (wanted,)))


def _one_form(said: str, wanted: str) -> bool:
    """Two forms of one word: another ending, or a long word one letter off."""
    if said == wanted:
        return True
    short, long = sorted((said, wanted), key=len)
    if len(short) >= 3 and short.isalpha() and long in _forms(short):
        return True
    return len(short) >= _LONG_WORD and short.isalpha() and one_edit(said, wanted)


def _forms(word: str) -> set[str]:
    """Other endings of a word: "adding" for "add", "promised" for "promise", "multiplied"
    for "multiply"."""
    forms = {word + e for e in ("s", "es", "ing", "ed", word[-1] + "ing", word[-1] + "ed")}
    if word.endswith("e"):  # promise: promised, promising
        forms |= {word + "d", word[:-1] + "ing"}
    if word.endswith("y"):  # multiply: multiplies, multiplied
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    return forms


def mentions_any(text: str, phrases: Iterable[str]) -> bool:
    """Return True if the text contains one of the phrases as whole words.

    A number may be in digits or words ("2 atoms", "two atoms") and a word singular or
    plural; a number is whole or not at all ("1" is not found in "1/2" or "1.5").
    """
    said = _tokens(text)
    for phrase in phrases:
        wanted = _tokens(phrase)
        size = len(wanted)
        if size and any(
            all(_same_word(said[start + k], wanted[k]) for k in range(size))
            for start in range(len(said) - size + 1)
        ):
            return True
    return False


# Words too common to show that a reply takes up what a question asked, in the course
# languages too (folded: "qué" is "que").
_COMMON_WORDS = FUNCTION_WORDS | frozenset(
    "and or there need needs first any all one more most much many some each other same"
    " kind"
    " que del los las una uno unos unas por para con sin como mas pero esta este eso esto"
    " son hay muy cual donde cuando quien"
    " qui les des une pour avec dans sur pas est sont cette quel quelle comme mais"
    " der die das und ist nicht ein eine einen mit von den dem sind wie was wer"
    " dos das uma com nao sao qual onde quando quem"
    " che della delle degli gli una con per non sono come dove quando chi".split()
)


def takes_up(text: str, question: str) -> bool:
    """Tell whether a reply uses a word of the question beyond the most common ones."""

    def words(said: str) -> set[str]:
        return set(re.findall(r"[^\W\d_]{3,}", fold(said).lower())) - _COMMON_WORDS

    return bool(words(text) & words(question))


def about_the_options(exercise: RenderedExercise, text: str) -> bool:
    """Tell whether a reply talks about the options: names "option", or their numbers or
    words ("the one with 12")."""
    if re.search(r"\b(options?|choices?|letters?|second|third|last|first)\b", text, re.I):
        return True
    numbers = {n.value for o in exercise.key.choices for n in reply_numbers(o)}
    if any(n.value in numbers for n in reply_numbers(text)):
        return True
    words = [w for w in _tokens(text) if w.isalpha() and w not in _COMMON_WORDS]
    options = {w for w in _tokens(" ".join(exercise.key.choices)) if w not in _COMMON_WORDS}
    return any(_same_word(word, option) for word in words for option in options)


def asks_with(question: str, phrases: Iterable[str], *, opening: bool = False) -> bool:
    """Tell whether a question uses one of these folded phrases (to open it, with ``opening``)."""
    folded = fold(question)
    lead = r"^[\W_]*" if opening else r"(?<![\w'-])"
    return any(re.search(rf"{lead}{re.escape(p)}(?![\w'-])", folded) for p in phrases)


def only_denies(text: str, language: str) -> bool:
    """Tell whether a reply only says what the answer is not: "definitely not Sydney".

    A few words may lead in ("it's", "definitely"); what is denied is a short answer, not
    "not sure" or "not yet" (the language's negation blockers).
    """
    cues = cues_for(language)
    words = re.findall(r"[^\W_]+(?:'[^\W_]+)?", fold(text).replace("n't", " not"))
    negations = {n for n in cues.negations if " " not in n}
    at = next((i for i, w in enumerate(words[:4]) if w in negations), None)
    if at is None:
        return False
    rest = words[at + 1 :]
    return 0 < len(rest) <= SHORT_ANSWER_WORDS and rest[0] not in cues.negation_blockers


def short_answer(text: str) -> bool:
    """Tell whether a message reads as a short answer of its own: a few words, not talk.

    "Oceania", "Antarctica?" and "is it Oceania" are; "what is a continent" and "hello
    there" are not.
    """
    words = re.findall(r"[^\W_]+", text)
    return 0 < len(words) <= SHORT_ANSWER_WORDS and not opens_as_talk(text)


def problem_words(exercise: RenderedExercise) -> str:
    """The words of a problem and its hints: what a message about it uses."""
    return "\n".join((exercise.prompt, *exercise.hints))
