"""Read numbers written in words: "seven twelfths", "twenty-one", "minus four", "a half".

English is always read, and so is the course language when ``number_vocab`` knows it
(Spanish, French, German, Portuguese, Italian). Compound words ("einundzwanzig",
"ventitre", "veintidos") are split into known pieces. The reader is linear in the length
of the text: every word is looked up once, and a compound is split in a bounded number
of steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch, fold
from bot.learning.language_cues import cues_for, language_code
from bot.learning.number_vocab import VOCABS, NumberVocab

__all__ = ["find_number_words", "words_to_digits"]

MAX_WORD: Final = 40  # longer words are never split into number pieces
_TOKEN: Final = re.compile(r"[^\W\d_]+|\d+")
_COMPOUNDING: Final = frozenset({"de", "it", "es"})
_NUMBER_STARTS: Final = ("card", "art", "den", "point", "special", "digit", "mul")
# Every number phrase holds one of these; an article, a sign or a digit alone never reads.
_NUMBER_KINDS: Final = frozenset({"card", "mul", "den", "half", "special"})
_ONE_FOLLOWERS: Final = frozenset({"of", "de", "di", "des", "del", "von"})


@dataclass(frozen=True)
class _Piece:
    kind: str  # card mul den art conn sign point half special marker digit word
    value: int
    word: str
    start: int
    end: int
    joined: bool  # glued to the piece before: same word, or a hyphen between
    linked: bool  # only spaces or hyphens since the piece before


@dataclass(frozen=True)
class _Vocab:
    words: NumberVocab
    kinds: dict[str, tuple[str, int]]
    pieces: frozenset[str]  # what a compound word may be made of
    prefixes: frozenset[str]
    longest: int
    compounding: bool
    determiners: frozenset[str]


@lru_cache(maxsize=8)
def _vocab(language: str) -> _Vocab:
    code = language_code(language)
    own = [VOCABS["en"]] + ([VOCABS[code]] if code != "en" and code in VOCABS else [])
    kinds: dict[str, tuple[str, int]] = {}
    for vocab in own:
        table: list[tuple[str, dict[str, int]]] = [
            ("card", vocab.cardinals),
            ("mul", vocab.multipliers),
            ("den", vocab.denominators),
            ("art", dict.fromkeys(vocab.articles, 1)),
            ("conn", dict.fromkeys(vocab.connectors, 0)),
            ("sign", dict.fromkeys(vocab.signs, 0)),
            ("point", dict.fromkeys(vocab.points, 0)),
            ("half", dict.fromkeys(vocab.halves, 2)),
            ("special", {w: i for i, w in enumerate(vocab.specials)}),
            ("marker", dict.fromkeys(vocab.den_markers, 0)),
        ]
        for kind, words in table:
            for word, value in words.items():
                kinds[word] = (kind, value)
    merged = NumberVocab(
        cardinals={},
        multipliers={},
        denominators={},
        articles=frozenset(),
        connectors=frozenset(),
        signs=frozenset(),
        points=frozenset(),
        percents=tuple(p for vocab in own for p in vocab.percents),
        specials={k: v for vocab in own for k, v in vocab.specials.items()},
        standalone=frozenset(w for vocab in own for w in vocab.standalone),
    )
    parts = {w for w, (kind, _) in kinds.items() if kind not in ("sign", "point", "marker")}
    return _Vocab(
        words=merged,
        kinds=kinds,
        pieces=frozenset(parts),
        prefixes=frozenset(w[:3] for w in parts),
        longest=max(map(len, parts)),
        compounding=code in _COMPOUNDING,
        determiners=frozenset(cues_for(code).determiners),
    )


def _split(word: str, vocab: _Vocab) -> list[tuple[int, int]] | None:
    """Split a compound into known pieces (longest first), or None."""
    if len(word) > MAX_WORD or word[:3] not in vocab.prefixes:
        return None
    reach: dict[int, tuple[int, int] | None] = {0: None}
    for i in range(len(word)):
        if i not in reach:
            continue
        for k in range(min(vocab.longest, len(word) - i), 1, -1):
            if i + k not in reach and word[i : i + k] in vocab.pieces:
                reach[i + k] = (i, i + k)
    if len(word) not in reach:
        return None
    spans: list[tuple[int, int]] = []
    at = len(word)
    while at:
        span = reach[at]
        assert span is not None
        spans.append(span)
        at = span[0]
    return spans[::-1] if len(spans) > 1 else None


def _pieces(folded: str, vocab: _Vocab) -> list[_Piece]:
    pieces: list[_Piece] = []
    last_end = 0
    for match in _TOKEN.finditer(folded):
        word, start, end = match.group(0), match.start(), match.end()
        gap = folded[last_end:start]
        linked = not pieces or not gap.strip(" \t-")
        joined = bool(pieces) and linked and "-" in gap and not gap.strip("-")
        last_end = end
        if word.isdigit():
            clean = folded[start - 1 : start] not in (".", ",", "/") and not re.match(
                r"[.,/]\d|[.,]?\d", folded[end : end + 2]
            )
            kind = "digit" if clean and len(word) <= 9 else "word"
            # only a digit piece's value is read; a longer run of digits is never one
            value = int(word) if kind == "digit" else 0
            pieces.append(_Piece(kind, value, word, start, end, joined, linked))
            continue
        found = vocab.kinds.get(word)
        if found is not None:
            pieces.append(_Piece(found[0], found[1], word, start, end, joined, linked))
            continue
        spans = _split(word, vocab) if vocab.compounding else None
        if spans is None:
            pieces.append(_Piece("word", 0, word, start, end, joined, linked))
            continue
        for n, (a, b) in enumerate(spans):
            kind, value = vocab.kinds[word[a:b]]
            glued = n > 0 or joined
            # The later pieces of one word always follow on, whatever came before the word.
            piece = _Piece(kind, value, word[a:b], start + a, start + b, glued, linked or n > 0)
            pieces.append(piece)
    return pieces


def _room(current: int | None) -> int:
    """How large a number may still be added: 20 takes 1 to 9, 300 takes 1 to 99."""
    if current is None:
        return 10**12
    if current and current % 100 == 0:
        return 100
    if current >= 20 and current % 10 == 0:
        return 10
    return 0


@dataclass
class _Read:
    value: Fraction
    end: int  # index of the first piece not read
    fraction: bool = False
    decimal: bool = False
    percent: bool = False
    compound_den: bool = False  # "twenty-fourths": a denominator waiting for its count


class _Reader:
    """Read number phrases from a list of pieces."""

    def __init__(self, pieces: list[_Piece], vocab: _Vocab) -> None:
        self.p = pieces
        self.v = vocab

    def at(self, i: int, *kinds: str) -> bool:
        """Return True if piece ``i`` exists, follows on, and is of one of ``kinds``."""
        return i < len(self.p) and self.p[i].linked and self.p[i].kind in kinds

    def cardinal(self, i: int) -> tuple[int, int] | None:
        """Read a whole number from piece ``i``; return (value, next index) or None."""
        total, current, last_big, j, after_conn = 0, None, 10**13, i, False
        while j < len(self.p) and (j == i or self.p[j].linked):
            piece = self.p[j]
            kind, value = piece.kind, piece.value
            if kind == "art" and (after_conn or self._article_counts(j)):
                kind = "card"
            if kind == "card":
                if current is None:
                    if total and value >= last_big:
                        break
                    current = value
                elif after_conn:
                    current += value  # checked by _connects: "vingt et un", "treinta y uno"
                elif piece.joined and value == 20 and current % 100 == 4 and piece.word[0] == "v":
                    current += 76  # quatre-vingt
                elif value < _room(current):
                    current += value
                elif piece.joined and current % 100 == 10 and value < 10:
                    current += value  # dix-sept, dieci+seis
                elif current % 100 in (60, 80) and 10 <= value < 20 and piece.joined:
                    current += value  # soixante-dix, quatre-vingt-dix
                else:
                    break
            elif kind == "mul" and value < 1000:
                if current is not None and (current >= value or current >= 100):
                    break
                current = (current or 1) * value
            elif kind == "mul":
                if value >= last_big or (current or 1) >= value:
                    break
                total, current, last_big = total + (current or 1) * value, None, value
            elif kind == "conn" and not after_conn and self._connects(j, current, total):
                if piece.word == "und" and current is not None:
                    j += 1
                    current += self.p[j].value
                else:
                    after_conn = True
                    j += 1
                    continue
            else:
                break
            after_conn = False
            j += 1
        if after_conn:
            j -= 1
        if j == i or (current is None and not total):
            return None
        return total + (current or 0), j

    def _article_counts(self, j: int) -> bool:
        """Return True if the article at ``j`` means one: "a hundred", "una y media"."""
        if self.at(j + 1, "mul"):
            return True
        if not self.at(j + 1, "conn"):
            return False
        return self._connects(j + 1, 1, 0) or self.at(j + 2, "den")

    def _connects(self, j: int, current: int | None, total: int) -> bool:
        """Return True if the connector at ``j`` joins two parts of one number."""
        word = self.p[j].word
        if not self.at(j + 1, "card", "art"):
            return False
        following = self.p[j + 1].value
        if word == "und":
            return current is not None and current < 10 and 20 <= following <= 90
        if word == "et":
            return current is not None and current >= 20 and following in (1, 11)
        if word == "and":  # "one hundred and five", "two thousand and five"
            return _room(current) >= 100 and (current is not None or total > 0)
        return following < _room(current) if current is not None else total > 0

    def digits_after_point(self, i: int) -> tuple[str, int]:
        """Read "five", "one four" after a decimal point word: digits and next index."""
        digits, j = "", i
        while self.at(j, "card") and self.p[j].value < 10:
            digits += str(self.p[j].value)
            j += 1
        return digits, j

    def value(self, i: int) -> _Read | None:
        """Read one number phrase starting at piece ``i``."""
        piece = self.p[i]
        if piece.kind == "special":
            num, den = self.v.words.specials[piece.word]
            return _Read(Fraction(num, den), i + 1, fraction=True)
        if piece.kind == "point":
            digits, j = self.digits_after_point(i + 1)
            return _Read(Fraction(f"0.{digits}"), j, decimal=True) if digits else None
        read = self.cardinal(i)
        if read is None:
            return self._bare_fraction(i)
        whole, j = read
        if self.at(j, "den"):
            den = self.p[j].value
            if den < _room(whole) and self.p[j].joined:
                return _Read(Fraction(whole + den), j + 1, compound_den=True)
            return _Read(Fraction(whole, den), j + 1, fraction=True)
        if self.at(j, "half") and self.p[j].joined:
            return _Read(whole + Fraction(1, 2), j + 1, fraction=True)
        if self.at(j, "point"):
            digits, k = self.digits_after_point(j + 1)
            if digits:
                return _Read(whole + Fraction(f"0.{digits}"), k, decimal=True)
        if self.at(j, "conn"):
            mixed = self._bare_fraction(j + 1, mixed=True)
            if mixed is not None and mixed.value < 1:
                return _Read(whole + mixed.value, mixed.end, fraction=True)
        if self.at(j, "card") and self.at(j + 1, "marker"):
            return _Read(Fraction(whole, self.p[j].value or 1), j + 2, fraction=True)
        return _Read(Fraction(whole), j)

    def _bare_fraction(self, i: int, *, mixed: bool = False) -> _Read | None:
        """Read "a half", "7 twelfths", "three quarters" (a simple count and a denominator)."""
        if i >= len(self.p) or (mixed and not self.p[i].linked):
            return None
        piece = self.p[i]
        if piece.kind in ("art", "digit", "card") and self.at(i + 1, "den"):
            return _Read(Fraction(piece.value, self.p[i + 1].value), i + 2, fraction=True)
        if piece.kind == "den" and (mixed or piece.word in self.v.words.standalone):
            return _Read(Fraction(1, piece.value), i + 1, fraction=True)
        if piece.kind == "half" and not mixed:
            return _Read(Fraction(1, 2), i + 1, fraction=True)
        return None

    def percent_end(self, j: int) -> int | None:
        """Return the index after a percent phrase starting at ``j``, if there is one."""
        for phrase in self.v.words.percents:
            words = [self.p[k].word for k in range(j, min(j + len(phrase), len(self.p)))]
            if tuple(words) == phrase and all(self.p[k].linked for k in range(j, j + len(phrase))):
                return j + len(phrase)
        return None


def _is_pronoun_one(reader: _Reader, i: int, read: _Read) -> bool:
    """Return True for "the right one", "one of them": the word one, not the number."""
    pieces = reader.p
    if read.end != i + 1 or pieces[i].kind != "card" or pieces[i].value != 1:
        return False
    before = pieces[i - 1].word if i > 0 and pieces[i].linked else ""
    after = pieces[i + 1].word if i + 1 < len(pieces) and pieces[i + 1].linked else ""
    return before in reader.v.determiners or after in _ONE_FOLLOWERS


def _rational(value: Fraction) -> sympy.Rational:
    return sympy.Rational(value.numerator, value.denominator)


def find_number_words(text: str, language: str = "en") -> list[NumberMatch]:
    """List the numbers written in words in cleaned ``text``, in order."""
    vocab = _vocab(language)
    folded = fold(text)
    if not _may_hold_number(folded, vocab):
        return []
    reader = _Reader(_pieces(folded, vocab), vocab)
    found: list[NumberMatch] = []
    i = 0
    while i < len(reader.p):
        start = i
        negative = reader.p[i].kind == "sign" and reader.at(i + 1, *_NUMBER_STARTS)
        if negative and i > 0 and reader.p[i - 1].kind in ("card", "digit", "den", "mul"):
            negative = False  # "seven minus four" subtracts
        read = reader.value(i + 1 if negative else i)
        if read is None or (reader.p[start].kind == "digit" and not read.fraction):
            i += 1
            continue
        if read.compound_den or _is_pronoun_one(reader, i, read):
            i = read.end
            gap = text[found[-1].end : reader.p[start].start] if found else "x"
            if read.compound_den and not gap.strip() and not found[-1].fraction:
                previous = found.pop()
                value = _rational(Fraction(1) / read.value) * previous.value
                found.append(_match(text, previous.start, reader.p[read.end - 1].end, value))
            continue
        end = reader.percent_end(read.end) or read.end
        value = _rational(-read.value if negative else read.value)
        percent = end != read.end
        if percent:
            value = sympy.Rational(value / 100)
        last = reader.p[end - 1].end
        found.append(
            _match(text, reader.p[start].start, last, value, read.fraction, read.decimal, percent)
        )
        i = end
    return found


def _may_hold_number(folded: str, vocab: _Vocab) -> bool:
    """Return False when no word of ``folded`` can be part of a number phrase (most texts)."""
    for word in _TOKEN.findall(folded):
        found = vocab.kinds.get(word)
        if found is not None:
            if found[0] in _NUMBER_KINDS:
                return True
        elif vocab.compounding and not word.isdigit() and _split(word, vocab) is not None:
            return True
    return False


def _match(
    text: str,
    start: int,
    end: int,
    value: sympy.Rational,
    fraction: bool = True,
    decimal: bool = False,
    percent: bool = False,
) -> NumberMatch:
    return NumberMatch(
        start, end, text[start:end], value, percent=percent, decimal=decimal, fraction=fraction
    )


def words_to_digits(text: str, language: str = "en") -> str:
    """Rewrite number words as digits ("x equals minus four" becomes "x equals -4")."""
    out, at = [], 0
    for number in find_number_words(text, language):
        value = number.value * 100 if number.percent else number.value
        written = str(value.p) if value.q == 1 else f"{value.p}/{value.q}"
        out += [text[at : number.start], written + ("%" if number.percent else "")]
        at = number.end
    return "".join(out) + text[at:]
