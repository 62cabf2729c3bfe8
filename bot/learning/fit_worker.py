"""Fit courses in a process of their own (`python -m bot.learning.fit_worker`).

Reads a pickled list of ``course_fit.CourseData`` on standard input and writes the pickled
list of ``course_fit.CourseFit`` on standard output. Only the tutor's own process talks to
it, through pipes it opened itself.
"""

from __future__ import annotations

import pickle
import sys

from bot.learning.course_fit import fit_courses


def main() -> None:
    """Fit what came in; write what was found."""
    courses = pickle.load(sys.stdin.buffer)
    pickle.dump(fit_courses(courses), sys.stdout.buffer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
