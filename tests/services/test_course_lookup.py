"""`start fractions` finds fractions-and-equations: ids by unique start, or title words."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.services.course_lookup import find_course

CONTENT = Path(__file__).resolve().parents[2] / "content"
DEMO = Path(__file__).resolve().parent.parent / "demo_courses"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([CONTENT, DEMO])


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("fractions-and-equations", "fractions-and-equations"),
        ("fractions", "fractions-and-equations"),
        ("Python", "python-basics"),
        ("python basics", "python-basics"),
        ("coaching", "coaching-positioning"),
        ("  FRACTIONS  ", "fractions-and-equations"),
    ],
)
def test_a_course_is_found_by_id_start_or_title_words(
    catalog: Catalog, query: str, found: str
) -> None:
    course, _ = find_course(catalog, query)
    assert course is not None and course.id == found


def test_an_ambiguous_query_lists_the_courses_it_could_mean(catalog: Catalog) -> None:
    course, candidates = find_course(catalog, "demo")
    assert course is not None and course.id == "demo"  # an exact id wins
    course, candidates = find_course(catalog, "demo-")
    assert course is None
    assert {c.id for c in candidates} >= {"demo-coaching", "demo-equations"}
    assert find_course(catalog, "astronomy") == (None, [])
