"""The `tutor` command: run the bot, open the console, check content, migrate the database."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.errors import StartupError
from bot.logging_setup import configure_logging
from bot.settings import load_settings

log = logging.getLogger(__name__)

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
app.add_typer(db_app, name="db")


@content_app.command("check")
def content_check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Course folders or content roots.")
    ] = None,
) -> None:
    """Validate courses; print every error and warning as file:line, exit 1 on any error."""
    # imported here: it loads sympy, which is slow
    from bot.content.loader import check_content_report

    targets = paths or [load_settings().content_dir]
    catalog, found = check_content_report(targets)
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
    configure_logging(settings.log_level)
    from bot.runtime import configured_adapters, run_tutor

    raise typer.Exit(asyncio.run(run_tutor(settings, configured_adapters(settings))))


@app.command("worker")
def worker() -> None:
    """Run only the review sweep and sender (for extra workers sharing one PostgreSQL)."""
    settings = load_settings()
    configure_logging(settings.log_level)
    settings.require("discord_token")
    from bot.adapters.discord import DiscordWorkerAdapter
    from bot.runtime import run_tutor

    raise typer.Exit(asyncio.run(run_tutor(settings, [DiscordWorkerAdapter(settings)])))


@app.command("console")
def console(
    user: Annotated[str | None, typer.Option(help="Your name in the console.")] = None,
    content: Annotated[
        Path | None, typer.Option(help="Try a draft course folder instead of the content root.")
    ] = None,
) -> None:
    """Open the tutor in this terminal."""
    settings = load_settings()
    configure_logging(settings.log_level)
    from bot.adapters.console import ConsoleAdapter
    from bot.runtime import run_tutor

    adapters = [ConsoleAdapter(user)]
    raise typer.Exit(asyncio.run(run_tutor(settings, adapters, content=content)))


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
