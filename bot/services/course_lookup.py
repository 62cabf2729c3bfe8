"""Find the course a learner means: its id, a unique start of it, or words of its title."""

from __future__ import annotations

import re

from bot.content.catalog import Catalog, Course
from bot.learning.answer_text import fold


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def find_course(catalog: Catalog, query: str) -> tuple[Course | None, list[Course]]:
    """Return the one course ``query`` names, or None and the courses it could mean."""
    wanted = query.strip().casefold()
    if not wanted:
        return None, []
    exact = catalog.get(wanted)
    if exact is not None:
        return exact, []
    courses = list(catalog.courses.values())
    named = [c for c in courses if c.shown_id == wanted]  # an uploaded course, by its author's id
    if len(named) == 1:
        return named[0], []
    by_prefix = [c for c in courses if c.shown_id.startswith(wanted)]
    if len(by_prefix) == 1:
        return by_prefix[0], []
    words = _words(wanted)
    by_words = [
        c
        for c in courses
        if words
        and all(any(w.startswith(q) for w in _words(f"{c.shown_id} {c.title}")) for q in words)
    ]
    if len(by_words) == 1:
        return by_words[0], []
    return None, by_prefix or by_words
