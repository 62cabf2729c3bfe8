"""The composition root: builds the database, catalog, tutor and jobs, and starts the adapters."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.composition import JUDGE_GRACE_SECONDS, coach_desk, cohort_parts, model_layer
from bot.content.catalog import Catalog
from bot.content.loader import check_content
from bot.errors import ContentError
from bot.heap import settle_heap
from bot.learning.grading_pool import GradingPool
from bot.scheduling.jobs import ATTEMPT_PRUNE_SECONDS, ReviewWorker, prune_old_attempts
from bot.scheduling.sender import Delivery
from bot.scheduling.sweep import SweepPolicy
from bot.services.answer_checks import AnswerChecks
from bot.services.coach_desk import CoachDesk
from bot.services.cohort_desk import CohortDesk
from bot.services.course_catalog import LiveCatalog
from bot.services.course_shelf import CourseShelf
from bot.services.tutor import Tutor
from bot.settings import Settings
from bot.store.db import Database
from bot.store.users import UserDefaults

if TYPE_CHECKING:
    from bot.llm.setup import ModelLayer

log = logging.getLogger(__name__)

JOB_GRACE_SECONDS = 10.0
SERVE_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class PeriodicJob:
    """A job the process's worker runs once at start and then every `seconds`."""

    name: str
    run: Callable[[], Awaitable[object]]
    seconds: float


@dataclass
class Root:
    """What one process is built from; adapters take what they need from here."""

    settings: Settings
    catalog: Catalog
    database: Database
    tutor: Tutor
    jobs: list[PeriodicJob] = field(default_factory=list)
    model: ModelLayer | None = None  # the language model, when one is configured
    coaching: CoachDesk | None = None  # coaches' requests (the tutor reads clients' words)
    cohorts: CohortDesk | None = None  # course creators' cohorts, staff and members
    shelf: CourseShelf | None = None  # courses creators upload for their server or workspace
    _running: set[asyncio.Task[None]] = field(default_factory=set, init=False, repr=False)

    def register(self, job: PeriodicJob) -> None:
        """Add a periodic job to the worker, beside the review sweep and the sender."""
        self.jobs.append(job)

    def worker(self, deliveries: Mapping[str, Delivery]) -> ReviewWorker:
        """Build this process's one worker, with a delivery per platform it can reach."""
        settings = self.settings
        worker = ReviewWorker(
            self.database,
            deliveries,
            clock=self.tutor.clock,
            policy=SweepPolicy(daily_cap=settings.daily_review_prompts),
            sweep_seconds=settings.sweep_seconds,
            lease_seconds=settings.outbox_lease_seconds,
        )
        for job in self.jobs:
            worker.scheduler.add_job(
                self._run_job,
                "interval",
                args=(job,),
                id=job.name,
                seconds=job.seconds,
                next_run_time=datetime.now(UTC),
                replace_existing=True,
            )
        return worker

    async def _run_job(self, job: PeriodicJob) -> None:
        """Run one registered job; a failure is logged and the next run comes as planned."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await job.run()
        except Exception:
            log.exception("job %s failed; it runs again on schedule", job.name)
        finally:
            if task is not None:
                self._running.discard(task)

    async def stop(self, worker: ReviewWorker) -> None:
        """Stop the worker: no new runs, then let every running job finish."""
        worker.scheduler.pause()
        # the scheduler's shutdown cancels the jobs it runs: the registered ones finish first
        await self._jobs_finished()
        await worker.stop()

    async def _jobs_finished(self) -> None:
        """Wait for registered jobs still running (cancel them after a grace)."""
        running = set(self._running)
        if running:
            _done, late = await asyncio.wait(running, timeout=JOB_GRACE_SECONDS)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)


class Adapter(Protocol):
    """A platform adapter as the root runs it: connect, serve until it ends, close."""

    # the console leaves Ctrl-C to the terminal; servers stop cleanly on SIGTERM and SIGINT
    serves_until_signal: bool

    async def connect(self, root: Root) -> Mapping[str, Delivery]:
        """Connect; return a delivery for each platform this process can now send to."""
        ...

    async def serve(self) -> None:
        """Serve learners until the session ends or close() is called."""
        ...

    async def close(self) -> None:
        """Disconnect; safe to call more than once, and before connect() finished."""
        ...


@asynccontextmanager
async def open_root(settings: Settings, content: Path | None = None) -> AsyncIterator[Root]:
    """Load and check the courses, migrate the database, and yield the built root."""
    paths = [content] if content is not None else [settings.content_dir]
    catalog, problems = await asyncio.to_thread(check_content, paths)
    if problems:
        raise ContentError(problems)
    database = Database(settings.database_url)
    pool = GradingPool(settings.grading_time_limit)
    warming: asyncio.Task[None] | None = None
    model: ModelLayer | None = None
    try:
        await database.upgrade()
        # The first worker starts now, while the adapters connect, not on a learner's turn.
        warming = asyncio.create_task(asyncio.to_thread(pool.warm))
        defaults = UserDefaults(
            timezone=settings.default_timezone,
            quiet_start=settings.quiet_hours_start,
            quiet_end=settings.quiet_hours_end,
        )
        model = await model_layer(settings, database)
        # The installed courses and every uploaded one, each under its server's own id.
        courses = LiveCatalog(catalog)
        await database.run(courses.load_all)
        tutor = Tutor(
            database,
            courses,
            mastery_threshold=settings.mastery_threshold,
            user_defaults=defaults,
            checks=AnswerChecks(pool),
            wording=model.wording if model is not None else None,
            judge=model.tutor_judge if model is not None else None,
            reframer=model.reframer if model is not None else None,
            reframe_timeout=settings.llm_timeout_seconds + JUDGE_GRACE_SECONDS,
            # the client's own deadline ends a call first; this bounds a judge that hangs
            judge_timeout=settings.llm_timeout_seconds + JUDGE_GRACE_SECONDS,
        )
        desk = coach_desk(settings, database, catalog, tutor, model)
        tutor.use_coaching(desk)
        cohorts, shelf, automations = cohort_parts(
            settings, database, catalog, courses, tutor, model
        )
        root = Root(
            settings,
            catalog,
            database,
            tutor,
            model=model,
            coaching=desk,
            cohorts=cohorts,
            shelf=shelf,
        )
        for name, run, seconds in [*desk.jobs(), *automations.jobs()]:
            root.register(PeriodicJob(name, run, seconds))
        if settings.fit_weekly:
            # imported only when on: the fitting itself runs in a worker process of its own
            from bot.services.fitting_service import FIT_CHECK_SECONDS, fit_when_due

            fit = partial(
                fit_when_due,
                database,
                catalog,
                tutor.clock,
                memory=settings.fit_memory,
                keep_days=settings.attempts_keep_days,
            )
            root.register(PeriodicJob("fit", fit, seconds=FIT_CHECK_SECONDS))
        if settings.attempts_keep_days > 0:
            prune = partial(prune_old_attempts, database, tutor.clock, settings.attempts_keep_days)
            root.register(PeriodicJob("attempt-retention", prune, ATTEMPT_PRUNE_SECONDS))
        settle_heap()  # start-up is done: its objects stay out of later collections
        yield root
        await warming
    finally:
        if model is not None:
            await model.close()
        pool.close()
        if warming is not None:
            # a failed start closes the pool under the warm-up, which then fails as it should
            await asyncio.gather(warming, return_exceptions=True)
        await database.close()


async def run_adapters(root: Root, adapters: Sequence[Adapter]) -> None:
    """Connect the adapters, run one worker for all of them, serve until one of them ends."""
    serving: list[asyncio.Task[None]] = []
    worker: ReviewWorker | None = None
    try:
        deliveries: dict[str, Delivery] = {}
        for adapter in adapters:
            deliveries.update(await adapter.connect(root))
        worker = root.worker(deliveries)
        worker.start()
        serving = [asyncio.create_task(adapter.serve()) for adapter in adapters]
        stop_on_signals = all(adapter.serves_until_signal for adapter in adapters)
        await _first_to_end(serving, stop_on_signals)
    except BaseException:
        for task in serving:  # stopped by an error or Ctrl-C: nothing more to serve
            task.cancel()
        raise
    finally:
        if worker is not None:
            # the jobs finish before the platforms disconnect, so no send is cut off midway
            await root.stop(worker)
        for adapter in adapters:
            await adapter.close()
        failures = await _settle(serving)
    if failures:
        raise failures[0]


async def _first_to_end(serving: list[asyncio.Task[None]], stop_on_signals: bool) -> None:
    """Wait until one adapter stops serving, or (for servers) SIGTERM or SIGINT arrives."""
    stop = asyncio.Event()
    stopped = asyncio.create_task(stop.wait())
    try:
        with _signals_set(stop) if stop_on_signals else _nothing():
            await asyncio.wait([*serving, stopped], return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()


@contextmanager
def _signals_set(stop: asyncio.Event) -> Iterator[None]:
    """Turn SIGTERM and SIGINT into a clean stop while serving."""
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        yield
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(sig)


@contextmanager
def _nothing() -> Iterator[None]:
    """Leave the signals as they are."""
    yield


async def _settle(serving: list[asyncio.Task[None]]) -> list[BaseException]:
    """Let closed adapters finish serving (cancel any that hang); return their failures."""
    if not serving:
        return []
    _done, late = await asyncio.wait(serving, timeout=SERVE_GRACE_SECONDS)
    for task in late:
        task.cancel()
    results = await asyncio.gather(*serving, return_exceptions=True)
    return [r for r in results if isinstance(r, Exception)]


async def run_tutor(
    settings: Settings, adapters: Sequence[Adapter], *, content: Path | None = None
) -> int:
    """Build the root, run the adapters on it until they end; return the exit code."""
    try:
        async with open_root(settings, content) as root:
            await run_adapters(root, adapters)
    except ContentError as error:
        print_content_problems(error)
        return 1
    return 0


def configured_adapters(settings: Settings) -> list[Adapter]:
    """Return the adapters the settings configure: Discord, Slack, both, or else the console."""
    adapters: list[Adapter] = []
    # imported here: the platform libraries take a while to import, and a console needs none
    if settings.discord_token is not None:
        from bot.adapters.discord import DiscordBotAdapter

        adapters.append(DiscordBotAdapter(settings))
    if settings.slack_bot_token is not None:
        from bot.adapters.slack import SlackAdapter

        adapters.append(SlackAdapter(settings))
    if adapters:
        return adapters
    from bot.adapters.console import ConsoleAdapter

    return [ConsoleAdapter()]


def print_content_problems(error: ContentError) -> None:
    """Print every content problem as file:line, for the person starting the bot."""
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} content problem(s); fix them and try again.", file=sys.stderr)
