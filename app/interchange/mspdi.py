"""MS Project XML (MSPDI) in and out: partners plan in MS Project, ProjectLibre or
GanttProject, so Setu reads their plans instead of having them retyped, and writes its own.

Import (tasks in document order, which MSPDI keeps in outline order; the project summary
at outline level 0 and blank rows, IsNull, are skipped):
- An outline-level-1 summary task (Summary=1, or a task is indented under it) is a
  workstream. Code = its WBS, else its OutlineNumber ("WS-1" or "1"): MS Project shows
  either as the WBS, and Setu's export writes the code there, so codes round-trip.
  Title = Name; baseline start/finish = Baseline (Number 0) Start/Finish, else
  Start/Finish; forecast finish = Finish; actual finish = ActualFinish.
- Every non-summary task below it (any depth; deeper summaries only group) is one of its
  milestones: Milestone=1 tasks as they are, ordinary tasks at their finish. Baseline =
  Baseline Start (milestones) or Baseline Finish (tasks), else Finish; forecast =
  Finish; actual = ActualFinish; acceptance criteria = Notes. A top-level non-summary
  task belongs to no workstream: a problem.
- An existing workstream code, or milestone title within its workstream, is updated,
  not duplicated (title, forecast, actual). A new forecast goes through
  `milestones.update_milestone`, so the history records it as reported on `reported_on`
  (default today). A different baseline is reported in the notes, never applied:
  baselines move only by re-baselining. A missing ActualFinish never clears an actual.
- A new workstream takes what MSPDI cannot say from defaults (NEW_WORKSTREAM): kind
  joint R&D, phase development, TRL 1 now / 9 target, MRL 1 now / 9 target, status
  active (complete with an ActualFinish), budget 0, no lead organisation, the lowest
  marking, releasable to every partner. Milestones: weight 1, the workstream's protection.
- All or nothing: problems are collected per task (UID, name, reason); a real import
  with any writes nothing and raises `ScheduleRejected` (exit 1); a dry run writes
  nothing and reports counts. Unsafe XML (any DTD, so entity bombs and external
  entities), non-XML and non-MSPDI files raise `UsageError` (exit 2), one line.

Export lives in `mspdi_export` (re-exported here): reading and writing share only the
format, and each is a file's worth.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import defusedxml
import defusedxml.ElementTree as SafeET

from app.database import Database
from app.domain import Phase, WorkStatus, WorkstreamKind
from app.errors import SetuError, UsageError, ValidationError
from app.interchange.mspdi_export import NS, export_schedule
from app.services import milestones, records, workstreams
from app.services.milestones import MilestoneDraft, MilestoneRow
from app.services.workstreams import WorkstreamDraft, WorkstreamRow

__all__ = [
    "NEW_WORKSTREAM",
    "ScheduleRejected",
    "ScheduleReport",
    "TaskProblem",
    "export_schedule",
    "import_schedule",
]
NEW_WORKSTREAM = {
    "kind": WorkstreamKind.JOINT_RND.value,
    "phase": Phase.DEVELOPMENT.value,
    "trl_now": 1,
    "trl_target": 9,
    "mrl_now": 1,
    "mrl_target": 9,
    "budget_minor": 0,
}


@dataclass(frozen=True)
class TaskProblem:
    uid: str
    name: str
    reason: str

    def __str__(self) -> str:
        return f"task UID {self.uid} {self.name!r}: {self.reason}"


@dataclass(frozen=True)
class ScheduleReport:
    """What an import did, or for a dry run would do; `notes` name baselines not applied."""

    dry_run: bool
    workstreams_created: int
    workstreams_updated: int
    milestones_created: int
    milestones_updated: int
    unchanged: int
    problems: tuple[TaskProblem, ...]
    notes: tuple[str, ...]

    def lines(self) -> list[str]:
        """The report as a person reads it: counts or problems first, then one per line."""
        if self.problems:
            head = f"{len(self.problems)} problem(s); nothing imported"
        else:
            head = (
                f"workstreams: {self.workstreams_created} created, {self.workstreams_updated} "
                f"updated; milestones: {self.milestones_created} created, "
                f"{self.milestones_updated} updated; {self.unchanged} unchanged"
                + (" (dry run: nothing written)" if self.dry_run else "")
            )
        return [head, *map(str, self.problems), *self.notes]


class ScheduleRejected(SetuError):
    """A real import found problems and wrote nothing; `report` lists every one."""

    def __init__(self, report: ScheduleReport, where: str) -> None:
        count, first = len(report.problems), report.problems[0]
        super().__init__(f"nothing imported: {count} problem(s), the first: {first}", where)
        self.report = report


# Reading ---------------------------------------------------------------------------------


@dataclass
class _Task:
    uid: str
    name: str
    level: int
    summary: bool
    milestone: bool
    code: str
    start: date | None
    finish: date | None
    actual: date | None
    baseline_start: date | None
    baseline_finish: date | None
    notes: str
    reasons: list[str]


def _parse(path: Path) -> ET.Element:
    """The document's root; anything unsafe or not MSPDI is refused in one line."""
    where = str(path)
    try:
        # No DTD at all: MSPDI never has one, and DTDs carry entity bombs and external entities.
        root: ET.Element = SafeET.parse(path, forbid_dtd=True).getroot()
    except defusedxml.DTDForbidden as exc:
        raise UsageError("refused: the file declares a DTD or entities", where) from exc
    except defusedxml.DefusedXmlException as exc:
        raise UsageError(f"refused: unsafe XML ({type(exc).__name__})", where) from exc
    except (ET.ParseError, ValueError, LookupError) as exc:  # the last two: bad encodings
        raise UsageError(f"not an XML file ({exc})", where) from exc
    except OSError as exc:
        raise UsageError(f"cannot read the file: {exc.strerror or exc}", where) from exc
    if root.tag not in (f"{{{NS}}}Project", "Project"):
        raise UsageError(f"not an MS Project XML file (its root is {root.tag})", where)
    return root


def _task_of(el: ET.Element, ns: str) -> _Task:
    reasons: list[str] = []

    def text(of: ET.Element, tag: str) -> str:
        return (of.findtext(ns + tag) or "").strip()

    def when(of: ET.Element | None, tag: str, label: str) -> date | None:
        value = "" if of is None else text(of, tag)
        try:
            return date.fromisoformat(value[:10]) if value else None
        except ValueError:
            reasons.append(f"{label} {value!r} is not a date")
            return None

    base = next((b for b in el.iterfind(ns + "Baseline") if text(b, "Number") in ("", "0")), None)
    level = text(el, "OutlineLevel")
    task = _Task(
        uid=text(el, "UID"),
        name=text(el, "Name"),
        level=int(level) if level.isdigit() else -1,
        summary=text(el, "Summary") in ("1", "true"),
        milestone=text(el, "Milestone") in ("1", "true"),
        code=text(el, "WBS") or text(el, "OutlineNumber"),
        start=when(el, "Start", "Start"),
        finish=when(el, "Finish", "Finish"),
        actual=when(el, "ActualFinish", "ActualFinish"),
        baseline_start=when(base, "Start", "Baseline Start"),
        baseline_finish=when(base, "Finish", "Baseline Finish"),
        notes=text(el, "Notes"),
        reasons=reasons,
    )
    if task.level < 0:
        reasons.append(f"OutlineLevel {level!r} is not a whole number")
    if task.level != 0 and not task.name:
        reasons.append("has no Name")
    if task.level != 0 and task.finish is None and not text(el, "Finish"):
        reasons.append("has no Finish date")
    return task


def _streams(root: ET.Element) -> tuple[list[tuple[_Task, list[_Task]]], list[TaskProblem]]:
    """Workstream tasks with their milestone tasks, and what is wrong without the database."""
    ns = root.tag[: -len("Project")]
    blank = ("1", "true")
    tasks = [
        _task_of(el, ns)
        for el in root.iterfind(f"{ns}Tasks/{ns}Task")
        if (el.findtext(ns + "IsNull") or "").strip() not in blank
    ]
    # A task with tasks indented under it is a summary even where the flag is missing.
    for task, after in zip(tasks, [*tasks[1:], None], strict=True):
        task.summary = task.summary or (after is not None and after.level > task.level)
    streams: list[tuple[_Task, list[_Task]]] = []
    for task in (t for t in tasks if t.level != 0):
        if task.level == 1 and task.summary:
            if not task.code:
                task.reasons.append("has neither a WBS code nor an outline number")
            elif task.code in {s.code for s, _ in streams}:
                task.reasons.append(f"repeats workstream code {task.code!r}")
            streams.append((task, []))
        elif task.level == 1 or (task.level > 1 and not streams):
            task.reasons.append("is outside any summary task; Setu keeps milestones in workstreams")
        elif task.level > 1 and not task.summary:
            if task.name in {t.name for t in streams[-1][1]}:
                task.reasons.append("repeats a milestone title within its workstream")
            streams[-1][1].append(task)
    problems = [TaskProblem(t.uid, t.name, r) for t in tasks if t.level != 0 for r in t.reasons]
    return streams, problems


# Importing -------------------------------------------------------------------------------


@dataclass
class _Tally:
    reported_on: date
    problems: list[TaskProblem]
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def refused(self, task: _Task, exc: ValidationError) -> None:
        for p in exc.problems:
            reason = f"{p.field.replace('_', ' ')} {p.reason}"
            self.problems.append(TaskProblem(task.uid, task.name, reason))

    def baseline(self, task: _Task, kept: date, given: date | None) -> None:
        if given is not None and given != kept:
            self.notes.append(
                f"task UID {task.uid} {task.name!r}: baseline {given} in the file, {kept} in "
                "Setu; not applied: baselines move only by re-baselining"
            )

    def report(self, dry_run: bool) -> ScheduleReport:
        c = self.counts
        return ScheduleReport(
            dry_run,
            *(c["workstreams created"], c["workstreams updated"]),
            *(c["milestones created"], c["milestones updated"], c["unchanged"]),
            problems=tuple(self.problems),
            notes=tuple(self.notes),
        )


def _workstream(
    db: Database, programme_id: int, row: WorkstreamRow | None, task: _Task, tally: _Tally
) -> WorkstreamRow:
    """Create the workstream, or update `row` (the one with this code) from the task."""
    assert task.finish is not None  # _task_of made a task without one a problem
    start = task.baseline_start or task.start or task.finish
    if row is None:
        tally.counts["workstreams created"] += 1
        draft = WorkstreamDraft(
            code=task.code,
            title=task.name,
            baseline_start=start,
            baseline_finish=task.baseline_finish or task.finish,
            forecast_finish=task.finish,
            actual_finish=task.actual,
            status=(WorkStatus.COMPLETE if task.actual else WorkStatus.ACTIVE).value,
            **NEW_WORKSTREAM,  # type: ignore[arg-type]
        )
        return workstreams.create_workstream(db, programme_id, draft)
    tally.baseline(task, row.baseline_start, start)
    tally.baseline(task, row.baseline_finish, task.baseline_finish or task.finish)
    # Setu exports "no forecast yet" as Finish = baseline finish: reading that back is no change.
    unforecast = row.forecast_finish is None and task.finish == row.baseline_finish
    draft = replace(
        row.draft(),
        title=task.name,
        forecast_finish=None if unforecast else task.finish,
        actual_finish=task.actual or row.actual_finish,
    )
    if draft == row.draft():
        tally.counts["unchanged"] += 1
        return row
    tally.counts["workstreams updated"] += 1
    return workstreams.update_workstream(db, row.id, row.version, draft)


def _milestone(
    db: Database, stream: WorkstreamRow, row: MilestoneRow | None, task: _Task, tally: _Tally
) -> None:
    """Create the milestone, or update `row` (the one with this title) from the task."""
    assert task.finish is not None
    given = (task.baseline_start if task.milestone else None) or task.baseline_finish
    if row is None:
        tally.counts["milestones created"] += 1
        draft = MilestoneDraft(
            title=task.name,
            baseline_date=given or task.finish,
            forecast_date=task.finish,
            acceptance_criteria=task.notes,
            actual_date=task.actual,
        )
        milestones.create_milestone(db, stream.id, draft, tally.reported_on)
        return
    tally.baseline(task, row.baseline_date, given)
    actual = task.actual or row.actual_date
    edit = replace(row.edit(), forecast_date=task.finish, actual_date=actual)
    if edit == row.edit():
        tally.counts["unchanged"] += 1
        return
    tally.counts["milestones updated"] += 1
    milestones.update_milestone(db, row.id, row.version, edit, tally.reported_on)


def _apply(
    db: Database, programme_id: int, streams: list[tuple[_Task, list[_Task]]], tally: _Tally
) -> None:
    """Create or update every workstream and milestone, collecting what services refuse."""
    existing = {w.code: w for w in workstreams.list_workstreams(db, programme_id)}
    for head, children in streams:
        if head.reasons:
            continue  # already a problem; its milestones have nowhere to go
        try:
            row = _workstream(db, programme_id, existing.get(head.code), head, tally)
        except ValidationError as exc:
            tally.refused(head, exc)
            continue
        titles: dict[str, MilestoneRow] = {}
        for m in milestones.list_milestones(db, programme_id, row.id):
            titles.setdefault(m.title, m)
        for task in (t for t in children if not t.reasons):
            try:
                _milestone(db, row, titles.get(task.name), task, tally)
            except ValidationError as exc:
                tally.refused(task, exc)


def import_schedule(
    db: Database, path: Path, programme_id: int, *, dry_run: bool, reported_on: date | None = None
) -> ScheduleReport:
    """Bring an MSPDI schedule into the programme, all or nothing (see the module doc)."""
    streams, problems = _streams(_parse(path))
    tally = _Tally(reported_on or date.today(), problems)
    with db.begin() as session:
        records.programme_of(session, programme_id)
        # In a savepoint, so a dry run runs every real check and still leaves no trace,
        # even inside a caller's unit of work.
        savepoint = session.begin_nested()
        try:
            _apply(db, programme_id, streams, tally)
        except BaseException:
            savepoint.rollback()
            raise
        if dry_run or tally.problems:
            savepoint.rollback()
        else:
            savepoint.commit()
    report = tally.report(dry_run)
    if report.problems and not dry_run:
        raise ScheduleRejected(report, str(path))
    return report
