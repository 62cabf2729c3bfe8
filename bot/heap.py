"""Garbage collection for a long-running bot with many learners at once.

What start-up builds (the catalog, its rendered variants, sympy, the database layer) lives
as long as the process. Left among the collector's objects, every full collection walks
it again, and those walks were the longest pauses a turn met under load
(`bench/bench_engine.py`: p99 beyond the wording delay 30 to 170 ms with the defaults,
10 to 20 ms once settled). So once start-up is done, it is collected once and frozen
out of later collections, and collections run less often.
"""

from __future__ import annotations

import gc
from typing import Final

__all__ = ["THRESHOLDS", "settle_heap"]

# Allocations between young collections (Python: 700), then young collections between
# middle ones (10) and middle ones between full ones (10). Under load that is still a full
# collection every few seconds; the frozen start-up objects are not in it.
THRESHOLDS: Final = (10_000, 50, 100)


_settled = False


def settle_heap() -> None:
    """Collect once and freeze what start-up built; make collections less frequent.

    Once per process: a process that starts the bot again (tests do) keeps its first
    settling, so what later runs leave behind is still collected.
    """
    global _settled
    if _settled:
        return
    _settled = True
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
