"""Read the shape of a reply around its candidates: which one is the answer, and how sure.

A reply is read in its course language (and English). Candidates inside a reason ("because
1/3 = 4/12"), inside an open question ("what do you mean by 7/12?"), after a negation
("not 2") or labelling a step ("step 3") are not answers. Of the rest, the answer is the
one after the last cue ("=", "so", "the answer is", "I got"), or a candidate standing
nearly alone in a later sentence ("7/12 I guess"); failing both, the last one that is not
a context number ("in 6 minutes"). Nothing here looks at the answer key's value, so the
choice never depends on whether a reply is right. Every scan is linear in the text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Final, Protocol, TypeVar

from bot.learning.answer_text import fold
from bot.learning.language_cues import Cues, cues_for, language_code
from bot.learning.number_roles import CHANGE_BY, NEGATIVE_QUESTION, OPERAND_BEFORE, YEAR_AFTER

__all__ = ["Reading", "phrase_regex"]

LOOKBACK: Final = 48  # characters before a candidate searched for a negation
NEGATION_REACH: Final = 3  # words allowed between a negation and its candidate
STRONG_REACH: Final = 8  # words allowed between "so" and the answer it introduces
WEAK_REACH: Final = 3  # words allowed between "is" and the answer
MAX_CUE_GAP: Final = 160  # characters; longer stretches hold more words than any reach
MAX_HEDGE_GAP: Final = 60  # characters between two alternatives, at most
SHORT_EXTRA_WORDS: Final = 1  # unknown words a sentence may hold and still be a bare answer
_OPERATORS: Final = frozenset("+-*/×÷^=<>·")
_SENTENCE_END: Final = re.compile(r"[.!?;]+(?=\s|$)|\n+")
_COLON: Final = re.compile(r":(?!\d)")  # "one more box: 8", but not "8:50"
_STATED_VALUE: Final = re.compile(r"\s*[^\W\d_]\s*=[^=]*")
_NUMBERED_LINE: Final = re.compile(r"(?m)^\s*\d{1,2}[.)] ")
MAX_LIST_SCAN: Final = 4000
_WORD: Final = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


class Located(Protocol):
    """Anything with a position in the reply."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


T = TypeVar("T", bound=Located)


def phrase_regex(phrases: Iterable[str]) -> str:
    """Build an alternation of phrases with word boundaries where the phrase has letters."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        lead = r"(?<![^\W_])" if phrase[0].isalnum() and not phrase.startswith("n'") else ""
        tail = r"(?![^\W_])" if phrase[-1].isalnum() else ""
        parts.append(lead + body + tail)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class _Patterns:
    cues: Cues
    negation: re.Pattern[str]
    blockers: frozenset[str]
    rejection: re.Pattern[str]
    reason: re.Pattern[str]
    conclusion: re.Pattern[str]
    copula: re.Pattern[str]
    question_start: re.Pattern[str]
    proposal_start: re.Pattern[str]
    preposition_before: re.Pattern[str]
    enumerator_before: re.Pattern[str]
    month_before: re.Pattern[str]
    contrast: re.Pattern[str]
    hedge_gap: re.Pattern[str]
    filler_words: frozenset[str]


@lru_cache(maxsize=16)
def _patterns(language: str) -> _Patterns:
    cues = cues_for(language)
    lead = r"^[\s,;:.!?¿¡\-–—(]*(?:(?:so|and|but|ok|okay|well|hmm|then|y|et|und|e|ma|mais)\s+)?"
    fillers = {w for p in (*cues.fillers, *cues.copulas, *cues.conclusions) for w in p.split()}
    return _Patterns(
        cues=cues,
        negation=re.compile(phrase_regex(cues.negations)),
        blockers=frozenset(
            w for p in (*cues.negation_blockers, *cues.contrasts) for w in p.split()
        ),
        rejection=re.compile(r"[\s,]*(?:" + phrase_regex(cues.rejections) + ")"),
        reason=re.compile(phrase_regex(cues.reasons)),
        conclusion=re.compile(phrase_regex(cues.conclusions)),
        copula=re.compile(phrase_regex(cues.copulas)),
        question_start=re.compile(lead + phrase_regex(cues.questions)),
        proposal_start=re.compile(lead + phrase_regex(cues.proposals)),
        preposition_before=re.compile(
            r"(?:" + phrase_regex(cues.prepositions) + r"\s+(?:(?:a|an|the|about|around|all|"
            r"only|my|his|her|their|its)\s+)?|(?<![^\W_])(?:to|para|pour|per)\s+[^\W\d_]+\s+)"
            r"[$€£]?$"
        ),
        enumerator_before=re.compile(phrase_regex(cues.enumerators) + r"\s*(?:#|no\.?)?\s*$"),
        month_before=re.compile(phrase_regex(cues.months) + r"\.?\s*$"),
        # "instead of 5/12" and "rather than 5/12" deny what follows: no contrast there.
        contrast=re.compile(phrase_regex(cues.contrasts) + r"(?!\s+(?:of|than)\b)"),
        hedge_gap=re.compile(
            r"[\s?,;.!¿¡(]*(?:" + phrase_regex(cues.hedges) + r"|/)[\s¿¡,]*"
            r"(?:" + phrase_regex(cues.hedge_leads) + r"[\s,]*)*(?:[a-z]\s*=\s*)?"
        ),
        filler_words=frozenset(fillers),
    )


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class _Cue:
    end: int
    strong: bool


class Reading:
    """A reply read once: its sentences, reasons, open questions and cue words."""

    def __init__(self, text: str, language: str = "en") -> None:
        self.text = text
        self.folded = fold(text)
        self.language = language_code(language)
        self.p = _patterns(self.language)
        self.sentences = self._sentences()
        self._sentence_starts = [start for start, _ in self.sentences]
        self.excluded = _merged(self._reason_ranges() + self._question_ranges())
        self._excluded_starts = [start for start, _ in self.excluded]
        self.cues = self._cue_positions()

    # --- structure ----------------------------------------------------------------------

    def _sentences(self) -> list[tuple[int, int]]:
        spans, start = [], 0
        for match in _SENTENCE_END.finditer(self.folded):
            if match.start() > start:
                spans.append((start, match.end()))
            start = match.end()
        if start < len(self.folded):
            spans.append((start, len(self.folded)))
        return spans

    def sentence_of(self, position: int) -> tuple[int, int]:
        """Return the (start, end) of the sentence holding ``position``."""
        index = bisect.bisect_right(self._sentence_starts, position) - 1
        return self.sentences[max(index, 0)] if self.sentences else (0, len(self.folded))

    def _reason_ranges(self) -> list[tuple[int, int]]:
        """Return where reasons run: to the sentence's end, or a conclusion ("so") before it."""
        conclusions = [m.start() for m in self.p.conclusion.finditer(self.folded)]
        commas = [m.start() for m in re.finditer(",", self.folded)]
        ranges = []
        for match in self.p.reason.finditer(self.folded):
            start, stop = self.sentence_of(match.start())
            if not self.folded[start : match.start()].strip(" \t\n,;:-("):
                # "Since 1/3 = 4/12, the answer is...": a leading reason ends at its comma.
                comma = bisect.bisect_left(commas, match.end())
                stop = min(stop, commas[comma]) if comma < len(commas) else stop
            after = bisect.bisect_left(conclusions, match.end())
            if after < len(conclusions):
                stop = min(stop, conclusions[after])
            ranges.append((match.start(), stop))
        return ranges

    def _question_ranges(self) -> list[tuple[int, int]]:
        ranges = []
        for start, end in self.sentences:
            sentence = self.folded[start:end].rstrip()
            if not sentence.endswith("?"):
                continue
            clause_start = start
            for clause in re.split(r"(?<=,)", self.folded[start:end]):
                if self.p.question_start.match(clause) and not self.p.proposal_start.match(clause):
                    ranges.append((clause_start, end))
                    break
                clause_start += len(clause)
        return ranges

    def _cue_positions(self) -> list[_Cue]:
        cues = [_Cue(m.end(), True) for m in self.p.conclusion.finditer(self.folded)]
        cues += [_Cue(m.end(), False) for m in _COLON.finditer(self.folded)]
        cues += [_Cue(m.end(), False) for m in self.p.copula.finditer(self.folded)]
        cues = [cue for cue in cues if not self._inside(cue.end - 1)]
        return sorted(cues, key=lambda cue: cue.end)

    def _inside(self, position: int) -> bool:
        index = bisect.bisect_right(self._excluded_starts, position) - 1
        return index >= 0 and position < self.excluded[index][1]

    # --- one candidate ------------------------------------------------------------------

    def is_excluded(self, item: Located) -> bool:
        """Return True inside a reason or an open question."""
        return self._inside(item.start)

    def is_negated(self, item: Located, floor: int = 0) -> bool:
        """Return True for "not 2", "isn't x = 3", "2 is wrong" (from ``floor`` on only)."""
        window_start = max(floor, item.start - LOOKBACK, 0)
        window = self.folded[window_start : item.start]
        cut = max(window.rfind(ch) for ch in ".,;:!?\n")
        contrast = list(self.p.contrast.finditer(window))
        if contrast:
            cut = max(cut, contrast[-1].end() - 1)
        window = window[cut + 1 :]
        negations = list(self.p.negation.finditer(window))
        # "wouldn't it be 20", with or without its "?": a question that proposes 20.
        if negations and not NEGATIVE_QUESTION.fullmatch(window):
            between = _WORD.findall(window[negations[-1].end() :])
            if len(between) <= NEGATION_REACH and not self.p.blockers.intersection(between):
                return True
        rejected = self.p.rejection.match(self.folded, item.end)
        # "7/12, isn't it?" asks for a yes: a tag question, no rejection of 7/12.
        return rejected is not None and not self.folded[rejected.end() :].lstrip().startswith("?")

    def is_context(self, item: Located) -> bool:
        """Return True for a number that sets the scene: "in 6 minutes", "3/4 of 12".

        Not the size of a change: "it goes up by 3", "increased by 5".
        """
        before = self.folded[max(0, item.start - 24) : item.start]
        if CHANGE_BY.search(before):
            return False
        return self.p.preposition_before.search(before) is not None

    def is_operand(self, item: Located) -> bool:
        """Return True for a number an operation is done with: "divide by 4", "subtract 5"."""
        start, _ = self.sentence_of(item.start)
        before = self.folded[max(start, item.start - 40) : item.start]
        return OPERAND_BEFORE.search(before) is not None

    def is_label(self, item: Located) -> bool:
        """Return True for "step 3", "#2", or "1." opening a line of a list."""
        before = self.folded[max(0, item.start - 16) : item.start]
        if self.p.enumerator_before.search(before):
            return True
        day = self.folded[item.start : item.end]
        if day.isdigit() and 1 <= int(day) <= 31 and self.p.month_before.search(before):
            # "September 2, 1945": the day of a date with its year, not an answer.
            if YEAR_AFTER.match(self.folded, item.end):
                return True
        before = self.folded[max(0, item.start - 200) : item.start]
        line = before.rpartition("\n")[2]
        line_start = not line.strip() and ("\n" in before or item.start <= 200)
        after = self.folded[item.end : item.end + 2]
        numbered = line_start and len(after) == 2 and after[0] in ".)" and after[1] == " "
        # A list is numbered on more than one line: "1. ... 2. ...", unlike "x = 4. Check:".
        return numbered and self.folded[item.start : item.end].isdigit() and self._numbered_list

    @cached_property
    def _numbered_list(self) -> bool:
        return len(_NUMBERED_LINE.findall(self.folded[:MAX_LIST_SCAN])) > 1

    def is_bare(self, item: Located) -> bool:
        """Return True if no operator touches the candidate: "7/12, 5/12" lists bare ones."""
        before = self.folded[max(0, item.start - 40) : item.start].rstrip()[-1:]
        after = self.folded[item.end : item.end + 40].lstrip()[:1]
        inside = self.folded[item.start : item.end]
        # "x = 3" states a value; "3x = 9" is a step of working, not an alternative.
        if "=" in inside and not _STATED_VALUE.fullmatch(inside):
            return False
        return before not in _OPERATORS and after not in _OPERATORS

    def eligible(self, items: Sequence[T]) -> list[T]:
        """Keep the candidates that may be the answer: not reasons, questions, labels, operands
        ("divide by 4"), negated."""
        kept, floor = [], 0
        for item in items:
            if not (
                self.is_excluded(item)
                or self.is_label(item)
                or self.is_operand(item)
                or self.is_negated(item, floor)
            ):
                kept.append(item)
            floor = item.end
        return kept

    # --- choosing -----------------------------------------------------------------------

    def choose(self, items: Sequence[T]) -> T | None:
        """Return the answer among eligible ``items`` (in text order), or None."""
        if not items:
            return None
        picks: list[tuple[int, T]] = []
        starts = [item.start for item in items]
        for cue in self.cues:
            pick = self._after_cue(cue, items, bisect.bisect_left(starts, cue.end))
            if pick is not None:
                picks.append((cue.end, pick))
        for item in self._bare_answers(items):
            picks.append((item.start, item))
        if picks:
            return max(picks, key=lambda pick: pick[0])[1]
        plain = [item for item in items if not self.is_context(item)]
        return (plain or list(items))[-1]

    def _after_cue(self, cue: _Cue, items: Sequence[T], first: int) -> T | None:
        if first > 0 and items[first - 1].end > cue.end:
            return items[first - 1]  # the cue is inside it: "x - 2 = 4" picks itself
        _, sentence_end = self.sentence_of(cue.end)
        reach = STRONG_REACH if cue.strong else WEAK_REACH
        context: T | None = None
        for item in items[first:]:
            if item.start >= sentence_end or item.start - cue.end > MAX_CUE_GAP:
                break
            words = len(_WORD.findall(self.folded[cue.end : item.start]))
            if words > reach:
                break
            if words <= 1 or not self.is_context(item):
                return item
            context = context or item
        return context

    def _bare_answers(self, items: Sequence[T]) -> list[T]:
        """Return the candidate of each sentence that is little more than one candidate."""
        found, at_item = [], 0
        for start, end in self.sentences:
            while at_item < len(items) and items[at_item].start < start:
                at_item += 1
            inside = []
            while at_item < len(items) and items[at_item].start < end:
                inside.append(items[at_item])
                at_item += 1
            if not inside or len({self.text[i.start : i.end] for i in inside}) > 1:
                continue
            rest, at = [], start
            for item in inside:
                rest.append(self.folded[at : item.start])
                at = item.end
            rest.append(self.folded[at:end])
            words = _WORD.findall(" ".join(rest))
            unknown = [w for w in words if w not in self.p.filler_words]
            if len(unknown) <= SHORT_EXTRA_WORDS:
                found.append(inside[-1])
        return found

    # --- hedges -------------------------------------------------------------------------

    def is_hedge_gap(self, gap: str) -> bool:
        """Return True if ``gap`` between two candidates offers them as alternatives."""
        return self.p.hedge_gap.fullmatch(fold(gap)) is not None

    def hedge(self, items: Sequence[T], chosen: T, same: Callable[[T, T], bool]) -> T | None:
        """Return the last of a run of different alternatives holding ``chosen``, or None."""
        index = next((i for i, item in enumerate(items) if item is chosen), None)
        if index is None:
            return None
        first = last = index
        while first > 0 and self._alternatives(items[first - 1], items[first]):
            first -= 1
        while last + 1 < len(items) and self._alternatives(items[last], items[last + 1]):
            last += 1
        run = items[first : last + 1]
        if any(not same(run[0], other) for other in run[1:]):
            return run[-1]
        return None

    def _alternatives(self, first: Located, second: Located) -> bool:
        gap = self.folded[first.end : second.start]
        if len(gap) > MAX_HEDGE_GAP:
            return False
        if self.is_hedge_gap(gap):
            return True
        bare = self.is_bare(first) and self.is_bare(second)
        if bare and re.fullmatch(r"\s*[,;]\s*", gap):
            return True
        after = self.folded[second.end :].lstrip()[:1]
        return bare and re.fullmatch(r"\s*\?\s*", gap) is not None and after == "?"
