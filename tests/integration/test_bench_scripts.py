"""The benchmark scripts still run against the code as it is (their timings are for
`make bench`, never asserted here): a renamed method must not wait for the next
benchmark run to be found."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.cli import main

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_gui_operations_script_times_every_operation(tmp_path: Path) -> None:
    demo = tmp_path / "demo.db"
    assert main(["demo", "--db", str(demo)]) == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(BENCH / "gui_ops.py"), str(demo), "open", "sort", "filter", "dialog"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    timed = json.loads(done.stdout)
    assert sorted(timed) == ["dialog", "filter", "open", "sort"]
    for name, (median, floor) in timed.items():
        assert median > 0, name
        assert (floor is None) == (name == "dialog")


def test_the_runner_and_its_cases_import(tmp_path: Path) -> None:
    code = "import run, gui_cases, register_cases, interchange_cases, timing"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=BENCH, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
