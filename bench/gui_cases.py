"""The GUI's register operations as benchmark rows, for bench/run.py.

Each scale's operations are timed by bench/gui_ops.py in a process of its own (one
QApplication, on Qt's offscreen platform), so the runner never owns a QApplication:

    results += bench_gui_registers(path_50, folder, 50, larger=(path_500, 500))

gives, at scale 50, opening the risk register (to its first rows), re-sorting it and
filtering it, each beside the raw sqlite3 query of the same rows as its floor, and
opening a risk's edit dialog; with `larger`, opening and sorting at that scale too,
labelled with how much slower each is than at the smaller scale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from timing import Result, process_env, run_process

GUI_OPS = Path(__file__).with_name("gui_ops.py")
LIMIT_S = 0.1
LABELS = {
    "open": "open risk register, first rows",
    "sort": "sort risk register",
    "filter": "filter risk register",
    "dialog": "open a risk's edit dialog",
}


def gui_ops(path: Path, folder: Path, *operations: str) -> dict[str, tuple[float, float | None]]:
    """Medians (and floors) of `operations` on the database at `path`, from gui_ops.py."""
    env = {**process_env(folder), "QT_QPA_PLATFORM": "offscreen"}
    printed = run_process([sys.executable, str(GUI_OPS), str(path), *operations], env)
    timed: dict[str, tuple[float, float | None]] = json.loads(printed)
    return timed


def _result(operation: str, ours: float, floor: float | None, target: str, met: bool) -> Result:
    return Result(operation, ours, floor, ours / floor if floor else None, target, met)


def bench_gui_registers(
    path: Path, folder: Path, scale: int, larger: tuple[Path, int] | None = None
) -> list[Result]:
    """Open, sort, filter the risk register and open a risk's dialog at `scale` (each
    < 0.1 s); with `larger` = (path, scale), open and sort at that scale as well."""
    results: list[Result] = []
    timed = gui_ops(path, folder)
    for name, (ours, floor) in timed.items():
        label = f"{LABELS[name]} (scale {scale})"
        results.append(_result(label, ours, floor, f"< {LIMIT_S:g} s", ours < LIMIT_S))
    if larger is not None:
        big_path, big_scale = larger
        # Rows are read a page at a time, in SQL: the time may grow, but much less
        # than the register does.
        factor = big_scale / scale
        for name, (ours, floor) in gui_ops(big_path, folder, "open", "sort").items():
            growth = ours / timed[name][0]
            label = f"{LABELS[name]} (scale {big_scale}; x{growth:.1f} of scale {scale})"
            results.append(_result(label, ours, floor, f"x < {factor:g}", growth < factor))
    return results
