"""Read what a learner's message is, before anything is graded: its dialogue act.

An answer (possibly inside a sentence) is graded; everything else gets its own move, and
the reply to it never depends on whether the message happens to contain the right answer.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.learning.answer_text import fold

Intent = Literal[
    "empty", "dont_know", "answer_request", "feeling", "question", "chitchat", "answer"
]

_ADVERB = r"((really|honestly|truly|just|still|genuinely|seriously|actually|simply)\s+)?"
# "I don't know" as people write it: the whole message is one of these (see `_dont_know`).
_DONT_KNOW = re.compile(
    rf"^\W*(i\s*{_ADVERB}(do\s*n[o']?t|dunno|have\s*no|haven'?t\s+(got\s+)?(a|any)|"
    r"have\s+not\s+(got\s+)?(a|any)|got\s+no)\s*(know|idea|clue)?|"
    rf"idk|dunno|no\s*idea|not\s*(a\s*)?clue|no\s*clue|not\s*sure|unsure|\?+|"
    rf"(i'?m|i\s+am)\s*{_ADVERB}(not\s+sure|unsure|stuck|lost|clueless|blanking)|"
    r"i\s*give\s*up|don'?t\s*know|beats\s+me|"
    # The course languages' own (read on the folded text: "no sé" is "no se").
    r"(yo\s+)?no\s+(lo\s+)?se(\s+(nada|la\s+respuesta))?|(no\s+tengo\s+)?ni\s+idea|"
    r"no\s+tengo\s+(ninguna\s+)?idea|me\s+rindo|"
    r"(je\s*(ne\s*)?(le\s*)?sais\s*pas|j'?\s*sais\s*pas|aucune\s*idee|je\s*(ne\s*)?sais\s*plus|"
    r"j'?abandonne)|"
    r"(ich\s+)?(weiss|weiß)\s+(es\s+)?nicht|keine\s*ahnung|ich\s+gebe\s+auf|"
    r"(eu\s+)?nao\s+sei|nao\s+faco\s+(a\s+menor\s+)?ideia|sei\s+la|"
    r"(io\s+)?non\s+(lo\s+)?so|non\s+ne\s+ho\s+idea|boh|"
    r"(i\s+)?(can'?t|cannot|don'?t|do\s+not)\s+(remember|recall)|i\s+(forgot|have\s+forgotten)|"
    r"(i\s+)?haven'?t\s+(got\s+)?(a|any)\s*(idea|clue)|"
    # "how do I start?", "where do I even begin": not knowing the first step.
    r"(so\s+)?(how|where)\s+(do|should|can|would)\s+(i|we|you)\s+(even\s+)?(start|begin)"
    r"(\s+(this|it|here))?|how\s+(do|should|can)\s+i\s+(even\s+)?(do|solve|approach)\s+"
    r"(this|it|that)(\s+one)?)\W*$",
    re.IGNORECASE,
)
# "I don't know how to start", "no idea what this does": not knowing, then what about.
_DONT_KNOW_WHAT = re.compile(
    rf"^\W*(i\s*{_ADVERB}(do\s*n[o']?t\s*know|have\s*no\s*(idea|clue)|"
    r"(can'?t|cannot|do\s*n[o']?t)\s*(remember|recall|tell|see))|idk|no\s*(idea|clue)|"
    r"not\s*sure|"
    rf"(i'?m|i\s+am)\s*{_ADVERB}not\s+sure)\s+"
    r"(what|how|where|why|which|who|when|to\s+(do|start|begin|solve|answer|work))\b",
    re.IGNORECASE,
)
# "no idea what a denominator is": a word of the problem not understood, asked about.
_UNKNOWN_WORD = re.compile(
    r"^\W*(i\s*(do\s*n[o']?t\s*know|have\s*no\s*idea)|idk|no\s*idea|not\s*sure)\s+"
    r"what\s+(?!(the\s+|my\s+|your\s+)?(answer|solution|result)\b)(a\s+|an\s+|the\s+)?"
    r"[^\W\d][\w' -]{2,30}?\s+"
    r"(is|are|means?)\W*$",
    re.IGNORECASE,
)
# Words around an "I don't know" that do not change it: "sorry, no idea", "idk tbh".
_SOFTENER = (
    r"(sorry|honestly|tbh|to\s+be\s+honest|really|um+|uh+|hm+|well|ok(ay)?|sadly|oops|"
    r"unfortunately|lol|haha|man|mate|dude|nope|nah|no(?=\s*[,.!])|at\s+all|here|yet|"
    r"either|still|anymore|right\s+now|rn|on\s+(this|that)(\s+one)?|for\s+(this|that)"
    r"(\s+one)?|with\s+(this|that)(\s+one)?)"
)
_SOFT_START = re.compile(rf"^(\W*\b{_SOFTENER}\b)+", re.IGNORECASE)
_SOFT_END = re.compile(rf"(\b{_SOFTENER}\b\W*)+$", re.IGNORECASE)
# A number offered as a result after "I don't know why...": "it is 4", "= 4", "I get 4".
_OFFERED = re.compile(
    r"(=|\b(is|it'?s|equals?|get|got|gives?|makes?|be|was|are)\b)[^0-9=]*\d", re.IGNORECASE
)
# What turns a "not sure ..." into an answer after all: "not sure, but 12", "no idea why, x".
_ANSWER_AFTER = re.compile(r"[,;:]|\b(but|maybe|guess|think|so|probably|perhaps|it'?s)\b", re.I)
_ANSWER_REQUEST = re.compile(
    r"(tell|give|show|send|reveal|say|print|type|spell|write|whisper)\s+(me\s+|us\s+)?"
    r"(the\s+|your\s+)?(final\s+|correct\s+|right\s+|real\s+)?(answer|solution|result)"
    r"|what'?s\s+the\s+(final\s+|correct\s+|right\s+)?(answer|solution)"
    r"|what\s+is\s+the\s+(final\s+|correct\s+|right\s+)?(answer|solution)"
    r"|(ignore|forget|disregard|override)\s+(all\s+|your\s+|the\s+|previous\s+|prior\s+)*"
    r"(instructions|rules|prompt|guidelines)"
    r"|(you\s+are|act\s+as|pretend|role-?play|you're)\s+(now\s+)?(a|an|my)?\s*"
    r"(calculator|teacher\s+mode|developer|dan|answer\s+key|grandma|solver)"
    r"|answer\s+key|just\s+the\s+answer|system\s+prompt|developer\s+mode",
    re.IGNORECASE,
)
_FEELING = re.compile(
    r"\b(i'?m|i\s+am|i\s+feel|feeling|this\s+is|that'?s|it'?s|so)\s+(so\s+|really\s+|very\s+|"
    r"kind\s+of\s+|a\s+bit\s+|totally\s+)?(confused|frustrated|stressed|anxious|overwhelmed|"
    r"stupid|dumb|lost|tired|bored|annoyed|hopeless|discouraged|scared|nervous|hard|"
    r"difficult|impossible|too\s+hard|confusing)\b"
    r"|\bi\s+(hate|can'?t\s+stand)\s+(this|these|math|maths|fractions|it)\b"
    r"|\b(ugh+|argh+|sigh)\b|\bi\s+(can'?t|cannot)\s+do\s+(this|it)\b",
    re.IGNORECASE,
)
_QUESTION_START = re.compile(
    r"^\W*(what|why|how|which|where|when|who|whose|whom|do|does|did|can|could|should|would|"
    r"will|must|may|are|is|am|was|were|qu[eé]|por\s*qu[eé]|c[oó]mo|pourquoi|comment|warum|wie|"
    r"was\s+ist)\b",
    re.IGNORECASE,
)
_CLARIFY = re.compile(
    r"^\W*(huh|eh|wut|wdym|pardon|come\s+again|what\s+now)\W*$"
    # "is it asking for the perimeter?", "does it want the total?": about the question.
    r"|\b(is|are)\s+(it|they|you|this|the\s+question)\s+(asking|wanting|looking)\s+for\b"
    r"|\bdoes\s+(it|this|the\s+question)\s+(want|ask\s+for|mean)\b"
    r"|\b(what\s+do\s+you\s+mean|what\s+does\s+.{1,40}\s+mean|i\s+don'?t\s+(get|understand)\s+"
    r"(the\s+|this\s+|your\s+)?(question|problem|task|it|what)|what\s+(is|are)\s+(a|an|the)?\s*"
    r"[a-z][a-z -]{1,30}\?|can\s+you\s+(explain|rephrase|clarify)|what\s+am\s+i\s+supposed)",
    re.IGNORECASE,
)
# "is it 7/12?" and "could it be x = 3?" offer an answer: they are graded, not clarified.
_TENTATIVE = re.compile(
    r"^\W*(is\s+(it|that|the\s+answer)|could\s+it\s+be|would\s+it\s+be|maybe|so\s+is\s+it|"
    r"(should|do)\s+i\s+(say|put|write|go\s+with))\b",
    re.IGNORECASE,
)
_CHITCHAT = {
    "hi",
    "hello",
    "hey",
    "yo",
    "ok",
    "okay",
    "k",
    "kk",
    "cool",
    "nice",
    "thanks",
    "thank you",
    "thx",
    "ty",
    "lol",
    "haha",
    "hmm",
    "hm",
    "yes",
    "no",
    "yeah",
    "yep",
    "nope",
    "sure",
    "good morning",
    "good evening",
    "great",
    "awesome",
    "wow",
    "oh",
    "ah",
    "alright",
    "fine",
    "sorry",
    "wait",
    "one sec",
    "brb",
    "hola",
    "salut",
    "bonjour",
    "hallo",
    "ciao",
    "gracias",
    "merci",
    "danke",
}


def _plain(text: str) -> str:
    """Lower-case, accents and punctuation removed, spaces folded."""
    return " ".join(re.sub(r"[^\w\s']", " ", fold(text)).split())


def has_digit(text: str) -> bool:
    """Return True if the text carries a number or a math expression a grader could read."""
    return any(ch.isdigit() for ch in text) or bool(re.search(r"[=^√²³]", text))


def is_chitchat(text: str) -> bool:
    """Return True for a greeting, thanks, 'ok', 'lol' and the like, with no answer in it."""
    plain = _plain(text)
    return bool(plain) and plain in _CHITCHAT


# "do I add them?", "should I divide by 3 first?": asking whether to take a step.
_METHOD_QUESTION = re.compile(
    r"^\W*(?:so\s+|then\s+|ok\s+|okay\s+)?(?:do|should|must|shall|would)\s+(?:i|we)\s+"
    r"(?:have\s+to\s+|need\s+to\s+|just\s+)?(?P<action>[a-z][^?]{1,60}?)\s*\?+\s*$",
    re.IGNORECASE,
)
# First words of what is no step to try: knowing, or proposing an answer ("should I say 8?").
_NOT_A_STEP = frozenset(
    "know mean think understand get have need say put write answer pick choose go".split()
)
_SECOND_PERSON = {
    "i": "you",
    "me": "you",
    "my": "your",
    "myself": "yourself",
    "we": "you",
    "us": "you",
    "our": "your",
    "am": "are",
}


# "is it length times width?", "would it be the total divided by 3?": a way of working it
# out, proposed in words (with numbers it is a sum to work out, read as one).
_PROPOSED_WORKING = re.compile(
    r"^\W*(?:so\s+)?(?:is|would|could)\s+it\s+(?:be\s+)?(?:just\s+)?(?P<working>[^?]{1,60}?"
    r"\b(?:times|plus|minus|divided\s+by|multiplied\s+by|over|squared|cubed)\b[^?]{0,40}?)"
    r"\s*\?+\s*$",
    re.IGNORECASE,
)


# A quantity named in words ("the total", "length"), not only numbers and operations.
_NAMED_QUANTITY = (
    r"(?i)\b(?!(?:times|plus|minus|divided|multiplied|by|over|squared|cubed|the|a|an|and|"
    r"of|it|one|two|three|four|five|six|seven|eight|nine|ten)\b)[^\W\d_]{2,}"
)


def method_question(text: str) -> str | None:
    """The step a learner asks whether to take ("do I add them?"), said to them ("add
    them"), or None. Permission ("can I use a calculator?") is no such question."""
    proposed = _PROPOSED_WORKING.match(text.strip())
    if proposed is not None and re.search(_NAMED_QUANTITY, proposed["working"]):
        return f"work out {proposed['working']}"
    match = _METHOD_QUESTION.match(text.strip())
    if match is None:
        return None
    words = match["action"].split()
    if words[0].casefold() in _NOT_A_STEP:
        return None  # "do I know ...", "should I say 8?": no step to try, or an answer
    return " ".join(_SECOND_PERSON.get(w.casefold(), w) for w in words)


def opens_as_talk(text: str) -> bool:
    """Tell whether a message opens as talk, not an answer: a question word or a greeting.

    "what is a continent", "hello there"; a tentative answer ("is it Oceania") is no talk.
    """
    stripped = text.strip()
    if _TENTATIVE.match(stripped):
        return False
    words = _plain(stripped).split()
    opening = {" ".join(words[:1]), " ".join(words[:2])}
    return bool(_QUESTION_START.match(stripped)) or bool(opening & _CHITCHAT)


def is_question(text: str) -> bool:
    """Return True for a question to the tutor (not an answer phrased as a question)."""
    stripped = text.strip()
    if _CLARIFY.search(stripped):
        return True
    if not stripped.endswith("?") or _TENTATIVE.match(stripped):
        return False
    return bool(_QUESTION_START.match(stripped)) and not has_digit(stripped)


def _dont_know(text: str) -> bool:
    """Tell whether a message says the learner does not know, and offers nothing else."""
    softened = _SOFT_END.sub("", _SOFT_START.sub("", text)).strip()
    for said in {text, softened, fold(softened)}:
        if _DONT_KNOW.match(said):
            return True
        about = _DONT_KNOW_WHAT.match(said)
        if about is not None:
            rest = said[about.end() :]
            # "what to do with the 2" names a number of the problem; "why it is 4" offers one.
            if not _OFFERED.search(rest) and not _ANSWER_AFTER.search(rest.rstrip(" .!?")):
                return True
    return False


# Emoji sent on their own say something too: a nod, a shrug, a groan.
_EMOJI_ACTS: dict[str, Intent] = {
    **dict.fromkeys("👍👌🙂😊😀😃😄🙏✅👋❤💪🆗☺😁🤝👏", "chitchat"),
    **dict.fromkeys("🤷❓❔", "dont_know"),
    **dict.fromkeys("😕😩😭😫😞☹😢😖😣😟🙁😤😠🤯😵", "feeling"),
}


def _emoji_act(text: str) -> Intent | None:
    """The act of a message of emoji alone, when they agree on one."""
    acts = {_EMOJI_ACTS.get(ch) for ch in text if not ch.isspace() and ord(ch) > 0x2000}
    acts.discard(None)
    only_emoji = all(ch.isspace() or ord(ch) > 0x2000 for ch in text)
    return acts.pop() if only_emoji and len(acts) == 1 else None


def classify(text: str) -> Intent:
    """Classify a learner message into its dialogue act."""
    stripped = text.strip()
    emoji = _emoji_act(stripped) if stripped else None
    if emoji is not None:
        return emoji
    if not stripped or (not any(ch.isalnum() for ch in stripped) and "?" not in stripped):
        return "empty"
    if _UNKNOWN_WORD.match(stripped):
        return "question"
    if _dont_know(stripped):
        return "dont_know"
    if _ANSWER_REQUEST.search(stripped):
        return "answer_request"
    if _FEELING.search(stripped) and not has_digit(stripped):
        return "feeling"
    if is_question(stripped):
        return "question"
    if is_chitchat(stripped):
        return "chitchat"
    return "answer"
