"""The mastery chart and its text fallback stay readable, sized and within chat limits."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from PIL import Image

from bot.services.charts import STATUS_COLOURS, render_mastery_chart
from bot.services.progress_text import SkillProgress, progress_lines

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def skill(
    n: int, status: str = "learning", p_known: float = 0.5, due: int = 0, title: str = ""
) -> SkillProgress:
    """Build a skill with a numbered id and title."""
    return SkillProgress(f"s{n}", title or f"Skill {n}", status, p_known, due)  # type: ignore[arg-type]


def decode(png: bytes) -> Image.Image:
    """Decode PNG bytes into an RGB image."""
    assert png.startswith(PNG_SIGNATURE)
    return Image.open(io.BytesIO(png)).convert("RGB")


def pixels_near(image: Image.Image, hex_colour: str, tolerance: int = 6) -> int:
    """Count pixels within `tolerance` of a colour on every channel."""
    target = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    distance = np.abs(np.asarray(image, dtype=int) - target).max(axis=2)
    return int((distance <= tolerance).sum())


def test_chart_is_png_and_grows_with_skills() -> None:
    one = decode(render_mastery_chart("Fractions", [skill(1)]))
    ten = decode(render_mastery_chart("Fractions", [skill(n) for n in range(10)]))
    assert one.width == ten.width == 800
    assert ten.height - one.height == 9 * 40


def test_bar_colour_follows_status() -> None:
    mastered = decode(render_mastery_chart("C", [skill(1, "mastered", 0.97)]))
    locked = decode(render_mastery_chart("C", [skill(1, "locked", 0.97)]))
    green = STATUS_COLOURS["mastered"]
    # Both images share the legend swatches, so the bar itself makes the difference.
    assert pixels_near(mastered, green) > pixels_near(locked, green) + 5_000
    assert (
        pixels_near(locked, STATUS_COLOURS["locked"])
        > pixels_near(mastered, STATUS_COLOURS["locked"]) + 2_000
    )
    assert mastered.tobytes() != locked.tobytes()


def test_bar_length_follows_p_known() -> None:
    low = decode(render_mastery_chart("C", [skill(1, "learning", 0.2)]))
    high = decode(render_mastery_chart("C", [skill(1, "learning", 0.8)]))
    colour = STATUS_COLOURS["learning"]
    assert pixels_near(high, colour) > 3 * pixels_near(low, colour) > 0


def test_empty_emoji_and_many_skills_render() -> None:
    empty = decode(render_mastery_chart("Nothing here", []))
    assert empty.width == 800 and empty.height < 300
    emoji = [
        skill(1, title="Pizza fractions 🍕🍕 — ½ + ⅓ = ?"),
        skill(2, title="$x^2$ and {braces}"),
    ]
    assert decode(render_mastery_chart("Émoji course 🚀", emoji)).height > 0
    many = [skill(n, ("mastered", "learning", "locked")[n % 3], n / 60, n % 4) for n in range(60)]
    long_title = "A very long skill title that goes on and on about adding unlike fractions " * 3
    many.append(skill(60, title=long_title))
    assert decode(render_mastery_chart("Big course", many)).height == 120 + 61 * 40


def test_text_bars_fill_and_summary() -> None:
    skills = [
        skill(1, "locked", 0.0),
        skill(2, "learning", 0.5, due=3),
        skill(3, "mastered", 1.0, due=1),
    ]
    lines = progress_lines("Fractions", skills).splitlines()
    assert lines[0].startswith("Fractions")
    assert lines[1].startswith("[----------]   0% locked 🔒")
    assert lines[2].startswith("[#####-----]  50% learning")
    assert lines[2].endswith("Skill 2 · 3 due")
    assert lines[3].startswith("[##########] 100% mastered ✓")
    assert "due" not in lines[1]
    assert lines[-1] == "1 of 3 skills mastered · 4 reviews due"


def test_text_for_no_skills_says_so() -> None:
    text = progress_lines("Fractions", [])
    assert "nothing to show yet" in text
    assert "[" not in text


def test_text_stays_short_with_many_long_titles() -> None:
    title = "Adding and subtracting fractions with unlike denominators in word problems"
    skills = [skill(n, "learning", n / 40, due=n % 3, title=f"{title} {n}") for n in range(40)]
    text = progress_lines("A course with a rather long title " * 5, skills)
    assert len(text) <= 1900
    assert "…and 10 more skills" in text
    assert text.count("\n[") == 30
    assert text.endswith("0 of 40 skills mastered · 39 reviews due")


def test_chart_renders_identically_from_many_threads() -> None:
    skills = [skill(n, ("mastered", "learning", "locked")[n % 3], n / 8, n % 2) for n in range(8)]
    expected = render_mastery_chart("Threads", skills)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_mastery_chart("Threads", skills), range(8)))
    assert all(png == expected for png in results)


def test_proficient_is_drawn_and_counted_apart_from_mastered() -> None:
    proficient = decode(render_mastery_chart("C", [skill(1, "proficient", 0.97)]))
    mastered = decode(render_mastery_chart("C", [skill(1, "mastered", 0.97)]))
    blue, green = STATUS_COLOURS["proficient"], STATUS_COLOURS["mastered"]
    assert pixels_near(proficient, blue) > pixels_near(mastered, blue) + 3_000
    assert pixels_near(mastered, green) > pixels_near(proficient, green) + 5_000
    text = progress_lines(
        "C",
        [skill(1, "mastered", 0.98), skill(2, "proficient", 0.96), skill(3, "proficient", 0.95)],
    )
    lines = text.splitlines()
    assert lines[2].startswith("[##########]  96% proficient · Skill 2")
    assert (
        lines[-1] == "1 of 3 skills mastered · 2 proficient, to confirm in review · no reviews due"
    )
