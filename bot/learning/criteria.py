"""Offline checks of a reflection answer against authored criteria."""

from __future__ import annotations

import re

from bot.content.models import Criterion, HasDate, HasNumber, Keywords, MinWords, NamesPerson

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)
_NUMBER_WORDS = {
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "fifteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "thousand",
    "million",
    "half",
    "dozen",
    "double",
    "twice",
    "triple",
}
_ROLES = {
    "owner",
    "owners",
    "founder",
    "founders",
    "manager",
    "managers",
    "director",
    "ceo",
    "cto",
    "coach",
    "coaches",
    "teacher",
    "teachers",
    "nurse",
    "nurses",
    "doctor",
    "doctors",
    "engineer",
    "engineers",
    "developer",
    "developers",
    "designer",
    "designers",
    "freelancer",
    "freelancers",
    "consultant",
    "consultants",
    "accountant",
    "accountants",
    "lawyer",
    "lawyers",
    "therapist",
    "therapists",
    "mum",
    "mums",
    "mom",
    "moms",
    "dad",
    "dads",
    "parent",
    "parents",
    "student",
    "students",
    "graduate",
    "graduates",
    "marketer",
    "marketers",
    "realtor",
    "realtors",
    "agent",
    "agents",
    "trainer",
    "trainers",
    "photographer",
    "photographers",
    "baker",
    "bakers",
    "chef",
    "chefs",
    "dentist",
    "dentists",
    "pharmacist",
    "pharmacists",
    "physiotherapist",
    "physiotherapists",
    "architect",
    "architects",
    "recruiter",
    "recruiters",
    "writer",
    "writers",
    "author",
    "authors",
    "artist",
    "artists",
    "musician",
    "musicians",
    "salesperson",
    "executive",
    "executives",
    "employee",
    "employees",
    "retiree",
    "retirees",
    "vp",
    "principal",
    "colleague",
    "colleagues",
    "researcher",
    "researchers",
    "analyst",
    "analysts",
    "mechanic",
    "mechanics",
    "electrician",
    "electricians",
    "plumber",
    "plumbers",
    "farmer",
    "farmers",
    "veterinarian",
    "vet",
    "vets",
    "pastor",
    "pilot",
    "pilots",
}
_NOT_NAMES = {
    "I",
    "I'm",
    "I'd",
    "I'll",
    "I've",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "The",
    "A",
    "An",
    "My",
    "They",
    "We",
    "It",
    "This",
    "That",
    "OK",
    "Ok",
}
_DATE = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|thu|thur|"
    r"thurs|fri|today|tonight|tomorrow|weekend|january|february|march|april|june|"
    r"july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|"
    r"nov|dec|this week|next week|this month|next month|end of (?:the )?(?:week|month|year|day)|"
    r"within \w+ (?:days?|weeks?|months?)|in \w+ (?:days?|weeks?|months?)|"
    r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve) "
    r"(?:days?|weeks?|months?|years?)|"
    r"q[1-4]|morning|afternoon|evening|noon|summer|winter|spring|autumn|weekly|daily|monthly)\b"
    r"|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d|[$€£¥%]")


def words(text: str) -> list[str]:
    """Split text into words (letters and digits, with inner apostrophes or dashes)."""
    return _WORD.findall(text)


def criterion_met(criterion: Criterion, text: str) -> bool:
    """Tell whether an answer meets one criterion."""
    if isinstance(criterion, MinWords):
        return len(words(text)) >= criterion.min
    if isinstance(criterion, Keywords):
        lowered = text.casefold()
        return any(_contains_phrase(lowered, k.casefold()) for k in criterion.any)
    if isinstance(criterion, HasNumber):
        return bool(_NUMBER.search(text)) or any(w.casefold() in _NUMBER_WORDS for w in words(text))
    if isinstance(criterion, HasDate):
        return bool(_DATE.search(text))
    if isinstance(criterion, NamesPerson):
        return _names_person(text)
    raise TypeError(f"unknown criterion {criterion!r}")


def _contains_phrase(text: str, phrase: str) -> bool:
    """Find a phrase on word boundaries (a phrase ending in a non-letter matches as is)."""
    pattern = re.escape(phrase)
    if phrase[:1].isalnum():
        pattern = r"\b" + pattern
    if phrase[-1:].isalnum():
        pattern = pattern + r"\w*"
    return re.search(pattern, text) is not None


def _names_person(text: str) -> bool:
    """Find a role noun, or a capitalised name that does not start a sentence."""
    tokens = words(text)
    if any(t.casefold() in _ROLES for t in tokens):
        return True
    for match in _WORD.finditer(text):
        token = match.group(0)
        if not token[:1].isupper() or token in _NOT_NAMES or (token.isupper() and len(token) > 3):
            continue
        before = text[: match.start()].rstrip()
        if before and before[-1] not in ".!?\n:":
            return True
    return False
