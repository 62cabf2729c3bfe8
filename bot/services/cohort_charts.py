"""A cohort's chart: a members × skills heatmap and the cohort's mastery over time (PNG).

Drawn with matplotlib's object API (no pyplot); callers render it off the event loop.
Over time is read from when each skill last reached the gate and when a check confirmed
it: a skill that dropped back since counts from its latest gate, not its first.
"""

from __future__ import annotations

import io
import textwrap
from datetime import datetime, timedelta

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from bot.services.charts import FONT, STATUS_COLOURS, _drawable, _text
from bot.services.cohort_status import StatusReport
from bot.services.progress_text import clip_text

__all__ = ["MAX_ROWS", "render_cohort_chart"]

MAX_ROWS = 40  # members drawn in the heatmap (stuck first); the CSV has everyone
LEVELS = ("not started", "learning", "proficient", "mastered")
COLOURS = ("#F2F2F2", STATUS_COLOURS["learning"], STATUS_COLOURS["proficient"], "#009E73")
DPI = 100


def _rows(report: StatusReport) -> list[tuple[str, list[int]]]:
    """Members to draw (stuck first, then by name) with one level per skill."""
    members = sorted(report.members, key=lambda m: (not m.stuck, m.name.casefold()))
    return [
        (
            clip_text(_drawable(m.name) or f"member {m.user_id}", 24),
            [LEVELS.index(m.skills.get(skill, "not started")) for skill, _ in report.skills],
        )
        for m in members[:MAX_ROWS]
    ]


def _over_time(report: StatusReport) -> tuple[list[datetime], list[float], list[float]]:
    """Daily share of member-skills at the goal or beyond, and confirmed, up to now."""
    pairs = max(1, len(report.members) * len(report.skills))
    reached = [r for r, _ in report.reached.values() if r is not None]
    confirmed = [c for _, c in report.reached.values() if c is not None]
    first = min(reached + confirmed, default=report.generated_at)
    days, at_goal, mastered = [], [], []
    day = first.replace(hour=23, minute=59, second=59, microsecond=0)
    end = report.generated_at
    while True:
        moment = min(day, end)
        days.append(moment)
        at_goal.append(100 * sum(1 for r in reached if r <= moment) / pairs)
        mastered.append(100 * sum(1 for c in confirmed if c <= moment) / pairs)
        if moment >= end or len(days) > 366:
            return days, at_goal, mastered
        day += timedelta(days=1)


def _skill_label(skill_id: str, title: str) -> str:
    """A skill title on at most three short lines, for the top of a heatmap column."""
    lines = textwrap.wrap(_drawable(title) or skill_id, 16) or ["?"]
    if len(lines) > 3:
        lines = [*lines[:2], clip_text(" ".join(lines[2:]), 16)]
    return "\n".join(lines)


def _heatmap(fig: Figure, report: StatusReport, box: tuple[float, float, float, float]) -> None:
    """Members down, skills across (labels on top), one colour per status, legend above."""
    rows = _rows(report)
    heat = fig.add_axes(box)
    if not rows:
        heat.set_axis_off()
        heat.text(0.5, 0.5, "No members yet", ha="center", fontfamily=FONT, fontsize=12)
        return
    cmap = ListedColormap(list(COLOURS))
    norm = BoundaryNorm([-0.5, 0.5, 1.5, 2.5, 3.5], cmap.N)
    heat.imshow(
        [levels for _, levels in rows], aspect="auto", cmap=cmap, norm=norm, interpolation="nearest"
    )
    heat.set_yticks(range(len(rows)), [name for name, _ in rows], fontfamily=FONT, fontsize=8)
    labels = [_skill_label(s, t) for s, t in report.skills]
    heat.xaxis.tick_top()
    heat.set_xticks(range(len(labels)), labels, fontfamily=FONT, fontsize=8)
    heat.tick_params(length=0)


def _over_time_axes(
    fig: Figure, report: StatusReport, box: tuple[float, float, float, float]
) -> None:
    """The share of member-skills at the goal, and confirmed, day by day."""
    line = fig.add_axes(box)
    days, at_goal, mastered = _over_time(report)
    when = [float(date2num(day)) for day in days]
    line.plot(when, at_goal, color=STATUS_COLOURS["proficient"], label="at the goal or beyond")
    line.plot(when, mastered, color=COLOURS[3], label="mastered (checked later)")
    locator = AutoDateLocator()
    line.xaxis.set_major_locator(locator)
    line.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    line.set_ylim(0, 100)
    line.set_ylabel("% of member-skills", fontfamily=FONT, fontsize=9)
    line.legend(loc="upper left", frameon=False, prop={"family": FONT, "size": 9})
    line.tick_params(labelsize=8)
    line.spines[["top", "right"]].set_visible(False)


def render_cohort_chart(report: StatusReport) -> bytes:
    """Render the heatmap and the mastery-over-time line as one PNG."""
    rows = max(len(report.members[:MAX_ROWS]), 4)
    top, heat_px, gap, line_px, bottom = 125, 18 * rows, 40, 190, 45
    height = top + heat_px + gap + line_px + bottom
    width = max(800, 200 + 100 * len(report.skills))
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    try:
        title = clip_text(_drawable(f"{report.title}: {report.course_title}"), 70) or "Cohort"
        _text(fig, 12 / width, 1 - 10 / height, title, va="top", fontsize=14, weight="bold")
        if len(report.members) > MAX_ROWS:
            shown = f"{MAX_ROWS} of {len(report.members)} members (stuck first)"
            _text(fig, 1 - 12 / width, 1 - 14 / height, shown, va="top", ha="right", fontsize=9)
        handles = [
            Patch(facecolor=c, edgecolor="#8C8C8C", lw=0.5, label=level)
            for level, c in zip(LEVELS, COLOURS, strict=True)
        ]
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(170 / width, 1 - 36 / height),
            ncols=4,
            frameon=False,
            prop={"family": FONT, "size": 9},
        )
        left, span = 170 / width, 1 - 200 / width
        _heatmap(fig, report, (left, 1 - (top + heat_px) / height, span, heat_px / height))
        _over_time_axes(fig, report, (left, bottom / height, span, line_px / height))
        buffer = io.BytesIO()
        canvas.print_png(buffer)
        return buffer.getvalue()
    finally:
        fig.clear()
