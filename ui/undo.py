"""Undo and redo through the services, so an undo is itself a validated, audited change.

Every GUI edit is a `QUndoCommand` that calls the register's service: undoing an edit
applies the old values with `update_*`, undoing an addition deletes the record, undoing
a deletion raises it again (with a new id, which later commands follow through the
`Ledger`). Nothing here touches the database behind the services' back, so each step
is checked and written to the audit log like any other change.

A step that cannot be done (somebody else changed the record meanwhile, a value is no
longer valid) changes nothing, says why, and is dropped from the stack
(`setObsolete`), so the stack never claims a state the database is not in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from app.database import Database
from app.errors import ConflictError, SetuError

log = logging.getLogger(__name__)


class VersionedRow(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def version(self) -> int: ...


R = TypeVar("R", bound=VersionedRow)
D = TypeVar("D")


@dataclass(frozen=True)
class RecordOps(Generic[R, D]):
    """What the commands (and dialogs) need to change one register through its service.

    `create`, `update` and `delete` are the service's use-cases with the database (and
    programme) already bound; `draft_of` turns a row into the draft that re-creates it.
    `entity` names the register for reloads ("risk"); `label` names one record in
    messages and undo texts ("R-001"). `snapshot`/`restore` let a deletion's undo bring
    back what the service deleted or unlinked with the record (e.g. a risk's reviews).
    """

    db: Database
    entity: str
    create: Callable[[D], R]
    update: Callable[[int, int, D], R]
    delete: Callable[[int, int], None]
    get: Callable[[int], R]
    draft_of: Callable[[R], D]
    label: Callable[[R], str]
    snapshot: Callable[[R], object] | None = None
    restore: Callable[[object, R], None] | None = None


def values_of(row: object) -> dict[str, Any]:
    """A row or draft as a plain dict (for conflict messages)."""
    if is_dataclass(row) and not isinstance(row, type):
        return asdict(row)
    return dict(vars(row))


class Ledger(QObject):
    """What the commands on one stack share: record ids that changed, and news of changes.

    `changed(entity)` fires after every step that changed (or may have changed) records
    of that register, so pages reload; `failed(message)` after a step that could not be
    done.
    """

    changed = Signal(str)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: dict[tuple[str, int], int] = {}
        self.last_message: QMessageBox | None = None
        self.failed.connect(self._show)

    def resolve(self, entity: str, record_id: int) -> int:
        """The id the record has now (a deletion's undo raises it again with a new id)."""
        return self._ids.get((entity, record_id), record_id)

    def remap(self, entity: str, old_id: int, new_id: int) -> None:
        for key, current in self._ids.items():
            if key[0] == entity and current == old_id:
                self._ids[key] = new_id
        self._ids[(entity, old_id)] = new_id

    def _show(self, message: str) -> None:
        # Not exec(): a modal loop inside QUndoStack.undo() would re-enter the stack.
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("Setu"),
            message,
            QMessageBox.StandardButton.Ok,
            QApplication.activeWindow(),
        )
        box.setTextFormat(Qt.TextFormat.PlainText)  # record text is never HTML
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("undo_failure")
        self.last_message = box
        box.open()


def ledger(stack: QUndoStack) -> Ledger:
    """The stack's ledger, made on first use (so any page can ask for it)."""
    found = stack.findChild(Ledger)
    return found if isinstance(found, Ledger) else Ledger(stack)


class RecordCommand(QUndoCommand, Generic[R, D]):
    """Base: runs each step, reports a failure, and keeps pages up to date.

    `done=True` means the change was already made (a dialog called the service itself,
    to show validation problems on its fields), so the first `redo` only records it.
    """

    def __init__(self, ops: RecordOps[R, D], stack: QUndoStack, text: str, *, done: bool) -> None:
        super().__init__(text)
        self.ops = ops
        self.ledger = ledger(stack)
        self._skip = done
        self.error: BaseException | None = None

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            self.ledger.changed.emit(self.ops.entity)
            return
        self._run(self.apply, self.tr_redo())

    def undo(self) -> None:
        self._run(self.revert, self.tr_undo())

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def tr_undo(self) -> str:
        return QApplication.translate("Undo", "Could not undo “{what}”.").format(what=self.text())

    def tr_redo(self) -> str:
        return QApplication.translate("Undo", "Could not redo “{what}”.").format(what=self.text())

    def _run(self, step: Callable[[], None], failure: str) -> None:
        self.error = None
        try:
            step()
        except SetuError as exc:
            self._fail(exc, f"{failure}\n\n{describe_error(exc)}")
        except Exception as exc:  # a bug: keep the stack sane, log it in full
            log.exception("undo step failed")
            detail = QApplication.translate("Undo", "An unexpected error occurred: {error}")
            self._fail(exc, f"{failure}\n\n{detail.format(error=exc)}")
        self.ledger.changed.emit(self.ops.entity)

    def _fail(self, exc: BaseException, message: str) -> None:
        self.error = exc
        self.setObsolete(True)  # nothing changed: drop the step rather than pretend
        nothing = QApplication.translate(
            "Undo", "Nothing was changed; this step is removed from the undo history."
        )
        self.ledger.failed.emit(f"{message}\n\n{nothing}")

    def _current(self, record_id: int) -> R:
        return self.ops.get(self.ledger.resolve(self.ops.entity, record_id))


def describe_error(exc: SetuError) -> str:
    if isinstance(exc, ConflictError):
        if exc.current is None:
            return QApplication.translate(
                "Undo", "Someone else deleted this record since it was changed here."
            )
        return QApplication.translate(
            "Undo", "Someone else changed this record since: {fields}."
        ).format(fields=", ".join(exc.fields) if isinstance(exc, ChangedSince) else exc.what)
    return str(exc)


class ChangedSince(ConflictError):
    """Fields an undo or redo would overwrite were changed by someone else since."""

    def __init__(
        self, entity: str, record_id: int, current: dict[str, Any], fields: Sequence[str]
    ) -> None:
        super().__init__(entity, record_id, current)
        self.fields = tuple(f.replace("_", " ") for f in fields)


class CreateCommand(RecordCommand[R, D]):
    """An added record: undo deletes it (as it is now), redo adds it again."""

    def __init__(
        self, ops: RecordOps[R, D], stack: QUndoStack, row: R, *, done: bool = True
    ) -> None:
        text = QApplication.translate("Undo", "Add {entity} {label}").format(
            entity=ops.entity, label=ops.label(row)
        )
        super().__init__(ops, stack, text, done=done)
        self.record_id = row.id
        self.draft = ops.draft_of(row)

    def apply(self) -> None:
        created = self.ops.create(self.draft)
        self.ledger.remap(self.ops.entity, self.record_id, created.id)

    def revert(self) -> None:
        current = self._current(self.record_id)
        self.ops.delete(current.id, current.version)


class UpdateCommand(RecordCommand[R, D]):
    """An edit: undo puts back the old values of the fields it changed, redo the new.

    Only the fields this edit changed are written, onto the record as it is now, and
    only if nobody has changed those fields since: otherwise the step is a conflict.
    """

    def __init__(
        self, ops: RecordOps[R, D], stack: QUndoStack, before: R, after: R, *, done: bool = True
    ) -> None:
        text = QApplication.translate("Undo", "Edit {entity} {label}").format(
            entity=ops.entity, label=ops.label(after)
        )
        super().__init__(ops, stack, text, done=done)
        self.record_id = after.id
        self.old = ops.draft_of(before)
        self.new = ops.draft_of(after)
        self.changed_fields = changed_fields(self.old, self.new)

    def apply(self) -> None:
        self._move(self.old, self.new)

    def revert(self) -> None:
        self._move(self.new, self.old)

    def _move(self, source: D, target: D) -> None:
        current = self._current(self.record_id)
        now = self.ops.draft_of(current)
        clashes = [f for f in self.changed_fields if getattr(now, f) != getattr(source, f)]
        if clashes:
            raise ChangedSince(self.ops.entity, current.id, values_of(current), clashes)
        moved = replace(now, **{f: getattr(target, f) for f in self.changed_fields})  # type: ignore[type-var]
        self.ops.update(current.id, current.version, moved)


class DeleteCommand(RecordCommand[R, D]):
    """Deleted records (one or many, all or none): undo raises them again.

    The re-raised records get new ids; the ledger maps the old ones, so earlier edits
    on the stack still find them.
    """

    def __init__(
        self, ops: RecordOps[R, D], stack: QUndoStack, rows: Sequence[R], *, done: bool = False
    ) -> None:
        if len(rows) == 1:
            text = QApplication.translate("Undo", "Delete {entity} {label}").format(
                entity=ops.entity, label=ops.label(rows[0])
            )
        else:
            text = QApplication.translate("Undo", "Delete {n} records").format(n=len(rows))
        super().__init__(ops, stack, text, done=done)
        self.ids = [row.id for row in rows]
        # The records as they were deleted, and what went with them: what undo restores.
        self.deleted: list[tuple[R, object]] = []

    def apply(self) -> None:
        deleted: list[tuple[R, object]] = []
        # One unit of work: a multi-row delete happens entirely or not at all.
        with self.ops.db.begin():
            for record_id in self.ids:
                current = self._current(record_id)
                extra = None if self.ops.snapshot is None else self.ops.snapshot(current)
                self.ops.delete(current.id, current.version)
                deleted.append((current, extra))
        self.deleted = deleted

    def revert(self) -> None:
        created: list[tuple[int, int]] = []
        with self.ops.db.begin():
            for record_id, (row, extra) in zip(self.ids, self.deleted, strict=True):
                new = self.ops.create(self.ops.draft_of(row))
                if self.ops.restore is not None:
                    self.ops.restore(extra, new)
                created.append((record_id, new.id))
        for old_id, new_id in created:
            self.ledger.remap(self.ops.entity, old_id, new_id)


def changed_fields(old: object, new: object) -> list[str]:
    """The draft fields whose values differ between two drafts of the same type."""
    return [f.name for f in fields(old) if getattr(old, f.name) != getattr(new, f.name)]  # type: ignore[arg-type]
