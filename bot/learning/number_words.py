"""Read numbers written in words: "seven twelfths", "twenty-one", "minus four", "a half".

English is always read, and so is the course language when ``number_vocab`` knows it
(Spanish, French, German, Portuguese, Italian). Compound words ("einundzwanzig",
"ventitre", "veintidos") are split into known pieces. The reader is linear in the length
of the text: every word is looked up once, and a compound is split in a bounded number
of steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Final

import sympy

from bot.learning.answer_text import NumberMatch, fold
from bot.learning.number_pieces import Piece as _Piece
from bot.learning.number_pieces import Vocab as _Vocab
from bot.learning.number_pieces import may_hold_number as _may_hold_number
from bot.learning.number_pieces import pieces as _pieces
from bot.learning.number_pieces import vocab as _vocab

__all__ = ["find_number_words", "words_to_digits"]

_NUMBER_STARTS: Final = ("card", "art", "den", "point", "special", "digit", "mul")
_ONE_FOLLOWERS: Final = frozenset({"of", "de", "di", "des", "del", "von"})


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
    """Return True for "the right one", "the middle one", "one of them": the word one, not
    the number ("the answer is one" is the number: a copula comes between)."""
    pieces = reader.p
    if read.end != i + 1 or pieces[i].kind != "card" or pieces[i].value != 1:
        return False
    before = pieces[i - 1].word if i > 0 and pieces[i].linked else ""
    after = pieces[i + 1].word if i + 1 < len(pieces) and pieces[i + 1].linked else ""
    if before in reader.v.determiners or after in _ONE_FOLLOWERS:
        return True
    two_back = pieces[i - 2].word if i > 1 and pieces[i - 1].linked else ""
    return (
        two_back in reader.v.determiners
        and before.isalpha()
        and before not in reader.v.copulas
        and before not in reader.v.kinds
    )


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
