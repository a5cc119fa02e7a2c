"""`setu import KIND FILE`: a register from a spreadsheet, all rows or none.

The whole file is one unit of work (`db.begin()`): every row goes through its
register's service, exactly as if typed into a dialog, and the services join this
one transaction. A refused row leaves no trace (services check before they write; an
update runs in a SAVEPOINT) and the rows after it are still checked, so the report
names every bad row; at the end any problem rolls everything back and raises
`ImportRejected`, and a dry run rolls back regardless. So the dry run's counts and
problems are the real import's, database checks included. A new record is checked as
its row is read and written with the next few hundred (`_BATCH`), so ten thousand
rows cost a few dozen flushes, not one each, with every record still audited.

Problems carry the row number as the spreadsheet shows it (title block and header
counted) and the sheet's own column header, mapped back from the service's field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.database import Database
from app.errors import Problem, SetuError, UsageError, ValidationError
from app.interchange import columns, tables
from app.interchange.registers import REGISTERS
from app.interchange.spec import PROTECTION, Context, Register, T, blank, parse, to_minor
from app.interchange.values import Cell, CellError
from app.services import records


class RowProblem(NamedTuple):
    """One reason a row cannot be imported: where it is, and why."""

    sheet: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        column = f", {self.column}" if self.column else ""
        return f"{self.sheet} row {self.row}{column}: {self.reason}"


@dataclass
class ImportReport:
    """What an import did, or for a dry run would do."""

    kind: str
    file: str
    dry_run: bool
    sheet: str = ""
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # sheet header -> field
    ignored: list[str] = field(default_factory=list)  # sheet headers nothing reads
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: the counts (what a dry run would do) and how many rows are bad."""
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.dry_run:
            bad = f"; {self._bad()}" if self.problems else ""
            return f"dry run, nothing written: would be {counts}{bad}"
        return f"{self._bad()}; nothing imported" if self.problems else counts

    def _bad(self) -> str:
        rows = len({p.row for p in self.problems})
        return f"{len(self.problems)} problem(s) in {rows} row(s)"


class ImportRejected(SetuError):
    """A real import found bad rows and imported nothing (exit 1); `report` names them."""

    exit_code = 1

    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary(), report.file)
        self.report = report


class _DryRun(Exception):
    """Raised inside the unit of work to roll a dry run back."""


class _Broken(Exception):
    """The database failed a write: the transaction is lost, so the import stops."""


KINDS = tuple(REGISTERS)
# New records written per flush: large enough that the writes cost little per row,
# small enough that a refusal by the database names a few rows, not the whole file.
_BATCH = 500


def register_for(kind: str) -> Register:
    if kind not in REGISTERS:
        raise UsageError(f"{kind!r} is not a register to import (use one of: {', '.join(KINDS)})")
    return REGISTERS[kind]


def import_file(
    db: Database,
    kind: str,
    path: Path,
    programme_id: int,
    *,
    dry_run: bool = False,
    mapping: Mapping[str, str] | None = None,
) -> ImportReport:
    """Import `path` into the programme's `kind` register; see the module docstring.

    Raises ImportRejected when a real import has bad rows (nothing imported), and
    UsageError for a file that cannot be read (nothing imported).
    """
    register = register_for(kind)
    path = Path(path)
    report = ImportReport(kind, path.name, dry_run)
    try:
        with db.begin() as session:
            records.programme_of(session, programme_id)
            _Run(register, Context(db, programme_id), report, session).read(path, mapping)
            if dry_run:
                raise _DryRun
            if report.problems:
                raise ImportRejected(report)
    except _DryRun:
        pass
    return report


class _Run:
    """One import: the matched columns, the records it may update, and its tally."""

    def __init__(
        self,
        register: Register,
        context: Context,
        report: ImportReport,
        session: Session,
    ) -> None:
        self.register = register
        self.context = context
        self.report = report
        self.session = session
        self.absent: set[str] = set()  # needed fields the sheet has no column for
        self.matched = columns.Matched()
        self.sheet = ""
        self.seen: dict[tuple[Any, ...], int] = {}
        self.existing: dict[tuple[Any, ...], list[Any]] = {}
        self.queued_from = 0  # the first row whose record is queued but not yet written

    def _write_queued(self, number: int) -> None:
        """Write the new records queued since `queued_from` (up to row `number`).

        Rows that create are queued (`records.add`) and written a batch at a time: one
        flush, and one batch of audit entries, for hundreds of rows.
        """
        try:
            self.session.flush()
        except SQLAlchemyError as exc:
            raise self._refused(number, exc) from exc
        self.queued_from = 0

    def _refused(self, number: int, exc: SQLAlchemyError) -> _Broken:
        """The database refused a write: of this row, or of one queued since `queued_from`."""
        first = self.queued_from or number
        rows = "the row" if first == number else f"one of rows {first}-{number}"
        return _Broken(f"the database refused {rows} ({str(exc).splitlines()[0]})")

    def read(self, path: Path, mapping: Mapping[str, str] | None) -> None:
        register = self.register
        known = columns.known_names(register.fields, mapping)

        def score(texts: Sequence[str]) -> int:
            return sum(columns.normalise(text) in known for text in texts if text)

        with tables.open_table(path, score, self._sheet_rank) as table:
            self.sheet = self.report.sheet = table.sheet
            self.report.header_row = table.header_row
            self.matched = columns.match(table.headers, register.fields, mapping)
            self.report.columns = {h: f for f, h in self.matched.by_field.items()}
            self.report.ignored = list(self.matched.ignored)
            if self._missing_columns(table.header_row):
                return
            for row in register.listing(self.context):
                stored = register.stored(self.context, row)
                self.existing.setdefault(register.identity(stored), []).append(row)
            number = table.header_row
            try:
                for number, cells in table.rows:
                    self._row(number, cells)
                    if self.queued_from and number - self.queued_from + 1 >= _BATCH:
                        self._write_queued(number)
                self._write_queued(number)
            except _Broken as exc:
                self._problem(number, "", f"{exc}; later rows were not checked")

    def _sheet_rank(self, title: str) -> int:
        """Prefer the register's own sheet in a workbook of several (an "all" export)."""
        name = columns.normalise(title)
        own = (columns.normalise(self.register.sheet), columns.normalise(self.register.kind))
        return 2 if name in own else int(name.startswith(self.register.sheet_words))

    def _missing_columns(self, header_row: int) -> bool:
        """Report, once, each column a new record needs that the sheet lacks.

        A sheet with the register's key may still update existing records without them
        (Ref and Likelihood re-rate risks), so then only rows that create are refused.
        """
        needed = self.register.needed()
        missing = [
            f for f in self.register.fields if f.name in needed and not self.matched.header(f.name)
        ]
        self.absent = {f.name for f in missing}
        key = self.register.key
        if missing and key is not None and all(self.matched.header(name) for name in key):
            return False
        for f in missing:
            self._problem(header_row, f.header, "the sheet has no such column")
        return bool(missing)

    def _problem(self, number: int, column: str, reason: str) -> None:
        self.report.problems.append(RowProblem(self.sheet, number, column, reason))

    def _column(self, name: str) -> str:
        """The sheet's header for a service field (or the field's own header if absent)."""
        for f in self.register.fields:
            if name == f.name or name in f.also:
                return self.matched.header(f.name) or f.header
        owner = name.split(".", 1)[0]
        return self.matched.header(owner) or owner.replace("_", " ")

    def _cells(self, number: int, cells: dict[str, Cell]) -> dict[str, Any] | None:
        """The row's given values (blank cells as None); None if a cell is unreadable."""
        given: dict[str, Any] = {}
        good = True
        for f in self.register.fields:
            header = self.matched.header(f.name)
            if header is None:
                continue
            cell = cells.get(header)
            try:
                given[f.name] = None if cell is None else parse(f, cell, self.context)
            except CellError as exc:
                self._problem(number, header, exc.reason)
                good = False
        return given if good else None

    def _row(self, number: int, cells: dict[str, Cell]) -> None:
        given = self._cells(number, cells)
        if given is None:
            return
        register = self.register
        try:
            if register.key is None:  # no natural key: the whole record is its identity
                values = self._values(given, None)
                register.prepare(self.context, values)
                same = self.existing.get(register.identity(values))
                self._apply(number, same.pop() if same else None, values)
                return
            key = register.identity(given)
            if key in self.seen and any(part not in (None, "") for part in key):
                self._problem(
                    number,
                    self._column(register.key[-1]),
                    f"the same record as row {self.seen[key]}; a file may hold each record once",
                )
                return
            self.seen[key] = number
            row = next(iter(self.existing.get(key, ())), None)
            values = self._values(given, row)
            register.prepare(self.context, values)
            self._apply(number, row, values)
        except CellError as exc:
            self._problem(number, self._column(exc.field), exc.reason)
        except ValidationError as exc:
            for problem in exc.problems:
                self._problem(number, self._column(problem.field), problem.reason)
        except (SetuError, SQLAlchemyError) as exc:
            self._problem(number, "", str(exc).splitlines()[0])

    def _values(self, given: dict[str, Any], row: Any) -> dict[str, Any]:
        """The record the row describes: its cells over the stored record, or over defaults.

        A new record takes a register default (else the draft's) for a blank or absent
        cell; an update keeps what is stored for absent columns, for defaulted fields and
        for the protection, while a blank cell clears any other field.
        """
        context, fields = self.context, self.register.fields
        values = {} if row is None else self.register.stored(context, row)
        for f in fields:
            if given.get(f.name) is not None:
                values[f.name] = given[f.name]
            elif f.name in given and row is not None and not (f.keep or f.default is not None):
                values[f.name] = blank(f)
        if row is None:
            for f in fields:
                if values.get(f.name) is None and f.default is not None:
                    values[f.name] = f.default(values, context)
        for f in fields:
            if f.kind is T.MONEY and given.get(f.name) is not None:
                code = values.get(f.currency) or context.base_currency
                try:
                    values[f.name] = to_minor(given[f.name], code)
                except CellError as exc:
                    raise CellError(exc.reason, f.name) from None
        return values

    def _apply(self, number: int, row: Any, values: dict[str, Any]) -> None:
        register = self.register
        if row is not None:
            stored = register.stored(self.context, row)
            names = [n for n in register.draft_names() if n not in PROTECTION or n in values]
            if all(stored.get(n) == values.get(n) for n in names):
                self.report.unchanged += 1
                return
        if row is None and self.absent:
            reason = "the sheet has no such column; a new record needs it"
            absent = [f.name for f in register.fields if f.name in self.absent]
            raise ValidationError([Problem(name, reason) for name in absent])
        if row is None:
            # A service checks a new record fully before it queues it, so a refused row
            # leaves nothing behind without a savepoint (which would cost a fifth of the
            # import's time); a database error on writing ends the whole import.
            self.queued_from = self.queued_from or number
            try:
                register.create(self.context, self.session, values)
            except SQLAlchemyError as exc:  # a look-up wrote what was queued, and failed
                raise self._refused(number, exc) from exc
            self.report.created += 1
        else:
            self._write_queued(number)
            # An update may bring dependants in line before a check refuses it.
            with self.session.begin_nested():
                register.update(self.context, row, values)
            self.report.updated += 1
