"""Reading and verifying the audit log (writing it is app.audit_chain's job).

Verification answers "has anyone changed history or data behind Setu's back?": it
re-computes the hash chain, checks the entry count and last hash against a head printed
in a pack or stored with a backup, and compares every live record with the full values
of its latest entry, so an edit made with any other SQL tool is named too.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from app.audit_chain import GENESIS, UNAUDITED, entry_hash, row_values
from app.database import Database
from app.errors import UsageError
from app.models import AuditEntry, Base
from app.services.collation import bytewise


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    user: str
    entity: str
    entity_id: int
    action: str
    old_values: dict[str, Any] | None
    new_values: dict[str, Any] | None


@dataclass(frozen=True)
class ChainHead:
    """The last entry's hash and the number of entries: `HASH:COUNT`."""

    hash: str
    count: int

    def __str__(self) -> str:
        return f"{self.hash}:{self.count}"

    @classmethod
    def parse(cls, text: str) -> ChainHead:
        digest, _, count = text.strip().partition(":")
        if len(digest) != 64 or not count.isdigit():
            raise UsageError(f"not an audit chain head (HASH:COUNT): {text!r}", "--expect-head")
        return cls(digest.lower(), int(count))


def audited_tables() -> list[Table]:
    return [t for name, t in sorted(Base.metadata.tables.items()) if name not in UNAUDITED]


def head(db: Database) -> ChainHead:
    with db.read() as session:
        return chain_head(session)


def chain_head(session: Session) -> ChainHead:
    last = session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return ChainHead(last or GENESIS, count)


def entries(
    db: Database,
    *,
    entity: str | None = None,
    since: date | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Entries newest first, optionally for one entity kind and from a date on."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if entity is not None:
        query = query.where(AuditEntry.entity == entity.replace("-", "_").replace(" ", "_"))
    if since is not None:
        query = query.where(bytewise(AuditEntry.at) >= since.isoformat())
    if limit is not None:
        query = query.limit(limit)
    with db.read() as session:
        return [_row(e) for e in session.scalars(query)]


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        entry.id,
        entry.at,
        entry.user,
        entry.entity,
        entry.entity_id,
        entry.action,
        None if entry.old_values is None else json.loads(entry.old_values),
        None if entry.new_values is None else json.loads(entry.new_values),
    )


def verify(db: Database, expect_head: ChainHead | None = None) -> list[str]:
    """Every problem found, the first broken entry first; empty when all is well."""
    with db.read() as session:
        problems = _verify_chain(session, expect_head)
        problems.extend(_verify_records(session))
        return problems


def _chain(session: Session) -> Iterator[AuditEntry]:
    yield from session.scalars(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=2000)
    )


def _verify_chain(session: Session, expect: ChainHead | None) -> list[str]:
    previous, count = GENESIS, 0
    hash_at_expected = GENESIS if expect is not None and expect.count == 0 else None
    for entry in _chain(session):
        count += 1
        if entry.id != count:
            return [f"audit entry {count} is missing or out of order (found entry {entry.id})"]
        content = {
            "id": entry.id,
            "at": entry.at,
            "user": entry.user,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "action": entry.action,
            "old_values": entry.old_values,
            "new_values": entry.new_values,
        }
        previous = entry_hash(previous, content)
        if previous != entry.hash:
            return [f"audit entry {entry.id} has been altered (its hash does not match)"]
        if expect is not None and count == expect.count:
            hash_at_expected = previous
    if expect is None:
        return []
    if count < expect.count:
        return [
            f"the audit log has {count} entries but {expect.count} were expected: "
            f"{expect.count - count} cut off the end"
        ]
    if hash_at_expected != expect.hash:
        return [f"audit entry {expect.count} does not match the expected head"]
    return []


def _verify_records(session: Session) -> list[str]:
    latest = (
        select(func.max(AuditEntry.id)).group_by(AuditEntry.entity, AuditEntry.entity_id)
    ).scalar_subquery()
    logged: dict[str, dict[int, tuple[int, str, str | None]]] = {}
    for number, entity, entity_id, action, values in session.execute(
        select(
            AuditEntry.id,
            AuditEntry.entity,
            AuditEntry.entity_id,
            AuditEntry.action,
            AuditEntry.new_values,
        ).where(AuditEntry.id.in_(latest))
    ):
        logged.setdefault(entity, {})[entity_id] = (number, action, values)
    problems: list[str] = []
    for table in audited_tables():
        known = logged.get(table.name, {})
        seen: set[int] = set()
        for row in session.execute(select(table).order_by(table.c.id)).mappings():
            seen.add(row["id"])
            found = known.get(row["id"])
            where = f"{table.name} {row['id']}"
            if found is None or found[1] == "deleted":
                problems.append(f"{where} was written outside Setu (no audit entry creates it)")
            elif json.loads(found[2] or "null") != row_values(table.columns, row):
                problems.append(
                    f"{where} was changed outside Setu (differs from audit entry {found[0]})"
                )
        for entity_id, (number, action, _values) in sorted(known.items()):
            if action != "deleted" and entity_id not in seen:
                problems.append(
                    f"{table.name} {entity_id} was deleted outside Setu (audit entry {number})"
                )
    return problems
