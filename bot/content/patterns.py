"""Vet authored regular expressions before any learner text is matched against them.

Python's regex engine backtracks: a repeated group that can match the same text in many
ways (`(a+)+`, `(a|aa)+`) takes exponential time on a reply that almost matches, so a
35-character message can hold a worker for minutes. Such patterns are refused when the
content is checked, with a sentence saying why.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse
from functools import lru_cache
from typing import Any

MAX_PATTERN_CHARS = 500
# A group repeated at most this many times may hold a quantifier: the ways to split a
# reply among a few repeats are polynomial, and a reply is at most 2000 characters.
MAX_SAFE_GROUP_REPEATS = 3
# Each optional or open-ended quantifier can double the ways to try a match (`a?a?a?aaa`).
MAX_QUANTIFIERS = 20
# A character range wider than this counts as "any character" when comparing choices.
_MAX_SET_CHARS = 256

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_NESTED = "has a quantifier inside a repeated group, such as (a+)+"
_AMBIGUOUS = "repeats a choice whose alternatives can start alike, such as (a|aa)+"
_BACKREF = "repeats a back-reference"
_MANY = f"has more than {MAX_QUANTIFIERS} quantifiers (*, +, ?, {{m,n}})"
_ADVICE = "; such a pattern can take minutes on a reply that almost matches, so rewrite it"


@lru_cache(maxsize=1024)
def regex_problem(pattern: str) -> str | None:
    """Return why an authored regex is refused (invalid, too long, too slow), or None."""
    if len(pattern) > MAX_PATTERN_CHARS:
        return f"regular expression is longer than {MAX_PATTERN_CHARS} characters"
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
        re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        return f"invalid regular expression {pattern!r}: {exc}"
    except (RecursionError, OverflowError, ValueError) as exc:
        return f"invalid regular expression {pattern!r}: {type(exc).__name__}"
    try:
        reason = _backtracking_risk(list(parsed), repeated=False)
        if reason is None and _variable_quantifiers(list(parsed)) > MAX_QUANTIFIERS:
            reason = _MANY
    except RecursionError:
        reason = "is nested too deeply"
    return f"regular expression {pattern!r} {reason}{_ADVICE}" if reason else None


def _backtracking_risk(items: list[tuple[Any, Any]], *, repeated: bool) -> str | None:
    """Find a construct that can match the same text in many ways inside a repetition."""
    for op, av in items:
        if op in _REPEATS:
            low, high, body = av
            if repeated and low != high:
                return _NESTED
            repeated_inside = repeated or high > MAX_SAFE_GROUP_REPEATS
            found = _backtracking_risk(list(body), repeated=repeated_inside)
            if found:
                return found
            continue
        if repeated and op is sre.GROUPREF:
            return _BACKREF
        if repeated and op is sre.BRANCH and _alternatives_overlap(_children(op, av)):
            return _AMBIGUOUS
        for child in _children(op, av):
            found = _backtracking_risk(child, repeated=repeated)
            if found:
                return found
    return None


def _variable_quantifiers(items: list[tuple[Any, Any]]) -> int:
    """Count the quantifiers that can match a varying number of times."""
    count = 0
    for op, av in items:
        if op in _REPEATS and av[0] != av[1]:
            count += 1
        count += sum(_variable_quantifiers(child) for child in _children(op, av))
    return count


def _children(op: Any, av: Any) -> list[list[tuple[Any, Any]]]:
    """The sub-patterns directly inside one parsed item."""
    if op in _REPEATS:
        return [list(av[2])]
    if op is sre.BRANCH:
        return [list(branch) for branch in av[1]]
    if op is sre.SUBPATTERN:
        return [list(av[3])]
    if op is sre.ATOMIC_GROUP:
        return [list(av)]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [list(av[1])]
    if op is sre.GROUPREF_EXISTS:
        return [list(body) for body in av[1:] if body is not None]
    return []


def _alternatives_overlap(branches: list[list[tuple[Any, Any]]]) -> bool:
    """Tell whether two alternatives may start with the same character (or match nothing)."""
    seen: set[str] = set()
    for branch in branches:
        first = _first_chars(branch)
        if first is None or first & seen:
            return True
        seen |= first
    return False


def _first_chars(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters a match can start with, lowercased; None when it could be any or none."""
    for op, av in items:
        if op is sre.AT:
            continue  # anchors such as ^ and \b match no character
        if op is sre.LITERAL:
            return frozenset({chr(av).lower()})
        if op is sre.IN:
            return _set_chars(av)
        if op is sre.SUBPATTERN:
            return _first_chars(list(av[3]))
        if op in _REPEATS and av[0] >= 1:
            return _first_chars(list(av[2]))
        return None
    return None


def _set_chars(members: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters of a class such as [a-c.], lowercased; None for wide or negated ones."""
    chars: set[str] = set()
    for op, av in members:
        if op is sre.LITERAL:
            chars.add(chr(av).lower())
        elif op is sre.RANGE and av[1] - av[0] <= _MAX_SET_CHARS:
            chars.update(chr(code).lower() for code in range(av[0], av[1] + 1))
        else:
            return None
    return frozenset(chars)
