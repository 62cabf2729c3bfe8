"""Grade replies against a pattern: the ``pattern`` checker.

``re.search`` of the pattern (and of each ``accept`` entry) on the reply, case ignored, a
match that is negated ("not 13") set aside. A pattern anchored to a whole reply
(``^(11|13|17|19)$``) is also tried on the answer the reply states: without a lead-in
("I'd say 17"), a reason ("13 because ..."), a remark on it ("13 is prime") or filler,
with a number in words written in digits ("thirteen"), and without the comments that close
its lines of code ("nums.push(4); // at the end"). Answers offered together
("11 or 13", "13 or 12") are a hedge, not an answer, and one only denied ("not 13")
gives none.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.learning.answer_key import MAX_REPLY_CHARS, AnswerKey, Grade
from bot.learning.grading_text import stated_answer
from bot.learning.number_words import words_to_digits
from bot.learning.reply_reading import Reading

__all__ = ["grade_pattern"]

log = logging.getLogger(__name__)

MAX_PATTERN_MATCHES: Final = 8  # matches looked at for one that is not negated
SHORT_PART_WORDS: Final = 3  # "13 or 12": parts this short offered together are a hedge


def _answers(key: AnswerKey) -> tuple[str, ...]:
    return (key.answer, *key.accept)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=256)
def _compile(pattern: str) -> re.Pattern[str] | None:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError):
        log.warning("invalid answer pattern %r", pattern)
        return None


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


def _affirmed(regex: re.Pattern[str], text: str, reading: Reading) -> str | None:
    """Return the first match of ``regex`` that is not negated ("not hello 3")."""
    for count, match in enumerate(regex.finditer(text)):
        if count >= MAX_PATTERN_MATCHES:
            break
        if not reading.is_negated(_Span(match.start(), match.end())):
            return match.group(0)
    return None


def _stated_pieces(text: str, language: str) -> list[str]:
    """The answer a reply states, as written and with its numbers in digits."""
    stated = stated_answer(text, language)
    if stated is None:
        return []
    pieces = dict.fromkeys((stated, words_to_digits(stated, language)))
    return [piece for piece in pieces if piece != text]


def grade_pattern(key: AnswerKey, reply: str) -> Grade:
    """Grade a reply against a pattern (see the module docstring)."""
    text = " ".join(reply[:MAX_REPLY_CHARS].split())
    sources = (key.pattern, *key.accept) if key.pattern else _answers(key)
    regexes = list(filter(None, map(_compile, sources)))
    uncommented = _uncommented(reply, text)
    offered = _offered(uncommented[0] if uncommented else text, regexes)  # not "4; // end"
    if offered is not None:
        return Grade(False, offered, hedged=True)
    reading = Reading(text, key.language)
    for regex in regexes:
        found = _affirmed(regex, text, reading)
        if found is not None:
            return Grade(True, found)
    if any(source.startswith("^") or source.endswith("$") for source in sources):
        for piece in [*_stated_pieces(text, key.language), *uncommented]:
            for regex in filter(None, map(_compile, sources)):
                if regex.search(piece):
                    return Grade(True, piece)
    bare = _strip_accents(text)
    if bare != text or any(_strip_accents(s) != s for s in sources):
        bare_reading = Reading(bare, key.language)
        for regex in filter(None, (_compile(_strip_accents(s)) for s in sources)):
            found = _affirmed(regex, bare, bare_reading)
            if found is not None:
                return Grade(not key.strict_accents, found, accent_only=True)
    denied = _DENIED.match(text)
    if any(regex.search(text) for regex in regexes) or (
        denied and len(denied[1].split()) <= SHORT_PART_WORDS
    ):
        return Grade(False, None)  # "not 13", "definitely not 15": only denied, none given
    return Grade(False, text or None)


# A comment at the end of a line of code: "nums.push(4); // adds at the end", "x += 1  # one".
_COMMENT: Final = re.compile(r"(?:^[ \t]*|[ \t]+)(?://|#|--).*$", re.MULTILINE)


def _uncommented(reply: str, text: str) -> list[str]:
    """The reply without the comments closing its lines of code, when it has any."""
    bare = " ".join(_COMMENT.sub("", reply[:MAX_REPLY_CHARS]).split())
    return [bare] if bare and bare != text else []


# "not 13", "it's not 13", "definitely not 13": what follows is denied.
_DENIED: Final = re.compile(
    r"^\W*(?:(?:it'?s|it\s+is|that'?s|definitely|surely)\s+)?(?:not|never)\s+(.+)$", re.I
)
# Between answers offered together: "11 or 13", "11, 13", "11/13".
_ALTERNATIVES: Final = re.compile(r"\s*(?:[,;/]|\b(?:or|o|ou|oder|maybe)\b)\s*", re.IGNORECASE)


def _offered(text: str, regexes: list[re.Pattern[str]]) -> str | None:
    """Return the last of several answers offered together ("11 or 13", "13 or 12"), else
    None: two parts that each give an answer, or short parts of which one does."""
    parts = [part.strip() for part in _ALTERNATIVES.split(text) if part.strip()]
    if len(set(parts)) < 2 or len(parts) > MAX_PATTERN_MATCHES:
        return None
    answering = [part for part in parts if any(regex.search(part) for regex in regexes)]
    if len(set(answering)) > 1:
        return answering[-1]
    short = all(len(part.split()) <= SHORT_PART_WORDS for part in parts)
    return parts[-1] if answering and short else None
