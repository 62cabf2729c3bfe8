"""What a wording prompt may say about each move: its intent and the fields it carries.

This is the one place that decides what of a move reaches a model. A move made while the
answer is secret only ever shows fields that are safe to show the learner (an authored
question, a nudge, the learner's own words); moves that carry the answer or the worked
step, guard fallbacks, placement and summaries are worded offline and never sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from bot.dialogue import moves, phrases
from bot.llm.prompts import learner_data, text_data

__all__ = ["OFFLINE_ONLY", "MoveBrief", "brief_for"]

# Worded offline only: their text must reach the learner exactly as authored (the answer,
# the worked step, a summary), or they are the safe fallback themselves.
OFFLINE_ONLY: tuple[type[moves.Move], ...] = (
    moves.Reveal,
    moves.SkippedWithAnswer,
    moves.ReviewClosed,
    moves.Skipped,
    moves.PlacementNoted,
    moves.PlacementHelp,
    moves.ReflectionSummary,
    moves.LeakWithheld,
)
WORKED_STEP_RUNG = 3
_NEXT = "Then say they can type `next` for the next exercise (or `progress`)."
_RUNG_NAMES = {1: "a gentle nudge", 2: "a more specific hint"}
_SMALLER_STEP = {
    "empty": "sent nothing you could read as an answer",
    "dont_know": "said they don't know",
    "answer_request": "asked to be given the answer (do not give it: say working it out is what "
    "makes it stick)",
    "off_topic": "wrote something off the problem",
}


@dataclass(frozen=True)
class MoveBrief:
    """What the wording prompt says about one move."""

    intent: str
    material: tuple[tuple[str, str], ...] = ()
    # The reply may hold only numbers the problem, the move and the draft hold: a new one is
    # worked out (the answer, a step) or taken from the learner's message. Only reflection
    # probes, where the learner's own numbers are the point, may use theirs.
    only_known_numbers: bool = True

    def material_text(self) -> str:
        """The move's fields as labelled lines."""
        return "\n".join(f"{label}: {value}" for label, value in self.material) or "(nothing)"


def _hint(rung: int, text: str) -> tuple[tuple[str, str], ...]:
    return (("hint", text_data(text)), ("kind of hint", _RUNG_NAMES.get(rung, "a hint")))


# What a re-check of one kind asks of the model; the learner's answer goes with it.
_RECHECK_BRIEFS: Final = {
    "spelling": (
        "The learner's answer below is right but for one letter. Say it is very close "
        "and ask them to check its spelling, letter by letter. Do not write the word "
        "spelled right, and do not say which letter is wrong."
    ),
    "accents": (
        "The learner's answer below is right but for its accents (or umlauts). Say it is "
        "very close and ask them to check its accents. Do not write the word with its "
        "accents, and do not say which letter needs one."
    ),
    "unit": (
        "The learner's answer below is in another unit than the question asks for. "
        "Ask them to check its unit against the question. Do not say whether the "
        "number is right, and do not write the answer in any unit."
    ),
    "ratio": (
        "The question asks for a ratio (a:b) and the learner's answer below is not written "
        "as one. Ask them to write their answer as a ratio with a colon. Do not say whether "
        "it is right, and do not write the answer in any form."
    ),
    "one_number": (
        "The question asks for one number (a fraction, a decimal or a percent) and the "
        "learner's answer below is written as a ratio (a:b). Ask them for their answer as "
        "one number. Do not say whether it is right, and do not write the answer in any form."
    ),
    "conditions": (
        "The learner's value below makes the problem's equation true but misses "
        "another condition the question sets. Say it does satisfy the equation, and "
        "ask them to reread the question for what else it asks. Do not name the "
        "condition and do not write the answer."
    ),
}


def brief_for(move: moves.Move) -> MoveBrief | None:
    """Return what a model may see of ``move``; None: word it offline."""
    if isinstance(move, OFFLINE_ONLY):
        return None
    match move:
        case moves.Hint(rung=rung) | moves.SmallerStep(rung=rung) | moves.Encourage(rung=rung) if (
            rung >= WORKED_STEP_RUNG
        ):
            return None  # the worked step goes out exactly as authored
        case moves.Targeted(misconception=name, question=question):
            return MoveBrief(
                "Ask the targeted question below, which probes a likely misconception, in the "
                "learner's terms. Do not say the answer was wrong in any other way.",
                (("question", text_data(question)), ("misconception", text_data(name or ""))),
            )
        case moves.Diagnosed(misconception=misconception, step=step):
            return MoveBrief(
                "The learner's answer is not right yet, and the likely reason is the mistaken "
                "idea below, at the step below. Ask one question that lets them find it "
                "themselves at that step. Do not name the mistake outright, and do not say "
                "what the right result of any step is.",
                (
                    ("likely mistaken idea", text_data(misconception)),
                    ("step to look at", text_data(step)),
                ),
            )
        case moves.Recheck(checker=checker, candidate=candidate) if checker in _RECHECK_BRIEFS:
            return MoveBrief(
                _RECHECK_BRIEFS[checker], (("their answer", learner_data(candidate, 80)),)
            )
        case moves.Recheck(checker="layout"):
            return MoveBrief(
                "The learner gave the right printed values, but on one line, where the answer "
                "lays them out differently. Say the values are right and ask how the program "
                "lays them out. Do not write the output.",
                (),
            )
        case moves.Recheck(checker=checker, candidate=candidate):
            return MoveBrief(
                "Say the learner's answer is not right yet, without saying what is, and ask "
                "them to re-check one step of how they got it.",
                (("their answer", learner_data(candidate, 80)), ("answer kind", checker)),
            )
        case moves.Hint(rung=rung, text=text, automatic=automatic):
            lead = "After a few misses, offer" if automatic else "Give"
            return MoveBrief(f"{lead} this hint and nothing beyond it.", _hint(rung, text))
        case moves.SmallerStep(reason=reason, rung=rung, text=text):
            why = _SMALLER_STEP.get(reason, "could not go on")
            return MoveBrief(
                f"The learner {why}. Acknowledge it in a few words, then give this smaller step.",
                _hint(rung, text),
            )
        case moves.Encourage(rung=rung, text=text):
            return MoveBrief(
                "The learner said how they feel. Acknowledge the feeling warmly in one short "
                "sentence, then give this small step.",
                _hint(rung, text),
            )
        case moves.NoMoreHints():
            return MoveBrief(
                "Say there are no more hints: the worked step already shown points the way. "
                "Suggest finishing it, or typing `skip` to move on."
            )
        case moves.Hedged():
            return MoveBrief(
                "The learner offered several answers at once. Ask them to commit to one and "
                "say why, without saying which one is right."
            )
        case moves.Unchecked():
            return MoveBrief("The answer could not be checked. Ask for it in a simpler form.")
        case moves.TryFirst():
            return MoveBrief(
                "Ask the learner to try an answer with the hint they already have, even a "
                "rough one; after a try the worked step comes."
            )
        case moves.Clarify(step=str() as step) if step:
            return MoveBrief(
                "The learner asked whether to take the step below. Do not say yes or no: "
                "ask them to try it and tell you what they get.",
                (("the step they asked about", learner_data(step, 120)),),
            )
        case moves.Clarify(clarification=clarification, concept=concept):
            material = [("concept", text_data(concept))] if concept else []
            if clarification:
                material.append(("authored clarification", text_data(clarification)))
            return MoveBrief(
                "The learner asked about the problem. Clarify what it asks, without solving "
                "any part of it, then invite their answer.",
                tuple(material),
            )
        case moves.ChitChat():
            return MoveBrief(
                "Answer the small talk in a few words, then hand the problem back: they can "
                "try it, or type `hint` for a first step."
            )
        case moves.Rounded(fraction=fraction):
            exactly = "the exact value, as a fraction" if fraction else "the exact value"
            return MoveBrief(
                "The learner's answer is the right value rounded. Say it is close, and ask for "
                f"{exactly}. Do not write any number.",
                (),
            )
        case moves.PickAnOption(unlisted=True):
            return MoveBrief(
                "The learner answered the multiple-choice question with something that is "
                "none of its options. Say it isn't one of the options and ask which one they "
                "pick (its letter is enough). Do not name or hint at any option.",
                (),
            )
        case moves.PickAnOption():
            return MoveBrief(
                "The learner's reply to the multiple-choice question names no single option. "
                "Ask which one option they pick (its letter is enough) and why. Do not name "
                "or hint at any option.",
                (),
            )
        case moves.SayItInCode():
            return MoveBrief(
                "The learner told a change to the code in words; the exercise asks for the "
                "code itself. Ask them to write it as code. Do not say whether the change is "
                "right, and do not write any code.",
                (),
            )
        case moves.RuledOut(options=0):
            return MoveBrief(
                "The learner said only what the answer is not, without giving one. Take it "
                "without saying whether they are right to rule it out, and ask what they "
                "think the answer is.",
                (),
            )
        case moves.RuledOut():
            return MoveBrief(
                "The learner ruled out one or more options without picking one. Say that "
                "ruling options out is a good way in, and ask which option they pick. Do not "
                "say whether they were right to rule any out, or name any option.",
                (),
            )
        case moves.OnTheWay(step=step):
            return MoveBrief(
                "The learner's step below is right so far, but it is not the final answer yet. "
                "Say so in a few words and ask them to keep going. Do not take the next step "
                "for them or say what it gives.",
                (("their step", learner_data(step, 80)),),
            )
        case moves.ReplyHeard(expected=True):
            return MoveBrief(
                "The learner's reply to your question got the key point. Say so, then ask "
                "for their answer to the problem now."
            )
        case moves.ReplyHeard():
            return MoveBrief(
                "Acknowledge the learner's reply to your question without judging it, then "
                "ask what they now get for the problem."
            )
        case moves.Praise(
            after_hints=after_hints,
            question=question,
            accent=accent,
            working=working,
            powers=powers,
        ):
            lead = "got there after hints" if after_hints else "is right"
            material = [("why-question", text_data(question))]
            if accent:
                material.append(("how the answer is written, accents included", accent))
            if powers:
                material.append(("note on writing", phrases.WRITE_POWERS))
            also = " and that the working they showed holds up" if working else ""
            return MoveBrief(
                f"Confirm the learner's answer {lead}{also}, then ask the why-question.",
                tuple(material),
            )
        case moves.CheckStep(after_hints=after_hints, step=step):
            lead = "got there after hints" if after_hints else "is right"
            return MoveBrief(
                f"Confirm the learner's answer {lead}, then ask one question that has them "
                "look again at the step of their working below, which does not hold as "
                "written. Do not say what that step should give.",
                (("step to look at", text_data(step)),),
            )
        case moves.AskWhyAgain(question=question) | moves.AlreadySolved(question=question):
            return MoveBrief(
                "Ask the why-question again, gently: even a rough idea in their own words helps.",
                (("why-question", text_data(question)),),
            )
        case moves.ReflectionClosed():
            return MoveBrief(
                "Thank the learner for explaining why it works, in one sentence. " + _NEXT,
            )
        case moves.WhyFollowUp(probe=probe, missing=missing):
            material = [("follow-up", text_data(probe))]
            if missing:
                material.append(("what their explanation does not say yet", text_data(missing)))
            return MoveBrief(
                "The learner's explanation was vague or not right yet. Ask one specific "
                "follow-up, aimed at what it does not say yet, without saying it for them.",
                tuple(material),
            )
        case moves.ModelExplanation(explanation=explanation):
            return MoveBrief(
                "Close kindly with this model explanation, kept exact. " + _NEXT,
                (("explanation", text_data(explanation)),),
            )
        case moves.Probe(probe=probe, vague=vague, quoted=quoted):
            material = [("probe", text_data(probe))]
            if quoted:
                material.append(("their own words, to quote exactly", learner_data(quoted)))
            lead = "Their last reply was vague: a gentle word first. " if vague else ""
            return MoveBrief(
                f"{lead}Ask this probe about their reflection; quote only their own words.",
                tuple(material),
                only_known_numbers=False,
            )
    return None
