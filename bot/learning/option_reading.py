"""Read a reply as a paraphrase of one multiple-choice option: its content words, not its text.

"denominator is 12" and "12 is the denominator" both paraphrase the option "It has a
denominator of 12". Both sides are read as content terms: words without the course
language's function words (articles, copulas, fillers, prepositions), folded (case and
accents) and lightly stemmed ("denominators" is "denominator"), and numbers by value
("twelve", "12"). Word order does not matter. A term after a negation in its clause ("it
doesn't have a denominator of 12") or before a rejection ("... is wrong") is negated, and
a negated term only matches a negated one, so "not prime" paraphrases "It is not prime".

The reply paraphrases the option it covers best when it covers at least half of that
option's telling terms (those not every option shares), no other option is covered as
well, and it says little else. A reply that also names terms only another option has, with
that option covered as well or offered with "or" ("denominator 12 or 7"), is a hedge.
Which option is read depends on the options alone, never on which one is right, so the
verdict on a reply that is not read as a paraphrase never depends on the key. Every step
is linear in the reply (its terms are capped) times the number of option terms.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Final

import sympy

from bot.learning.answer_text import clean_text, fold
from bot.learning.language_cues import cues_for, language_code
from bot.learning.lexicon import FILLER, FUNCTION_WORDS
from bot.learning.number_vocab import VOCABS
from bot.learning.reply_numbers import reply_numbers
from bot.learning.reply_reading import Reading, phrase_regex

__all__ = ["OptionReading", "read_option"]

MIN_COVERAGE: Final = 0.5  # share of an option's terms a paraphrase must name
MAX_TERMS: Final = 60  # terms of a reply looked at; a paraphrase is short
MAX_REPLY_CHARS: Final = 1000
MIN_STEM: Final = 4  # letters two forms of a word must share ("multipl-ied", "multipl-y")
MAX_ENDING: Final = 3  # letters each may add after what they share
NEGATION_REACH: Final = 3  # words between a negation and a word that cancels it ("not sure")
EXTRA_TERMS: Final = 2  # words of its own a paraphrase may add, beyond what it matches
NAME_WORDS: Final = 3  # an option this short is a name: half of it and another word is no name
_WORD: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")
_CLAUSE_END: Final = re.compile(r"[.,;:!?\n()]+")
# Words a reply wraps around an option ("the one that says...") that name nothing in it.
_FRAME: Final = frozenset(
    "option options choice choices answer answers letter one ones says say said think "
    "guess reckon believe pick choose chose go going with statement".split()
)

_NEGATIONS: Final = ("cannot", "none", "nothing", "nobody")  # one word: "not" inside it


@dataclass(frozen=True)
class _Term:
    negated: bool
    word: str | None  # a folded word, or None for a number
    value: sympy.Rational | None = None  # the value of a number


@dataclass(frozen=True)
class OptionReading:
    """What a reply says about the options: the one it paraphrases, or a hedge."""

    index: int | None
    hedged: bool = False


@dataclass(frozen=True)
class _Words:
    stop: frozenset[str]
    negation: re.Pattern[str]
    blockers: frozenset[str]
    rejection: re.Pattern[str]
    boundary: re.Pattern[str]
    alternative: re.Pattern[str]  # "or": two things offered at once


@lru_cache(maxsize=16)
def _words(language: str) -> _Words:
    code = language_code(language)
    cues = cues_for(code)
    groups = (
        cues.fillers,
        cues.copulas,
        cues.conclusions,
        cues.hedges,
        cues.hedge_leads,
        cues.prepositions,
        cues.explainers,
        cues.questions,
        cues.contrasts,
    )
    stop = {word for group in groups for phrase in group for word in phrase.split()}
    stop |= FUNCTION_WORDS | FILLER | _FRAME
    connectors = {w for code_ in {"en", code} if code_ in VOCABS for w in VOCABS[code_].connectors}
    articles = {w for code_ in {"en", code} if code_ in VOCABS for w in VOCABS[code_].articles}
    stop |= connectors | articles
    negation_phrases = (*cues.negations, *_NEGATIONS)
    negations = {w for phrase in negation_phrases for w in phrase.split()}
    blockers = {w for p in (*cues.negation_blockers, *cues.contrasts) for w in p.split()}
    boundary = phrase_regex((*cues.contrasts, *cues.conclusions, *cues.hedges, *connectors))
    return _Words(
        stop=frozenset(stop | negations),
        negation=re.compile(phrase_regex(negation_phrases)),
        blockers=frozenset(blockers),
        rejection=re.compile(phrase_regex(cues.rejections)),
        boundary=re.compile(boundary),
        alternative=re.compile(
            phrase_regex(h for h in cues.hedges if h not in cues.hedge_leads) + "|/"
        ),
    )


def _clauses(text: str, words: _Words) -> list[tuple[int, int]]:
    """Split folded ``text`` where a negation stops reaching: punctuation, "but", "so", "or"."""
    cuts = sorted(
        {0, len(text)}
        | {m.start() for m in _CLAUSE_END.finditer(text)}
        | {m.start() for m in words.boundary.finditer(text)}
    )
    return [(a, b) for a, b in pairwise(cuts) if b > a]


def _negated_from(clause: str, words: _Words) -> int | None:
    """Return where a negation starts reaching in ``clause`` ("not sure" negates nothing)."""
    for match in words.negation.finditer(clause):
        following = _WORD.findall(clause[match.end() : match.end() + 80])[:NEGATION_REACH]
        if not words.blockers.intersection(following):
            return match.start()
    return None


def _inside(position: int, spans: Sequence[tuple[int, int]], starts: list[int]) -> bool:
    """Return True if ``position`` falls in one of the sorted, disjoint ``spans``."""
    index = bisect.bisect_right(starts, position) - 1
    return index >= 0 and position < spans[index][1]


def _terms(text: str, language: str, *, skip: Sequence[tuple[int, int]] = ()) -> list[_Term]:
    """Read the content terms of ``text`` in order, each marked negated or not."""
    words = _words(language)
    folded = fold(clean_text(text[:MAX_REPLY_CHARS]))
    read = [n for n in reply_numbers(folded, language) if not n.coefficient]
    numbers = [(n.start, n.end) for n in read]
    number_starts = [n.start for n in read]
    found = [(n.start, n.end, _Term(False, None, n.value)) for n in read]
    for match in _WORD.finditer(folded):
        word = match.group(0)
        if len(word) > 1 and word not in words.stop:
            if not _inside(match.start(), numbers, number_starts):
                found.append((match.start(), match.end(), _Term(False, _stem(word))))
    found.sort(key=lambda item: item[0])
    skip_starts = [start for start, _ in skip]
    clauses = _clauses(folded, words)
    terms: list[_Term] = []
    index = -1
    negation: int | None = None
    rejected: re.Match[str] | None = None
    for at, stop, term in found:
        if _inside(at, skip, skip_starts):
            continue
        while index + 1 < len(clauses) and clauses[index + 1][0] <= at:
            index += 1
            start, end = clauses[index]
            negation = _negated_from(folded[start:end], words)
            negation = None if negation is None else start + negation
            rejected = words.rejection.search(folded, start, end)
        negated = (negation is not None and at > negation) or (
            rejected is not None and stop <= rejected.start()
        )
        terms.append(_Term(negated, term.word, term.value))
        if len(terms) >= MAX_TERMS:
            break
    return terms


def _stem(word: str) -> str:
    return word.removesuffix("'s")


def _same_word(a: str, b: str) -> bool:
    """Return True for two forms of one word: "denominator(s)", "multiply", "multiplied"."""
    if a == b or (min(len(a), len(b)) > 2 and a.removesuffix("s") == b.removesuffix("s")):
        return True
    short, long = sorted((a, b), key=len)
    if len(short) >= 3 and short.isalpha():  # "add" and "adding", "cut" and "cutting"
        endings = ("ing", "ed", "es", short[-1] + "ing", short[-1] + "ed")
        if long in {short + ending for ending in endings}:
            return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= MIN_STEM and len(a) - shared <= MAX_ENDING and len(b) - shared <= MAX_ENDING


def _same(a: _Term, b: _Term) -> bool:
    if a.negated != b.negated:
        return False
    if a.word is None or b.word is None:
        return a.word is None and b.word is None and a.value == b.value
    return _same_word(a.word, b.word)


@lru_cache(maxsize=256)
def _option_terms(
    options: tuple[str, ...], language: str
) -> tuple[tuple[tuple[_Term, ...], tuple[_Term, ...]], ...]:
    """Return each option's telling terms (not shared by every option) and all its terms."""
    every = [tuple(dict.fromkeys(_terms(option, language))) for option in options]
    shared = {term for term in (every[0] if every else ()) if all(term in terms for terms in every)}
    # "It is in the past" and "It is in the present" differ by one word: that word decides.
    return tuple((tuple(t for t in terms if t not in shared) or terms, terms) for terms in every)


@dataclass(frozen=True)
class _Match:
    index: int
    coverage: float
    matched: int  # option terms the reply names
    used: frozenset[int]  # reply terms that name one of the option's terms

    @property
    def rank(self) -> tuple[float, int]:
        return (self.coverage, self.matched)


def read_option(options: Sequence[str], reply: str, language: str = "en") -> OptionReading | None:
    """Read ``reply`` as a paraphrase of one of ``options`` (see the module docstring)."""
    words = _words(language)
    folded = fold(clean_text(reply[:MAX_REPLY_CHARS]))
    reading = Reading(folded, language)
    said = _terms(reply, language, skip=reading.excluded)  # not reasons, not open questions
    if not said:
        return None
    matches = []
    known: set[int] = set()  # reply terms found in some option
    for index, (telling, terms) in enumerate(_option_terms(tuple(options), language)):
        if not telling:
            continue
        named = [t for t in telling if any(_same(t, s) for s in said)]
        used = frozenset(i for i, s in enumerate(said) if any(_same(t, s) for t in telling))
        known.update(i for i, s in enumerate(said) if any(_same(t, s) for t in terms))
        matches.append(_Match(index, len(named) / len(telling), len(named), used))
    if not matches:
        return None
    best = max(matches, key=lambda m: m.rank)
    if best.coverage < MIN_COVERAGE:
        return None
    for other in matches:
        if other is best:
            continue
        stray = other.used - best.used  # the reply names what only the other option has
        if stray and other.coverage >= MIN_COVERAGE:
            # "12 or 7" offers both; a lesser overlap without an "or" is no second answer.
            if other.coverage >= best.coverage or words.alternative.search(folded):
                return OptionReading(None, hedged=True)
        if not stray and other.rank >= best.rank:
            return None  # nothing tells the two apart
    if len(said) - len(known) > max(EXTRA_TERMS, len(best.used)):
        return None  # mostly about something else
    if best.coverage < 1.0 and len(known) < len(said) and _is_a_name(options[best.index]):
        return None  # "Latin America" for "South America": part of a name, and another word
    return OptionReading(best.index)


def _is_a_name(option: str) -> bool:
    """Tell whether an option is a short name ("South America"), not a statement."""
    return len(_WORD.findall(option)) <= NAME_WORDS
