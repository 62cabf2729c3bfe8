"""Congratulations to a member who masters the course, and its certificate as a small PNG.

The certificate (when the cohort gives them) is drawn with matplotlib's object API (no
pyplot) off the event loop; it is a few tens of kilobytes, small enough to travel in an
outbox row.
"""

from __future__ import annotations

import asyncio
import base64
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from bot.scheduling.rules import zone
from bot.services.charts import _drawable, _text
from bot.services.cohort_access import CohortInfo
from bot.services.cohort_posts import Outgoing, direct_message, waking_at
from bot.services.progress_text import clip_text
from bot.store.cohort_events import NewEvent
from bot.store.cohorts_sweeps import Contact

__all__ = [
    "COHORT_DONE",
    "DONE",
    "Certificate",
    "attach_certificates",
    "plan_done",
    "render_certificate",
]

COHORT_DONE = "cohort_done"
DONE = "done"  # the event kind: key is the member

WIDTH, HEIGHT, DPI = 640, 420, 80


@dataclass(frozen=True)
class Certificate:
    """What a certificate says: who, which course, in which cohort, and when."""

    name: str
    course_title: str
    cohort_title: str
    on: datetime  # the day it was earned, in the member's zone


def render_certificate(certificate: Certificate) -> bytes:
    """Draw the certificate and return it as PNG bytes."""
    fig = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    frame = Rectangle((0.03, 0.04), 0.94, 0.92, transform=fig.transFigure, fill=False)
    frame.set(edgecolor="#0072B2", linewidth=3)
    fig.add_artist(frame)
    name = clip_text(_drawable(certificate.name), 40) or "A member"
    course = clip_text(_drawable(certificate.course_title), 50)
    cohort = clip_text(_drawable(certificate.cohort_title), 50)
    lines: list[tuple[float, str, dict[str, Any]]] = [
        (0.82, "Certificate of completion", {"fontsize": 20, "weight": "bold"}),
        (0.66, "This certifies that", {"fontsize": 11}),
        (0.54, name, {"fontsize": 22, "weight": "bold", "color": "#0072B2"}),
        (0.41, "has mastered every skill of", {"fontsize": 11}),
        (0.31, course, {"fontsize": 15, "weight": "bold"}),
        (0.21, f"in {cohort}" if cohort else "", {"fontsize": 11}),
        (0.11, f"{certificate.on:%d %B %Y}", {"fontsize": 10, "color": "#555555"}),
    ]
    for y, text, style in lines:
        _text(fig, 0.5, y, text, ha="center", va="center", **style)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()


def plan_done(
    cohort: CohortInfo, course_title: str, member: Contact, now: datetime
) -> Outgoing | None:
    """Congratulations to a member who mastered the course, in their waking hours."""
    if member.unreachable_at is not None:
        return None
    text = (
        f"Congratulations! You've mastered every skill of {course_title} in {cohort.title}. "
        "Reviews will still come by now and then, so it stays yours."
    )
    if cohort.certificates:
        text += " Here is your certificate."
    event = NewEvent(cohort.id, member.user_id, DONE, str(member.user_id), now)
    payload: dict[str, Any] = {"text": text, "cohort_id": cohort.id}
    key = f"cohort-done:{cohort.id}:{member.user_id}"
    message = direct_message(member, COHORT_DONE, payload, key, waking_at(now, member), now)
    certificate = (
        Certificate(
            member.display_name or "A member",
            course_title,
            cohort.title,
            now.astimezone(zone(member.timezone)),
        )
        if cohort.certificates
        else None
    )
    return Outgoing(event, [message], certificate)


async def attach_certificates(outgoing: list[Outgoing]) -> None:
    """Draw each certificate off the event loop and attach it to its message."""
    for item in outgoing:
        if item.certificate is None:
            continue
        png = await asyncio.to_thread(render_certificate, item.certificate)
        attachment = {
            "filename": "certificate.png",
            "content_type": "image/png",
            "data_b64": base64.b64encode(png).decode("ascii"),
        }
        first = item.messages[0]
        item.messages[0] = first._replace(payload={**first.payload, "attachment": attachment})
