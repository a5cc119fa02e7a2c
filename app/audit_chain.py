"""Writing the hash-chained audit log, from inside every write transaction.

A listener on the write sessions records every insert, update and delete at flush
time, in the same transaction, so no service can forget to audit and no change can
commit without its entry. Each entry's hash covers the previous entry's hash, so the
log cannot be edited, cut or re-ordered without `audit --verify` noticing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Table, event, insert, inspect, select
from sqlalchemy.orm import PassiveFlag, Session, sessionmaker

from app.models.audit import AuditEntry
from app.models.base import Base, ScaledDecimal

GENESIS = "0" * 64
_INSERT = insert(AuditEntry)
# Tables whose rows are not audited records: the log itself, and snapshots (self-hashed).
UNAUDITED = frozenset({"audit_entry", "briefing_snapshot", "alembic_version"})


# One encoder for every entry: `json.dumps` with options builds a new one per call.
canonical_json = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
# Values the log holds as they are (the common case, so it is tested first).
_AS_IS = frozenset({str, int, bool, float})


def _logged(value: Any, scaled: ScaledDecimal | None) -> Any:
    if value is None:
        return None
    if scaled is not None:
        return str(scaled.quantize(Decimal(value)))
    if type(value) in _AS_IS:
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _scaled(column: ColumnElement[Any]) -> ScaledDecimal | None:
    return column.type if isinstance(column.type, ScaledDecimal) else None


def column_value(column: ColumnElement[Any], value: Any) -> Any:
    """A column's value as it appears in the log: dates ISO, exact decimals as strings."""
    return _logged(value, _scaled(column))


@cache
def _columns(table: Table) -> tuple[tuple[str, str, ScaledDecimal | None], ...]:
    """Each column's name, attribute and exact-decimal type: worked out once per table."""
    return tuple((c.name, c.key, _scaled(c)) for c in table.columns)


@cache
def _by_key(table: Table) -> dict[str, tuple[str, ScaledDecimal | None]]:
    return {key: (name, scaled) for name, key, scaled in _columns(table)}


def record_values(obj: Any) -> dict[str, Any]:
    """Every column of a mapped record, in log form."""
    # From the instance's own dict where the value is (after a flush it is), skipping
    # the instrumented attribute, which costs more per column than logging the value.
    loaded = obj.__dict__
    return {
        name: _logged(loaded[key] if key in loaded else getattr(obj, key), scaled)
        for name, key, scaled in _columns(obj.__table__)
    }


def row_values(table_columns: Iterable[ColumnElement[Any]], row: Any) -> dict[str, Any]:
    """The same as `record_values`, for a row read with Core (used by verification)."""
    return {c.name: column_value(c, row[c.name]) for c in table_columns}


def entry_hash(previous: str, entry: dict[str, Any]) -> str:
    return hashlib.sha256((previous + canonical_json(entry)).encode()).hexdigest()


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _replaced(obj: Any) -> dict[str, Any] | None:
    """The previous values of the columns the flush changed; None if it changed none.

    Only attributes set since the last flush can have changed, and SQLAlchemy keeps
    what they held before (`committed_state`), so only those are asked for their
    history: the same answer as `Session.is_modified` and each column's history.
    """
    state = inspect(obj)
    columns = _by_key(obj.__table__)
    changed = False
    old: dict[str, Any] = {}
    for key in list(state.committed_state):
        added, _, deleted = state.manager[key].impl.get_history(
            state, state.dict, PassiveFlag.NO_CHANGE
        )
        changed = changed or bool(added or deleted)
        if deleted and key in columns:
            name, scaled = columns[key]
            if name != "version":
                old[name] = _logged(deleted[0], scaled)
    return old if changed else None


def _changes(session: Session) -> list[tuple[str, Any, dict[str, Any] | None]]:
    def audited(obj: Any) -> bool:
        return isinstance(obj, Base) and obj.__tablename__ not in UNAUDITED

    def key(item: tuple[str, Any, Any]) -> tuple[str, int]:
        return (item[1].__tablename__, int(item[1].id))

    created = [("created", o, None) for o in session.new if audited(o)]
    replaced = [(o, _replaced(o)) for o in session.dirty if audited(o)]
    updated = [("updated", o, old) for o, old in replaced if old is not None]
    deleted = [("deleted", o, record_values(o)) for o in session.deleted if audited(o)]
    return sorted(created, key=key) + sorted(updated, key=key) + sorted(deleted, key=key)


def _head(session: Session) -> tuple[int, str]:
    """The last entry's id and hash; cached for the transaction, which holds the write lock.

    (BEGIN IMMEDIATE on SQLite, the advisory lock on PostgreSQL, taken before this read:
    two transactions can never both extend the chain from the same entry.)
    """
    cached: tuple[int, str] | None = session.info.get("audit_head")
    if cached is None:
        row = session.execute(
            select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
        ).first()
        cached = (row[0], row[1]) if row else (0, GENESIS)
    return cached


def _after_flush(session: Session, _context: Any) -> None:
    changes = _changes(session)
    if not changes:
        return
    last_id, last_hash = _head(session)
    at, user = utc_now(), session.info.get("user", "unknown")
    rows = []
    for action, obj, old in changes:
        last_id += 1
        entry = {
            "id": last_id,
            "at": at,
            "user": user,
            "entity": obj.__tablename__,
            "entity_id": obj.id,
            "action": action,
            "old_values": None if old is None else canonical_json(old),
            "new_values": None if action == "deleted" else canonical_json(record_values(obj)),
        }
        last_hash = entry_hash(last_hash, entry)
        entry["hash"] = last_hash  # added after hashing: the hash covers the rest
        rows.append(entry)
    session.connection().execute(_INSERT, rows)
    session.info["audit_head"] = (last_id, last_hash)


def _forget_head(session: Session, *_: Any) -> None:
    session.info.pop("audit_head", None)


def watch(factory: sessionmaker[Session]) -> None:
    """Audit every flush of sessions made by `factory`."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_soft_rollback", _forget_head)
    event.listen(factory, "after_commit", _forget_head)
