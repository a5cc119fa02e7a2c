"""Crash safety: a writer killed at random moments never loses a committed change.

A separate process raises risks and retitles one risk, one small transaction each,
and reports each transaction on stdout only after its commit returned. The test kills
it with SIGKILL at random moments, many times over the same file, and after every kill
requires that `setu check` passes (storage, rules, audit chain) and that everything the
writer reported is in the database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from app.cli import main
from app.config import resolve
from app.database import Mode, open_database
from app.services import audit, programmes, risks
from app.services.programmes import PartnerDraft, ProgrammeDraft
from app.services.risks import RiskDraft

KILLS = 24
EDITED = "EDITED"  # the reference of the risk the writer keeps retitling

# Each line is printed (and flushed) only after the service call, and so the commit,
# has returned: a reported transaction is one the writer was told is durable.
WRITER = """
import sys
from dataclasses import replace
from datetime import date

from app.config import resolve
from app.database import open_database
from app.services import programmes, risks

run = int(sys.argv[2])
db = open_database(resolve(sys.argv[1]))
programme = programmes.choose(db, None)
edited = next(r for r in risks.list_risks(db, programme.id) if r.reference == "EDITED")
print("ready", edited.version, edited.title, flush=True)
step = 0
while True:
    step += 1
    if step % 2:
        reference = f"K{run:02}-{step:05}"
        draft = risks.RiskDraft(
            reference, f"Raised in run {run}", "technical", date(2025, 1, 1), 3, 3, 2, 2
        )
        risks.raise_risk(db, programme.id, draft)
        print("raised", reference, flush=True)
    else:
        title = f"Retitled in run {run}, step {step}"
        edited = risks.update_risk(
            db, edited.id, edited.version, replace(edited.draft(), title=title)
        )
        print("retitled", edited.version, title, flush=True)
"""


class Reported:
    """What the writer said it committed, over all its runs."""

    def __init__(self) -> None:
        self.raised: set[str] = set()
        self.titles: list[str] = []
        # The retitled risk as the writer last saw it: read at its start, or as it saved it.
        self.version, self.title = 1, ""

    def read(self, output: str) -> int:
        """Take in one run's output; returns how many commits it reported."""
        # A line cut off by the kill has no newline, and is no report of anything.
        lines = output.split("\n")[:-1]
        assert lines and lines[0].startswith("ready "), output
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "raised":
                self.raised.add(rest)
                continue
            assert word in ("ready", "retitled"), line
            version, _, self.title = rest.partition(" ")
            self.version = int(version)
            if word == "retitled":
                self.titles.append(self.title)
        return len(lines) - 1


def new_database(path: Path) -> None:
    with open_database(resolve(str(path)), Mode.CREATE) as db:
        row = programmes.create_programme(
            db,
            ProgrammeDraft(
                code="JP-CRASH",
                name="Crash programme",
                base_currency="INR",
                start_date=date(2024, 1, 1),
                end_date=date(2030, 12, 31),
            ),
            [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")],
        )
        risks.raise_risk(
            db,
            row.id,
            RiskDraft(EDITED, "Not yet retitled", "technical", date(2025, 1, 1), 3, 3, 2, 2),
        )


def run_and_kill(path: Path, run: int, seconds: float) -> str:
    """Start the writer, let it write for `seconds`, SIGKILL it; returns what it printed."""
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None and writer.stderr is not None
    try:
        ready = writer.stdout.readline()  # timed from here: starting Python is not writing
        time.sleep(seconds)
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=10)
        output = ready + writer.stdout.read()
        errors = writer.stderr.read()
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        writer.stdout.close()
        writer.stderr.close()
    # Killed while still writing: not stopped earlier by an error of its own.
    assert writer.returncode == -signal.SIGKILL, errors
    return output


def assert_all_reported_are_there(path: Path, reported: Reported, runs: int) -> None:
    with open_database(resolve(str(path)), Mode.READ) as db:
        programme = programmes.choose(db, None)
        rows = {r.reference: r for r in risks.list_risks(db, programme.id)}
        missing = reported.raised - rows.keys()
        assert not missing, f"reported committed but lost: {sorted(missing)}"
        # Only the transaction in flight at a kill may be there without being reported.
        assert len(rows.keys() - reported.raised - {EDITED}) <= runs
        edited = rows[EDITED]
        assert reported.version <= edited.version <= reported.version + 1
        if edited.version == reported.version:
            assert edited.title == reported.title
        logged = {
            entry.new_values["title"]
            for entry in audit.entries(db, entity="risk")
            if entry.entity_id == edited.id and entry.action == "updated" and entry.new_values
        }
        lost = [t for t in reported.titles if t not in logged]
        assert not lost, f"reported committed but not in the audit log: {lost}"


def test_no_committed_transaction_is_lost_when_the_writer_is_killed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crash.db"
    new_database(path)
    seed = random.randrange(2**32)
    rng = random.Random(seed)
    reported = Reported()
    commits = []
    for run in range(1, KILLS + 1):
        output = run_and_kill(path, run, rng.uniform(0.05, 0.3))
        commits.append(reported.read(output))
        capsys.readouterr()
        code = main(["check", "--db", str(path)])
        assert code == 0, f"run {run} (seed {seed}): {capsys.readouterr().err}"
        assert_all_reported_are_there(path, reported, run)
    # The kills must have landed among commits, not only before the first one.
    assert sum(1 for n in commits if n > 0) >= KILLS // 2, commits
    assert len(reported.titles) > KILLS, commits
