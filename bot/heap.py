"""Garbage collection for a long-running bot with many learners at once.

What start-up builds (the catalog, its rendered variants, sympy, the database layer) lives
as long as the process. Left among the collector's objects, every full collection walks
it again, and those walks were the longest pauses a turn met under load
(`bench/bench_engine.py`: p99 beyond the wording delay about 60 ms with the defaults,
about 15 ms once settled). So once start-up is done, it is collected once and frozen
out of later collections, and young collections run less often.
"""

from __future__ import annotations

import gc
from typing import Final

__all__ = ["YOUNG_THRESHOLD", "settle_heap"]

YOUNG_THRESHOLD: Final = 10_000  # allocations between young collections (Python: 700)


_settled = False


def settle_heap() -> None:
    """Collect once and freeze what start-up built; make young collections less frequent.

    Once per process: a process that starts the bot again (tests do) keeps its first
    settling, so what later runs leave behind is still collected.
    """
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
