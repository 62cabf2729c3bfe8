"""Offline detectors for reflection answers: a person, a time, a quantity, a commitment.

Each detector reads one text and says yes or no. Each `vague_*` finder returns words the
learner actually wrote (a verbatim slice of the text) that a probe may quote, or None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.learning.lexicon import (
    FILLER,
    GENERIC_PEOPLE,
    NOT_NAME_SUFFIXES,
    NOT_NAMES,
    POSSESSIVES,
    RELATIONS,
    ROLE_PHRASES,
    ROLES,
)

__all__ = [
    "clause_from",
    "commits",
    "has_quantity",
    "hedge",
    "mentions_time",
    "names_person",
    "quote_clause",
    "vague_amount",
    "vague_people",
    "vague_time",
    "words",
]

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_QUOTE_WORDS = 8
# A quote stops at a clause's end, and at a quotation mark so that it can be quoted itself.
_CLAUSE_END = re.compile(r"[.!?\n;:,()\"“”]|\s(?:but|because|so)\s", re.IGNORECASE)


@dataclass(frozen=True)
class _Token:
    text: str
    start: int


def words(text: str) -> list[str]:
    """Split text into words (letters and digits, with inner apostrophes or dashes)."""
    return _WORD.findall(text)


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.group(0), m.start()) for m in _WORD.finditer(text)]


def _base(token: str) -> str:
    """The word without a possessive or contraction ("Maria's" -> "Maria")."""
    return re.split(r"['’]", token, maxsplit=1)[0]


# --- a person ------------------------------------------------------------------------


def names_person(text: str) -> bool:
    """Tell whether the text names one person: a name, a role, or "my <relation>"."""
    tokens = _tokens(text)
    return _has_name(tokens) or _has_role(text, tokens)


def _has_name(tokens: list[_Token]) -> bool:
    for i, token in enumerate(tokens):
        after_called = i > 0 and tokens[i - 1].text.casefold() in {"called", "named"}
        if _looks_like_name(_base(token.text), capital_needed=not after_called):
            return True
    return False


def _looks_like_name(word: str, *, capital_needed: bool) -> bool:
    """A capitalised word that is not a common word, an acronym, a brand or a weekday."""
    low = word.casefold()
    if len(word) < 2 or not word[0].isalpha():
        return False
    if capital_needed and not word[0].isupper():
        return False
    if low in NOT_NAMES or low in GENERIC_PEOPLE or low in ROLES:
        return False
    if word.isupper():  # HR, NHS, SMART: acronyms, not people
        return False
    if any(ch.isupper() for ch in word[1:]) and not re.match(r"(?:Mc|Mac|O)[A-Z]", word):
        return False  # LinkedIn, YouTube, iPhone
    if any(ch.isdigit() for ch in word):
        return False
    return not (len(low) >= 5 and low.endswith(NOT_NAME_SUFFIXES))


def _has_role(text: str, tokens: list[_Token]) -> bool:
    lowered = [t.text.casefold() for t in tokens]
    for i, word in enumerate(lowered):
        if word in ROLES and not _about_the_writer(lowered[:i]):
            return True
        if word in RELATIONS and (
            _possessed(lowered, i) or lowered[i + 1 : i + 3] == ["of", "mine"]
        ):
            return True
    flat = " ".join(lowered)
    for phrase in ROLE_PHRASES:
        for match in re.finditer(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", flat):
            if not _about_the_writer(flat[: match.start()].split()):
                return True
    return False


def _possessed(lowered: list[str], index: int) -> bool:
    """A possessive within the two words before: "my sister", "our new starter"."""
    return any(w in POSSESSIVES for w in lowered[max(0, index - 2) : index])


def _about_the_writer(before: list[str]) -> bool:
    """The role is the writer's own: "I'm a coach", "as a busy nurse", "I am an engineer"."""
    window = before[-4:]
    for j in range(len(window) - 1, -1, -1):
        if window[j] in {"a", "an"}:
            return j > 0 and window[j - 1] in _SELF
    return False


_SELF = frozenset({"i'm", "i’m", "im", "am", "as", "being", "was"})


# --- a time ----------------------------------------------------------------------------

_COUNT = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"a\s+few|a\s+couple\s+of|couple\s+of|several)"
)
_UNIT = r"(?:days?|weeks?|months?|years?|quarters?|hours?|fortnights?|terms?)"
_MONTH = (
    r"(?:january|february|march|april|june|july|august|september|october|november|december|"
    r"jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|thu|thurs?|fri)"
_EVENT = (
    r"(?:1:1s?|1-1s?|1-on-1|one-to-one|one-on-one|sessions?|meetings?|calls?|check-?ins?|"
    r"catch-?ups?|stand-?ups?|reviews?|retros?|appraisals?|class|lessons?|workshops?|"
    r"interviews?|deadline|launch|sprints?|offsite|supervision)"
)
_TIME = re.compile(
    rf"\b(?:{_WEEKDAY}s?|{_MONTH}|today|tonight|tomorrow|yesterday|weekends?|overnight)\b"
    rf"|\b(?:this|next|last|coming|following)\s+(?:week|month|year|quarter|term|semester|"
    rf"weekend|morning|afternoon|evening)\b"
    rf"|\bend\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|week|month|year|quarter|term|{_EVENT})\b"
    rf"|\b(?:in|within|after|for|over|by)\s+(?:the\s+)?(?:next\s+|first\s+|last\s+)?"
    rf"{_COUNT}\s+(?:{_UNIT}|sessions|meetings|calls)\b"
    rf"|\b{_COUNT}\s+{_UNIT}\b"
    r"|\b(?:week|day|month|sprint|session|quarter|term|year)\s?\d{1,3}\b"
    rf"|\b(?:before|after|by|until|till|at|in|during|ahead\s+of|from|on)\s+"
    rf"(?:(?:our|my|the|his|her|their|your|each|every|next|this|a)\s+)?"
    rf"(?:(?:next|first|last|weekly|monthly|following)\s+)?(?:team\s+|board\s+)?{_EVENT}(?!\w)"
    rf"|\b(?:next|every|each)\s+{_EVENT}(?!\w)"
    rf"|\bevery\s+(?:day|week|month|morning|evening|night|weekday|{_WEEKDAY}|other\s+\w+)\b"
    r"|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b|\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    rf"|\b(?:on|by|before|after|until|the)\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH}|may)\b|\b(?:{_MONTH}|may)\s+\d{{1,2}}\b"
    r"|\b(?:in|by|until|since|before|after|early|late|mid|end\s+of|of|from)[\s-]+may\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:(?:am|pm)\b|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\bo'clock\b"
    r"|\b(?:in|by|since|until|before|after|early|late|mid|end\s+of)[\s-]+(?:19|20)\d{2}\b"
    r"|\b(?:q[1-4]|h[12]|noon|midday|midnight|lunchtime|morning|afternoon|evening|"
    r"summer|winter|spring|autumn|weekly|daily|monthly|fortnightly|quarterly|yearly|"
    r"annually|halfway|half-way|midway|mid-way|midpoint|mid-point)\b"
    rf"|\b{_COUNT}\s+{_UNIT}\s+(?:in|into|from\s+now|later|ago)\b",
    re.IGNORECASE,
)
_VAGUE_TIME = re.compile(
    r"\b(?:soon|sometime|some\s+time|someday|some\s+day|one\s+day|eventually|at\s+some\s+point|"
    r"later\s+on|later|in\s+the\s+future|asap|as\s+soon\s+as\s+possible|in\s+a\s+while|"
    r"in\s+due\s+course|when\s+i\s+(?:have|get|find)\s+(?:the\s+)?time|next\s+time)\b",
    re.IGNORECASE,
)


def mentions_time(text: str) -> bool:
    """Tell whether the text names a time: a day, a date, a week, an hour, an event."""
    return _TIME.search(text) is not None


def vague_time(text: str) -> str | None:
    """Return the learner's vague time words ("soon", "at some point"), if any."""
    match = _VAGUE_TIME.search(text)
    return match.group(0) if match else None


# --- a number --------------------------------------------------------------------------

_NUMBER_WORDS = frozenset(
    """
    zero two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
    eighty ninety hundred hundreds thousand thousands million millions half dozen dozens
    double twice triple thrice quadruple
    """.split()
)
# Meeting names with digits in them are not quantities.
_NOT_A_NUMBER = re.compile(r"\b1\s?[:-]\s?1\b|\b1-on-1\b|\bq[1-4]\b", re.IGNORECASE)
_VAGUE_AMOUNT = re.compile(
    r"\b(?:a\s+lot(?:\s+more)?|lots\s+of\s+[^\W\d_]+|loads\s+of\s+[^\W\d_]+|"
    r"(?:more|fewer|less|better|bigger|higher|lower|greater)\s+[^\W\d_]+|"
    r"(?:increase|improve|grow|boost|raise)[sd]?\s+(?:their\s+|her\s+|his\s+|my\s+|the\s+)?"
    r"[^\W\d_]+|(?:a\s+few|some|many)\s+[^\W\d_]+)",
    re.IGNORECASE,
)


def has_quantity(text: str) -> bool:
    """Tell whether the text has a number, an amount of money, a percent or a number word."""
    cleaned = _NOT_A_NUMBER.sub(" ", text)
    if re.search(r"\d|[$€£¥%]", cleaned):
        return True
    return any(w.casefold() in _NUMBER_WORDS for w in words(cleaned))


def vague_amount(text: str) -> str | None:
    """Return the learner's words for an amount without a number ("more clients"), if any."""
    match = _VAGUE_AMOUNT.search(text)
    return match.group(0) if match else None


# --- a commitment ----------------------------------------------------------------------

_NOT_YET = (
    r"(?!\s+(?:try|maybe|probably|perhaps|possibly|not|never|see|think|consider|hopefully|"
    r"attempt|wait)\b)"
)
_COMMIT = re.compile(
    r"\b(?:i|we)(?:['’]ll|\s+will|\s+shall|['’]m\s+going\s+to|\s+am\s+going\s+to|"
    r"\s+are\s+going\s+to|['’]re\s+going\s+to|['’]m\s+gonna|\s+am\s+gonna|"
    r"\s+(?:commit|promise|plan|intend)\s+to|\s+am\s+(?:planning|committing)\s+to|"
    r"['’]m\s+(?:planning|committing)\s+to|\s+have\s+decided\s+to|['’]ve\s+decided\s+to)"
    rf"{_NOT_YET}\s+[^\W\d_]"
    r"|\bim\s+(?:going\s+to|gonna)" + _NOT_YET + r"\s+[^\W\d_]"
    r"|(?:^|[.!?;\n]\s*)(?:will|going\s+to|gonna)"
    + _NOT_YET
    + r"(?!\s+(?:is|was|has|and|be)\b)\s+[^\W\d_]",
    re.IGNORECASE,
)
_HEDGE = re.compile(
    r"\b(?:i(?:['’]ll|\s+will)\s+try|i\s+(?:might|could|should|may|want\s+to|wanna|"
    r"would\s+like\s+to|hope\s+to|need\s+to|ought\s+to)|i['’]d\s+like\s+to|maybe|hopefully|"
    r"probably|try\s+to|trying\s+to|if\s+i\s+(?:have|get|find)\s+(?:the\s+)?time)\b",
    re.IGNORECASE,
)


def commits(text: str) -> bool:
    """Tell whether the text makes a first-person commitment: "I will…", "I'm going to…"."""
    return any(not _hedged(text, m.start()) for m in _COMMIT.finditer(text))


def _hedged(text: str, start: int) -> bool:
    """A "maybe" or "if" earlier in the same clause takes the commitment back."""
    clause = re.split(r"[.!?;\n]", text[:start])[-1]
    return re.search(r"\b(?:maybe|perhaps|probably|hopefully|if|might)\b", clause, re.I) is not None


def hedge(text: str) -> str | None:
    """Return the learner's hedge ("I'll try to post something"), up to the clause's end."""
    match = _HEDGE.search(text)
    return clause_from(text, match.start()) if match else None


# --- quotes ----------------------------------------------------------------------------


def vague_people(text: str) -> str | None:
    """Return the learner's words for people in general ("people who want to grow"), if any."""
    for token in _tokens(text):
        if token.text.casefold() in _VAGUE_PEOPLE:
            return clause_from(text, token.start)
    return None


# "Clients" and "users" are the exercise's own words: quoting them back says nothing.
_VAGUE_PEOPLE = GENERIC_PEOPLE - {"client", "clients", "customer", "customers", "user", "users"}


# Words a clause may open with that are not yet what it says ("maybe people who...").
_OPENERS = frozenset("maybe perhaps probably possibly um uh hmm hm well ok okay yeah".split())
_SAYS_NOTHING = FILLER | _OPENERS


def quote_clause(text: str) -> str | None:
    """Return the first clause of the text that says something, at most eight words, exactly
    as written: a clause of filler only ("not sure", "hmm ok") is passed over, and so are
    the hedges it opens with ("maybe"). None when the whole text is filler."""
    tokens = _tokens(text)
    index = 0
    while index < len(tokens):
        clause = clause_from(text, tokens[index].start) or ""
        end = tokens[index].start + len(clause)
        words = [t for t in tokens[index:] if t.start < end]
        said = [t for t in words if t.text.casefold() not in _SAYS_NOTHING]
        if said:
            first = next(t for t in words if t.text.casefold() not in _OPENERS)
            return clause_from(text, first.start)
        index += max(1, len(words))
    return None


def clause_from(text: str, start: int) -> str | None:
    """The words from `start` to the clause's end, at most eight, as a slice of the text."""
    end_match = _CLAUSE_END.search(text, start + 1)
    end = end_match.start() if end_match else len(text)
    spans = [m for m in _WORD.finditer(text, start, end)][:_QUOTE_WORDS]
    if not spans:
        return None
    return text[spans[0].start() : spans[-1].end()]
