"""Find answer-like pieces in free text: normalised strings, numbers and math spans.

Shared by answer grading and the answer-leak check. Every function is linear in the
length of its input (the regular expressions have no nested unbounded repetition).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import sympy

__all__ = [
    "LetterReference",
    "MathSpan",
    "NumberMatch",
    "clean_text",
    "find_math_spans",
    "find_numbers",
    "fold",
    "follows_answer_cue",
    "is_hedge_gap",
    "is_one_number",
    "letter_references",
    "normalise_lines",
    "normalise_text",
    "plain_powers",
]

MAX_NUMBER_DIGITS: Final = 40
MAX_SPAN_LENGTH: Final = 200

_CHAR_MAP: Final = str.maketrans(
    {"−": "-", "–": "-", "‐": "-", "‑": "-", "’": "'", "‘": "'", "⁄": "/"}
)
_SUPERSCRIPT_DIGITS: Final = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN: Final = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")
_LETTER_POWER: Final = re.compile(r"(?<=[^\W\d_])\^(?=[-+]?\d)")
_VULGAR_FRACTIONS: Final = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
    "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅐": "1/7", "⅛": "1/8", "⅜": "3/8",
    "⅝": "5/8", "⅞": "7/8", "⅑": "1/9", "⅒": "1/10",
}  # fmt: skip
_VULGAR: Final = re.compile("[" + "".join(_VULGAR_FRACTIONS) + "]")
_LEAD_STRIP: Final = " \t\n\"'`“”‘’«»„"
_TRAIL_STRIP: Final = _LEAD_STRIP + ".,;:!?…"
_NUM: Final = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+"
_ONE_NUMBER: Final = re.compile(r"[-+−]?\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?")


def is_one_number(text: str) -> bool:
    """Tell whether a text (an answer key's) is one number and nothing else: "4/5", "-12"."""
    return bool(_ONE_NUMBER.fullmatch(text.strip()))


_NUMBER_RE: Final = re.compile(
    rf"(?<![\w.^/])(?P<sign>[-+](?=[$€£]?\.?\d))?(?P<cur>[$€£])?(?P<num>{_NUM})"
    rf"(?:[ \t]*/[ \t]*(?P<den>{_NUM}))?(?P<pct>[ \t]?%)?"
)
_MIXED_GAP: Final = re.compile(r"[ \t]+(?:and[ \t]+)?")
_HEDGE_GAP: Final = re.compile(
    r"[\s?,;.!]*(?:(?:either|or|and/or|maybe|perhaps|possibly)\b|/)\s*"
    r"(?:(?:maybe|perhaps|possibly|is it|it's|it is|could be|it could be|might be)\b\s*)?"
    r"(?:[a-z]\s*=\s*)?"
)
_ANSWER_CUE: Final = re.compile(
    r"\b(?:answer|correct (?:one|option|choice))\b\s*"
    r"(?:is|was|would be|should be|must be|=|:|-)?\s*(?:[a-z]\s*=\s*)?$"
)
_LETTER_REF: Final = re.compile(
    r"\b(?P<cue>option|choice|answer|letter)\s*(?:is|:|=|-)?\s*\(?(?P<a>[a-z]|\d{1,2})\b\)?"
    r"|\((?P<b>[a-z])\)|(?<!\S)(?P<c>[a-z])\)"
)
_MATH_PUNCT: Final = frozenset("+-*/^()=×÷·⋅√²³ \t")
_OPERATOR_EDGES: Final = "+-*/^=×÷·⋅√ \t"
_LEADING_JUNK: Final = "*/^=×÷·⋅ \t"


@dataclass(frozen=True)
class NumberMatch:
    """A number written in text, with how it was written."""

    start: int
    end: int
    text: str
    value: sympy.Rational
    percent: bool = False
    decimal: bool = False  # written with a decimal point
    fraction: bool = False  # written as a fraction or mixed number
    significant: int = 0  # significant digits as written
    coefficient: bool = False  # glued to a following variable, as in "2x"
    ratio: bool = False  # two terms with a colon, "3:1", valued 3 (see ``ratios``)


@dataclass(frozen=True)
class MathSpan:
    """A run of math-looking text, split at ``=`` into its sides."""

    start: int
    end: int
    text: str
    sides: tuple[str, ...]


@dataclass(frozen=True)
class LetterReference:
    """A reference to a multiple-choice option such as ``option b`` or ``(b)``."""

    start: int
    end: int
    text: str
    ref: str  # a lowercase letter, or digits for "option 2"


# LaTeX as learners paste it: "\\frac{7}{12}", "50\\%", "3 \\times 4", "\\left( ... \\right)".
_LATEX_FRACTION: Final = re.compile(r"\\[dt]?frac\s*\{([^{}]{1,60})\}\s*\{([^{}]{1,60})\}")
_LATEX_SYMBOLS: Final = {
    "\\%": "%",
    "\\times": "×",
    "\\cdot": "·",
    "\\div": "÷",
    "\\left": "",
    "\\right": "",
    "\\,": " ",
    "\\ ": " ",
}
_LATEX_SYMBOL: Final = re.compile("|".join(re.escape(s) for s in _LATEX_SYMBOLS) + r"(?![a-z])")


def _latex_as_text(text: str) -> str:
    """Write the LaTeX a learner may paste as plain math: "\\frac{7}{12}" is "7/12"."""

    def fraction(match: re.Match[str]) -> str:
        top, bottom = match.group(1).strip(), match.group(2).strip()
        simple = all(re.fullmatch(r"[-+]?[\w.]+", part) for part in (top, bottom))
        return f"{top}/{bottom}" if simple else f"({top})/({bottom})"

    text = _LATEX_FRACTION.sub(fraction, text)
    return _LATEX_SYMBOL.sub(lambda m: _LATEX_SYMBOLS[m.group()], text)


def plain_powers(text: str) -> str:
    """Drop the caret of a power right after a letter: "m/s^2" reads "m/s2", as units are typed.

    Apply to cleaned text, where "m/s²" is already "m/s^2". For text answers only: in
    math, "x2" is no power.
    """
    return _LETTER_POWER.sub("", text) if "^" in text else text


def clean_text(text: str) -> str:
    """Apply NFKC, drop control and format characters, map dashes, quotes, superscripts."""
    text = _latex_as_text(text) if "\\" in text else text
    # "2½" is the mixed number 2 1/2, not the "21⁄2" that NFKC would make of it.
    text = _VULGAR.sub(lambda m: " " + _VULGAR_FRACTIONS[m.group()], text)
    # "x²" is x^2 and "10²³" is 10^23: a run of superscripts is one exponent.
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPT_DIGITS), text)
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cf")
    )


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        return ch
    parts = unicodedata.normalize("NFD", low)
    # Letters lose their accents; "≠" (= with a combining stroke) must not become "=".
    if len(parts) > 1 and parts[0].isalpha() and all(map(unicodedata.combining, parts[1:])):
        return parts[0]
    return low


def fold(text: str) -> str:
    """Lower-case ``text`` and drop its accents, one character for one (positions still match)."""
    return "".join(map(_fold_char, text))


def normalise_text(text: str) -> str:
    """Casefold, collapse whitespace and strip surrounding quotes and punctuation."""
    text = " ".join(clean_text(text).casefold().split())
    while True:
        stripped = text.lstrip(_LEAD_STRIP).rstrip(_TRAIL_STRIP)
        if len(stripped) >= 2 and stripped[0] + stripped[-1] in ("()", "[]", "{}", "<>"):
            inner = stripped[1:-1]
            if inner.count("(") == inner.count(")"):
                stripped = inner
        if stripped == text:
            return text
        text = stripped


def normalise_lines(text: str) -> list[str]:
    """Normalise each line of ``text`` and drop the empty ones."""
    lines = (normalise_text(line) for line in clean_text(text).splitlines())
    return [line for line in lines if line]


def is_hedge_gap(gap: str) -> bool:
    """Return True if the text between two candidates offers them as alternatives."""
    return _HEDGE_GAP.fullmatch(gap.casefold()) is not None


def follows_answer_cue(text: str, start: int) -> bool:
    """Return True if the text just before ``start`` reads like "the answer is"."""
    return _ANSWER_CUE.search(text[max(0, start - 40) : start].casefold()) is not None


def letter_references(text: str) -> list[LetterReference]:
    """List option references in casefolded ``text``; "the answer is a cat" is not one."""
    found = []
    for match in _LETTER_REF.finditer(text):
        ref = match["a"] or match["b"] or match["c"]
        after = text[match.end() : match.end() + 2]
        article = match["cue"] == "answer" and ref in "ai" and after[:1] == " "
        if not (article and after[1:2].isalpha()):
            found.append(LetterReference(match.start(), match.end(), match.group(0), ref))
    return found


def _rational(text: str) -> sympy.Rational | None:
    text = text.replace(",", "")
    whole, _, frac = text.partition(".")
    if len(whole) + len(frac) > MAX_NUMBER_DIGITS:
        return None
    scale = 10 ** len(frac)
    return sympy.Rational(int(whole or "0") * scale + int(frac or "0"), scale)


def _significant(text: str) -> int:
    digits = text.replace(",", "").replace(".", "").lstrip("0")
    return len(digits if "." in text else digits.rstrip("0"))


def _number(match: re.Match[str], text: str) -> NumberMatch | None:
    num, den = match["num"], match["den"]
    value = _rational(num)
    denominator = _rational(den) if den else sympy.Integer(1)
    if value is None or denominator is None or denominator == 0:
        return None
    value = sympy.Rational(value / denominator)
    if match["pct"]:
        value = sympy.Rational(value / 100)
    if match["sign"] == "-":
        value = -value
    end = match.end()
    after = text[end : end + 2]
    glued = bool(after[:1].isalpha() and not after[1:2].isalpha()) or after[:1] == "("
    return NumberMatch(
        start=match.start(),
        end=end,
        text=match.group(0),
        value=value,
        percent=bool(match["pct"]),
        decimal="." in num and not den,
        fraction=bool(den),
        significant=_significant(num) if not den else 0,
        coefficient=glued and not match["pct"],
    )


def _merge_mixed(first: NumberMatch, second: NumberMatch, text: str) -> NumberMatch | None:
    """Join "1 1/2" into one mixed number when the parts allow it."""
    if first.fraction or first.decimal or first.percent or not first.value.is_Integer:
        return None
    if not second.fraction or second.percent or second.text[:1] in "+-$€£":
        return None
    if not 0 < second.value < 1 or "." in second.text:
        return None
    if _MIXED_GAP.fullmatch(text[first.end : second.start]) is None:
        return None
    value = first.value + second.value if first.value >= 0 else first.value - second.value
    return NumberMatch(
        first.start,
        second.end,
        text[first.start : second.end],
        sympy.Rational(value),
        fraction=True,
        coefficient=second.coefficient,
    )


def find_numbers(text: str) -> list[NumberMatch]:
    """List the numbers written in cleaned ``text``, in order."""
    found = [m for m in map(lambda mt: _number(mt, text), _NUMBER_RE.finditer(text)) if m]
    merged: list[NumberMatch] = []
    for match in found:
        mixed = _merge_mixed(merged[-1], match, text) if merged else None
        if mixed is not None:
            merged[-1] = mixed
        else:
            merged.append(match)
    return merged


def _is_math_word(word: str, letters: frozenset[str]) -> bool:
    return set(word.replace("sqrt", "")) <= letters


def _trim(text: str) -> str:
    """Strip dangling operators and unbalanced outer parentheses from ``text``."""
    start, end = 0, len(text)
    opens, closes = text.count("("), text.count(")")
    while start < end:
        if text[start] in _LEADING_JUNK:
            start += 1
        elif text[start] == "(" and opens > closes:
            start, opens = start + 1, opens - 1
        elif text[end - 1] in _OPERATOR_EDGES:
            end -= 1
        elif text[end - 1] == "(":  # "x = 3 (I think)": an aside opens after the math
            end, opens = end - 1, opens - 1
        elif text[end - 1] == ")" and closes > opens:
            end, closes = end - 1, closes - 1
        elif text[start] == "(" and text[end - 1] == ")" and _wraps(text, start, end):
            start, end = start + 1, end - 1
        else:
            break
    return text[start:end]


def _wraps(text: str, start: int, end: int) -> bool:
    """Return True if the parenthesis at ``start`` closes at ``end - 1``."""
    depth = 0
    for index in range(start, end):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index == end - 1
    return False


def find_math_spans(text: str, letters: frozenset[str]) -> list[MathSpan]:
    """List runs of math in cleaned ``text``; only words made of ``letters`` count as math."""
    spans: list[MathSpan] = []
    i, n, start = 0, len(text), 0
    while i < n:
        ch = text[i]
        if ch.isalpha():
            end = i
            while end < n and text[end].isalpha():
                end += 1
            if not _is_math_word(text[i:end], letters):
                _add_span(spans, text, start, i)
                start = end
            i = end
        elif ch.isdigit() or ch in _MATH_PUNCT or (ch == "." and text[i + 1 : i + 2].isdigit()):
            i += 1
        else:
            _add_span(spans, text, start, i)
            i += 1
            start = i
    _add_span(spans, text, start, n)
    return spans


def _add_span(spans: list[MathSpan], text: str, start: int, end: int) -> None:
    if end - start > 2 * MAX_SPAN_LENGTH:
        return
    chunk = text[start:end]
    offset = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    sides = tuple(t for t in (_trim(side.strip()) for side in chunk.split("=")) if t)
    if sides and len(chunk) <= MAX_SPAN_LENGTH and any(ch.isalnum() for ch in chunk):
        spans.append(MathSpan(start + offset, start + offset + len(chunk), chunk, sides))


def as_written(found: str, text: str) -> str:
    """``found`` (read from ``text`` casefolded) as the learner wrote it: "A", not "a".

    Spaces are collapsed; ``found`` itself when it cannot be told apart in ``text``.
    """
    words = found.split()
    if not words:
        return found
    said = " ".join(text.split())
    match = re.search(r"\s+".join(map(re.escape, words)), said, re.IGNORECASE)
    return match.group(0) if match else found
