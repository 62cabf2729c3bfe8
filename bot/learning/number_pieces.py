"""The pieces number words are read from: each word of a text with its kind and value.

A word is looked up once in the vocabulary of its language (English always, and the
course language when ``number_vocab`` knows it); a compound ("einundzwanzig") is split
into known pieces in a bounded number of steps. ``number_words`` reads numbers from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from bot.learning.language_cues import cues_for, language_code
from bot.learning.number_vocab import VOCABS, NumberVocab

__all__ = ["Piece", "Vocab", "may_hold_number", "pieces", "vocab"]

MAX_WORD: Final = 40  # longer words are never split into number pieces
_TOKEN: Final = re.compile(r"[^\W\d_]+|\d+")
_COMPOUNDING: Final = frozenset({"de", "it", "es"})
# Every number phrase holds one of these; an article, a sign or a digit alone never reads.
_NUMBER_KINDS: Final = frozenset({"card", "mul", "den", "half", "special"})


@dataclass(frozen=True)
class Piece:
    kind: str  # card mul den art conn sign point half special marker digit word
    value: int
    word: str
    start: int
    end: int
    joined: bool  # glued to the piece before: same word, or a hyphen between
    linked: bool  # only spaces or hyphens since the piece before


@dataclass(frozen=True)
class Vocab:
    words: NumberVocab
    kinds: dict[str, tuple[str, int]]
    pieces: frozenset[str]  # what a compound word may be made of
    prefixes: frozenset[str]
    longest: int
    compounding: bool
    determiners: frozenset[str]
    copulas: frozenset[str]


@lru_cache(maxsize=8)
def vocab(language: str) -> Vocab:
    code = language_code(language)
    own = [VOCABS["en"]] + ([VOCABS[code]] if code != "en" and code in VOCABS else [])
    kinds: dict[str, tuple[str, int]] = {}
    for vocab in own:
        table: list[tuple[str, dict[str, int]]] = [
            ("card", vocab.cardinals),
            ("mul", vocab.multipliers),
            ("den", vocab.denominators),
            ("art", dict.fromkeys(vocab.articles, 1)),
            ("conn", dict.fromkeys(vocab.connectors, 0)),
            ("sign", dict.fromkeys(vocab.signs, 0)),
            ("point", dict.fromkeys(vocab.points, 0)),
            ("half", dict.fromkeys(vocab.halves, 2)),
            ("special", {w: i for i, w in enumerate(vocab.specials)}),
            ("marker", dict.fromkeys(vocab.den_markers, 0)),
        ]
        for kind, words in table:
            for word, value in words.items():
                kinds[word] = (kind, value)
    merged = NumberVocab(
        cardinals={},
        multipliers={},
        denominators={},
        articles=frozenset(),
        connectors=frozenset(),
        signs=frozenset(),
        points=frozenset(),
        percents=tuple(p for vocab in own for p in vocab.percents),
        specials={k: v for vocab in own for k, v in vocab.specials.items()},
        standalone=frozenset(w for vocab in own for w in vocab.standalone),
    )
    parts = {w for w, (kind, _) in kinds.items() if kind not in ("sign", "point", "marker")}
    return Vocab(
        words=merged,
        kinds=kinds,
        pieces=frozenset(parts),
        prefixes=frozenset(w[:3] for w in parts),
        longest=max(map(len, parts)),
        compounding=code in _COMPOUNDING,
        determiners=frozenset(cues_for(code).determiners),
        copulas=frozenset(w for w in cues_for(code).copulas if " " not in w),
    )


def _split(word: str, vocab: Vocab) -> list[tuple[int, int]] | None:
    """Split a compound into known pieces (longest first), or None."""
    if len(word) > MAX_WORD or word[:3] not in vocab.prefixes:
        return None
    reach: dict[int, tuple[int, int] | None] = {0: None}
    for i in range(len(word)):
        if i not in reach:
            continue
        for k in range(min(vocab.longest, len(word) - i), 1, -1):
            if i + k not in reach and word[i : i + k] in vocab.pieces:
                reach[i + k] = (i, i + k)
    if len(word) not in reach:
        return None
    spans: list[tuple[int, int]] = []
    at = len(word)
    while at:
        span = reach[at]
        assert span is not None
        spans.append(span)
        at = span[0]
    return spans[::-1] if len(spans) > 1 else None


def pieces(folded: str, vocab: Vocab) -> list[Piece]:
    pieces: list[Piece] = []
    last_end = 0
    for match in _TOKEN.finditer(folded):
        word, start, end = match.group(0), match.start(), match.end()
        gap = folded[last_end:start]
        linked = not pieces or not gap.strip(" \t-")
        joined = bool(pieces) and linked and "-" in gap and not gap.strip("-")
        last_end = end
        if word.isdigit():
            clean = folded[start - 1 : start] not in (".", ",", "/") and not re.match(
                r"[.,/]\d|[.,]?\d", folded[end : end + 2]
            )
            kind = "digit" if clean and len(word) <= 9 else "word"
            # only a digit piece's value is read; a longer run of digits is never one
            value = int(word) if kind == "digit" else 0
            pieces.append(Piece(kind, value, word, start, end, joined, linked))
            continue
        found = vocab.kinds.get(word)
        if found is not None:
            pieces.append(Piece(found[0], found[1], word, start, end, joined, linked))
            continue
        spans = _split(word, vocab) if vocab.compounding else None
        if spans is None:
            pieces.append(Piece("word", 0, word, start, end, joined, linked))
            continue
        for n, (a, b) in enumerate(spans):
            kind, value = vocab.kinds[word[a:b]]
            glued = n > 0 or joined
            # The later pieces of one word always follow on, whatever came before the word.
            piece = Piece(kind, value, word[a:b], start + a, start + b, glued, linked or n > 0)
            pieces.append(piece)
    return pieces


def may_hold_number(folded: str, vocab: Vocab) -> bool:
    """Return False when no word of ``folded`` can be part of a number phrase (most texts)."""
    for word in _TOKEN.findall(folded):
        found = vocab.kinds.get(word)
        if found is not None:
            if found[0] in _NUMBER_KINDS:
                return True
        elif vocab.compounding and not word.isdigit() and _split(word, vocab) is not None:
            return True
    return False
