"""The why-step after a correct answer: judge the explanation, follow up once, then close.

Offline, an explanation is vague when it is blank, a don't-know, a yes/ok, one word, the
answer restated or off topic, or (with authored `explanation_criteria`) mentions none of
them. The heuristics cannot tell a right explanation from a wrong one, so with a judge
every reply with words in it (not an empty message, a don't-know, a request for the
answer or small talk) is also read by the judge; a trusted judgement decides: it is
accepted when the judge finds it neither vague nor wrong, and followed up otherwise. Both
ways the engine, not the judge, picks the move.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.content.rendering import RenderedExercise
from bot.dialogue import moves, phrases
from bot.dialogue.intents import classify
from bot.dialogue.judgements import NO_JUDGE, ExplainAsk, Judgements
from bot.dialogue.mentions import asks_with, fold, mentions_any
from bot.dialogue.state import DialogueState, Step
from bot.learning.language_cues import cues_for
from bot.learning.lexicon import FILLER, FUNCTION_WORDS

CHOICES_CLOSED = ("next", "progress")
_DEFAULT_WHY = phrases.DEFAULT_REFLECTION
MIN_WORDS = 4
# Read as vague without asking a judge: nothing in them to judge.
_NOTHING_TO_JUDGE = {"empty", "dont_know", "answer_request", "chitchat"}
# What an explanation should do when the author gave no criteria.
DEFAULT_CRITERIA = ("says why the method works (a reason), not only what was done",)
# Words that mark a reason or a step, in the languages the intents know.
_REASON = re.compile(
    r"\b(because|since|so|as|therefore|thus|hence|means?|meaning|need(s|ed)?|ha(s|ve) to|must|"
    r"otherwise|if|then|when|same|both|each|every|equal|equals|divide[ds]?|multipl\w*|add\w*|"
    r"subtract\w*|simplif\w*|cancel\w*|common|first|after|undo|balance|check|works?|"
    r"porque|pues|parce|puisque|donc|weil|denn|also|perche|quindi)\b"
)
# Saying who said so, or that it is the rule, gives no reason: "because the teacher said so".
_NO_REASON = re.compile(
    r"\b(because|cause|cuz|coz)?\s*(the|my|our|a)?\s*(teacher|book|textbook|video|tutor|"
    r"internet|calculator|app|google|chatgpt|you|they|mum|mom|dad)\s+(said|says|told\s+(me|us)|"
    r"showed\s+(me|us))(\s+so)?"
    r"|\b(that'?s|it'?s|this\s+is)\s+(just\s+)?(the\s+rule|how\s+(you|we|it)\s+(do|does|did|"
    r"works?)(\s+it)?|what\s+(we|you|i)\s+(do|did|learned|learnt|were\s+taught)"
    r"(\s+(in|at)\s+(class|school|the\s+lesson))?|the\s+method|the\s+way)"
    r"|\b(because|cause)\s+(it|that)\s+(just\s+)?works"
    r"|\b(because|cause)\s+(you|we)\s+(have|need|got)\s+to(\s+do\s+(it|that))?"
    r"|\bit\s+just\s+(works|is)|\bthat'?s\s+how\s+it\s+is|\bit'?s\s+the\s+rule",
    re.IGNORECASE,
)
_STOPWORDS = {
    "what",
    "which",
    "that",
    "this",
    "with",
    "your",
    "from",
    "have",
    "into",
    "there",
    "their",
    "then",
    "than",
    "them",
    "they",
    "when",
    "does",
    "will",
    "would",
    "about",
    "give",
    "answer",
    "write",
    "form",
    "find",
    "work",
    "here",
    "both",
    "each",
    "just",
    "like",
    "make",
    "many",
}


def respond(
    exercise: RenderedExercise,
    state: DialogueState,
    text: str,
    judgements: Judgements = NO_JUDGE,
) -> Step:
    """Take the learner's explanation of why their answer works."""
    vague, missing = is_vague(exercise, text), ""
    if judgements.active and classify(text) not in _NOTHING_TO_JUDGE:
        judged = judgements.explanation(_ask(exercise, text))
        if judged is not None:
            vague, missing = judged.vague or not judged.correct, judged.missing
    if not vague:
        closed = replace(state, stage="closed", answers=(*state.answers, text.strip()[:2000]))
        return Step(
            closed, moves.ReflectionClosed(attempt=state.attempts), CHOICES_CLOSED, closed=True
        )
    if state.reflection_asks == 0:
        asked_again = replace(state, reflection_asks=1)
        if classify(text) in {"empty", "dont_know"}:
            return Step(asked_again, moves.AskWhyAgain(exercise.reflection or _DEFAULT_WHY))
        return Step(asked_again, moves.WhyFollowUp(_follow_up(exercise), missing=missing))
    # A second vague reply: close kindly, with an explanation to keep.
    model = exercise.explanation or exercise.hints[-1]
    closed = replace(state, stage="closed", answers=(*state.answers, text.strip()[:2000]))
    return Step(closed, moves.ModelExplanation(model), CHOICES_CLOSED, closed=True)


def _ask(exercise: RenderedExercise, text: str) -> ExplainAsk:
    """The question for a judge: this explanation, against the criteria and the reference."""
    return ExplainAsk(
        text=text.strip()[:2000],
        question=exercise.reflection or _DEFAULT_WHY,
        criteria=exercise.explanation_criteria or DEFAULT_CRITERIA,
        reference=exercise.explanation or exercise.hints[-1],
    )


def is_vague(exercise: RenderedExercise, text: str) -> bool:
    """Return True for blank, don't-know, yes/ok, one word, the answer restated, or off topic."""
    if classify(text) in {"empty", "dont_know", "answer_request", "chitchat", "question"}:
        return True
    if asks_for_a_thing(exercise):
        criteria = exercise.explanation_criteria
        return bool(criteria) and not mentions_any(text, criteria)
    words = _words(text)
    answer_words = set(_words(exercise.key.answer))
    said = [w for w in words if w not in answer_words]
    if len(said) < MIN_WORDS:
        # One word, "yes it is", or the answer restated; but "more surface area" and "same
        # ratio" name what the explanation turns on, tersely.
        content = [w for w in said if w not in FUNCTION_WORDS]
        telling = " ".join(w for w in content if w not in FILLER)  # "same" alone tells little
        criteria = exercise.explanation_criteria
        phrases = [c for c in criteria if len(c.split()) > 1]  # "same ratio": said in full
        named = mentions_any(telling, criteria) or bool(phrases and mentions_any(text, phrases))
        return not (len(content) >= 2 and named)
    if _only_says_who_said_so(text):
        return True
    if exercise.explanation_criteria:
        return not mentions_any(text, exercise.explanation_criteria)
    return not (_REASON.search(fold(text)) or set(said) & _vocabulary(exercise))


def _only_says_who_said_so(text: str) -> bool:
    """Tell whether a reply gives an authority or "the rule" and nothing besides."""
    rest, found = _NO_REASON.subn(" ", fold(text))
    return bool(found) and len(_words(rest)) < MIN_WORDS - 1


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", fold(text))


def _vocabulary(exercise: RenderedExercise) -> set[str]:
    """Content words of the problem and its hints: the concept's words."""
    texts = (exercise.prompt, *exercise.hints, exercise.reflection or "")
    return {
        word
        for text in texts
        for word in _words(text)
        if len(word) >= 4 and word.isalpha() and word not in _STOPWORDS
    }


def asks_for_a_thing(exercise: RenderedExercise) -> bool:
    """Tell whether the reflection asks for a thing to name, not for a reason."""
    # "Which mountain range runs through it?" is answered by naming it: a short reply is
    # specific there, not vague.
    question = exercise.reflection
    if question is None:
        return False
    cues = cues_for(exercise.key.language)
    return asks_with(question, (*cues.naming_questions, *cues.number_questions), opening=True)


def _follow_up(exercise: RenderedExercise) -> str:
    """One specific follow-up question for a vague explanation."""
    if asks_for_a_thing(exercise):  # its criteria may be what it asks for: never name them
        return phrases.LOOK_AGAIN.format(question=exercise.reflection)
    if exercise.explanation_criteria:
        return phrases.WHY_FOLLOW_UP_IDEA.format(idea=exercise.explanation_criteria[0])
    return phrases.WHY_FOLLOW_UP
