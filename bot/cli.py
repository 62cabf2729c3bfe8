"""The `tutor` command: run the bot, open the console, check content, migrate the database."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.errors import StartupError
from bot.logging_setup import configure_logging
from bot.settings import Settings, load_settings

if TYPE_CHECKING:
    from bot.content.cache import CatalogCache
    from bot.content.upload_draft import DraftCourse

log = logging.getLogger(__name__)

LOG_FILE = "tutor.log"  # the console's log, in the data folder
CACHE_FOLDER = "cache"  # the checked catalogs, in the data folder

app = typer.Typer(
    help="Socratic Tutor: Socratic practice in Discord, Slack and the terminal.",
    no_args_is_help=True,
    add_completion=False,
    # A rich traceback shows every frame's locals: a learner's words or a secret.
    pretty_exceptions_enable=False,
)
content_app = typer.Typer(help="Check course content.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the database schema.", no_args_is_help=True)
app.add_typer(content_app, name="content")
llm_app = typer.Typer(help="Check the configured language model.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(llm_app, name="llm")


@content_app.command("check")
def content_check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Course folders or content roots.")
    ] = None,
) -> None:
    """Validate courses; print every error and warning as file:line, exit 1 on any error."""
    from bot.content.cache import CatalogCache
    from bot.content.loader import check_content_report

    settings = _settings_if_valid()
    if paths:
        targets = paths
    else:
        targets = [(settings or load_settings()).content_dir]
    # Unchanged content is not checked again: its report is read from the cache.
    cache = CatalogCache(cache_dir(settings)) if settings is not None else None
    catalog, found = check_content_report(targets, cache)
    for problem in found:
        typer.echo(str(problem), err=True)
    problems = [p for p in found if not p.warning]
    if problems:
        typer.echo(f"{len(problems)} problem(s) found.", err=True)
        raise typer.Exit(1)
    if found:
        typer.echo(f"{len(found)} warning(s): the courses load, but are worth a look.", err=True)
    typer.echo(
        f"OK: {len(catalog.courses)} course(s), {catalog.skill_count} skill(s), "
        f"{catalog.exercise_count} exercise(s)."
    )
    for course in catalog.courses.values():
        typer.echo(f"  {course.id}: {len(course.skills)} skills, {len(course.exercises)} exercises")


@content_app.command("import")
def content_import(
    worksheet: Annotated[Path, typer.Argument(help="A worksheet: Markdown or plain text.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="A new folder for the draft (default: the course id)."),
    ] = None,
    title: Annotated[str, typer.Option(help="The course title (default: its first heading).")] = "",
    course_id: Annotated[
        str, typer.Option("--id", help="The course id (default: from the title).")
    ] = "",
) -> None:
    """Turn a worksheet into a draft course folder, and check the draft with the one checker."""
    from bot.content.files import UnreadableFile, read_course_file
    from bot.content.loader import check_content_report
    from bot.content.uploads import report_lines, write_course_files
    from bot.content.worksheet_import import (
        WorksheetError,
        import_worksheet,
        title_from_filename,
        worksheet_text,
    )

    try:
        text = worksheet_text(read_course_file(worksheet), worksheet.name)
        draft = import_worksheet(text, title, course_id, title_from_filename(worksheet.name))
    except (UnreadableFile, WorksheetError) as exc:
        typer.echo(f"{worksheet}: {exc}", err=True)
        raise typer.Exit(1) from exc
    folder = output if output is not None else Path(draft.course_id)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        typer.echo(f"{folder} already exists and is not empty: choose a new --output.", err=True)
        raise typer.Exit(1)
    settings = _settings_if_valid()
    if settings is not None and settings.llm_configured():
        # Each question is offered to the model; its note says how many took a proposal.
        draft = asyncio.run(_model_draft(draft, settings))
    write_course_files(folder, draft.files)
    typer.echo(
        f"Wrote a draft course {draft.course_id!r} to {folder}: {draft.skills} skill(s), "
        f"{draft.exercises} exercise(s)."
    )
    for note in draft.notes:
        typer.echo(f"  note, {note}")
    catalog, found = check_content_report([folder])
    failed = any(not p.warning for p in found)
    for line in report_lines(found, next(iter(catalog.courses.values()), None)):
        typer.echo(line, err=failed or line in map(str, found))
    typer.echo(
        f"Next: review the prompts, criteria and hints in {folder}, "
        f"then run `tutor content check {folder}`."
    )
    if failed:
        raise typer.Exit(1)


async def _model_draft(draft: DraftCourse, settings: Settings) -> DraftCourse:
    """The draft with the configured model's proposals merged in, each one checked."""
    from bot.llm.client import ModelClient
    from bot.llm.drafting import ModelDrafter
    from bot.services.worksheet_drafting import proposed_draft

    client = ModelClient.from_settings(settings)
    try:
        return (await proposed_draft(draft, ModelDrafter(client))).draft
    finally:
        await client.close()


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply database migrations."""
    settings = load_settings()
    configure_logging(settings.log_level)
    from bot.store.db import Database

    async def upgrade() -> None:
        database = Database(settings.database_url)
        try:
            await database.upgrade(revision)
        finally:
            await database.close()

    asyncio.run(upgrade())
    typer.echo(f"Database is at {revision}.")


@app.command("run")
def run() -> None:
    """Start the bot on the configured platform (the console when no token is set)."""
    settings = load_settings()
    if settings.platform() == "console":
        raise typer.Exit(run_console(settings))
    configure_logging(settings.log_level)
    _use_catalog_cache(settings)
    from bot.runtime import configured_adapters, run_tutor

    raise typer.Exit(asyncio.run(run_tutor(settings, configured_adapters(settings))))


@app.command("worker")
def worker() -> None:
    """Run only the review sweep and sender (for extra workers sharing one PostgreSQL)."""
    settings = load_settings()
    configure_logging(settings.log_level)
    if settings.discord_token is None and settings.slack_bot_token is None:
        settings.require("discord_token", "slack_bot_token")  # names both: either will do
    _use_catalog_cache(settings)
    from bot.runtime import Adapter, run_tutor

    adapters: list[Adapter] = []
    if settings.discord_token is not None:
        from bot.adapters.discord import DiscordWorkerAdapter

        adapters.append(DiscordWorkerAdapter(settings))
    if settings.slack_bot_token is not None:
        from bot.adapters.slack import SlackWorkerAdapter

        adapters.append(SlackWorkerAdapter(settings))
    raise typer.Exit(asyncio.run(run_tutor(settings, adapters)))


@app.command("fit")
def fit(
    memory: Annotated[
        bool | None,
        typer.Option(
            "--memory/--no-memory",
            help="Also optimise each course's FSRS weights (default: FIT_MEMORY).",
        ),
    ] = None,
) -> None:
    """Fit the learning model to this deployment's logs now: BKT per skill, item difficulty."""
    settings = load_settings()
    if memory is not None:
        settings = settings.model_copy(update={"fit_memory": memory})
    configure_logging(settings.log_level)
    _use_catalog_cache(settings)
    from bot.services.fitting_service import run_fit

    raise typer.Exit(run_fit(settings))


@llm_app.command("check")
def llm_check() -> None:
    """Run a built-in suite against the configured model; exit 1 on a leak or no endpoint."""
    settings = load_settings()
    # The scorecard counts every fallback; the log shows errors only, unless DEBUG is set.
    configure_logging("DEBUG" if settings.log_level == "DEBUG" else "ERROR")
    from bot.llm.check import run_check

    raise typer.Exit(run_check(settings))


@app.command("console")
def console(
    user: Annotated[str | None, typer.Option(help="Your name in the console.")] = None,
    content: Annotated[
        Path | None, typer.Option(help="Try a draft course folder instead of the content root.")
    ] = None,
) -> None:
    """Open the tutor in this terminal."""
    raise typer.Exit(run_console(load_settings(), user=user, content=content))


def run_console(settings: Settings, *, user: str | None = None, content: Path | None = None) -> int:
    """Show the console's first prompt at once, then load the tutor behind it and serve.

    The log goes to a file: the terminal is where the learner reads and types.
    """
    log_file = data_dir(settings) / LOG_FILE
    configure_logging(settings.log_level, log_file=log_file)
    cache = _use_catalog_cache(settings)
    from bot.adapters.console import ConsoleAdapter

    adapter = ConsoleAdapter(user)
    paths = [content] if content is not None else [settings.content_dir]
    try:
        adapter.welcome(checking=adapter.screen.interactive and not cache.is_fresh(paths))
        # The engine (sympy, SQLAlchemy, the scheduler) loads while the learner reads.
        from bot.runtime import run_tutor

        return asyncio.run(run_tutor(settings, [adapter], content=content))
    except KeyboardInterrupt:
        adapter.farewell()
        raise
    except Exception as exc:
        if startup_error(exc) is not None:
            raise
        adapter.leave()
        if _interrupted(exc):
            # Ctrl-C came while a part was starting, and that part failed to stop cleanly
            log.warning("a start interrupted by Ctrl-C did not stop cleanly", exc_info=exc)
            adapter.farewell()
            raise KeyboardInterrupt from exc
        # The log is in a file: the learner's screen gets one sentence saying where.
        log.critical("the tutor stopped on an unexpected error", exc_info=exc)
        print(
            f"The tutor stopped on an unexpected error; the details are in {log_file}.",
            file=sys.stderr,
        )
        return 1
    finally:
        adapter.leave()


def _interrupted(error: BaseException) -> bool:
    """Tell whether an error arose while the tutor was being cancelled (by Ctrl-C)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, asyncio.CancelledError | KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__context__
    return False


def data_dir(settings: Settings) -> Path:
    """Return the folder of the tutor's own files: the one that holds FILES_DIR (data/)."""
    return settings.files_dir.parent


def cache_dir(settings: Settings) -> Path:
    """Return the folder of the checked-catalog cache."""
    return data_dir(settings) / CACHE_FOLDER


def _use_catalog_cache(settings: Settings) -> CatalogCache:
    """Load unchanged courses from the cache for the rest of this process."""
    from bot.content.cache import CatalogCache, use_catalog_cache

    use_catalog_cache(cache_dir(settings))
    return CatalogCache(cache_dir(settings))


def _settings_if_valid() -> Settings | None:
    """Return the settings, or None when they are invalid (a check needs none of them)."""
    try:
        return load_settings()
    except StartupError:
        return None


def main() -> None:
    """Run the command line; an operator's error is one plain sentence, not a traceback."""
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        error = startup_error(exc)
        if error is None:
            log.critical("the tutor stopped on an unexpected error", exc_info=exc)
            sys.exit(1)
        log.debug("the tutor could not start", exc_info=exc)  # shown with LOG_LEVEL=DEBUG
        print(str(error), file=sys.stderr)
        sys.exit(error.exit_code)


def startup_error(error: BaseException) -> StartupError | None:
    """Find the operator's error in what stopped the command, also inside a task group."""
    if isinstance(error, StartupError):
        return error
    if isinstance(error, BaseExceptionGroup):
        for inner in error.exceptions:
            found = startup_error(inner)
            if found is not None:
                return found
    return None
