"""A worksheet becomes a draft course that passes the one checker, through the library and CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from bot.cli import app
from bot.content.catalog import Catalog
from bot.content.loader import check_content_report
from bot.content.models import ProblemExercise, ReflectionExercise
from bot.content.uploads import write_course_files
from bot.content.worksheet_import import (
    WorksheetError,
    import_worksheet,
    parse_worksheet,
    unnumbered,
    worksheet_text,
)

WORKSHEET = """\
# Fractions warm-up

Work through these before Thursday's class.

## Adding fractions

1. What is 1/3 + 1/4?
   Answer: 7/12
2. Explain why you need a common denominator to add fractions.
3. What is 6 × 7? (Answer: 42)

## Equations

1. Solve 3x + 2 = 11.
   Answer: x = 3
2. Which is bigger?
   a) 2/3
   b) 3/5
   Answer: a
3. Who could you ask for help when you get stuck?
4. List three places you see fractions in daily life.

## Looking back

- What was the hardest part of this worksheet?
- What is the capital of France? Answer: Paris
- What is a fraction? Answer: a number that names equal parts of a whole
"""

PLAIN = """\
Part 1: Your week
1) What went well this week?
2) By when will you finish the report?

Part 2: Next steps
3) What will you do first on Monday?
"""


def checked(tmp_path: Path, files: dict[str, str]) -> tuple[Catalog, list[str]]:
    """Write a draft and run the checker `tutor content check` runs on it."""
    folder = tmp_path / "draft"
    write_course_files(folder, files)
    catalog, problems = check_content_report([folder])
    return catalog, [str(p) for p in problems]


def test_a_worksheet_with_headings_becomes_a_course_that_passes_the_checker(
    tmp_path: Path,
) -> None:
    draft = import_worksheet(WORKSHEET)
    assert draft.course_id == "fractions-warm-up"
    assert (draft.skills, draft.exercises) == (3, 10)
    catalog, problems = checked(tmp_path, draft.files)
    assert problems == []
    course = catalog.courses["fractions-warm-up"]
    assert course.title == "Fractions warm-up"
    assert course.description == "Work through these before Thursday's class."
    assert course.skill_order() == ["adding-fractions", "equations", "looking-back"]
    assert course.skills["equations"].prerequisites == ["adding-fractions"]
    assert course.skills["looking-back"].prerequisites == ["equations"]
    kinds = {e.id: (e.kind, getattr(e, "checker", None)) for e in course.exercises.values()}
    assert kinds["what-is-1-3-1-4"] == ("problem", "numeric")
    assert kinds["what-is-6-7"] == ("problem", "numeric")
    assert kinds["solve-3x-2-11"] == ("problem", "expression")
    assert kinds["which-is-bigger"] == ("problem", "choice")
    assert kinds["what-is-the-capital-of-france"] == ("problem", "exact")
    assert kinds["explain-why-you-need-a-common"] == ("reflection", None)
    assert kinds["what-is-a-fraction"] == ("reflection", None)


def test_answers_and_options_are_read_where_worksheets_put_them() -> None:
    sheet = parse_worksheet(WORKSHEET)
    first, _, inline = sheet.sections[0].questions
    assert (first.text, first.answer) == ("What is 1/3 + 1/4?", "7/12")
    assert (inline.text, inline.answer) == ("What is 6 × 7?", "42")
    choice = sheet.sections[1].questions[1]
    assert (choice.choices, choice.answer) == (["2/3", "3/5"], "a")
    draft = import_worksheet(WORKSHEET)
    equations = yaml.safe_load(draft.files["02-equations.yaml"])["exercises"]
    bigger = next(e for e in equations if e["id"] == "which-is-bigger")
    assert bigger["answer"] == "2/3" and bigger["choices"] == ["2/3", "3/5"]
    # The answer is kept for the last rung only: the first two never name it.
    assert "2/3" not in bigger["hints"]["nudge"] + bigger["hints"]["specific"]
    assert "2/3" in bigger["hints"]["worked"]


def test_criteria_are_guessed_from_how_each_question_is_asked() -> None:
    draft = import_worksheet(WORKSHEET)
    equations = {e["id"]: e for e in yaml.safe_load(draft.files["02-equations.yaml"])["exercises"]}
    who = equations["who-could-you-ask-for-help-when-you-get"]["criteria"]
    assert [c["check"] for c in who] == ["names_person"]
    places = equations["list-three-places-you-see-fractions-in"]["criteria"]
    assert places[0]["check"] == "min_items" and places[0]["min"] == 3
    adding = yaml.safe_load(draft.files["01-adding-fractions.yaml"])["exercises"]
    why = next(e for e in adding if e["id"].startswith("explain-why"))["criteria"]
    assert [c["check"] for c in why] == ["min_words", "keywords"]
    assert all(c.get("probe") for c in [*who, *places, *why])


def test_a_long_answer_becomes_a_reflection_with_a_note() -> None:
    draft = import_worksheet(WORKSHEET)
    assert any("became a reflection" in note for note in draft.notes)
    assert draft.notes[0].startswith("line ")


def test_a_plain_text_worksheet_with_part_headings(tmp_path: Path) -> None:
    draft = import_worksheet(PLAIN, default_title="Weekly check-in")
    catalog, problems = checked(tmp_path, draft.files)
    assert problems == []
    course = catalog.courses["weekly-check-in"]
    assert [s.title for s in course.skills.values()] == ["Part 1: Your week", "Part 2: Next steps"]
    exercises = list(course.exercises.values())
    assert all(isinstance(e, ReflectionExercise) for e in exercises)
    by_when = next(e for e in exercises if "By when" in e.prompt)
    assert isinstance(by_when, ReflectionExercise)
    assert by_when.criteria[0].check == "has_date"
    commit = next(e for e in exercises if "Monday" in e.prompt)
    assert isinstance(commit, ReflectionExercise)
    assert commit.criteria[0].check in {"has_commitment", "has_date"}


def test_a_bare_list_of_questions_is_one_skill_named_after_the_file(tmp_path: Path) -> None:
    text = "What is 2 + 2?\nAnswer: 4\nWhat is 10 - 3?\nAnswer: 7\nWhat is 9 / 3?\nAnswer: 3\n"
    draft = import_worksheet(text, default_title="Quick sums")
    catalog, problems = checked(tmp_path, draft.files)
    assert problems == []
    course = catalog.courses["quick-sums"]
    assert list(course.skills) == ["quick-sums"]
    assert all(isinstance(e, ProblemExercise) for e in course.exercises.values())


def test_repeated_questions_get_distinct_ids(tmp_path: Path) -> None:
    text = "## Practice\n- What did you learn?\n- What did you learn?\n"
    draft = import_worksheet(text, default_title="Twice")
    catalog, problems = checked(tmp_path, draft.files)
    assert problems == []
    assert list(catalog.courses["twice"].exercises) == [
        "what-did-you-learn",
        "what-did-you-learn-2",
    ]


def test_a_worksheet_without_questions_is_refused_in_words() -> None:
    with pytest.raises(WorksheetError, match="found no questions"):
        import_worksheet("# Notes\n\nJust some notes about fractions.\n")


def test_documents_and_other_encodings_get_a_plain_sentence() -> None:
    with pytest.raises(WorksheetError, match="PDF is not supported: convert"):
        worksheet_text(b"%PDF-1.7", "sheet.pdf")
    with pytest.raises(WorksheetError, match="DOCX is not supported"):
        worksheet_text(b"PK", "sheet.docx")
    with pytest.raises(WorksheetError, match="not UTF-8"):
        worksheet_text("Qu'est-ce qu'une fraction ?".encode("latin-1") + b"\xe9", "a.txt")
    assert worksheet_text("\ufeff1. Why?".encode(), "a.md") == "1. Why?"


def test_numbering_and_bullets_are_dropped_as_the_coach_form_does() -> None:
    assert unnumbered("- Q2) Who?") == "Who?"
    assert unnumbered("(3) What next?") == "What next?"
    assert unnumbered("- [ ] Who will you call?") == "Who will you call?"


def test_the_cli_writes_the_draft_checks_it_and_says_what_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FILES_DIR", str(tmp_path / "data" / "files"))  # its cache goes there
    sheet = tmp_path / "fractions.md"
    sheet.write_text(WORKSHEET, encoding="utf-8")
    out = tmp_path / "draft"
    runner = CliRunner()
    result = runner.invoke(app, ["content", "import", str(sheet), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert f"to {out}" in result.output
    assert f"tutor content check {out}" in result.output
    assert "OK: 1 course(s), 3 skill(s), 10 exercise(s)." in result.output
    assert (out / "course.yaml").is_file()
    assert runner.invoke(app, ["content", "check", str(out)]).exit_code == 0
    again = runner.invoke(app, ["content", "import", str(sheet), "--output", str(out)])
    assert again.exit_code == 1 and "not empty" in again.output


def test_the_cli_refuses_a_pdf_with_a_sentence(tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"%PDF-1.7")
    result = CliRunner().invoke(app, ["content", "import", str(pdf), "-o", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "not supported: convert the worksheet to plain text or Markdown" in result.output
    assert not (tmp_path / "d").exists()


def test_code_units_and_braces_are_kept_whole(tmp_path: Path) -> None:
    text = """\
## Python
1. What does this print?
```python
# not a heading
print(len({1, 2}))
```
Answer: 2
2. How long is the rope? Answer: 12 cm
3. What is the speed of light in m/s? Answer: 3 x 10^8
4. What does `print(f"{a}")` show when a = 5? Answer: 5
"""
    draft = import_worksheet(text, default_title="Code")
    catalog, problems = checked(tmp_path, draft.files)
    assert problems == []
    exercises = list(catalog.courses["code"].exercises.values())
    assert [e.kind for e in exercises] == ["problem", "problem", "problem", "reflection"]
    assert exercises[0].id == "what-does-this-print"
    assert "# not a heading\nprint(len({1, 2}))\n```" in exercises[0].prompt
    assert [getattr(e, "checker", None) for e in exercises[:3]] == ["numeric"] * 3
    assert any("template fields" in note for note in draft.notes)
