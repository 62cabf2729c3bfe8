"""Authored regexes that could backtrack for minutes are refused by the content check."""

from __future__ import annotations

import pytest

from bot.content.loader import check_content
from bot.content.patterns import MAX_PATTERN_CHARS, MAX_QUANTIFIERS, regex_problem
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [
        ("^(a+)+$", "quantifier inside a repeated group"),
        ("(a*)*", "quantifier inside a repeated group"),
        (r"^(\w+\s?)*$", "quantifier inside a repeated group"),
        ("(?:a?){30}a{30}", "quantifier inside a repeated group"),
        ("((a+)b)+", "quantifier inside a repeated group"),
        ("(?=(a+)+)b", "quantifier inside a repeated group"),
        ("(a|aa)+", "alternatives can start alike"),
        ("(A|ab)+", "alternatives can start alike"),
        ("(x|)+", "alternatives can start alike"),
        (r"(\d|[0-9]x)*", "alternatives can start alike"),
        (r"(a)(\1)+", "back-reference"),
        ("a?" * 21 + "a" * 21, f"more than {MAX_QUANTIFIERS} quantifiers"),
        ("(a", "invalid regular expression"),
        ("a{2,1}", "invalid regular expression"),
        ("x" * (MAX_PATTERN_CHARS + 1), f"longer than {MAX_PATTERN_CHARS}"),
    ],
)
def test_risky_or_invalid_patterns_are_refused(pattern: str, reason: str) -> None:
    problem = regex_problem(pattern)
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(
    "pattern",
    [
        r"^\s*b",
        r"^\s*(for\s+i\s+in\s+)?range\(\s*1\s*,\s*(6|5\s*\+\s*1)\s*\)\s*:?\s*$",
        r"\blcd\b|(common|same)\s+(denominator|bottom)|denominators?\s+(\w+\s+){0,3}(same|match)",
        r"(^|[^=!<>])=\s*10",
        "(cat|dog)+",
        "(a|b|[c-e])+",
        r"(\d{2})+",
        "(?:ab)*c",
        "a+b*c?",
    ],
)
def test_ordinary_patterns_pass(pattern: str) -> None:
    assert regex_problem(pattern) is None


def test_every_regex_grading_would_use_is_checked_at_its_line() -> None:
    folder = FIXTURES / "catastrophic-pattern"
    _, problems = check_content([folder])
    found = {p.line: p.message for p in problems}
    assert sorted(found) == [15, 28, 45, 47, 49, 62]
    assert "'^(a+)+$' has a quantifier inside a repeated group" in found[15]
    assert "'^(ba|b)+$' repeats a choice" in found[28]
    assert "'^(c|ca)+t$'" in found[45]  # an accept entry of the pattern checker
    assert "'^(\\\\w*\\\\s*)*$'" in found[47]  # a misconception answer read as a regex
    assert "'(x+)+'" in found[49] and "(for w=x+)" in found[49]  # unsafe once filled in
    assert "invalid regular expression '^(dog$'" in found[62]
