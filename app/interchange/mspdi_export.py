"""Writing MSPDI: the programme's schedule as MS Project, ProjectLibre and MPXJ open it.

The workstreams the audience may see become summary tasks (outline level 1, WBS = the
workstream code) under the project summary task (UID 0); their milestones become
zero-duration Milestone=1 tasks (level 2) with Start/Finish = forecast, Baseline (Number
0) = baseline, ActualStart/ActualFinish and 100 % complete when achieved. Dates are
written yyyy-mm-ddT08:00:00, finishes of work at 17:00:00. The file's Subject is the
highest marking of what it holds (DOMAIN.md: an export carries its marking).
Elements follow the MSPDI schema's order, which MS Project enforces.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

from app.database import Database
from app.errors import UsageError
from app.services import milestones, programmes, protection, records, workstreams
from app.services.audience import Audience
from app.services.programmes import ProgrammeRow

NS = "http://schemas.microsoft.com/project"


def _stamp(day: date | None, *, finish: bool = False) -> str | None:
    return None if day is None else f"{day.isoformat()}T{'17' if finish else '08'}:00:00"


def _duration(start: date, finish: date, *, milestone: bool) -> str:
    """Working time on the Standard calendar (8 h a day, Monday to Friday)."""
    days = range((finish - start).days + 1)
    hours = 0 if milestone else 8 * sum((start + timedelta(n)).weekday() < 5 for n in days)
    return f"PT{hours}H0M0S"


def _fill(element: ET.Element, *pairs: tuple[str, object]) -> ET.Element:
    """Give `element` a child per (tag, value) pair, in order; a None value is left out."""
    for tag, value in pairs:
        if value is not None:
            ET.SubElement(element, tag).text = str(value)
    return element


def _calendar(project: ET.Element) -> None:
    """MS Project's Standard calendar: Monday to Friday, 08:00-12:00 and 13:00-17:00."""
    calendar = ET.SubElement(ET.SubElement(project, "Calendars"), "Calendar")
    _fill(calendar, ("UID", 1), ("Name", "Standard"), ("IsBaseCalendar", 1))
    days = ET.SubElement(calendar, "WeekDays")
    for day_type in range(1, 8):  # 1 is Sunday
        working = day_type not in (1, 7)
        day = _fill(
            ET.SubElement(days, "WeekDay"), ("DayType", day_type), ("DayWorking", int(working))
        )
        if working:
            times = ET.SubElement(day, "WorkingTimes")
            for start, finish in (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00")):
                _fill(ET.SubElement(times, "WorkingTime"), ("FromTime", start), ("ToTime", finish))


def _task(
    tasks: ET.Element,
    uid: int,
    name: str,
    outline: tuple[str, str, int],
    dates: tuple[date, date, date | None, date | None, date | None],
    *,
    milestone: bool = False,
    notes: str = "",
) -> None:
    """One Task, its elements in the schema's order (MS Project refuses any other).

    A milestone starts and finishes at one instant, 08:00; other tasks end at 17:00.
    Milestones are pinned with Must Start On, or MS Project would move unlinked tasks
    to the project start when it reschedules.
    """
    wbs, number, level = outline
    start, finish, actual, base_start, base_finish = dates
    end = not milestone
    task = _fill(
        ET.SubElement(tasks, "Task"),
        *(("UID", uid), ("ID", uid), ("Name", name), ("Type", 1), ("IsNull", 0), ("WBS", wbs)),
        *(("OutlineNumber", number), ("OutlineLevel", level), ("Priority", 500)),
        *(("Start", _stamp(start)), ("Finish", _stamp(finish, finish=end))),
        ("Duration", _duration(start, finish, milestone=milestone)),
        *(("DurationFormat", 7), ("Milestone", int(milestone)), ("Summary", int(end))),
        ("PercentComplete", 100 if actual else 0),
        ("ActualStart", _stamp(actual if milestone else start) if actual else None),
        ("ActualFinish", _stamp(actual, finish=end)),
        ("ConstraintType", 2 if milestone else 0),
        ("ConstraintDate", _stamp(start) if milestone else None),
        ("Notes", notes or None),
    )
    if base_start and base_finish:
        _fill(
            ET.SubElement(task, "Baseline"),
            *(("Number", 0), ("Start", _stamp(base_start))),
            ("Finish", _stamp(base_finish, finish=end)),
            ("Duration", _duration(base_start, base_finish, milestone=milestone)),
            ("DurationFormat", 7),
        )


def export_schedule(db: Database, programme_id: int, out: Path, audience: Audience) -> Path:
    """Write the programme's schedule as MSPDI, holding only what `audience` may see."""
    with db.read() as session:
        programme = ProgrammeRow.of(records.programme_of(session, programme_id))
        scale = protection.marking_scale(session)
    partners = [p.nation for p in programmes.partners(db, programme_id)]
    audience.check(partners)
    streams = workstreams.list_workstreams(db, programme_id)
    streams = [w for w in streams if audience.sees(w.releasable_to, partners)]
    shown = {w.id for w in streams}
    stones = milestones.list_milestones(db, programme_id)
    stones = [
        m for m in stones if m.workstream_id in shown and audience.sees(m.releasable_to, partners)
    ]
    marks = [programme.marking, *(w.marking for w in streams), *(m.marking for m in stones)]
    days = [d for w in streams for d in (w.baseline_start, w.baseline_finish, w.forecast_finish)]
    days += [w.actual_finish for w in streams]
    days += [d for m in stones for d in (m.baseline_date, m.forecast_date, m.actual_date)]
    first = min((d for d in days if d), default=programme.start_date)
    last = max((d for d in days if d), default=programme.end_date or first)

    # Unqualified tags under a default xmlns: no global namespace registration needed.
    root = _fill(
        ET.Element("Project", xmlns=NS),
        *(("SaveVersion", 14), ("Name", out.name), ("Title", programme.name)),
        ("Subject", scale[min(max(marks), len(scale) - 1)]),
        ("ScheduleFromStart", 1),
        *(("StartDate", _stamp(first)), ("FinishDate", _stamp(last, finish=True))),
        *(("CurrencyCode", programme.base_currency), ("CalendarUID", 1)),
        *(("DefaultStartTime", "08:00:00"), ("DefaultFinishTime", "17:00:00")),
        *(("MinutesPerDay", 480), ("MinutesPerWeek", 2400), ("DaysPerMonth", 20)),
    )
    _calendar(root)
    tasks = ET.SubElement(root, "Tasks")
    _task(tasks, 0, programme.name, ("0", "0", 0), (first, last, None, None, None))
    uid = 0
    for number, stream in enumerate(streams, start=1):
        uid += 1
        finish = stream.forecast_finish or stream.baseline_finish
        span = (stream.baseline_start, stream.baseline_finish)
        dates = (stream.baseline_start, finish, stream.actual_finish, *span)
        _task(tasks, uid, stream.title, (stream.code, str(number), 1), dates)
        own = [m for m in stones if m.workstream_id == stream.id]
        for step, m in enumerate(own, start=1):
            uid += 1
            outline = (f"{stream.code}.{step}", f"{number}.{step}", 2)
            forecast, baseline = (m.forecast_date,) * 2, (m.baseline_date,) * 2
            dates = (*forecast, m.actual_date, *baseline)
            _task(tasks, uid, m.title, outline, dates, milestone=True, notes=m.acceptance_criteria)
    _write(root, out)
    return out


def _write(root: ET.Element, out: Path) -> None:
    """Write beside the target and rename, so a failed export never leaves half a file."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode").encode()
    part = out.with_name(f".{out.name}.part")
    try:
        part.write_bytes(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body)
        os.replace(part, out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise UsageError(f"cannot write the file: {exc.strerror or exc}", str(out)) from exc
