"""Show a learner's per-skill mastery as chat text (no plotting library needed)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# mastered: confirmed by a spaced check; proficient: at the gate, waiting for that check.
Status = Literal["mastered", "proficient", "learning", "locked"]

MAX_CHARS = 1900
BAR_WIDTH = 10
# (skills listed before summarising the rest, longest title), tried in order until the text fits.
_LAYOUTS = [(shown, limit) for shown in (30, 25, 20) for limit in range(48, 11, -2)]
_STATUS_WORDS = {
    "mastered": "mastered ✓",
    "proficient": "proficient",
    "learning": "learning",
    "locked": "locked 🔒",
}


@dataclass(frozen=True)
class SkillProgress:
    """Hold one skill's mastery estimate and review load for display."""

    skill_id: str
    title: str
    status: Status
    p_known: float
    due_reviews: int
    attempts: int = 0


def clamp_fraction(value: float) -> float:
    """Clamp a probability into 0..1, treating NaN as 0."""
    return 0.0 if math.isnan(value) else max(0.0, min(1.0, value))


def whole_percent(value: float) -> int:
    """Round a probability to a whole percent, halves up."""
    return math.floor(clamp_fraction(value) * 100 + 0.5)


def text_bar(value: float, width: int = BAR_WIDTH) -> str:
    """Draw a bar such as `[######----]` for a probability."""
    filled = math.floor(clamp_fraction(value) * width + 0.5)
    return "[" + "#" * filled + "-" * (width - filled) + "]"


def clip_text(text: str, limit: int) -> str:
    """Squash whitespace and shorten to `limit` characters, preferring a word break."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "…"


def _reviews(count: int) -> str:
    """Describe a number of due reviews."""
    return "no reviews due" if count == 0 else f"{count} review{'s' * (count != 1)} due"


def _skill_line(skill: SkillProgress, title_limit: int) -> str:
    """Format one skill as a single chat line."""
    due = f" · {skill.due_reviews} due" if skill.due_reviews > 0 else ""
    status = _STATUS_WORDS.get(skill.status, skill.status)
    title = clip_text(skill.title, title_limit) or skill.skill_id
    return f"{text_bar(skill.p_known)} {whole_percent(skill.p_known):>3}% {status} · {title}{due}"


def progress_lines(
    course_title: str, skills: Sequence[SkillProgress], threshold: float = 0.95
) -> str:
    """Summarise mastery per skill as chat text of at most 1,900 characters."""
    title = clip_text(course_title, 80) or "This course"
    if not skills:
        return f"{title}: nothing to show yet. Start practising and your progress will appear here."
    header = f"{title} · mastery (goal {whole_percent(threshold)}%)"
    mastered = sum(s.status == "mastered" for s in skills)
    proficient = sum(s.status == "proficient" for s in skills)
    due = sum(max(0, s.due_reviews) for s in skills)
    footer = f"{mastered} of {len(skills)} skills mastered"
    if proficient:
        footer += f" · {proficient} proficient, to confirm in review"
    footer += f" · {_reviews(due)}"
    text = header
    for shown, title_limit in _LAYOUTS:
        lines = [header, *(_skill_line(s, title_limit) for s in skills[:shown])]
        rest = skills[shown:]
        if rest:
            rest_mastered = sum(s.status == "mastered" for s in rest)
            rest_proficient = sum(s.status == "proficient" for s in rest)
            rest_due = sum(max(0, s.due_reviews) for s in rest)
            also = f" · {rest_proficient} proficient" if rest_proficient else ""
            lines.append(
                f"…and {len(rest)} more skill{'s' * (len(rest) != 1)}: "
                f"{rest_mastered} mastered{also} · {_reviews(rest_due)}"
            )
        text = "\n".join([*lines, footer])
        if len(text.encode("utf-16-le")) // 2 <= MAX_CHARS:  # Discord counts UTF-16 units
            return text
    return text[: MAX_CHARS - 1] + "…"
