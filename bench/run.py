"""Setu's benchmarks: each operation beside a floor measured in the same run.

Run with `make bench` (never part of `make test`). Each case is timed several times;
the table shows the median, the floor's median and their ratio, so a slow machine slows
both sides alike. `BENCH_JSON=file.json` also writes the table as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from gui_cases import bench_gui_registers
from interchange_cases import bench_export, bench_import
from register_cases import bench_summary_growth, bench_summary_in_process
from timing import Result, paired_median_times, process_env, run_process

from app.config import resolve
from app.database import Mode, open_database
from app.demo import build

BARE_PDF = Path(__file__).with_name("bare_pdf.py")
GUI_START = Path(__file__).with_name("gui_start.py")


def demo_database(folder: Path, scale: int) -> Path:
    path = folder / f"demo-{scale}.db"
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        build(db, scale=scale)
    return path


def bench_pack(path: Path, folder: Path, label: str, limit_s: float) -> Result:
    """`setu brief` as an officer runs it (a whole process, the snapshot kept) vs a bare
    ReportLab document of the same page count, also a whole process."""
    env = process_env(folder)
    out = folder / f"pack-{path.stem}.pdf"
    setu = [sys.executable, "-m", "app", "brief", "--db", str(path), "--out", str(out)]
    # Once untimed: it writes the bytecode and the first snapshot, so that every timed
    # run compares with a previous pack, as all but an audience's first pack do.
    printed = run_process(setu, env)
    pages = int(printed.splitlines()[1].split()[0])
    bare = [sys.executable, str(BARE_PDF), str(pages), str(folder / "bare.pdf")]
    run_process(bare, env)
    ours, floor = paired_median_times(
        lambda: run_process(setu, env), lambda: run_process(bare, env)
    )
    return Result(
        f"setu brief, {label} (whole process)",
        ours,
        floor,
        ours / floor,
        f"< {limit_s:g} s",
        ours < limit_s,
        pages,
    )


def bench_gui_start(path: Path, folder: Path) -> Result:
    """From `setu` to a painted main window on the demo vs a bare PySide6 window."""
    env = {**process_env(folder), "QT_QPA_PLATFORM": "offscreen"}
    setu = [sys.executable, str(GUI_START), "setu", str(path)]
    bare = [sys.executable, str(GUI_START), "bare"]
    run_process(setu, env)  # untimed: writes the bytecode
    ours, floor = paired_median_times(
        lambda: run_process(setu, env), lambda: run_process(bare, env), 5
    )
    return Result(
        "start to painted main window (demo)", ours, floor, ours / floor, "< 1 s", ours < 1
    )


def bench_gui_memory(path: Path, folder: Path, scale: int) -> Result:
    """Peak RSS with the main window open on the Risks page of the scaled database."""
    env = {**process_env(folder), "QT_QPA_PLATFORM": "offscreen"}
    peak = float(run_process([sys.executable, str(GUI_START), "setu", str(path), "--risks"], env))
    return Result(
        f"peak memory MB, GUI on scale {scale} (value, not s)",
        peak,
        None,
        None,
        "< 400 MB",
        peak < 400,
    )


def main() -> int:
    scale = int(os.environ.get("BENCH_SCALE", "50"))
    large = int(os.environ.get("BENCH_LARGE_SCALE", "500"))
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        started = time.perf_counter()
        demo = demo_database(folder, 1)
        path = demo_database(folder, scale)
        big = demo_database(folder, large)
        built = time.perf_counter() - started
        print(f"built the demo at scales 1, {scale} and {large} in {built:.1f} s", flush=True)
        results.append(bench_gui_start(demo, folder))
        results.extend(bench_gui_registers(path, folder, scale, larger=(big, large)))
        results.append(bench_summary_in_process(path))
        results.extend(bench_summary_growth(path, big, folder))
        results.append(bench_pack(demo, folder, "demo", 1))
        results.append(bench_pack(path, folder, f"scale {scale}", 2))
        results.append(bench_import(folder))
        results.append(bench_export(path, folder))
        results.append(bench_gui_memory(path, folder, scale))
    print_table(results)
    if out := os.environ.get("BENCH_JSON"):
        Path(out).write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


def print_table(results: list[Result]) -> None:
    width = max(len(r.operation) for r in results)
    print(
        f"{'operation':<{width}} {'median':>9} {'floor':>9} {'ratio':>7}  {'target':<17} met"
        f"  {'pages':>5} {'pages/s':>8} {'floor p/s':>9}"
    )
    for r in results:
        floor = f"{r.floor_s:9.4f}" if r.floor_s is not None else f"{'—':>9}"
        ratio = f"{r.ratio:7.2f}" if r.ratio is not None else f"{'—':>7}"
        line = (
            f"{r.operation:<{width}} {r.median_s:9.4f} {floor} {ratio}  {r.target:<17} {r.met!s:<5}"
        )
        if r.pages is not None and r.floor_s is not None:
            line += f"  {r.pages:5d} {r.pages / r.median_s:8.1f} {r.pages / r.floor_s:9.1f}"
        print(line.rstrip())


if __name__ == "__main__":
    raise SystemExit(main())
