"""Load the grading corpus and score a grader on it: ours, and the naive last-number rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.learning.answer_text import clean_text, find_numbers, normalise_text
from bot.learning.grading import AnswerKey, Grade, grade_answer
from bot.learning.mathequiv import answer_sides, solved_values

CORPUS = Path(__file__).with_name("worked_solutions.yaml")
VERDICTS = ("correct", "accent", "wrong", "hedged", "none")
RIGHT = frozenset({"correct", "accent"})


@dataclass(frozen=True)
class Item:
    """One learner reply with the verdict a careful tutor gives it."""

    id: str
    problem: str
    key: AnswerKey
    reply: str
    expect: str
    tags: tuple[str, ...]

    @property
    def right(self) -> bool:
        """Return True if the reply answers the problem correctly."""
        return self.expect in RIGHT


def load(path: Path = CORPUS) -> list[Item]:
    """Read every item of the corpus."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = []
    for raw in data["items"]:
        key = raw["key"]
        items.append(
            Item(
                id=raw["id"],
                problem=raw["problem"],
                key=AnswerKey(
                    checker=key["checker"],
                    answer=str(key["answer"]),
                    accept=tuple(str(a) for a in key.get("accept", ())),
                    tolerance=float(key.get("tolerance", 0.0)),
                    choices=tuple(str(c) for c in key.get("choices", ())),
                    language=key.get("language", "en"),
                    strict_accents=bool(key.get("strict_accents", False)),
                ),
                reply=str(raw["reply"]),
                expect=raw["expect"],
                tags=tuple(raw.get("tags", ())),
            )
        )
    return items


def verdict(grade: Grade) -> str:
    """Name a grade the way the corpus names verdicts."""
    if grade.correct and not grade.hedged:
        return "accent" if grade.accent_only else "correct"
    if grade.hedged:
        return "hedged"
    return "none" if grade.candidate is None else "wrong"


def naive_correct(key: AnswerKey, reply: str) -> bool:
    """The naive rule: the last number of the reply equals the key's value.

    Keys without a number (text, choices, symbolic expressions) fall back to comparing the
    whole normalised reply with the answer, which is all such a rule can do.
    """
    values = []
    for answer in (key.answer, *key.accept):
        numbers = find_numbers(clean_text(answer))
        if key.checker == "numeric" and numbers:
            values.append(numbers[-1].value)
        elif key.checker == "expression":
            sides = answer_sides(clean_text(answer))
            values += [v for v in solved_values(sides) if v.is_Rational] if sides else []
    if values:
        found = find_numbers(clean_text(reply))
        return bool(found) and found[-1].value in values
    return normalise_text(reply) in {normalise_text(a) for a in (key.answer, *key.accept)}


@dataclass(frozen=True)
class Score:
    """Accuracy of one grader on the right and on the wrong items."""

    right_ok: int
    right_total: int
    wrong_ok: int
    wrong_total: int

    @property
    def right(self) -> float:
        """Share of right replies graded correct."""
        return self.right_ok / self.right_total

    @property
    def wrong(self) -> float:
        """Share of wrong, hedged and empty replies graded not correct."""
        return self.wrong_ok / self.wrong_total

    @property
    def overall(self) -> float:
        """Share of all replies graded the way the corpus says."""
        return (self.right_ok + self.wrong_ok) / (self.right_total + self.wrong_total)


def score(items: list[Item], says_correct: Callable[[Item], bool]) -> Score:
    """Score a grader that says, for each item, whether the reply is correct."""
    right = [i for i in items if i.right]
    wrong = [i for i in items if not i.right]
    return Score(
        right_ok=sum(says_correct(i) for i in right),
        right_total=len(right),
        wrong_ok=sum(not says_correct(i) for i in wrong),
        wrong_total=len(wrong),
    )


def ours(item: Item) -> bool:
    """Our grader's yes/no on an item."""
    return verdict(grade_answer(item.key, item.reply)) in RIGHT


def naive(item: Item) -> bool:
    """The naive rule's yes/no on an item."""
    return naive_correct(item.key, item.reply)


def misread(items: list[Item]) -> list[tuple[Item, str]]:
    """Return the items whose full verdict (hedged, none...) our grader gets wrong."""
    found = []
    for item in items:
        got = verdict(grade_answer(item.key, item.reply))
        if got != item.expect:
            found.append((item, got))
    return found
