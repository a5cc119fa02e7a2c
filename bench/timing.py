"""What every benchmark case shares: the result row, medians, and whole-process runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPEATS = 7


@dataclass(frozen=True)
class Result:
    operation: str
    median_s: float
    floor_s: float | None
    ratio: float | None
    target: str
    met: bool
    pages: int | None = None  # of a PDF: pages per second are shown for it and its floor


def median_time(work: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_median_times(
    work: Callable[[], object], floor: Callable[[], object], repeats: int = REPEATS
) -> tuple[float, float]:
    """Medians of `work` and its `floor`, run in turn: a load that comes and goes on a
    shared machine then slows both sides alike."""
    ours, theirs = [], []
    for _ in range(repeats):
        for times, job in ((ours, work), (theirs, floor)):
            start = time.perf_counter()
            job()
            times.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(theirs)


def process_env(folder: Path) -> dict[str, str]:
    """The environment for whole-process runs: bytecode cached (in `folder`), as an
    installed Setu has it, even where PYTHONDONTWRITEBYTECODE is set (CI, sandboxes)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def run_process(command: Sequence[str], env: dict[str, str]) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, env=env).stdout
