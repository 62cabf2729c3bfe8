"""Offline checks of reflection answers: criteria met, replies too vague to judge, credit.

Positive criteria are judged on everything the learner has written so far, so a detail
given after a probe adds to the earlier answers; a `none_of` criterion is judged on the
latest answer only, so a learner who wrote "everyone" and then named one person has
moved on from it.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.content.models import (
    AllOf,
    AnyOf,
    Criterion,
    HasCommitment,
    HasDate,
    HasNumber,
    Keywords,
    MinItems,
    MinWords,
    NamesPerson,
    NoneOf,
    PatternCriterion,
)
from bot.learning.detectors import commits, has_quantity, mentions_time, names_person, words
from bot.learning.lexicon import FILLER, FUNCTION_WORDS

__all__ = [
    "PROBED_CREDIT",
    "Answers",
    "asks_for_a_list",
    "count_items",
    "criterion_met",
    "items_listed",
    "keyword_hits",
    "keywords_of",
    "reflection_credit",
    "vagueness",
    "words",
]

SHORT_WORDS: Final = 3  # fewer words than this say too little, unless they name a fact
# Evidence a criterion gives when met after 0, 1, 2, 3 or more probes on it (unmet: 0).
PROBED_CREDIT: Final = (1.0, 0.9, 0.75, 0.6)
_BULLET = re.compile(r"^\s*(?:[-*•·+]|\d{1,2}[.)]|[a-z][.)])\s+", re.IGNORECASE)
_INLINE_NUMBER = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+")
_ITEM_SPLIT = re.compile(r"[;,]|\s(?:and|or|then|plus)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Answers:
    """What the learner has written: every substantive answer so far, oldest first."""

    turns: tuple[str, ...]

    @classmethod
    def of(cls, turns: Sequence[str]) -> Answers:
        """Gather the learner's answers, oldest first."""
        return cls(tuple(turns))

    @property
    def latest(self) -> str:
        """The answer written last ("" before any)."""
        return self.turns[-1] if self.turns else ""


def criterion_met(criterion: Criterion, answers: Answers | str) -> bool:
    """Tell whether the learner's answers meet one criterion."""
    if isinstance(answers, str):
        answers = Answers((answers,))
    # Each answer is read once and remembered: a dialogue re-judges its earlier answers on
    # every turn, and the detectors are pure functions of one text.
    turns = answers.turns
    match criterion:
        case MinWords(min=least):
            return sum(_word_count(t) for t in turns) >= least
        case MinItems(min=least):
            return items_listed(answers) >= least
        case Keywords(any=keywords, min=least):
            found = (_keywords_in(t, tuple(keywords)) for t in turns)
            return len(frozenset().union(*found)) >= least
        case HasNumber():
            return any(_has_quantity(t) for t in turns)
        case HasDate():
            return any(_mentions_time(t) for t in turns)
        case NamesPerson():
            return any(_names_person(t) for t in turns)
        case HasCommitment():
            return any(_commits(t) for t in turns)
        case PatternCriterion(pattern=pattern):
            return any(_pattern_found(pattern, t) for t in turns)
        case AllOf(of=parts):
            return all(criterion_met(part, answers) for part in parts)
        case AnyOf(of=parts):
            return any(criterion_met(part, answers) for part in parts)
        case NoneOf(of=parts):
            latest = Answers((answers.latest,))
            return not any(criterion_met(part, latest) for part in parts)
    raise TypeError(f"unknown criterion {criterion!r}")


_CACHE = 1024
_names_person = lru_cache(_CACHE)(names_person)
_mentions_time = lru_cache(_CACHE)(mentions_time)
_has_quantity = lru_cache(_CACHE)(has_quantity)
_commits = lru_cache(_CACHE)(commits)


@lru_cache(_CACHE)
def _word_count(text: str) -> int:
    return len(words(text))


@lru_cache(_CACHE)
def _pattern_found(pattern: str, text: str) -> bool:
    return re.search(pattern, " ".join(text.split()), re.IGNORECASE) is not None


@lru_cache(_CACHE)
def _keywords_in(text: str, keywords: tuple[str, ...]) -> frozenset[str]:
    lowered = text.casefold()
    return frozenset(k.casefold() for k in keywords if _contains_phrase(lowered, k.casefold()))


def keyword_hits(text: str, keywords: Collection[str]) -> int:
    """Count the different keywords the text mentions (each at a word start)."""
    return len(_keywords_in(text, tuple(keywords)))


def _contains_phrase(text: str, phrase: str) -> bool:
    """Find a phrase at a word start (a phrase ending in a letter may go on: promot*),
    not denied just before it in its clause ("I won't plan anything" plans nothing)."""
    pattern = re.escape(phrase)
    if phrase[:1].isalnum():
        pattern = r"\b" + pattern
    if phrase[-1:].isalnum():
        pattern = pattern + r"\w*"
    if _DENIAL.search(phrase):  # "can't", "not sure": the keyword is itself a denial
        return re.search(pattern, text) is not None
    return any(not _denied(text, m.start()) for m in re.finditer(pattern, text))


# Words that deny what follows them in a clause, in the course languages ("no" only
# inside a clause: "No, I will plan it" plans).
_DENIAL: Final = re.compile(
    r"(?:\bnot|n't|\bnever|\bnothing|\bnone|\bnobody|\bpas|\bjamais|\bnicht|\bkein\w*|"
    r"\bnunca|\bnada|\bn[aã]o|\bnon|\bmai)\b|(?<=\w )no\b"
)
_CLAUSE_END: Final = re.compile(r"[.,;:!?\n]|\b(?:but|and|so|then|pero|mais|aber|mas|ma)\b")
DENIAL_REACH: Final = 3  # words between a denial and a keyword it still denies


def _denied(text: str, start: int) -> bool:
    """Tell whether a denial comes at most DENIAL_REACH words before ``start`` in its clause."""
    before = text[max(0, start - 80) : start]
    clause = _CLAUSE_END.split(before)[-1]
    denials = list(_DENIAL.finditer(clause))
    return bool(denials) and len(clause[denials[-1].end() :].split()) <= DENIAL_REACH


def items_listed(answers: Answers) -> int:
    """Count the different items listed across the learner's answers."""
    return len(frozenset().union(*(_items(t) for t in answers.turns)))


def count_items(text: str) -> int:
    """Count the different items listed: one per line or bullet, else split at , ; and."""
    return len(_items(text))


@lru_cache(_CACHE)
def _items(text: str) -> frozenset[str]:
    items: set[str] = set()
    for line in text.splitlines():
        if len(_INLINE_NUMBER.findall(line)) >= 2:
            pieces = _INLINE_NUMBER.split(line)
        elif _BULLET.match(line):
            pieces = [_BULLET.sub("", line)]
        else:
            pieces = _ITEM_SPLIT.split(line)
        for piece in pieces:
            content = [w.casefold() for w in words(piece) if w.casefold() not in FILLER]
            if content:
                items.add(" ".join(content))
    return frozenset(items)


def keywords_of(criteria: Sequence[Criterion]) -> list[str]:
    """Return every keyword the criteria list, nested ones included."""
    return [k for c in _walk(criteria) if isinstance(c, Keywords) for k in c.any]


def asks_for_a_list(criteria: Sequence[Criterion]) -> bool:
    """Tell whether any criterion, nested ones included, counts listed items."""
    return any(isinstance(c, MinItems) for c in _walk(criteria))


def _walk(criteria: Sequence[Criterion]) -> Iterator[Criterion]:
    for criterion in criteria:
        yield criterion
        if isinstance(criterion, AllOf | AnyOf | NoneOf):
            yield from _walk(criterion.of)


def vagueness(text: str, earlier: Sequence[str], keywords: Collection[str]) -> str | None:
    """Say why a reply is too vague to judge (None: judge it against the criteria).

    Reasons: `empty`; `filler` ("ok", "yes", "lol", one word over and over); `repeat` (the
    same as an earlier reply); `short` (under three words naming no person, time, number or
    commitment); `salad` (keywords strung together without a sentence).
    """
    reason = _text_vagueness(text, tuple(keywords))
    if reason in {"empty", "filler"}:
        return reason
    if _plain(text) in {_plain(e) for e in earlier}:
        return "repeat"
    return reason


@lru_cache(_CACHE)
def _text_vagueness(text: str, keywords: tuple[str, ...]) -> str | None:
    """The reasons that depend on the reply alone (all but `repeat`)."""
    said = [w.casefold() for w in words(text)]
    if not said:
        return "empty"
    if all(w in FILLER for w in said) or (len(said) > 1 and len(set(said)) == 1):
        return "filler"
    if len(said) < SHORT_WORDS and not _names_a_fact(text):
        return "short"
    if len(said) >= SHORT_WORDS and not any(w in FUNCTION_WORDS for w in said):
        stems = tuple(k.casefold() for k in keywords)
        if 2 * sum(1 for w in said if w.startswith(stems)) >= len(said):
            return "salad"
    return None


def _names_a_fact(text: str) -> bool:
    """A short reply can still answer a probe: "Friday", "Sam", "£300", "I will"."""
    return _names_person(text) or _mentions_time(text) or _has_quantity(text) or _commits(text)


@lru_cache(_CACHE)
def _plain(text: str) -> str:
    return " ".join(w.casefold() for w in words(text))


def reflection_credit(results: Sequence[tuple[bool, int]]) -> float:
    """Return a reflection's evidence from 0 to 1: each criterion's (met, probes on it).

    A criterion met without a probe counts 1, after one probe 0.9, two 0.75, three or more
    0.6; an unmet one counts 0. The reflection's evidence is the mean over its criteria.
    """
    if not results:
        return 0.0
    top = len(PROBED_CREDIT) - 1
    return sum(PROBED_CREDIT[min(n, top)] if met else 0.0 for met, n in results) / len(results)
