"""Setu's benchmarks: each operation beside a floor measured in the same run.

Run with `make bench` (never part of `make test`). Each case is timed several times;
the table shows the median, the floor's median and their ratio, so a slow machine slows
both sides alike. `BENCH_JSON=file.json` also writes the table as JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from app.config import resolve
from app.database import Database, Mode, open_database
from app.demo import build
from app.services import programmes, risks
from app.services.analytics import programme_figures
from app.services.audience import Audience

REPEATS = 7


@dataclass(frozen=True)
class Result:
    operation: str
    median_s: float
    floor_s: float | None
    ratio: float | None
    target: str
    met: bool


def median_time(work: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def demo_database(folder: Path, scale: int) -> Path:
    path = folder / f"demo-{scale}.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, scale=scale)
    return path


def bench_register(db: Database, path: Path, programme_id: int) -> Result:
    """The whole risk register through the service vs the same rows by raw sqlite3."""

    def raw() -> object:
        conn = sqlite3.connect(path)
        try:
            return conn.execute(
                "SELECT * FROM risk WHERE programme_id = ? ORDER BY reference", (programme_id,)
            ).fetchall()
        finally:
            conn.close()

    ours = median_time(lambda: risks.list_risks(db, programme_id))
    floor = median_time(raw)
    return Result(
        "risk register, all rows (service)",
        ours,
        floor,
        ours / floor,
        "ratio < 5",
        ours / floor < 5,
    )


def bench_summary(db: Database, programme_id: int) -> Result:
    ours = median_time(
        lambda: programme_figures(db, programme_id, date.today(), Audience.parse("joint")), 3
    )
    return Result("programme figures (in-process)", ours, None, None, "< 1 s", ours < 1)


def bench_summary_process(path: Path) -> Result:
    setu = [sys.executable, "-m", "app", "summary", "--db", str(path), "--json"]
    ours = median_time(lambda: subprocess.run(setu, check=True, capture_output=True), 3)
    return Result("setu summary --json (whole process)", ours, None, None, "< 1 s", ours < 1)


def main() -> int:
    scale = int(os.environ.get("BENCH_SCALE", "50"))
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = demo_database(Path(folder), scale)
        print(f"built the demo at scale {scale} in {time.perf_counter() - started:.1f} s")
        with open_database(resolve(str(path)), Mode.READ) as db:
            programme = programmes.choose(db, None)
            results.append(bench_register(db, path, programme.id))
            results.append(bench_summary(db, programme.id))
        results.append(bench_summary_process(path))
    print(f"{'operation':<40} {'median':>9} {'floor':>9} {'ratio':>7}  target      met")
    for r in results:
        floor = f"{r.floor_s:9.4f}" if r.floor_s is not None else f"{'—':>9}"
        ratio = f"{r.ratio:7.2f}" if r.ratio is not None else f"{'—':>7}"
        print(f"{r.operation:<40} {r.median_s:9.4f} {floor} {ratio}  {r.target:<10}  {r.met}")
    if out := os.environ.get("BENCH_JSON"):
        Path(out).write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
