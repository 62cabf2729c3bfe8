"""Show a learner's per-skill mastery as a PNG bar chart (matplotlib, no pyplot)."""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import blended_transform_factory

from bot.services.progress_text import (
    SkillProgress,
    clamp_fraction,
    clip_text,
    whole_percent,
)

# Okabe-Ito colour-blind-safe palette; proficient and locked bars are also hatched, so a
# status never rests on colour alone. Proficient: at the gate, not yet confirmed on a
# later day; mastered: confirmed.
STATUS_COLOURS: dict[str, str] = {
    "mastered": "#009E73",
    "proficient": "#56B4E9",
    "learning": "#E69F00",
    "locked": "#BBBBBB",
}
HATCHES: dict[str, str] = {"proficient": "..", "locked": "///"}
DUE_COLOUR = "#D55E00"
TRACK_COLOUR = "#EEEEEE"
HATCH_COLOUR = "#8C8C8C"
_BAR: dict[str, Any] = {"height": 0.64, "edgecolor": HATCH_COLOUR, "linewidth": 0}  # hatch colour
_DUE: dict[str, Any] = {"va": "center", "color": DUE_COLOUR, "fontweight": "bold"}
FONT = "DejaVu Sans"  # bundled with matplotlib, so no system fonts or downloads are needed
_LEGEND: dict[str, Any] = {
    "ncols": 5,
    "frameon": False,
    "prop": {"family": FONT, "size": 10},
    # five entries beside the bars: tighter than matplotlib's spacing, so they fit
    "handlelength": 1.4,
    "handletextpad": 0.5,
    "columnspacing": 1.0,
}
_LABEL_BOX = {"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"}
DPI = 100
WIDTH_PX, ROW_PX = 800, 40
TOP_PX, BOTTOM_PX, LEFT_PX, RIGHT_PX = 78, 42, 250, 90


@cache
def _font_charmap() -> frozenset[int]:
    """List the code points the chart font can draw."""
    path = font_manager.findfont(font_manager.FontProperties(family=FONT))
    return frozenset(FT2Font(path).get_charmap())


def _drawable(text: str) -> str:
    """Drop characters (such as emoji) that the chart font has no glyph for."""
    charmap = _font_charmap()
    return " ".join("".join(ch for ch in text if ord(ch) in charmap).split())


def _label(skill: SkillProgress) -> str:
    """Wrap a skill title onto at most two lines for the y axis."""
    lines = textwrap.wrap(_drawable(skill.title) or skill.skill_id, 30) or ["?"]
    if len(lines) > 2:
        lines = [lines[0], clip_text(" ".join(lines[1:]), 30)]
    return "\n".join(lines)


def _text(target: Axes | Figure, x: float, y: float, text: str, **style: Any) -> Text:
    """Place text in the bundled font with mathtext (`$...$`) parsing switched off."""
    style = {"fontfamily": FONT, "fontsize": 10, "parse_math": False, **style}
    return target.text(x, y, text, **style)


def _shrink_to_fit(texts: Iterable[Text], max_px: float, renderer: RendererAgg) -> None:
    """Lower the font size of texts wider than `max_px` until they fit (or reach 6 pt)."""
    for text in texts:
        size = float(text.get_fontsize())
        while text.get_window_extent(renderer).width > max_px and size > 6:
            size -= 0.5
            text.set_fontsize(size)


def _hatch(status: str) -> str | None:
    """Hatch proficient and locked bars so status does not rest on colour alone."""
    return HATCHES.get(status)


def _draw_bars(
    fig: Figure, skills: Sequence[SkillProgress], threshold: float, height_px: int
) -> Axes:
    """Draw one horizontal bar per skill with the threshold, labels and legend."""
    bottom, top = BOTTOM_PX / height_px, 1 - TOP_PX / height_px
    ax = fig.add_axes(
        (LEFT_PX / WIDTH_PX, bottom, 1 - (LEFT_PX + RIGHT_PX) / WIDTH_PX, top - bottom)
    )
    right_column = blended_transform_factory(ax.transAxes, ax.transData)
    for row, skill in enumerate(skills):
        value = clamp_fraction(skill.p_known)
        colour = STATUS_COLOURS.get(skill.status, STATUS_COLOURS["locked"])
        ax.barh(row, 1.0, color=TRACK_COLOUR, hatch=_hatch(skill.status), **_BAR)
        ax.barh(row, value, color=colour, hatch=_hatch(skill.status), **_BAR)
        _text(
            ax,
            value + 0.012,
            row,
            f"{whole_percent(value)}%",
            va="center",
            zorder=4,
            bbox=_LABEL_BOX,
        )
        if skill.due_reviews > 0:
            due = f"{skill.due_reviews} due" if skill.due_reviews < 100 else "99+ due"
            _text(ax, 1.015, row, f"● {due}", transform=right_column, **_DUE)
    ax.axvline(clamp_fraction(threshold), color="#333333", linestyle="--", linewidth=1.3, zorder=3)
    ax.set_xlim(0, 1.1)
    ax.set_ylim(len(skills) - 0.5, -0.5)  # first skill at the top
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    ax.set_xticks(ticks, [f"{round(t * 100)}%" for t in ticks], fontfamily=FONT, color="#555555")
    labels = [_label(s) for s in skills]
    ax.set_yticks(range(len(skills)), labels, fontfamily=FONT, fontsize=10, parse_math=False)
    ax.tick_params(axis="y", length=0)
    ax.spines[["top", "right"]].set_visible(False)
    ax.spines["bottom"].set_bounds(0, 1)
    handles: list[Artist] = [
        Patch(facecolor=colour, edgecolor=HATCH_COLOUR, lw=0, hatch=_hatch(status), label=status)
        for status, colour in STATUS_COLOURS.items()
    ]
    handles.append(
        Line2D([], [], color="#333333", ls="--", label=f"goal {whole_percent(threshold)}%")
    )
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1), **_LEGEND)
    return ax


def render_mastery_chart(
    course_title: str, skills: Sequence[SkillProgress], threshold: float = 0.95
) -> bytes:
    """Render per-skill mastery as a horizontal bar chart PNG."""
    height_px = TOP_PX + BOTTOM_PX + ROW_PX * max(1, len(skills))
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    try:
        title = clip_text(_drawable(course_title), 60) or "Mastery"
        renderer = canvas.get_renderer()
        heading = _text(fig, 0.015, 1 - 12 / height_px, title, va="top", fontsize=14, weight="bold")
        _shrink_to_fit([heading], WIDTH_PX - 24, renderer)
        if skills:
            ax = _draw_bars(fig, skills, threshold, height_px)
            _shrink_to_fit(ax.get_yticklabels(), LEFT_PX - 12, renderer)
        else:
            _text(fig, 0.5, 0.4, "No skills yet", ha="center", fontsize=12, color="#555555")
        buffer = io.BytesIO()
        canvas.print_png(buffer)
        return buffer.getvalue()
    finally:
        fig.clear()  # drop artists now rather than waiting for the garbage collector
