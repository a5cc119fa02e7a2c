"""MS Project XML: import a partner's plan, export Setu's, and prove the export with MPXJ.

MPXJ is the Java library ProjectLibre is built on; reading the export with it, not
with our own parser, is what shows another tool can open the file. It runs through
JPype in this process, so the JVM starts once for the module and stays up (a JVM
cannot be restarted in one process).
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import jpype
import mpxj  # noqa: F401  - puts MPXJ's jars on JPype's class path
import pytest

from app.database import Database
from app.errors import SetuError, UsageError
from app.interchange import mspdi
from app.interchange.mspdi import ScheduleRejected
from app.services import audit, milestones, programmes, workstreams
from app.services.audience import Audience
from app.services.programmes import PartnerDraft, ProgrammeDraft
from tests.conftest import Fixture, audit_count, workstream_draft

NS = "http://schemas.microsoft.com/project"
JOINT = Audience.parse("joint")


def task(
    uid: int,
    name: str,
    level: int,
    start: str,
    finish: str,
    *,
    summary: bool = False,
    milestone: bool = False,
    wbs: str = "",
    outline: str = "",
    baseline: tuple[str, str] | None = None,
    actual: str = "",
) -> str:
    """One MSPDI Task as MS Project writes it (dates at 08:00, finishes of work at 17:00)."""
    parts = [f"<UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name>"]
    parts.append(f"<WBS>{wbs}</WBS>" if wbs else "")
    parts.append(
        f"<OutlineNumber>{outline or uid}</OutlineNumber><OutlineLevel>{level}</OutlineLevel>"
    )
    parts.append(f"<Start>{start}</Start><Finish>{finish}</Finish>")
    parts.append(f"<Milestone>{int(milestone)}</Milestone><Summary>{int(summary)}</Summary>")
    parts.append(f"<ActualFinish>{actual}</ActualFinish>" if actual else "")
    if baseline:
        parts.append(
            f"<Baseline><Number>0</Number><Start>{baseline[0]}</Start>"
            f"<Finish>{baseline[1]}</Finish></Baseline>"
        )
    return f"<Task>{''.join(parts)}</Task>"


def plan(*tasks: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="{NS}">'
        "<SaveVersion>14</SaveVersion><Name>partner.xml</Name>"
        f"<Tasks>{task(0, 'Partner plan', 0, '2025-01-06T08:00:00', '2027-03-31T17:00:00')}"
        f"{''.join(tasks)}</Tasks></Project>"
    )


# Two workstreams: one with a WBS code, baselines, an achieved milestone, an ordinary task
# (a milestone at its finish) and a milestone without a baseline; one coded by its outline
# number, with a milestone nested under a grouping summary.
TASKS = {
    "radar": task(1, "Radar development", 1, "2025-01-06T08:00:00", "2026-06-30T17:00:00",
                  summary=True, wbs="WS-1",
                  baseline=("2025-01-06T08:00:00", "2026-03-31T17:00:00")),
    "pdr": task(2, "PDR", 2, "2025-06-30T17:00:00", "2025-06-30T17:00:00", milestone=True,
                outline="1.1", baseline=("2025-06-16T17:00:00", "2025-06-16T17:00:00"),
                actual="2025-07-02T17:00:00"),
    "build": task(3, "Prototype build", 2, "2025-07-01T08:00:00", "2026-02-27T17:00:00",
                  outline="1.2", baseline=("2025-07-01T08:00:00", "2026-01-30T17:00:00")),
    "cdr": task(4, "CDR", 2, "2026-03-16T17:00:00", "2026-03-16T17:00:00", milestone=True,
                outline="1.3"),
    "coprod": task(5, "Co-production setup", 1, "2025-09-01T08:00:00", "2027-03-31T17:00:00",
                   summary=True, outline="2"),
    "line": task(6, "Line qualification", 2, "2026-10-15T08:00:00", "2026-10-15T08:00:00",
                 milestone=True, outline="2.1",
                 baseline=("2026-09-30T08:00:00", "2026-09-30T08:00:00")),
    "tooling": task(7, "Tooling", 2, "2026-01-05T08:00:00", "2026-05-15T17:00:00",
                    summary=True, outline="2.2"),
    "jigs": task(8, "Jigs delivered", 3, "2026-05-15T17:00:00", "2026-05-15T17:00:00",
                 milestone=True, outline="2.2.1",
                 baseline=("2026-05-01T17:00:00", "2026-05-01T17:00:00")),
}  # fmt: skip


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def partner_plan(tmp_path: Path) -> Path:
    return write(tmp_path / "partner.xml", plan(*TASKS.values()))


def by_title(db: Database, programme_id: int) -> dict[str, Any]:
    rows: dict[str, Any] = {w.title: w for w in workstreams.list_workstreams(db, programme_id)}
    rows.update({m.title: m for m in milestones.list_milestones(db, programme_id)})
    return rows


# Import ------------------------------------------------------------------------------------


def test_plan_imports_as_workstreams_and_milestones(
    db: Database, programme: Fixture, partner_plan: Path
) -> None:
    report = mspdi.import_schedule(
        db, partner_plan, programme.programme_id, dry_run=False, reported_on=date(2025, 7, 1)
    )

    assert (report.workstreams_created, report.milestones_created) == (2, 5)
    assert report.problems == () and report.notes == ()
    rows = by_title(db, programme.programme_id)
    radar, coprod = rows["Radar development"], rows["Co-production setup"]
    assert (radar.code, radar.baseline_start, radar.baseline_finish) == (
        "WS-1",
        date(2025, 1, 6),
        date(2026, 3, 31),
    )
    assert (radar.forecast_finish, radar.actual_finish) == (date(2026, 6, 30), None)
    assert (radar.kind, radar.phase, radar.status, radar.budget_minor) == (
        "joint R&D",
        "development",
        "active",
        0,
    )
    assert (radar.trl_now, radar.trl_target, radar.mrl_now, radar.mrl_target) == (1, 9, 1, 9)
    # No WBS: the outline number is the code; no baseline: the plan's dates are it.
    assert (coprod.code, coprod.baseline_start, coprod.baseline_finish) == (
        "2",
        date(2025, 9, 1),
        date(2027, 3, 31),
    )
    expected = {  # title: (workstream, baseline, forecast, actual)
        "PDR": (radar, date(2025, 6, 16), date(2025, 6, 30), date(2025, 7, 2)),
        "Prototype build": (radar, date(2026, 1, 30), date(2026, 2, 27), None),
        "CDR": (radar, date(2026, 3, 16), date(2026, 3, 16), None),
        "Line qualification": (coprod, date(2026, 9, 30), date(2026, 10, 15), None),
        "Jigs delivered": (coprod, date(2026, 5, 1), date(2026, 5, 15), None),
    }
    for title, (stream, baseline, forecast, actual) in expected.items():
        m = rows[title]
        assert (m.workstream_id, m.baseline_date, m.forecast_date, m.actual_date) == (
            stream.id,
            baseline,
            forecast,
            actual,
        ), title
    assert "Tooling" not in rows  # a grouping summary inside a workstream is not a record
    history = milestones.forecast_history(db, rows["CDR"].id)
    assert [(h.reported_on, h.forecast_date) for h in history] == [
        (date(2025, 7, 1), date(2026, 3, 16))
    ]


def test_reimport_updates_instead_of_duplicating(
    db: Database, programme: Fixture, tmp_path: Path, partner_plan: Path
) -> None:
    pid = programme.programme_id
    mspdi.import_schedule(db, partner_plan, pid, dry_run=False, reported_on=date(2025, 7, 1))
    moved = dict(TASKS)
    moved["cdr"] = moved["cdr"].replace("2026-03-16", "2026-04-20")
    moved["line"] = moved["line"].replace("2026-09-30", "2026-10-01")  # a new baseline
    later = write(tmp_path / "later.xml", plan(*moved.values()))

    report = mspdi.import_schedule(db, later, pid, dry_run=False, reported_on=date(2025, 9, 1))

    assert (report.workstreams_created, report.milestones_created) == (0, 0)
    assert (report.milestones_updated, report.unchanged) == (1, 6)
    assert len(milestones.list_milestones(db, pid)) == 5
    assert len(workstreams.list_workstreams(db, pid)) == 2
    rows = by_title(db, pid)
    assert (rows["CDR"].baseline_date, rows["CDR"].forecast_date) == (
        date(2026, 3, 16),
        date(2026, 4, 20),
    )
    history = milestones.forecast_history(db, rows["CDR"].id)
    assert [(h.reported_on, h.forecast_date) for h in history] == [
        (date(2025, 7, 1), date(2026, 3, 16)),
        (date(2025, 9, 1), date(2026, 4, 20)),
    ]
    # The baseline is reported, never applied: it moves only by re-baselining.
    assert rows["Line qualification"].baseline_date == date(2026, 9, 30)
    [note] = report.notes
    assert "Line qualification" in note and "re-baselining" in note
    assert "2026-10-01" in note and "2026-09-30" in note


def test_dry_run_writes_nothing_and_counts(
    db: Database, programme: Fixture, partner_plan: Path
) -> None:
    before = audit_count(db)

    report = mspdi.import_schedule(db, partner_plan, programme.programme_id, dry_run=True)

    assert audit_count(db) == before
    assert workstreams.list_workstreams(db, programme.programme_id) == []
    assert (report.dry_run, report.workstreams_created, report.milestones_created) == (True, 2, 5)
    assert "dry run" in report.lines()[0]
    # The rolled-back savepoint leaves the audit chain sound for the real import after it.
    mspdi.import_schedule(db, partner_plan, programme.programme_id, dry_run=False)
    assert audit.verify(db) == []


def test_a_bad_task_imports_nothing_and_names_every_problem(
    db: Database, programme: Fixture, tmp_path: Path
) -> None:
    bad = dict(TASKS)
    bad["cdr"] = bad["cdr"].replace("2026-03-16T17:00:00</Finish>", "16/03/2026</Finish>")
    early = task(9, "Kick-off", 2, "2024-12-02T08:00:00", "2024-12-02T08:00:00", milestone=True)
    stray = task(10, "Stray milestone", 1, "2025-03-03T08:00:00", "2025-03-03T08:00:00")
    path = write(
        tmp_path / "bad.xml",
        plan(*bad.values(), stray).replace(TASKS["build"], TASKS["build"] + early),
    )
    before = audit_count(db)

    with pytest.raises(ScheduleRejected) as err:
        mspdi.import_schedule(db, path, programme.programme_id, dry_run=False)

    assert err.value.exit_code == 1 and isinstance(err.value, SetuError)
    assert audit_count(db) == before
    problems = {(p.uid, p.name): p.reason for p in err.value.report.problems}
    assert set(problems) == {("4", "CDR"), ("9", "Kick-off"), ("10", "Stray milestone")}
    assert "'16/03/2026' is not a date" in problems[("4", "CDR")]
    assert "before workstream WS-1 starts" in problems[("9", "Kick-off")]
    assert "outside any summary task" in problems[("10", "Stray milestone")]
    # A dry run reports the same problems without raising.
    report = mspdi.import_schedule(db, path, programme.programme_id, dry_run=True)
    assert len(report.problems) == 4 and audit_count(db) == before  # Kick-off: two dates


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID>
<Name>&lol9;</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>
<Start>2025-01-06T08:00:00</Start><Finish>2025-12-31T17:00:00</Finish></Task></Tasks></Project>
"""

# The entity names a file beside the plan: a relative system id, resolved (were it
# allowed) against the plan's own folder.
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "secret.txt">]>
<Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID>
<Name>&secret;</Name><OutlineLevel>1</OutlineLevel><Summary>1</Summary>
<Start>2025-01-06T08:00:00</Start><Finish>2025-12-31T17:00:00</Finish></Task></Tasks></Project>
"""


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (BILLION_LAUGHS.encode(), "refused"),
        (EXTERNAL_ENTITY.encode(), "refused"),
        (bytes(range(256)) * 4096, "not an XML file"),  # 1 MiB of binary junk
        (b'<?xml version="1.0"?><html><body>not a plan</body></html>', "not an MS Project"),
    ],
    ids=["billion-laughs", "external-entity", "junk", "other-xml"],
)
def test_unsafe_or_foreign_files_are_refused_in_one_line(
    db: Database, programme: Fixture, tmp_path: Path, content: bytes, message: str
) -> None:
    (tmp_path / "secret.txt").write_text("the office's secret")
    path = tmp_path / "plan.xml"
    path.write_bytes(content)
    before = audit_count(db)

    for dry_run in (False, True):
        with pytest.raises(UsageError) as err:
            mspdi.import_schedule(db, path, programme.programme_id, dry_run=dry_run)
        assert err.value.exit_code == 2
        assert message in str(err.value) and "\n" not in str(err.value)
        assert "secret" not in str(err.value)
    assert audit_count(db) == before
    assert workstreams.list_workstreams(db, programme.programme_id) == []


# Export ------------------------------------------------------------------------------------


def java_library() -> str:
    """The JVM library JPype should load.

    JPype looks at JAVA_HOME, then at the system's default java, then in the usual JVM
    folders. A `java` found only on PATH (a JDK unpacked elsewhere, as CI images and
    developers' machines often have) is followed here to its home, so without JAVA_HOME
    the test uses the Java a shell would.
    """
    java = shutil.which("java")
    if not os.environ.get("JAVA_HOME") and java:
        home = Path(java).resolve().parent.parent
        for name in ("libjvm.so", "libjvm.dylib", "jvm.dll"):
            if found := next(iter(sorted(home.rglob(name))), None):
                return str(found)
    try:
        return str(jpype.getDefaultJVMPath())
    except jpype.JVMNotFoundException:
        pytest.fail("no Java runtime: install one (Debian: default-jre-headless) or set JAVA_HOME")


@pytest.fixture(scope="module")
def mpxj_reader() -> Iterator[Any]:
    """MPXJ's reader for any project file; the JVM starts once and stays up."""
    if not jpype.isJVMStarted():
        jpype.startJVM(java_library(), "-Djava.awt.headless=true", interrupt=False)
    try:
        from org.mpxj.reader import UniversalProjectReader
    except ImportError:  # MPXJ before version 14 lived in net.sf.mpxj
        from net.sf.mpxj.reader import UniversalProjectReader

    yield UniversalProjectReader()


def read_with_mpxj(reader: Any, path: Path) -> dict[str, dict[str, Any]]:
    """Every task MPXJ finds, by name: its kind, WBS and dates as ISO dates."""

    def day(value: Any) -> str | None:
        return None if value is None else str(value.toLocalDate())

    project = reader.read(str(path))
    assert project is not None, "MPXJ did not recognise the file"
    return {
        str(t.getName()): {
            "level": int(t.getOutlineLevel()),
            "summary": bool(t.getSummary()),
            "milestone": bool(t.getMilestone()),
            "wbs": str(t.getWBS()),
            "start": day(t.getStart()),
            "finish": day(t.getFinish()),
            "baseline_start": day(t.getBaselineStart()),
            "baseline_finish": day(t.getBaselineFinish()),
            "actual_finish": day(t.getActualFinish()),
        }
        for t in project.getTasks()
    }


def test_export_reads_back_in_mpxj(
    db: Database, programme: Fixture, partner_plan: Path, tmp_path: Path, mpxj_reader: Any
) -> None:
    pid = programme.programme_id
    mspdi.import_schedule(db, partner_plan, pid, dry_run=False)
    # India-only work must not reach a joint export.
    secret = workstreams.create_workstream(
        db,
        pid,
        workstream_draft(code="WS-IN", title="Seeker (India only)", releasable_to="IND", marking=1),
    )

    out = mspdi.export_schedule(db, pid, tmp_path / "setu.xml", JOINT)
    tasks = read_with_mpxj(mpxj_reader, out)

    assert tasks["Test programme"]["level"] == 0
    assert "Seeker (India only)" not in tasks
    for w in workstreams.list_workstreams(db, pid):
        if w.id == secret.id:
            continue
        found = tasks[w.title]
        assert (found["level"], found["summary"], found["wbs"]) == (1, True, w.code)
        assert found["baseline_start"] == found["start"] == w.baseline_start.isoformat()
        assert found["baseline_finish"] == w.baseline_finish.isoformat()
        assert found["finish"] == (w.forecast_finish or w.baseline_finish).isoformat()
    stones = milestones.list_milestones(db, pid)
    assert len(stones) == 5
    for m in stones:
        found = tasks[m.title]
        assert (found["level"], found["milestone"], found["summary"]) == (2, True, False)
        assert found["start"] == found["finish"] == m.forecast_date.isoformat()
        assert found["baseline_finish"] == m.baseline_date.isoformat()
        actual = m.actual_date.isoformat() if m.actual_date else None
        assert found["actual_finish"] == actual
    assert tasks["PDR"]["actual_finish"] == "2025-07-02"
    # The national audience that may see it gets it.
    india = mspdi.export_schedule(db, pid, tmp_path / "india.xml", Audience.parse("national:IND"))
    assert read_with_mpxj(mpxj_reader, india)["Seeker (India only)"]["wbs"] == "WS-IN"
    # Each file carries the highest marking of what it holds.
    assert [subject(out), subject(india)] == ["UNCLASSIFIED", "RESTRICTED"]


def subject(path: Path) -> str | None:
    return ET.parse(path).getroot().findtext(f"{{{NS}}}Subject")


def schedule_of(path: Path) -> list[bytes]:
    """The exported tasks below the project summary, exactly as written."""
    root = ET.parse(path).getroot()
    tasks = root.iterfind(f"{{{NS}}}Tasks/{{{NS}}}Task")
    return [ET.tostring(t) for t in tasks if t.findtext(f"{{{NS}}}UID") != "0"]


def test_export_import_export_gives_the_same_schedule(
    db: Database, programme: Fixture, partner_plan: Path, tmp_path: Path
) -> None:
    mspdi.import_schedule(db, partner_plan, programme.programme_id, dry_run=False)
    first = mspdi.export_schedule(db, programme.programme_id, tmp_path / "first.xml", JOINT)
    empty = programmes.create_programme(
        db,
        ProgrammeDraft("JP-COPY", "Copy", "INR", date(2024, 1, 1)),
        [PartnerDraft("IND", "India"), PartnerDraft("RUS", "Russia")],
    )

    report = mspdi.import_schedule(db, first, empty.id, dry_run=False)
    second = mspdi.export_schedule(db, empty.id, tmp_path / "second.xml", JOINT)

    assert (report.workstreams_created, report.milestones_created) == (2, 5)
    assert schedule_of(second) == schedule_of(first)
    assert len(schedule_of(first)) == 7
    # Re-importing Setu's own export into the programme it came from changes nothing.
    again = mspdi.import_schedule(db, first, programme.programme_id, dry_run=True)
    assert (again.workstreams_updated, again.milestones_updated, again.notes) == (0, 0, ())
