"""Who may see a record: the audience of a pack, a summary or an export.

`joint` sees records releasable to every partner nation of the programme;
`national:IND` sees records releasable to India. Releasability is stored as sorted,
space-separated codes, so each test is a LIKE that works on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, literal
from sqlalchemy.orm import InstrumentedAttribute

from app.errors import UsageError

JOINT = "joint"


@dataclass(frozen=True)
class Audience:
    """`nations` is empty for the joint audience (resolved against the programme)."""

    name: str
    nation: str | None

    @classmethod
    def parse(cls, text: str) -> Audience:
        value = text.strip()
        if value == JOINT:
            return cls(JOINT, None)
        kind, _, nation = value.partition(":")
        if kind == "national" and len(nation) == 3 and nation.isalpha():
            return cls(f"national:{nation.upper()}", nation.upper())
        raise UsageError(
            f"{text!r} is not an audience (use joint or national:NATION, e.g. national:IND)",
            "--audience",
        )

    def check(self, partners: Sequence[str]) -> None:
        """A national audience must be one of the programme's partner nations."""
        if self.nation is not None and self.nation not in partners:
            raise UsageError(
                f"{self.nation} is not a partner nation of this programme "
                f"(use joint or national: one of {', '.join(partners)})",
                "--audience",
            )

    def nations(self, partners: Sequence[str]) -> tuple[str, ...]:
        """The nations a record must be releasable to, for this programme."""
        return tuple(partners) if self.nation is None else (self.nation,)

    def clause(
        self, column: InstrumentedAttribute[str], partners: Sequence[str]
    ) -> ColumnElement[bool]:
        """SQL: the record's releasability includes every nation this audience needs."""
        padded = literal(" ") + column + literal(" ")
        return and_(*(padded.like(f"% {nation} %") for nation in self.nations(partners)))

    def sees(self, releasable_to: str, partners: Sequence[str]) -> bool:
        allowed = set(releasable_to.split())
        return all(n in allowed for n in self.nations(partners))
