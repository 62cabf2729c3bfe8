"""Word the engine's moves with a model, in the learner's language; offline on any failure.

The prompt holds only what `brief_for` lets through, the problem as the learner sees it,
the recent conversation (with a running summary of the earlier part), the offline draft and
the learner's message as data. What comes back is checked before it
is used (length, one question, the commands kept, and no number the problem and the move
do not already hold); the turn's guard then sees it too.
"""

from __future__ import annotations

import logging
import re
from contextlib import AbstractContextManager, nullcontext

from bot.dialogue import moves
from bot.dialogue.wording import WordingContext, offline_text
from bot.llm.briefs import MoveBrief, brief_for
from bot.llm.budget import usage_scope
from bot.llm.calls import CallFailure
from bot.llm.client import ModelClient
from bot.llm.conversation import conversation_text
from bot.llm.numbers import numbers_in
from bot.llm.prompts import render

__all__ = ["ModelWording", "counted_for", "usable_wording"]

log = logging.getLogger(__name__)

MAX_WORDED_CHARS = 700
WORD_MAX_TOKENS = 250
_COMMAND = re.compile(r"`[^`\n]{1,20}`")
_PROMPT_ECHO = re.compile(
    r"</?\s*(problem|move|draft|learner_message)\s*>|^\s*(tutor|assistant)\s*:", re.IGNORECASE
)


def counted_for(user_id: int | None, course_id: str | None) -> AbstractContextManager[object]:
    """Count the calls inside for this learner and course; with neither, keep the caller's."""
    if user_id is None and course_id is None:
        return nullcontext()
    return usage_scope(user_id, course_id)


class ModelWording:
    """The `Wording` a model provides, with the offline phrases as its floor."""

    def __init__(self, client: ModelClient) -> None:
        self.client = client

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        """Return the model's wording of ``move``, or the offline text when it cannot help."""
        draft = offline_text(move)
        brief = brief_for(move)
        if brief is None:
            return draft
        prompt = render(
            "word",
            problem=context.prompt,
            intent=brief.intent,
            material=brief.material_text(),
            draft=draft,
            conversation=conversation_text(context.conversation),
            learner=context.learner_text,
        )
        with counted_for(context.user_id, context.course_id):
            worded = await self.client.text("word", prompt, max_tokens=WORD_MAX_TOKENS)
        if isinstance(worded, CallFailure):
            return draft
        text = _tidy(worded)
        if not usable_wording(text, draft, brief, context.prompt):
            self.client.turned_down("word")
            return draft
        return text

    def withheld(self, move_kind: str) -> None:
        """Note that the turn's answer-leak guard stopped a reply this wording wrote."""
        log.warning("the guard withheld a model-worded %s reply", move_kind)
        self.client.counters.count("word", "leak_withheld")


def _tidy(text: str) -> str:
    """Drop quotation marks a model put around the whole message."""
    text = text.strip()
    for left, right in (('"', '"'), ("“", "”"), ("'", "'")):
        if len(text) > 1 and text.startswith(left) and text.endswith(right):
            text = text[1:-1].strip()
    return text


def usable_wording(text: str, draft: str, brief: MoveBrief, problem: str) -> bool:
    """Tell whether a model's wording may stand in for the offline draft."""
    if not text or len(text) > max(MAX_WORDED_CHARS, 2 * len(draft)):
        return False
    if _PROMPT_ECHO.search(text):
        return False
    if text.count("?") > max(1, draft.count("?")):
        return False  # one question per message
    if any(command not in text for command in _COMMAND.findall(draft)):
        return False  # `next`, `skip`, `hint`... must survive as the learner types them
    if brief.only_known_numbers:
        # A number the problem, the move and the draft do not hold is either worked out
        # (the answer, a step) or taken from the learner's message: neither may go out, and
        # turning such replies down never depends on whether the learner's number is right.
        allowed = set(numbers_in(problem)) | set(numbers_in(draft))
        allowed |= set(numbers_in(brief.material_text()))
        if not set(numbers_in(text)) <= allowed:
            return False
    return True
