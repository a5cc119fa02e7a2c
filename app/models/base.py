"""Declarative base, column types and the mixin every editable record shares."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Dialect, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints let Alembic's batch mode rebuild SQLite tables and drop them by name.
NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}

# A marker in the SQLite header (PRAGMA application_id) that says "this is a Setu file".
APPLICATION_ID = 0x53455455  # "SETU"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact decimal stored as a scaled integer, e.g. 33.3333 % as 333333.

    SQLite has no exact decimal type (NUMERIC becomes a float); a scaled BIGINT is exact
    on both dialects, sorts correctly and sums in SQL without rounding.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        scaled = Decimal(value).scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return self.quantize(Decimal(int(value)).scaleb(-self.places))

    def quantize(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.places))


Percent = ScaledDecimal(4)  # shares and percentages: up to 4 decimals
Rate = ScaledDecimal(10)  # exchange rates
Multiplier = ScaledDecimal(2)  # offset multipliers


class Record:
    """What every editable register row has: id, optimistic-lock version, marking, releasability.

    `marking` is the index into the office's marking scale (0 = lowest), so "the highest
    marking" is a plain MAX in SQL. `releasable_to` holds the nations, sorted and
    space-separated ("IND RUS"), so an audience filter is one LIKE on either dialect.
    """

    id: Mapped[int] = mapped_column(Integer, primary_key=True, sort_order=-10)
    version: Mapped[int] = mapped_column(Integer, nullable=False, sort_order=10)
    marking: Mapped[int] = mapped_column(Integer, nullable=False, default=0, sort_order=10)
    releasable_to: Mapped[str] = mapped_column(String(200), nullable=False, sort_order=10)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return table_args()


def table_args(*items: Any) -> tuple[Any, ...]:
    """A record's own constraints, plus what every record has (for `__table_args__`).

    AUTOINCREMENT stops SQLite from giving a deleted record's id to a new one: otherwise
    an officer still editing the deleted record (same id, version 1) would silently
    overwrite the new record.
    """
    return (
        CheckConstraint("marking >= 0", name="marking"),
        *items,
        {"sqlite_autoincrement": True},
    )
