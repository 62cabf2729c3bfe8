"""Turn a move into the words the learner reads: offline phrases, or a model.

Wording is a step of its own, awaited outside any database transaction. `OfflineWording`
is the default and the floor every other wording falls back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.dialogue import moves, phrases, probes
from bot.dialogue.conversation import NO_CONVERSATION, Conversation

QUOTE_CHARS = 30  # a learner's answer this short is quoted back in a re-check question...
QUOTE_WORDS = 4  # ...if it is also this few words; a longer one is "your answer"

__all__ = ["OfflineWording", "Wording", "WordingContext", "offline_text"]


@dataclass(frozen=True)
class WordingContext:
    """What wording may know about the turn besides the move (never the secret answer)."""

    prompt: str = ""
    learner_text: str = ""
    # The recent messages and a running summary of the earlier ones (read only for a model).
    conversation: Conversation = NO_CONVERSATION
    # Whose turn it is, for counting a model's tokens against the caps; never sent to it.
    user_id: int | None = None
    course_id: str | None = None


class Wording(Protocol):
    """Anything that words a move: the offline phrases, a model, a test double."""

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        """Return the text for ``move``."""
        ...

    def withheld(self, move_kind: str) -> None:
        """Hear that the answer-leak guard stopped words this wording wrote."""
        ...


class OfflineWording:
    """The authored phrases: instant, deterministic, no network."""

    async def word(self, move: moves.Move, context: WordingContext) -> str:
        """Return the offline text for ``move``."""
        return offline_text(move)

    def withheld(self, move_kind: str) -> None:
        """The offline phrases are checked by the content check: nothing to count here."""


def _cycle(options: tuple[str, ...], index: int) -> str:
    return options[index % len(options)]


def _quotable(candidate: str) -> str:
    """A learner's answer, to quote back when it is short; "your answer" when it is a sentence."""
    short = len(candidate) <= QUOTE_CHARS and len(candidate.split()) <= QUOTE_WORDS
    return candidate if short else phrases.YOUR_ANSWER


def _hint(rung: int, text: str) -> str:
    return f"{phrases.HINT_HEADERS[rung - 1]} {text}"


def _praise(after_hints: bool, attempt: int) -> str:
    return phrases.CORRECT_AFTER_HINTS if after_hints else _cycle(phrases.CORRECT, attempt)


def _revealed(answer: str, worked: str) -> str:
    return phrases.REVEALED.format(answer=answer, worked=worked)


def offline_text(move: moves.Move) -> str:
    """Return the offline wording of one move."""
    match move:
        case moves.Targeted(question=question):
            return question
        case moves.Recheck(checker=checker, candidate=candidate, attempt=attempt):
            options = phrases.RECHECK.get(checker, phrases.RECHECK["exact"])
            return _cycle(options, attempt).format(candidate=_quotable(candidate))
        case moves.Diagnosed(step=step):
            return phrases.DIAGNOSED.format(step=_clip(step.replace("?", "").rstrip(" .!"), 200))
        case moves.Hint(rung=rung, text=text, automatic=automatic):
            return f"{phrases.AUTO_HINT} {_hint(rung, text)}" if automatic else _hint(rung, text)
        case moves.SmallerStep(reason=reason, rung=rung, text=text):
            lead = phrases.SMALLER_STEP_LEADS[reason]
            # A lead that already introduces the step ("Here's a way in:") takes no header.
            return f"{lead} {text}" if lead.endswith(":") else f"{lead} {_hint(rung, text)}"
        case moves.NoMoreHints():
            return phrases.NO_MORE_HINTS
        case moves.Hedged(attempt=attempt):
            return _cycle(phrases.HEDGED, attempt)
        case moves.Unchecked():
            return phrases.UNCHECKED
        case moves.Praise(after_hints=after_hints, attempt=attempt, question=question):
            praise = _praise(after_hints, attempt)
            if move.accent:
                praise += " " + phrases.MIND_THE_ACCENT.format(answer=move.accent)
            if move.powers:
                praise += " " + phrases.WRITE_POWERS
            if move.working:
                praise += " " + phrases.WORKING_SOUND
            return f"{praise} {question}"
        case moves.CheckStep(after_hints=after_hints, attempt=attempt, step=step):
            step_text = _clip(step.replace("?", "").rstrip(" .!"), 200)
            return f"{_praise(after_hints, attempt)} {phrases.CHECK_STEP.format(step=step_text)}"
        case moves.Reveal(answer=answer, worked=worked, question=question):
            reflect = phrases.REVEALED_REFLECT.format(question=question)
            return f"{_revealed(answer, worked)}\n{reflect}"
        case moves.AskWhyAgain(question=question):
            return phrases.REFLECT_AGAIN.format(question=question)
        case moves.ReflectionClosed(attempt=attempt):
            return f"{_cycle(phrases.REFLECTION_THANKS, attempt)} {phrases.CLOSED_NEXT}"
        case moves.AlreadySolved(question=question):
            return f"You've solved it already. {question}"
        case moves.Skipped(answer_kept=True):
            return f"{phrases.SKIPPED_ANSWER_KEPT}\n{phrases.CLOSED_NEXT}"
        case moves.Skipped():
            return "Skipped. " + phrases.CLOSED_NEXT
        case moves.ReviewClosed(remembered=True):
            return f"{phrases.REVIEW_REMEMBERED} {phrases.CLOSED_NEXT}"
        case moves.ReviewClosed(answer=answer, worked=worked):
            again = f"{phrases.REVIEW_AGAIN_SOON} {phrases.CLOSED_NEXT}"
            return f"{_revealed(answer, worked)}\n{again}"
        case moves.PlacementNoted(skipped=True):
            return phrases.PLACEMENT_SKIPPED
        case moves.PlacementNoted(correct=correct):
            return phrases.PLACEMENT_RIGHT if correct else phrases.PLACEMENT_NOTED
        case moves.Probe(probe=probe, vague=True, reason=reason, rung=rung):
            return f"{probes.vague_lead(reason, rung)} {probe}"
        case moves.Probe(probe=probe):
            return probe
        case moves.ReflectionSummary(answers=answers, still_open=still_open, summary=summary):
            return _summary(answers, still_open, summary)
        case moves.LeakWithheld():
            return phrases.LEAK_FALLBACK
        case moves.Clarify(step=str() as step) if step:
            return _cycle(phrases.TRY_AND_SEE, len(step)).format(step=_clip(step, 80))
        case moves.Clarify(clarification=str() as clarification):
            return clarification
        case moves.Clarify(prompt=prompt, concept=concept):
            if concept:
                return phrases.CLARIFY_CONCEPT.format(concept=concept, prompt=prompt)
            return phrases.CLARIFY.format(prompt=prompt)
        case moves.Encourage(rung=rung, text=text):
            return f"{phrases.SMALLER_STEP_LEADS['feeling']} {_hint(rung, text)}"
        case moves.PlacementHelp():
            return phrases.PLACEMENT_HELP
        case moves.ChitChat():
            return phrases.CHITCHAT
        case moves.Rounded(fraction=fraction):
            return phrases.ROUNDED_FRACTION if fraction else phrases.ROUNDED
        case moves.PickAnOption(unlisted=unlisted):
            return phrases.PICK_UNLISTED if unlisted else phrases.PICK_AN_OPTION
        case moves.RuledOut(options=0, heard=heard):
            return _cycle(phrases.SET_ASIDE, heard)
        case moves.RuledOut(heard=heard):
            return _cycle(phrases.RULED_OUT, heard)
        case moves.OnTheWay(step=step):
            on_the_way = phrases.ON_THE_WAY if "=" in step else phrases.ON_THE_WAY_SUM
            return on_the_way.format(step=_clip(step, 80))
        case moves.SayItInCode(heard=heard):
            return _cycle(phrases.SAY_IT_IN_CODE, heard)
        case moves.ReplyHeard(expected=expected, heard=heard):
            return _cycle(phrases.REPLY_HEARD_EXPECTED if expected else phrases.REPLY_HEARD, heard)
        case moves.TryFirst(held=held):
            return _cycle(phrases.TRY_FIRST, held)
        case moves.WhyFollowUp(probe=probe):
            return probe
        case moves.ModelExplanation(explanation=explanation):
            model = phrases.MODEL_EXPLANATION.format(explanation=explanation)
            return f"{model}\n{phrases.CLOSED_NEXT}"
        case moves.SkippedWithAnswer(answer=answer, worked=worked):
            skipped = phrases.SKIPPED_WITH_ANSWER.format(worked=worked, answer=answer)
            return f"{skipped}\n{phrases.CLOSED_NEXT}"
    raise ValueError(f"no offline wording for a {type(move).__name__}")


def _summary(
    answers: tuple[str, ...], still_open: tuple[str, ...], summary: str | None = None
) -> str:
    """Summarise what the learner worked out, in their words, and what is still open."""
    # Closed after vague replies only: there is nothing of the learner's to show back.
    if not answers:
        lines = [probes.NOTHING_YET]
    elif summary:
        lines = [phrases.REFLECTION_SUMMARY, summary.strip()]
    else:
        lines = [phrases.REFLECTION_SUMMARY]
        lines.extend(f"- {_clip(answer)}" for answer in answers)
    if still_open:
        lines.append(phrases.REFLECTION_OPEN)
        lines.extend(f"- {label}" for label in still_open)
    else:
        lines.append(phrases.REFLECTION_DONE)
    lines.append(phrases.CLOSED_NEXT)
    return "\n".join(lines)


def _clip(text: str, limit: int = 300) -> str:
    """Shorten a long answer for the summary."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
