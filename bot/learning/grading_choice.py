"""Grade multiple-choice replies: the ``choice`` checker.

A choice reply names an option by its letter, its number, its place among those shown
("the second one") or its text, or paraphrases the option's text ("denominator is 12"
for "It has a denominator of 12": see ``option_reading``). Options mentioned only to be
ruled out ("not b") are no choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.learning.answer_key import AnswerKey, Grade
from bot.learning.answer_text import find_numbers, fold, letter_references
from bot.learning.answer_text import normalise_text as _normalise
from bot.learning.grading_text import ARTICLES, Span
from bot.learning.language_cues import cues_for
from bot.learning.option_reading import read_option
from bot.learning.reply_reading import Reading, phrase_regex

__all__ = ["correct_options", "grade_choice", "named_option", "ruled_out_options"]

_LETTERS: Final = "abcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class _ChoicePatterns:
    bare_ref: re.Pattern[str]
    whole_ref: re.Pattern[str]
    letter_list: re.Pattern[str]


# "I'd pick b", "I'll go with b": choosing, before the option chosen.
_PICKS: Final = tuple(
    f"{who}{verb}"
    for who in ("", "i ", "i'd ", "i'll ", "i would ", "i will ")
    for verb in ("pick", "choose", "select", "take", "go with", "go for", "vote")
)
# "not a, b", "not a but b", "it's not a, it's b": an option denied, then one named.
_DENIED_FIRST: Final = re.compile(
    r"(?:(?:it's|it is|its|that's)\s+)?(?:not|never)\s+\(?[a-z]\)?\s*(?:,|;|\bbut\b)\s*"
)
# Where the option named first ends and what is said of it starts: "a - had + participle",
# "a: had", "a, not b", "a rather than b".
_AFTER_OPTION: Final = re.compile(r"\s+-+\s+|\s*:\s+|,?\s+(?:not|rather than|instead of)\s+")


@lru_cache(maxsize=16)
def _text_patterns(language: str) -> _ChoicePatterns:
    cues = cues_for(language)
    articles = phrase_regex((*cues.fillers, *cues.conclusions, *cues.copulas, *ARTICLES, *_PICKS))
    hedges = phrase_regex(w for w in cues.hedges if " " not in w)
    return _ChoicePatterns(
        bare_ref=re.compile(
            rf"(?:[\W_]*+{articles}(?=[\W_]))*+[\W_]*\(?(?P<ref>[a-z]|\d{{1,2}})\)?[\W_]*"
        ),
        whole_ref=re.compile(
            r"(?:(?:i (?:choose|pick|say|think)|it's|it is|option|choice|answer|letter)"
            r"\W*(?:is\W*)?)?\(?(?P<ref>[a-z]|\d{1,2})\)?"
        ),
        letter_list=re.compile(
            r"(?P<prefix>is it|maybe|either|i think)?\s*\(?[a-z]\)?"
            rf"(?:(?:\s*+[,/]\s*+(?:{hedges}\s++){{0,2}}|\s++(?:{hedges}\s++){{1,2}})"
            r"\(?[a-z]\)?)+\??"
        ),
    )


def _answers(key: AnswerKey) -> tuple[str, ...]:
    return (key.answer, *key.accept)


def _normal(text: str) -> str:
    return fold(_normalise(text))


@lru_cache(maxsize=512)
def _normal_options(choices: tuple[str, ...]) -> tuple[str, ...]:
    """Return the options as replies are compared with them (a key's options, once)."""
    return tuple(_normal(choice) for choice in choices)


def _ref_index(ref: str, count: int, *, numbers: bool) -> int | None:
    if ref.isascii() and ref.isdigit():
        return int(ref) - 1 if numbers and 1 <= int(ref) <= count else None
    index = _LETTERS.find(ref)
    return index if 0 <= index < count else None


def _choice_index(key: AnswerKey, text: str, *, numbers: bool) -> int | None:
    """Map an answer or reply to a 0-based option index, if it names one."""
    normal = _normal(text)
    options = _normal_options(key.choices)
    if normal in options:
        return options.index(normal)
    match = _text_patterns(key.language).whole_ref.fullmatch(normal)
    return _ref_index(match["ref"], len(options), numbers=numbers) if match else None


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    index: int
    text: str


def _mentions(key: AnswerKey, normal: str, *, numbers: bool) -> list[_Mention]:
    found: list[_Mention] = []
    for reference in letter_references(normal):
        index = _ref_index(reference.ref, len(key.choices), numbers=numbers)
        if index is not None:
            found.append(_Mention(reference.start, reference.end, index, reference.text))
    for index, option in enumerate(_normal_options(key.choices)):
        if option:
            for match in re.finditer(rf"(?<!\w){re.escape(option)}(?!\w)", normal):
                found.append(_Mention(match.start(), match.end(), index, option))
    found.sort(key=lambda m: (m.start, -m.end))
    kept: list[_Mention] = []
    for mention in found:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def _is_number(text: str) -> bool:
    numbers = find_numbers(text)
    return len(numbers) == 1 and numbers[0].text == text


def _numbers_name_options(key: AnswerKey) -> bool:
    """Return True if a bare number names an option by position (options are not numbers)."""
    return _numbers_name(key.choices)


@lru_cache(maxsize=512)
def _numbers_name(choices: tuple[str, ...]) -> bool:
    return not any(_is_number(option) for option in _normal_options(choices))


def correct_options(key: AnswerKey) -> set[int]:
    """Return the indexes of the options the key accepts."""
    numbers = _numbers_name_options(key)
    found = (_choice_index(key, answer, numbers=numbers) for answer in _answers(key))
    return {index for index in found if index is not None}


# Options named by their place as shown: "the second one", "the last option", "la segunda".
_PLACES: Final = {
    word: place
    for place, words in enumerate(
        (
            "first 1st primera primero premiere premier erste ersten prima primo",
            "second 2nd segunda segundo deuxieme seconde zweite zweiten seconda secondo",
            "third 3rd tercera tercero troisieme dritte dritten terza terzo",
            "fourth 4th cuarta cuarto quatrieme vierte vierten quarta quarto",
            "fifth 5th quinta quinto cinquieme funfte funften",
            "sixth 6th sexta sexto sixieme sechste sechsten sesta sesto",
        )
    )
    for word in words.split()
} | dict.fromkeys("last ultima ultimo derniere dernier letzte letzten".split(), -1)
_PLACE_REF: Final = re.compile(
    r"(?:(?:i(?:'d| would)? (?:choose|pick|say|think|go with|take)|it's|it is|its)\s+){0,2}"
    r"(?:(?:the|la|el|le|die|der|das|a|o|il)\s+)?(?P<place>[^\W_]+)"
    r"(?:\s+(?:one|option|choice|answer|opcion|opcao|option|antwort|opzione))?"
)


def _place_index(normal: str, count: int) -> int | None:
    """The option a reply names by its place among those shown, if it does so alone."""
    named = _PLACE_REF.fullmatch(fold(normal))
    place = _PLACES.get(named["place"]) if named else None
    if place is None or place >= count:
        return None
    return place % count


def named_option(key: AnswerKey, text: str) -> int | None:
    """Return the option a text names on its own ("b", "it's b", "la b", "Paris", "the
    second one")."""
    numbers = _numbers_name_options(key)
    normal = _normal(text)
    index = _choice_index(key, normal, numbers=numbers)
    if index is None:
        named = _text_patterns(key.language).bare_ref.fullmatch(normal)  # "creo que es la b"
        index = _ref_index(named["ref"], len(key.choices), numbers=numbers) if named else None
    if index is None and key.choices:
        index = _place_index(normal, len(key.choices))
    return index


def grade_choice(key: AnswerKey, reply: str) -> Grade:
    """Grade a multiple-choice reply: a letter, a number, the option's text or a paraphrase."""
    numbers = _numbers_name_options(key)
    correct = correct_options(key)
    accepted = {_normal(answer) for answer in _answers(key)}
    normal = _normal(reply)
    if not normal:
        return Grade(False, None)
    if normal in accepted:
        return Grade(True, normal)
    listed = _text_patterns(key.language).letter_list.fullmatch(normal)
    if listed and len(set(re.findall(r"\b[a-z]\b", normal[max(listed.end("prefix"), 0) :]))) > 1:
        return Grade(False, normal, hedged=True)
    index = named_option(key, normal)
    if index is not None:
        return Grade(index in correct, normal)
    reading = Reading(normal, key.language)
    stated = _stated_option(key, normal, reading)
    if stated is not None:
        return Grade(stated[0] in correct, stated[1])
    mentioned = _mentions(key, normal, numbers=numbers)
    mentions = reading.eligible(mentioned)
    chosen = reading.choose(mentions)
    if chosen is None:
        ruled_out = _ruled_out(normal, reading, mentioned, len(key.choices))
        return _grade_paraphrase(key, normal, correct, ruled_out)
    last = reading.hedge(mentions, chosen, lambda a, b: a.index == b.index)
    if last is not None:
        return Grade(False, last.text, hedged=True)
    return Grade(chosen.index in correct, chosen.text)


def _stated_option(key: AnswerKey, normal: str, reading: Reading) -> tuple[int, str] | None:
    """The option a reply names before a reason or a remark on it, and its words: "a,
    because ...", "a - had + participle", "it's a not b"."""
    denied = _DENIED_FIRST.match(normal)  # "not a, it's b": what follows the denial
    start = denied.end() if denied else 0
    cut = next((a for a, _ in reading.excluded if a >= start), len(normal))
    remark = _AFTER_OPTION.search(normal, start, cut)
    head = normal[start : remark.start() if remark else cut].strip(" ,;:-")
    if not head or head == normal:
        return None
    index = named_option(key, head)
    return None if index is None else (index, head)


_BARE_LETTER: Final = re.compile(
    r"(?<![\w'])(?P<ref>[b-hj-z]|[ai](?=\s*(?:[,.;:!?)]|$|\s(?:but|and|or|nor)\b)))(?![\w'])"
)


def ruled_out_options(key: AnswerKey, reply: str) -> set[int]:
    """Return the options a choice reply rules out: "not oxygen", "it isn't b"."""
    normal = _normal(reply)
    if key.checker != "choice" or not key.choices or not normal:
        return set()
    mentioned = _mentions(key, normal, numbers=_numbers_name_options(key))
    ruled_out = _ruled_out(normal, Reading(normal, key.language), mentioned, len(key.choices))
    # "it isn't adding the same to both": the option read after the denial is ruled out.
    denied = _denial(key.language).fullmatch(normal.replace("n't", " not"))
    if not ruled_out and denied is not None:
        read = read_option(key.choices, denied["rest"], key.language)
        if read is not None and read.index is not None:
            ruled_out.add(read.index)
    return ruled_out


@lru_cache(maxsize=16)
def _denial(language: str) -> re.Pattern[str]:
    """A reply that opens by denying what follows: "not ...", "it isn't ...", "that's not"."""
    cues = cues_for(language)
    subjects = phrase_regex(("it", "it's", "its", "that", "that's", "thats", "this", "the answer"))
    copulas = phrase_regex(cues.copulas)
    negations = phrase_regex(cues.negations)
    return re.compile(rf"(?:{subjects}\s*)?(?:{copulas}\s*)?{negations}\W+(?P<rest>.+)", re.DOTALL)


def _ruled_out(normal: str, reading: Reading, mentioned: list[_Mention], count: int) -> set[int]:
    """The options mentioned only to be negated, by text or by a bare letter."""
    ruled_out = {m.index for m in mentioned if reading.is_negated(m)}
    return ruled_out | _negated_letters(normal, reading, count)


def _negated_letters(normal: str, reading: Reading, count: int) -> set[int]:
    """Return the options a reply rules out by a bare letter: "not b, ..."."""
    found = set()
    for match in _BARE_LETTER.finditer(normal):
        index = _LETTERS.find(match["ref"])
        if index < count and reading.is_negated(Span(match.start(), match.end())):
            found.add(index)
    return found


def _grade_paraphrase(key: AnswerKey, normal: str, correct: set[int], ruled_out: set[int]) -> Grade:
    """Grade a reply that names no option by letter or text: a paraphrase of one, or nothing."""
    read = read_option(key.choices, normal, key.language)
    if read is None:
        return Grade(False, None)
    if read.hedged:
        return Grade(False, normal, hedged=True)
    if read.index in ruled_out:
        return Grade(False, None)  # "not b, it has a denominator of 12" says both ways
    return Grade(read.index in correct, normal)
