"""Read a learner's message against the conversation: its act, and replies to our questions."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.content.rendering import RenderedExercise, RenderedMisconception
from bot.dialogue import moves
from bot.dialogue.intents import Intent, classify, is_chitchat
from bot.dialogue.mentions import asks_with, fold, mentions_any, takes_up
from bot.dialogue.state import DialogueState
from bot.learning.answer_text import is_one_number
from bot.learning.grading import Grader, grade_answer
from bot.learning.language_cues import cues_for
from bot.learning.ratios import ratios_in
from bot.learning.reply_numbers import reply_numbers

_NUMBER_CHECKERS = {"numeric", "expression"}
_TRUE_OR_FALSE = frozenset({"true", "false", "vrai", "faux", "verdadero", "falso", "wahr"})
_TYPED_CHECKERS = {"exact", "numeric", "expression"}  # answers typed out, not options picked
HINT_ASKED = "hint"  # `DialogueState.asked` after a hint put as a question
# Words that go around an answer without saying anything about the question asked.
_ANSWER_FILLER = {
    "is",
    "it",
    "its",
    "it's",
    "the",
    "answer",
    "answers",
    "so",
    "then",
    "that",
    "think",
    "get",
    "got",
    "my",
    "final",
    "equals",
    "makes",
    "and",
    "or",
    "maybe",
    "guess",
    "would",
    "be",
    "oh",
    "ok",
    "okay",
    "hmm",
    "wait",
    "right",
    "sorry",
    "i",
    "now",
    "this",
    "time",
    "try",
    "again",
    "actually",
    "sure",
    "pretty",
    "instead",
    "should",
    "definitely",
}


def read_intent(exercise: RenderedExercise, text: str) -> Intent:
    """Read a message's dialogue act; 'yes', 'ok' or 'I don't know' may be an answer.

    It is where the answer is such a word, or one of the options or accepted forms is
    ("Is 7 prime?" "yes"; "Say 'I don't know' in Spanish" "no sé"); to "Conjugate comer
    for yo" a "yes" is no attempt.
    """
    intent = classify(text)
    key = exercise.key
    if intent == "chitchat" and key.checker not in _NUMBER_CHECKERS:
        if (
            is_chitchat(key.answer)
            or fold(key.answer) in _TRUE_OR_FALSE
            or any(fold(text) == fold(form) for form in (key.answer, *key.accept, *key.choices))
        ):
            return "answer"
    if intent == "dont_know" and key.checker not in _NUMBER_CHECKERS:
        if grade_answer(key, text).correct:  # "Say 'I don't know' in Spanish." "no sé"
            return "answer"
    return intent


def asked(
    state: DialogueState, question: str | None, misconception: int | None = None
) -> DialogueState:
    """Remember the tutor's question (None: the last reply asked for the answer itself)."""
    return replace(state, asked=question, asked_misconception=misconception)


def reply_to_question(
    exercise: RenderedExercise,
    state: DialogueState,
    text: str,
    candidate: str | None,
    grader: Grader,
) -> moves.ReplyHeard | None:
    """Read a message after a targeted or re-check question as a reply to that question.

    It is a reply (no attempt counted) when it says what the question was after, or when
    it carries no answer of its own to the problem. None: grade it as an answer.
    """
    misconception = asked_misconception(exercise, state)
    if misconception is not None and grader(misconception.key, text).correct:
        return None  # the same mistake again: that is an attempt
    heard = reply_heard(exercise, state, text)
    if candidate is not None and number_reply(exercise, state, text, candidate, grader):
        return heard
    if state.asked == HINT_ASKED:
        # A hint asks on the way to the answer: a yes, a number of another shape, or
        # words that take up the hint's own words reply to it; anything else is read as
        # it would be without the question.
        hint = (
            exercise.hints[state.hint_rung - 1]
            if 0 < state.hint_rung <= len(exercise.hints)
            else ""
        )
        if yes_or_no(exercise, text) or not_this_answers_shape(exercise, text):
            return heard
        return heard if candidate is None and takes_up(text, hint) else None
    if heard.expected or yes_or_no(exercise, text) or not_this_answers_shape(exercise, text):
        return heard
    question = question_asked(exercise, state)
    if question and (candidate is None or not number_answer(exercise)) and takes_up(text, question):
        # "Is it what Madrid is, or where it is?" "where it is": a reply in its own words.
        return heard
    if _TELLS_HOW.match(fold(text)):
        # "I just guessed", "I did 12 + 16 + 12", "because it's the biggest": how the last
        # answer came about, which is what a re-check question asks.
        return heard
    if question and candidate is not None and not number_answer(exercise):
        if asks_to_name(question, exercise.key.language):
            # "« êtes » va avec quel pronom ?" "vous": the thing asked for, not an attempt.
            return heard
    if candidate is not None and mostly_answer(text, candidate):
        return None
    return heard


# A reply that tells how the last answer came about: "I just guessed", "I did 12 + 16",
# "because it's the biggest city". "I guess it's Perth" or "I got 44" give a new answer.
_TELLS_HOW = re.compile(
    r"^\W*(?:(?:well|so|um+|uh+|ok|okay|hmm+)[\s,]+)?"
    r"(?:i\s+(?:just\s+|only\s+|first\s+|then\s+|basically\s+|kind\s+of\s+)?"
    r"(?:guessed|thought|remembered|did|used|tried|added|multiplied|divided|subtracted|took|"
    r"counted|listed|looked|forgot|assumed|figured|worked|mixed|read|picked|chose|started|"
    r"wrote|confused|misread)\b|(?:because|since|cause|cuz|coz)\b|my\s+first\s+step\b)"
)
# "yes", "no", "yes I did", "I think so": what a question of ours may get back.
_YES_NO = re.compile(
    r"^(\W*\b(yes|yeah|yep|yup|yea|ya|sure|of\s+course|definitely|correct|right|true|"
    r"no|nope|nah|not\s+really|i\s+(did|do|have|had|was|think\s+so|guess\s+so|checked|tried)|"
    r"(i\s+)?(did|do|have|had|was)\s*n[o']?t|i\s+don'?t\s+think\s+so|i\s+checked|it\s+(is|was)|"
    r"it\s+is\s*n[o']?t|that'?s\s+(right|true|correct)|ok(ay)?|so|well|um+|hm+)\b)+\W*",
    re.IGNORECASE,
)


def number_answer(exercise: RenderedExercise) -> bool:
    """Tell whether the answer to type is one number ("4/5", "12", "0.75"), not an option."""
    key = exercise.key
    return key.checker in _TYPED_CHECKERS and is_one_number(key.answer)


def offers_no_number(exercise: RenderedExercise, text: str) -> bool:
    """Tell whether a reply to a problem whose answer is numbers has no number in it.

    Such a reply cannot be an attempt at the answer, whatever checker grades it: "I
    subtracted both sides" is words about the problem, not a wrong "4/5", and "oh, the
    stop is left out" or "the same list" no wrong guess at what a program prints ("2\n3",
    "[2, 7, 11]").
    """
    key = exercise.key
    if key.checker not in _TYPED_CHECKERS or not _only_numbers(key.answer):
        return False
    return not reply_numbers(text, key.language)


def _only_numbers(answer: str) -> bool:
    """Tell whether an answer is numbers and punctuation alone: "4/5", "2\n3", "[2, 7]"."""
    lines = answer.strip().splitlines()
    if lines and all(is_one_number(line) for line in lines):
        return True
    return any(ch.isdigit() for ch in answer) and not re.search(r"[^\W\d_]", answer)


def yes_or_no(exercise: RenderedExercise, text: str) -> bool:
    """Tell whether a message is a yes or a no to our question, with no answer in it.

    After "Is there a number that divides both 4 and 28?", "yes I did" says yes; "no, it's
    2/7" and "yes, 4" carry more than that, and are read on (see `not_this_answers_shape`).
    """
    said = _YES_NO.match(text.strip())
    if said is None:
        return False
    rest = text.strip()[said.end() :]
    if any(ch.isdigit() for ch in rest):
        return False
    # A number answer is not in words; a word answer may be, so words after a yes count.
    return not rest or any(ch.isdigit() for ch in exercise.key.answer)


def _whole_numbers(text: str, language: str) -> bool:
    """Tell whether a text has numbers and all of them are whole, as counts are.

    A ratio ("1:3") is not: it is an answer of its own.
    """
    numbers = ratios_in(reply_numbers(text, language), text, clocks=False)
    return bool(numbers) and all(
        n.value.is_Integer and not (n.fraction or n.decimal or n.percent or n.ratio)
        for n in numbers
    )


def not_this_answers_shape(exercise: RenderedExercise, text: str) -> bool:
    """Tell whether the numbers in a reply cannot be meant as this problem's answer.

    Whole numbers only, when the answer is a fraction or a decimal, reply to our question
    ("which number divides both?" "4"; "I took 3 from both sides"); they are not an
    attempt at "write 4/28 in its simplest form". Only read after a question of ours.
    """
    answer = exercise.key.answer.strip()
    if not number_answer(exercise) or not ("/" in answer or "." in answer or "," in answer):
        return False
    return _whole_numbers(text, exercise.key.language)


# "nums.push(4);", "len(xs)", "xs[0]": an answer that is code, not math ("x = 3").
_CALL_OR_INDEX = re.compile(r"[^\W\d]\w*\s*[(\[]|[^\W\d]\w*\.[^\W\d]|;\s*$")
# What code is written with: a reply with none of these is words about code.
_CODE_MARKS = re.compile(r"[()=*+/<>\[\]{}:`\"]|\n")


def code_in_words(exercise: RenderedExercise, text: str) -> bool:
    """Tell whether a reply tells a change to code in words where code is asked for.

    "use return instead of print" for a line to rewrite: the tutor asks for the line.
    """
    # Code to write is graded by a pattern; an exact answer to code is what it prints. The
    # prompt shows code in a block, or inline (`nums`) with an answer that calls or indexes.
    if exercise.key.checker != "pattern" or not (
        "```" in exercise.prompt
        or ("`" in exercise.prompt and _CALL_OR_INDEX.search(exercise.key.answer))
    ):
        return False
    if _CODE_MARKS.search(text) or text.rstrip().endswith("?"):
        return False
    return len(re.findall(r"[^\W\d_]{2,}", text)) >= 3


def describes_a_step(exercise: RenderedExercise, text: str) -> bool:
    """Tell whether a message tells a step in words, with no number of the answer's kind.

    "I divided both by 4", for 16/20 in its simplest form: the tutor asks what that gives.
    A bare "4" is still an attempt.
    """
    if not not_this_answers_shape(exercise, text):
        return False
    words = [w for w in re.findall(r"[^\W\d_]{2,}", fold(text)) if w not in _ANSWER_FILLER]
    return len(words) >= 2


# Doing something to the numbers, as a step is told ("subtract 5 first", "divide by 3").
_OPERATION = re.compile(
    r"\b(subtract\w*|add|added|adding|divid\w*|multipl\w*|take\s+away|took\s+away|"
    r"cancel\w*|undo|undid|undoing|isolat\w*|rest[ae]\w*|sum[ae]\w*|divi[dr]\w*|"
    r"multiplic\w*|soustr\w*|ajout\w*|subtrah\w*|addier\w*|teil\w*|sottra\w*)\b"
    r"|^\W*(?:(?:so|ok|okay|then|and|just|it's|its)\s+)*(?:times|by)\b"
)


def names_an_operation(text: str) -> bool:
    """Tell whether a message names an operation and writes no equation: a step in words."""
    return "=" not in text and _OPERATION.search(fold(text)) is not None


def asked_misconception(
    exercise: RenderedExercise, state: DialogueState
) -> RenderedMisconception | None:
    """The misconception the tutor's last (targeted) question was about, if any."""
    index = state.asked_misconception
    if isinstance(index, int) and 0 <= index < len(exercise.misconceptions):
        return exercise.misconceptions[index]
    return None


def question_asked(exercise: RenderedExercise, state: DialogueState) -> str | None:
    """The targeted question or hint the learner may be replying to, if that was the last."""
    if state.asked == HINT_ASKED and 0 < state.hint_rung <= len(exercise.hints):
        return exercise.hints[state.hint_rung - 1]
    misconception = asked_misconception(exercise, state)
    return misconception.question if misconception is not None else None


def asks_for_a_number(question: str, language: str) -> bool:
    """Tell whether a question of ours asks for a number ("How many atoms are there?")."""
    return asks_with(question, cues_for(language).number_questions)


def asks_to_name(question: str, language: str) -> bool:
    """Tell whether a question of ours asks to name a thing ("quel pronom ?", "Which city?").

    An either-or question ("what Madrid is, or where it is?") asks to pick one of its own
    alternatives instead: a reply to it takes up its words (see ``takes_up``).
    """
    cues = cues_for(language)
    either_or = asks_with(question, [h for h in cues.hedges if h.isalpha()])
    return not either_or and asks_with(question, cues.naming_questions)


def mistaken(exercise: RenderedExercise, text: str, grader: Grader) -> bool:
    """Tell whether a message gives the answer of one of the exercise's misconceptions."""
    return any(grader(m.key, text).correct for m in exercise.misconceptions)


def number_reply(
    exercise: RenderedExercise, state: DialogueState, text: str, candidate: str, grader: Grader
) -> bool:
    """Tell whether a wrong number answers the number our last question asked for.

    To "How many hydrogen atoms does H2O have?", "two" is a reply, not a wrong molar mass,
    and so is any reply whose numbers are all the question's own ("is 2/3 the same as
    1/2?" "no, 2/3 is bigger").
    Counts are whole: a fraction after "How many twelfths is 1/3?" is still an attempt, as
    are a known mistake ("32") and a number sent after any other question. Called for
    replies that were not right: a right answer is taken before.
    """
    question = question_asked(exercise, state)
    if question is None or mistaken(exercise, text, grader):
        return False
    language = exercise.key.language
    if _numbers_of(text, question, language):
        return True  # "no, 2/3 is smaller": the question's own numbers, talked about
    return (
        asks_for_a_number(question, language)
        and _whole_numbers(text, language)
        and mostly_answer(text, candidate)
    )


def _numbers_of(text: str, question: str, language: str) -> bool:
    """Tell whether a reply has numbers and every one of them is in our question."""
    said = reply_numbers(text, language)
    asked = {n.value for n in reply_numbers(question, language)}
    return bool(said) and all(n.value in asked for n in said)


def reply_heard(exercise: RenderedExercise, state: DialogueState, text: str) -> moves.ReplyHeard:
    """Take a message as a reply to the tutor's question: did it say what it was after?"""
    misconception = asked_misconception(exercise, state)
    if misconception is None:
        return moves.ReplyHeard(expected=False, misconception=None, heard=state.heard)
    expected = mentions_any(text, misconception.expects)
    return moves.ReplyHeard(expected=expected, misconception=misconception.name, heard=state.heard)


def heard(state: DialogueState) -> DialogueState:
    """The state after a reply to the tutor's question was taken: nothing asked any more."""
    return replace(asked(state, None), heard=state.heard + 1)


def mostly_answer(text: str, candidate: str) -> bool:
    """Return True if the message is an answer rather than words about the question."""
    rest = fold(text).replace(fold(candidate), " ")
    words = [w for w in re.findall(r"[^\W\d_]{2,}", rest) if w not in _ANSWER_FILLER]
    return len(words) <= 2
