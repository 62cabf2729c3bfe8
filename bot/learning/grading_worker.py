"""The grading worker process: receive batches of (key, text), send back their grades.

Started by the grading pool as `python -m bot.learning.grading_worker MEMORY_LIMIT`, a fresh
interpreter that imports only the grader, so a replacement starts the same way whatever
program runs the pool. Batches and grades travel as pickles over its standard input and
output; anything else the process prints goes to standard error.
"""

from __future__ import annotations

import os
import resource
import sys
from multiprocessing.connection import Connection

READY = "ready"


def main(argv: list[str]) -> None:
    """Serve batches until the pool closes the pipe."""
    memory_limit = int(argv[1]) if len(argv) > 1 else 0
    # The pipe to the pool is a copy of stdout; stdout itself now points at stderr.
    replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)
    requests = Connection(os.dup(0), writable=False)
    from bot.learning.grading import AnswerKey, grade_answer

    grade_answer(AnswerKey("expression", "x = 1"), "so x = 1")  # warm sympy's caches
    if memory_limit > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    replies.send(READY)
    while True:
        try:
            batch = requests.recv()
        except (EOFError, OSError):
            return
        try:
            replies.send([grade_answer(key, text) for key, text in batch])
        except MemoryError:
            replies.send([None] * len(batch))


if __name__ == "__main__":
    main(sys.argv)
