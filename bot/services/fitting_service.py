"""Fit the learning model to this deployment's own logs: `tutor fit` and the weekly job.

Per course (installed, and the newest version of each one uploaded anywhere): BKT
parameters per skill from every learner's graded attempts (a skill is fitted once it has
``fitting.MIN_LEARNERS`` learners and ``fitting.MIN_RESPONSES`` answers; the course's
parameters stay until then), every attempted item's difficulty
(Elo, from its authored level), and, when asked (``FIT_MEMORY``), FSRS weights from the
course's review logs once there are ``memory_fitting.MIN_REVIEWS`` reviews a day apart on
``memory_fitting.MIN_CARDS`` cards. Results are stored with their date and data size and
used from the next turn on. Only attempts within ``ATTEMPTS_KEEP_DAYS`` are read, whether or
not the daily prune has deleted the older ones yet.

The numbers are crunched in a separate process (the FSRS optimiser holds the interpreter
lock while it runs), started from a worker thread: the event loop never waits on them.
The fitting code (and numpy) is imported there too, not when the tutor starts.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Final

from sqlalchemy.orm import Session

from bot.content.catalog import Catalog
from bot.content.loader import check_content
from bot.learning import memory_fitting
from bot.services.course_catalog import LiveCatalog
from bot.settings import Settings
from bot.store import attempt_retention
from bot.store import course_visibility as visibility_store
from bot.store import fitted as fitted_store
from bot.store.db import Database
from bot.store.types import utc_now

__all__ = [
    "FIT_CHECK_SECONDS",
    "FIT_EVERY",
    "FitReport",
    "fit_parameters",
    "fit_when_due",
    "run_fit",
]

if TYPE_CHECKING:
    from bot.learning.course_fit import CourseFit

log = logging.getLogger(__name__)

FIT_EVERY: Final = timedelta(days=7)
FIT_CHECK_SECONDS: Final = 3600.0  # how often the job looks whether a fit is due
STALE_RUN: Final = timedelta(hours=6)  # a run started this long ago and not ended has died
_ROOT: Final = Path(__file__).resolve().parents[2]  # where `bot` is, for the fitting process


@dataclass(frozen=True)
class FitReport:
    """What one fitting run found, course by course."""

    courses: list[CourseFit]
    memory: bool  # whether memory fitting was asked for

    @property
    def skills_fitted(self) -> int:
        """Count the skills whose parameters were fitted."""
        return sum(s.fitted for c in self.courses for s in c.skills.values())

    @property
    def attempts(self) -> int:
        """Count the attempts read."""
        return sum(c.attempts for c in self.courses)

    def lines(self) -> list[str]:
        """Describe the run for the person who ran `tutor fit`."""
        from bot.learning import fitting

        out: list[str] = []
        for course in self.courses:
            out.append(f"{course.course_id}: {course.attempts:,} graded attempts")
            fitted = {k: v for k, v in course.skills.items() if v.fitted}
            out.append(
                f"  BKT fitted for {len(fitted)} of {len(course.skills)} skills with attempts "
                f"(a skill needs {fitting.MIN_LEARNERS} learners and "
                f"{fitting.MIN_RESPONSES} answers; the others keep the course's parameters)"
            )
            for skill, fit in sorted(fitted.items()):
                p = fit.params
                out.append(
                    f"    {skill}: prior {p.prior:.2f}, learn {p.learn:.2f}, slip {p.slip:.2f}, "
                    f"guess {p.guess:.2f} ({fit.learners} learners, {fit.responses} answers)"
                )
            out.append(f"  item difficulty rated for {len(course.items)} items")
            out.append("  " + _memory_line(course, self.memory))
        if not self.courses:
            out.append("No courses to fit.")
        return out


def _memory_line(course: CourseFit, asked: bool) -> str:
    """Say what became of the course's review scheduler."""
    if not asked or course.memory is None:
        return "memory: not fitted (FIT_MEMORY is off); FSRS default weights"
    fit = course.memory
    have = f"{fit.reviews:,} reviews a day apart on {fit.cards:,} cards"
    if fit.fitted:
        return f"memory: FSRS weights optimised from {have}"
    return (
        f"memory: default FSRS weights kept ({have}; optimising needs "
        f"{memory_fitting.MIN_REVIEWS:,} on {memory_fitting.MIN_CARDS} cards)"
    )


async def fit_parameters(
    database: Database,
    catalog: Catalog,
    now: datetime,
    *,
    memory: bool = False,
    keep_days: int = 0,
) -> FitReport:
    """Fit every course's parameters from its logs now, store them, and report.

    With ``keep_days`` (``ATTEMPTS_KEEP_DAYS``) only that many days of attempts are read.
    """
    run_id = await database.run(fitted_store.start_fit_run, now)
    return await _fit(database, catalog, now, run_id, memory=memory, keep_days=keep_days)


async def fit_when_due(
    database: Database,
    catalog: Catalog,
    clock: Callable[[], datetime],
    *,
    memory: bool = False,
    keep_days: int = 0,
    every: timedelta = FIT_EVERY,
) -> FitReport | None:
    """Fit when no run ended in the last ``every`` (the weekly job); None when not due.

    The last run's date is in the database: a restart neither fits again early nor
    skips a week, and of several workers on one database only one fits.
    """
    now = clock()
    run_id = await database.run(
        fitted_store.claim_fit_run, now, every.total_seconds(), STALE_RUN.total_seconds()
    )
    if run_id is None:
        return None
    return await _fit(database, catalog, now, run_id, memory=memory, keep_days=keep_days)


async def _fit(
    database: Database,
    catalog: Catalog,
    now: datetime,
    run_id: int,
    *,
    memory: bool,
    keep_days: int,
) -> FitReport:
    """Read the logs (attempts within the kept window), fit off the event loop, store."""
    since = attempt_retention.kept_since(now, keep_days)
    inputs = await database.run(_read_logs, catalog, memory, since)
    fits = await asyncio.to_thread(_fit_in_process, inputs)
    report = FitReport(fits, memory)
    await database.run(_store_fits, report, now, run_id)
    log.info(
        "fitted %d skills and rated items in %d courses from %d attempts",
        report.skills_fitted,
        len(fits),
        report.attempts,
    )
    return report


@dataclass(frozen=True)
class _CourseLogs:
    """One course's logs and authored model, as plain data."""

    course_id: str
    authored: dict[str, tuple[float, float, float, float]]  # prior, learn, slip, guess
    levels: dict[str, int]
    attempts: list[tuple[int, str, str, float]]
    histories: list[list[tuple[datetime, int]]] | None


def _read_logs(
    session: Session, catalog: Catalog, memory: bool, since: datetime | None
) -> list[_CourseLogs]:
    """Read every course's attempts since `since` (and review histories when memory is
    fitted): the installed courses and the newest version of every course uploaded anywhere."""
    live = catalog if isinstance(catalog, LiveCatalog) else LiveCatalog(catalog)
    every = live.view(session, visibility_store.all_current(session))
    inputs = []
    for course in every.courses.values():
        authored = {}
        for skill_id in course.skills:
            p = course.bkt_for(skill_id)  # the course's own: the prior of every fit
            authored[skill_id] = (p.prior, p.learn, p.slip, p.guess)
        levels = {e.id: e.difficulty for e in course.exercises.values()}
        attempts = fitted_store.course_attempts(session, course.id, since)
        histories = fitted_store.review_histories(session, course.id) if memory else None
        inputs.append(_CourseLogs(course.id, authored, levels, attempts, histories))
    return inputs


def _fit_in_process(logs: Sequence[_CourseLogs]) -> list[CourseFit]:
    """Run the fitting in a fresh process and wait for it (call from a worker thread)."""
    from bot.learning.course_fit import CourseData
    from bot.learning.fitting import FittedParams

    inputs = [
        CourseData(
            c.course_id,
            {skill: FittedParams(*values) for skill, values in c.authored.items()},
            c.levels,
            c.attempts,
            c.histories,
        )
        for c in logs
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "bot.learning.fit_worker"],
        input=pickle.dumps(inputs),
        capture_output=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        last = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
        raise RuntimeError(f"the fitting process failed ({done.returncode}): {' '.join(last)}")
    fits: list[CourseFit] = pickle.loads(done.stdout)
    return fits


def _store_fits(session: Session, report: FitReport, now: datetime, run_id: int) -> None:
    """Store fitted skills, item ratings and memory weights; close the run."""
    for course in report.courses:
        rows = [
            fitted_store.SkillFitRow(
                skill,
                fitted_store.FittedBkt(
                    fit.params.prior, fit.params.learn, fit.params.slip, fit.params.guess
                ),
                fit.learners,
                fit.responses,
            )
            for skill, fit in course.skills.items()
            if fit.fitted
        ]
        fitted_store.save_skill_fits(session, course.course_id, rows, now)
        ratings = {
            item: fitted_store.ItemEstimate(e.value, e.attempts, e.mean_credit)
            for item, e in course.items.items()
        }
        fitted_store.save_item_ratings(session, course.course_id, ratings, now)
        fit = course.memory
        if fit is not None and fit.parameters is not None:
            size = (fit.reviews, fit.cards)
            fitted_store.save_memory_fit(session, course.course_id, fit.parameters, size, now)
    fitted_store.finish_fit_run(session, run_id, now, report.attempts, report.skills_fitted)


def run_fit(settings: Settings, *, echo: Callable[[str], object] = print) -> int:
    """Fit the parameters now (the `tutor fit` command); return the exit code."""
    return asyncio.run(_run_fit(settings, echo))


async def _run_fit(settings: Settings, echo: Callable[[str], object]) -> int:
    """Load the courses, migrate the database, fit, and print what was found."""
    catalog, problems = await asyncio.to_thread(check_content, [settings.content_dir])
    if problems:
        for problem in problems:
            echo(str(problem))
        echo(f"{len(problems)} content problem(s); fix them and try again.")
        return 1
    database = Database(settings.database_url)
    try:
        await database.upgrade()
        report = await fit_parameters(
            database,
            catalog,
            utc_now(),
            memory=settings.fit_memory,
            keep_days=settings.attempts_keep_days,
        )
    finally:
        await database.close()
    for line in report.lines():
        echo(line)
    return 0
