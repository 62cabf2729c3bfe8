"""Start-up time of the console and of the content check, and the grading corpus figure.

Prints:
- console start-up: the real `python -m bot run` with no platform token and a fresh data
  folder (database, log and catalog cache), in a pseudo-terminal as `make run` has it,
  timed from spawn until its first prompt shows (the learner can type), and until the
  tutor's greeting shows; cold (no catalog cache: every course is checked first) and
  warm (the checked catalog is read from the cache);
- `tutor content check content/`, cold and warm, wall time of the whole command;
- the grading corpus figure of bench_grading_corpus.py, computed by its own code.
Beside each wall time, the CPU time the process used (from /proc, or rusage): on a busy
machine the wall time includes waiting for a core, the CPU time does not.
Goal: each start-up figure under 1 s (warm) on this machine. Nothing is asserted here.
Run: python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bench_grading_corpus  # noqa: E402

from tests.adapters.terminal import Terminal  # noqa: E402

GREETING = "Welcome"
GOAL_SECONDS = 1.0


def environment(data: Path) -> dict[str, str]:
    """No platform token, and every file of the tutor's own in one fresh folder."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{data / 'tutor.db'}",
        "FILES_DIR": str(data / "files"),
        "CONTENT_DIR": str(ROOT / "content"),
        "TERM": "xterm",
    }
    for token in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN"):
        env.pop(token, None)
    # As on a usual machine, Python keeps the modules it compiled (in __pycache__).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


Timing = tuple[float, float]  # wall seconds, CPU seconds of the process


def cpu_seconds(pid: int) -> float:
    """Return the CPU time a running process has used so far (user and system), or NaN."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def console_start(data: Path) -> tuple[Timing, Timing]:
    """Start the console; time its first prompt and its greeting."""
    with Terminal([sys.executable, "-m", "bot", "run"], env=environment(data), cwd=ROOT) as term:
        term.wait_for("> ")
        prompt = (time.perf_counter() - term.started, cpu_seconds(term.process.pid))
        term.wait_for(GREETING, timeout=600)
        greeting = (time.perf_counter() - term.started, cpu_seconds(term.process.pid))
        term.wait_for("> ")
        term.type("quit\r")
        term.wait_for("Your place is saved")
        if term.wait_exit() != 0:
            raise SystemExit(f"the console failed:\n{term.text}")
    return prompt, greeting


def content_check(data: Path) -> Timing:
    """Run `tutor content check content/`; time it."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bot", "content", "check", "content/"],
        cwd=ROOT,
        env=environment(data),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"the content check failed:\n{result.stderr}")
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, used


def seconds(timings: list[Timing]) -> str:
    """Format the median wall and CPU time of some runs, with the wall range of several."""
    wall = statistics.median(t[0] for t in timings)
    cpu = statistics.median(t[1] for t in timings)
    walls = [t[0] for t in timings]
    spread = f" (min {min(walls):.2f}, max {max(walls):.2f})" if len(walls) > 1 else ""
    mark = "goal met" if wall < GOAL_SECONDS else f"over the {GOAL_SECONDS:.0f} s goal"
    return f"{wall:5.2f} s wall{spread}, {cpu:5.2f} s CPU  {mark}"


def main() -> None:
    """Print the start-up figures and the grading corpus figure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="warm runs of each figure")
    runs = max(1, parser.parse_args().runs)
    print(f"start-up on {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print(f"load average now: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        cold_prompt, cold_greeting = console_start(data)
        warm = [console_start(data) for _ in range(runs)]
    print("console, `python -m bot run` at a terminal, to the first prompt")
    print(f"  cold (content checked)  {seconds([cold_prompt])}")
    print(f"  warm (catalog cached)   {seconds([p for p, _ in warm])}")
    print("console, to the tutor's greeting (the engine loaded behind the prompt)")
    print(f"  cold (content checked)  {seconds([cold_greeting])}")
    print(f"  warm (catalog cached)   {seconds([g for _, g in warm])}")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        cold_check = content_check(data)
        warm_checks = [content_check(data) for _ in range(runs)]
    print("`tutor content check content/`")
    print(f"  cold (content checked)  {seconds([cold_check])}")
    print(f"  warm (report cached)    {seconds(warm_checks)}")
    items = bench_grading_corpus.load()
    ours = bench_grading_corpus.score(items, bench_grading_corpus.ours)
    naive = bench_grading_corpus.score(items, bench_grading_corpus.naive)
    print(f"grading corpus: {len(items)} replies graded right")
    print(bench_grading_corpus.line("ours", ours))
    print(bench_grading_corpus.line("naive", naive))


if __name__ == "__main__":
    main()
