"""What every register dialog reads once when it opens: the programme's currency,
the office's marking scale and the partner nations a record may be released to."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

from app.database import Database
from app.errors import NotFound
from app.services import programmes, settings

D = TypeVar("D")


@dataclass(frozen=True)
class ProgrammeContext:
    programme_id: int
    code: str
    base_currency: str
    scale: tuple[str, ...]  # marking names, lowest first
    nations: tuple[tuple[str, str], ...]  # (code, name) of the partner nations

    def marking_name(self, level: int) -> str:
        return self.scale[level] if 0 <= level < len(self.scale) else str(level)


def programme_context(db: Database, programme_id: int) -> ProgrammeContext:
    programme = next((p for p in programmes.list_programmes(db) if p.id == programme_id), None)
    if programme is None:
        raise NotFound(f"no programme with id {programme_id}", "programme")
    return ProgrammeContext(
        programme_id=programme_id,
        code=programme.code,
        base_currency=programme.base_currency,
        scale=tuple(settings.get(db, "marking_scale").value),
        nations=tuple((p.nation, p.name) for p in programmes.partners(db, programme_id)),
    )


def draft_of(row: Any, draft_type: type[D]) -> D:
    """The draft that re-creates `row`: its fields of the same names."""
    names = [f.name for f in fields(draft_type)]  # type: ignore[arg-type]
    return draft_type(**{name: getattr(row, name) for name in names})
