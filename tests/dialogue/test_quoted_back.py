"""A wrong text answer is quoted back as the learner typed it, not as grading folded it."""

from __future__ import annotations

from pathlib import Path

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from bot.learning.answer_text import as_written
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: keys
title: Keys
description: Keys and their relatives.
skills: [{id: keys, title: Keys}]
exercises:
  - id: relative
    kind: problem
    skill: keys
    prompt: "What is the relative minor of C major?"
    answer: "A minor"
    checker: exact
    hints:
      nudge: "The relative minor shares the key signature."
      specific: "Go down three semitones from C."
      worked: "Three semitones below C is A: the relative minor of C major is A minor."
    reflection: "Why do relative keys sound different with the same notes?"
"""


def test_a_recheck_quotes_the_learners_casing(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "relative"), ["I think it's  E Flat"])
    assert isinstance(step.move, moves.Recheck) and step.move.candidate == "E Flat"
    assert "E Flat" in offline_text(step.move)


def test_as_written_finds_the_words_whatever_their_spacing() -> None:
    assert as_written("a minor", "Hmm... A\n  Minor?") == "A Minor"
    assert as_written("straße", "STRASSE") == "straße"  # not told apart: kept as read
    assert as_written("", "A") == ""


GERMAN = """
id: german
title: German plurals
description: Plurals.
skills: [{id: plurals, title: Plurals}]
exercises:
  - id: buch
    kind: problem
    skill: plurals
    prompt: "What is the plural of 'das Buch'?"
    answer: "die Bücher"
    checker: exact
    hints:
      nudge: "Many one-syllable neuter nouns add -er."
      specific: "Add -er and put an umlaut on the vowel."
      worked: "Buch becomes Bücher, with die in the plural: die Bücher."
    reflection: "Why does the article change to die?"
"""


def test_an_umlaut_spelled_out_is_right_with_a_note(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, GERMAN, "buch"), ["die Buecher"])
    assert step.verdict == "correct" and "die Bücher" in offline_text(step.move)


def test_with_strict_accents_the_recheck_keeps_the_accents_secret(tmp_path: Path) -> None:
    strict = GERMAN.replace("checker: exact", "checker: exact\n    strict_accents: true")
    buch = inline_exercise(tmp_path, strict, "buch")
    for reply in ("die Bucher", "Die Buecher"):
        (step,) = play(buch, [reply])
        assert step.move == moves.Recheck(checker="accents", candidate=reply, attempt=0)
        said = offline_text(step.move)
        assert "Bücher" not in said and "accents" in said and reply in said
