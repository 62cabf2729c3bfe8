"""Safe parser for learner-typed arithmetic and algebra.

Learner text is hostile, so nothing here hands a string to ``eval``, ``sympify`` or
``parse_expr``. A hand-written tokenizer and recursive-descent parser build sympy objects
directly, with hard limits on length, nesting, exponents and number sizes so that parsing
runs in time linear in the input and never hangs.

Grammar (``^`` and ``**`` are right-associative; implicit multiplication binds like ``*``)::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary | power)*      # implicit: 2x, 3(x+1), (x+1)(x-1)
    unary  := ("+" | "-")* power
    power  := atom (("^" | "**") unary)?
    atom   := NUMBER | LETTER | "sqrt" atom | "(" expr ")"

A run of letters is one symbol per letter (``xy`` is ``x*y``) except the function name
``sqrt``. Implicit multiplication is never inferred in front of a number (``x2`` and
``2 3`` are rejected), so ``1/2x`` means ``(1/2)*x``.
"""

from __future__ import annotations

import unicodedata
from typing import Final

import sympy

__all__ = ["MathParseError", "format_number", "parse_math"]

MAX_DEPTH: Final = 30
MAX_EXPONENT: Final = 64
MAX_DEGREE: Final = 4 * MAX_EXPONENT
MAX_DIGITS: Final = 30
MAX_BITS: Final = 2048

_FUNCTIONS: Final = ("sqrt",)
_DIGITS: Final = "0123456789"
_OPERATORS: Final = "+-*/^()"
# Applied before NFKC, which would turn superscripts into plain digits.
_PRE_NFKC: Final = {"²": "^2", "³": "^3", "√": " sqrt "}
_CHAR_MAP: Final = str.maketrans(
    {"−": "-", "–": "-", "‐": "-", "×": "*", "·": "*", "⋅": "*", "∗": "*", "÷": "/"}
)

_Token = tuple[str, object]  # ("num", Rational) | ("sym", str) | ("func", str) | ("op", str)


class MathParseError(ValueError):
    """Raised when text is not a supported, safely sized math expression."""


def parse_math(text: str, *, max_length: int = 200) -> sympy.Expr:
    """Parse ``text`` into a sympy expression or raise MathParseError."""
    if not isinstance(text, str):
        raise MathParseError("expected a string")
    if len(text) > max_length:
        raise MathParseError("expression is too long")
    for src, dst in _PRE_NFKC.items():
        text = text.replace(src, dst)
    text = unicodedata.normalize("NFKC", text).translate(_CHAR_MAP)
    if len(text) > 2 * max_length + 16:
        raise MathParseError("expression is too long")
    tokens = _tokenize(text)
    if not tokens:
        raise MathParseError("empty expression")
    return _Parser(tokens).parse()


def format_number(value: sympy.Expr) -> str:
    """Render a rational or integer for display, e.g. ``7/12``, ``-3``, ``2``."""
    if isinstance(value, int):
        return str(value)
    if value.is_Integer:
        return str(int(value))
    if value.is_Rational:
        rational = sympy.Rational(value)
        return f"{rational.p}/{rational.q}"
    return sympy.sstr(value)


def _is_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ("\u0391" <= ch <= "\u03c9")


def _scan_digits(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] in _DIGITS:
        end += 1
    return end


def _number(whole: str, frac: str) -> sympy.Rational:
    if len(whole.lstrip("0")) > MAX_DIGITS or len(frac) > MAX_DIGITS:
        raise MathParseError("number has too many digits")
    scale = 10 ** len(frac)
    return sympy.Rational(int(whole or "0") * scale + int(frac or "0"), scale)


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            end = _scan_digits(text, i)
            whole, frac = text[i:end], ""
            if end < n and text[end] == ".":
                frac_end = _scan_digits(text, end + 1)
                frac = text[end + 1 : frac_end]
                if not frac:
                    raise MathParseError("dangling decimal point")
                end = frac_end
            tokens.append(("num", _number(whole, frac)))
            i = end
        elif _is_letter(ch):
            end = i
            while end < n and _is_letter(text[end]):
                end += 1
            tokens.extend(_letter_tokens(text[i:end]))
            i = end
        elif ch == "*" and text.startswith("**", i):
            tokens.append(("op", "^"))
            i += 2
        elif ch in _OPERATORS:
            tokens.append(("op", ch))
            i += 1
        else:
            raise MathParseError(f"unsupported character {ch!r}")
    return tokens


def _letter_tokens(run: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(run):
        name = next((f for f in _FUNCTIONS if run.startswith(f, i)), None)
        if name is not None:
            tokens.append(("func", name))
            i += len(name)
        else:
            tokens.append(("sym", run[i]))
            i += 1
    return tokens


def _check(value: sympy.Expr) -> sympy.Expr:
    """Reject results that are undefined or too large to work with safely."""
    if value.is_Rational:
        rational = sympy.Rational(value)
        if max(abs(rational.p).bit_length(), rational.q.bit_length()) > 4 * MAX_BITS:
            raise MathParseError("number is too large")
        return value
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise MathParseError("undefined value (division by zero)")
    factors = value.args if value.is_Mul else (value,)
    for factor in factors:
        if factor.is_Pow and factor.exp.is_Number and abs(factor.exp) > MAX_DEGREE:
            raise MathParseError("exponent is too large")
    return value


def _power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    if exponent.is_Number:
        if abs(exponent) > MAX_EXPONENT:
            raise MathParseError("exponent is too large")
        if base == 0 and exponent.is_negative:
            raise MathParseError("division by zero")
        if base.is_Rational:
            rational = sympy.Rational(base)
            bits = max(abs(rational.p).bit_length(), rational.q.bit_length())
            if bits * abs(exponent) > MAX_BITS:
                raise MathParseError("power is too large")
    else:
        if base == 0:
            raise MathParseError("zero to a symbolic power")
        # sympy splits b^(x+n) into b^x * b^n and computes b^n: keep every number in a
        # symbolic exponent as small as a numeric exponent may be.
        if any(abs(number) > MAX_EXPONENT for number in exponent.atoms(sympy.Rational)):
            raise MathParseError("exponent is too large")
    return _check(sympy.Pow(base, exponent))


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def parse(self) -> sympy.Expr:
        value = self.expr()
        if self.pos != len(self.tokens):
            raise MathParseError("unexpected input after the expression")
        return value

    def _peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _is_op(self, symbols: str) -> bool:
        token = self._peek()
        return token is not None and token[0] == "op" and str(token[1]) in symbols

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathParseError("expression is nested too deeply")

    def expr(self) -> sympy.Expr:
        terms = [self.term()]
        while self._is_op("+-"):
            op = self.tokens[self.pos][1]
            self.pos += 1
            term = self.term()
            terms.append(-term if op == "-" else term)
        return terms[0] if len(terms) == 1 else _check(sympy.Add(*terms))

    def term(self) -> sympy.Expr:
        factors = [self.unary()]
        while True:
            token = self._peek()
            if token is None:
                break
            if self._is_op("*/"):
                self.pos += 1
                factor = self.unary()
                if token[1] == "/":
                    if factor == 0:
                        raise MathParseError("division by zero")
                    factor = _power(factor, sympy.Integer(-1))
                factors.append(factor)
            elif token[0] in ("sym", "func") or self._is_op("("):
                factors.append(self.power())
            else:
                break
        return factors[0] if len(factors) == 1 else _check(sympy.Mul(*factors))

    def unary(self) -> sympy.Expr:
        negative = False
        while self._is_op("+-"):
            negative ^= self.tokens[self.pos][1] == "-"
            self.pos += 1
        value = self.power()
        return -value if negative else value

    def power(self) -> sympy.Expr:
        base = self.atom()
        if not self._is_op("^"):
            return base
        self.pos += 1
        self._enter()
        exponent = self.unary()
        self.depth -= 1
        return _power(base, exponent)

    def atom(self) -> sympy.Expr:
        token = self._peek()
        if token is None:
            raise MathParseError("unexpected end of expression")
        self.pos += 1
        kind, value = token
        if kind == "num":
            assert isinstance(value, sympy.Rational)
            return value
        if kind == "sym":
            return sympy.Symbol(str(value))
        if kind == "func":
            self._enter()
            argument = self.atom()
            self.depth -= 1
            return _power(argument, sympy.Rational(1, 2))
        if value == "(":
            self._enter()
            inner = self.expr()
            if not self._is_op(")"):
                raise MathParseError("missing closing parenthesis")
            self.pos += 1
            self.depth -= 1
            return inner
        raise MathParseError(f"unexpected {value!r}")
