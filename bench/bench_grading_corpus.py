"""Grade the worked-solution corpus: our grader against the naive "last number" rule.

Prints, for right replies and for wrong ones (wrong, hedged, or no answer at all), the
share each grader gets right; the same on the numeric items alone, where the naive rule
is at its best; the share of full verdicts (hedged, no answer...) ours gets exactly; the
items it misreads; and how fast it grades. Accuracy is deterministic: the test suite
asserts it (tests/learning/test_grading_corpus.py); this prints it.
Run: python bench/bench_grading_corpus.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.learning.grading import grade_answer  # noqa: E402
from tests.learning.grading_corpus.corpus import (  # noqa: E402
    Score,
    load,
    misread,
    naive,
    ours,
    score,
)


def line(name: str, result: Score) -> str:
    """Format one grader's figures."""
    return (
        f"  {name:<6} right {result.right:6.1%} ({result.right_ok}/{result.right_total})"
        f"   wrong {result.wrong:6.1%} ({result.wrong_ok}/{result.wrong_total})"
        f"   overall {result.overall:6.1%}"
    )


def main() -> None:
    """Print the corpus figures."""
    items = load()
    numeric = [i for i in items if i.key.checker == "numeric"]
    print(f"grading corpus: {len(items)} replies ({len(numeric)} with a numeric key)")
    print("all items")
    print(line("ours", score(items, ours)))
    print(line("naive", score(items, naive)))
    print("numeric keys only")
    print(line("ours", score(numeric, ours)))
    print(line("naive", score(numeric, naive)))
    missed = misread(items)
    exact = 1 - len(missed) / len(items)
    print(f"full verdict (correct/accent/wrong/hedged/none) exactly right: {exact:.1%}")
    for item, got in missed:
        print(f"  misread {item.id}: expected {item.expect}, graded {got}: {item.reply!r}")
    start = time.perf_counter()
    rounds = 5
    for _ in range(rounds):
        for item in items:
            grade_answer(item.key, item.reply)
    elapsed = time.perf_counter() - start
    print(f"speed: {rounds * len(items) / elapsed:,.0f} replies/s in one process")


if __name__ == "__main__":
    main()
