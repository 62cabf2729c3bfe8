"""The grader on the worked-solution corpus: at least 99% right, and better than naive."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.learning.grading_corpus.corpus import (
    VERDICTS,
    Item,
    load,
    misread,
    naive,
    ours,
    score,
)

GOAL = 0.99


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return load()


def test_the_corpus_is_large_varied_and_well_formed(items: list[Item]) -> None:
    assert len(items) >= 300
    assert len({item.id for item in items}) == len(items)
    assert {item.expect for item in items} <= set(VERDICTS)
    verdicts = Counter(item.expect for item in items)
    assert all(verdicts[v] >= 10 for v in VERDICTS)
    checkers = Counter(item.key.checker for item in items)
    assert {"numeric", "expression", "exact", "choice"} <= set(checkers)
    tags = Counter(tag for item in items for tag in item.tags)
    for tag in (
        "worked",
        "final",
        "negation",
        "hedge",
        "words",
        "units",
        "percent",
        "accent",
        "division",
        "sentence",
        "question",
        "context",
        "reason",
    ):
        assert tags[tag] >= 5, tag
    languages = {item.key.language for item in items}
    assert {"en", "es", "fr", "de", "pt", "it"} <= languages


def test_our_grader_is_right_on_99_percent_of_right_and_of_wrong_replies(
    items: list[Item],
) -> None:
    result = score(items, ours)
    assert result.right >= GOAL, result
    assert result.wrong >= GOAL, result


def test_full_verdicts_hedged_and_no_answer_included_are_99_percent_right(
    items: list[Item],
) -> None:
    assert 1 - len(misread(items)) / len(items) >= GOAL


def test_our_grader_beats_the_naive_last_number_rule(items: list[Item]) -> None:
    ours_score, naive_score = score(items, ours), score(items, naive)
    assert ours_score.right > naive_score.right
    assert ours_score.wrong > naive_score.wrong
    numeric = [item for item in items if item.key.checker == "numeric"]
    assert score(numeric, ours).overall > score(numeric, naive).overall


def test_the_naive_rule_is_measured_not_assumed(items: list[Item]) -> None:
    # The baseline must get the plain cases right, or beating it proves nothing.
    plain = [i for i in items if i.key.checker == "numeric" and i.reply.strip() == i.key.answer]
    assert plain and all(naive(item) for item in plain)
