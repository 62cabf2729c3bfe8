"""Leak checks for text answers: exact, pattern and choice keys, and the public texts.

An exact or pattern answer leaks as written and, unless the key is strict about accents,
without its accents, as the grader accepts it. A choice leaks by its letter or number
("option b", "(b)", a sentence that is only "It's b."), by its text when the text is not
public or follows "the answer is", and by a paraphrase of its text after such a cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.learning.answer_key import AnswerKey
from bot.learning.answer_text import (
    clean_text,
    fold,
    follows_answer_cue,
    letter_references,
    normalise_text,
    plain_powers,
)
from bot.learning.grading_choice import correct_options, named_option
from bot.learning.grading_text import spelled_out, stated_answer
from bot.learning.number_words import words_to_digits
from bot.learning.option_reading import read_option
from bot.learning.output_lines import lines_in_order

__all__ = [
    "PublicTexts",
    "is_public",
    "make_public",
    "reveals_choice",
    "reveals_exact",
    "reveals_pattern",
]

PATTERN_WINDOW: Final = 2_000  # authored regexes only ever see this much text at once
PATTERN_OVERLAP: Final = 200
MAX_NAMING_CHARS: Final = 40  # a sentence that names an option on its own is short
_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"
_OPTION_CUE: Final = re.compile(
    r"\b(?:answer|(?:correct|right) (?:one|option|choice))\b\s*"
    r"(?:is|was|would be|should be|must be|=|:|-)"
)
_SENTENCE: Final = re.compile(r"[^.!?\n]+")


@dataclass(frozen=True)
class PublicTexts:
    """The texts a learner already sees (the prompt), spaces collapsed, also folded."""

    texts: tuple[str, ...]
    folded: tuple[str, ...]


@lru_cache(maxsize=64)
def make_public(texts: tuple[str, ...]) -> PublicTexts:
    """Prepare the public texts once for every span that is looked up in them."""
    cleaned = tuple(" ".join(clean_text(text).split()) for text in texts)
    return PublicTexts(cleaned, tuple(fold(text) for text in cleaned))


def is_public(span: str, public: PublicTexts, *, folded: bool = False) -> bool:
    """Return True if ``span`` occurs, with word/number boundaries, in a public text."""
    span = " ".join(span.split())
    if not span or not public.texts:
        return False
    pattern = re.compile(rf"(?<![\w.]){re.escape(span)}(?!\w|\.\d)", re.IGNORECASE)
    return any(pattern.search(text) for text in (public.folded if folded else public.texts))


# --- text ---------------------------------------------------------------------------------


def _flatten(text: str) -> str:
    return " ".join(text.casefold().split())


def _found(needle: str, haystack: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", haystack) is not None


def reveals_exact(key: AnswerKey, text: str, public: PublicTexts) -> bool:
    haystack = _flatten(text)
    folded = fold(haystack)
    for answer in (key.answer, *key.accept):
        lines = [" ".join(normalise_text(line).split()) for line in clean_text(answer).splitlines()]
        lines = [line for line in lines if line]
        if _names_lines(text, haystack, lines, key.language, public):
            return True
        needle = " ".join(" ".join(lines).split())
        if not needle:
            continue
        if not is_public(needle, public) and _found(needle, haystack):
            return True
        # The grader takes "Apollo eleven" for "Apollo 11", and "Buecher" for "Bücher".
        if any(ch.isdigit() for ch in needle) and not is_public(needle, public):
            if _found(needle, words_to_digits(haystack, key.language)):
                return True
        spelled = spelled_out(needle)
        if spelled != needle and not key.strict_accents and not is_public(spelled, public):
            if _found(spelled, haystack):
                return True
        plain = plain_powers(needle)  # the grader takes "m/s2" for "m/s²"
        if plain != needle and not is_public(plain, public):
            if _found(plain, plain_powers(haystack)):
                return True
        # The grader takes the answer without its accents ("esta" for "está") unless strict.
        bare = fold(needle)
        if key.strict_accents or bare == needle or is_public(bare, public, folded=True):
            continue
        if _found(bare, folded):
            return True
    return False


def _names_lines(
    text: str, haystack: str, lines: list[str], language: str, public: PublicTexts
) -> bool:
    """Tell whether a text names an answer's lines of output in order ("4, then 2")."""
    if len(lines) < 2:
        return False
    for flat in (haystack, _flatten(words_to_digits(text, language))):
        said = lines_in_order(flat, lines)
        if said is not None and not is_public(said, public):
            return True
    return False


def reveals_pattern(key: AnswerKey, text: str, public: PublicTexts) -> bool:
    sources = (key.pattern, *key.accept) if key.pattern else (key.answer, *key.accept)
    # A pattern anchored to a whole reply ("^return ...$") is also tried on each piece a
    # message may hold an answer in: its code spans, lines and sentences.
    pieces = [" ".join(text.split())]
    for piece in _ANSWER_PIECE.split(text) + _CODE.findall(text):
        said = " ".join(piece.split())
        pieces += [said, said.rstrip(".!?;:,")]
        # The grader reads the answer a sentence states: "It's thirteen." for ^13$.
        stated = stated_answer(said, key.language) if said else None
        if stated is not None:
            pieces += [stated, words_to_digits(stated, key.language)]
    pieces = [p for p in dict.fromkeys(pieces) if p]
    versions = [(pieces, sources, False)]
    if not key.strict_accents:
        # The grader also tries the reply and the patterns without accents.
        versions.append(([fold(p) for p in pieces], tuple(fold(s) for s in sources), True))
    for haystacks, regexes, folded in versions:
        for source in regexes:
            try:
                regex = re.compile(source, re.IGNORECASE)
            except (re.error, RecursionError, OverflowError):
                continue
            for haystack in haystacks:
                for window in _windows(haystack):
                    for match in regex.finditer(window):
                        span = match.group(0)
                        if span.strip() and not is_public(span, public, folded=folded):
                            return True
    return False


_CODE: Final = re.compile(r"`+([^`]+)`+")
_ANSWER_PIECE: Final = re.compile(r"\n+|(?<=[.!?;:])\s+|`+")


def _windows(text: str) -> Iterable[str]:
    """Split ``text`` into overlapping windows so a naive authored regex stays fast."""
    step = PATTERN_WINDOW - PATTERN_OVERLAP
    return (
        text[i : i + PATTERN_WINDOW] for i in range(0, max(len(text) - PATTERN_OVERLAP, 1), step)
    )


# --- choices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Choices:
    right: tuple[int, ...]  # the options the key accepts
    options: tuple[str, ...]  # folded and normalised
    accepted: frozenset[str]  # accept entries that are no option
    longest: int  # characters of the longest sentence that may name an option alone


@lru_cache(maxsize=256)
def _choices(key: AnswerKey) -> _Choices:
    right = correct_options(key)
    answer = fold(normalise_text(key.answer))
    ref = answer.removeprefix("(").removesuffix(")")
    if len(ref) == 1 and ref in _LETTERS[: len(key.choices)]:
        right.add(_LETTERS.index(ref))
    elif ref.isascii() and ref.isdigit() and 1 <= int(ref) <= len(key.choices):
        right.add(int(ref) - 1)
    options = tuple(fold(normalise_text(choice)) for choice in key.choices)
    accepted = frozenset(fold(normalise_text(a)) for a in key.accept) - set(options)
    longest = max((len(a) for a in accepted), default=0)
    return _Choices(tuple(sorted(right)), options, accepted, max(longest, MAX_NAMING_CHARS))


def reveals_choice(key: AnswerKey, text: str, public: PublicTexts) -> bool:
    facts = _choices(key)
    if not facts.right:
        return reveals_exact(key, text, public)
    normal = fold(_flatten(text))
    return any(_reveals_option(key, facts, index, normal, public) for index in facts.right)


def _reveals_option(
    key: AnswerKey, facts: _Choices, index: int, normal: str, public: PublicTexts
) -> bool:
    letter = _LETTERS[index]
    option = facts.options[index]
    hidden = option and not is_public(option, public, folded=True)
    for match in re.finditer(rf"(?<!\w){re.escape(option)}(?!\w)", normal) if option else ():
        if hidden or follows_answer_cue(normal, match.start()):
            return True
    if any(
        reference.ref in (letter, str(index + 1)) and not is_public(reference.text, public)
        for reference in letter_references(normal)
    ):
        return True
    return _names_option(key, facts, index, normal, public) or _paraphrases_option(
        key, index, normal
    )


def _names_option(
    key: AnswerKey, facts: _Choices, index: int, normal: str, public: PublicTexts
) -> bool:
    """Return True for a sentence that only refers to the option: "It's b.", "la b"."""
    for match in _SENTENCE.finditer(normal):
        if len(match.group(0)) > facts.longest + 8:
            continue
        sentence = normalise_text(match.group(0))
        if not sentence or sentence in facts.options:
            continue  # the option's own text is public: only "the answer is ..." gives it away
        if named_option(key, sentence) == index:
            return True
        if sentence in facts.accepted and not is_public(sentence, public, folded=True):
            return True
    return False


def _paraphrases_option(key: AnswerKey, index: int, normal: str) -> bool:
    """Return True for "the answer is ..." followed by a paraphrase of the right option."""
    for cue in _OPTION_CUE.finditer(normal):
        rest = _SENTENCE.match(normal, cue.end())
        if rest is None:
            continue
        read = read_option(key.choices, rest.group(0), key.language)
        if read is not None and read.index == index:
            return True
    return False
