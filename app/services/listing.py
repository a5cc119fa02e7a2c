"""One screenful of a register: sorted, filtered and paged in SQL (ARCHITECTURE.md).

A register page never loads the whole register: it asks for `limit` rows from `offset`
in the order the user chose, and the total that match. The orders the registers open
in are indexed (db/migrations 0004), so a first page reads a page of an index and
stops, on a register of ten risks or ten thousand; another order, or a text filter,
reads the programme's records once in SQL, never into Python. Sorting is only by the
columns a `ListSpec` names (never a column name from the caller spliced into SQL), and
every order ends with the id, so pages never overlap or skip a row when many rows tie.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, SQLColumnExpression, case, func, or_, select, true
from sqlalchemy.orm import Session

from app.database import Database
from app.domain import Rating, RiskStatus, rating
from app.models import Risk
from app.services.records import Row
from app.services.risks import RiskRow

R = TypeVar("R", bound=Row)

# Rows: likelihood 5 (index 0) down to 1; columns: impact 1 (index 0) up to 5, as in
# `summary --json` and the pack.
Matrix = list[list[int]]
LEVELS = 5

_LIKE_ESCAPE = "\\"


@dataclass(frozen=True)
class Parent:
    """How a register reaches its programme through a parent record.

    `link` is the register's column naming the parent (`Milestone.workstream_id`);
    `ids(programme_id)` selects the ids of the programme's parents.
    """

    link: SQLColumnExpression[int]
    ids: Callable[[int], Select[int]]


@dataclass(frozen=True)
class ListSpec(Generic[R]):
    """How to list one register.

    `columns` maps each sort key the GUI may ask for to a column or SQL expression;
    `searchable` are the text columns the filter box matches; `filters` maps each key a
    `where` may name to its column (compared for equality). A register's records belong
    to a programme by their own `programme_id`, through a `parent` (milestones through
    their workstream), or to none (`of_no_programme`: rates, the audit log, listed
    whichever programme is selected).
    """

    model: type[Any]
    row_type: type[R]
    columns: Mapping[str, SQLColumnExpression[Any]]
    searchable: tuple[SQLColumnExpression[Any], ...]
    filters: Mapping[str, SQLColumnExpression[Any]] = field(default_factory=dict)
    parent: Parent | None = None
    of_no_programme: bool = False

    def scope(self, programme_id: int, *, counting: bool) -> ColumnElement[bool]:
        """SQL: the programme's records, spelt for counting them or for reading a page.

        Both select the same records. Counting reads the parents' ids once, then their
        records from the link's index. A page asks of each record whether its parent is
        the programme's (EXISTS), so the database may walk the sort column's index and
        stop at the page instead of sorting every record of the programme.
        """
        if self.of_no_programme:
            return true()
        if self.parent is None:
            return self.model.programme_id == programme_id  # type: ignore[no-any-return]
        ids = self.parent.ids(programme_id)
        if counting:
            return self.parent.link.in_(ids)
        return ids.where(ids.selected_columns[0] == self.parent.link).exists()


def like_pattern(text: str) -> str:
    """`text` as a LIKE pattern matching it anywhere, with % and _ taken literally."""
    escaped = (
        text.replace(_LIKE_ESCAPE, _LIKE_ESCAPE * 2)
        .replace("%", _LIKE_ESCAPE + "%")
        .replace("_", _LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"


def _contains(column: SQLColumnExpression[Any], pattern: str, dialect: str) -> ColumnElement[bool]:
    """SQL: `column` holds the LIKE `pattern`, ignoring the case of ASCII letters at least.

    PostgreSQL's ILIKE folds every script. On SQLite, ILIKE is lower(x) LIKE lower(y),
    and its lower() folds ASCII only, as its LIKE does: plain LIKE finds exactly the
    same records without lowering every value first, several times faster on a large
    register. There Cyrillic matches in its own case only (Devanagari has none).
    """
    if dialect == "postgresql":
        return column.ilike(pattern, escape=_LIKE_ESCAPE)
    return column.like(pattern, escape=_LIKE_ESCAPE)


def _conditions(
    spec: ListSpec[R],
    programme_id: int,
    text: str,
    where: Mapping[str, object] | None,
    *,
    counting: bool,
    dialect: str,
) -> list[ColumnElement[bool]]:
    conditions = [spec.scope(programme_id, counting=counting)]
    for key, wanted in (where or {}).items():
        if key not in spec.filters:
            raise ValueError(f"{spec.model.__name__} lists cannot be filtered by {key!r}")
        column = spec.filters[key]
        conditions.append(column.is_(None) if wanted is None else column == wanted)
    needle = text.strip()
    if needle and spec.searchable:
        pattern = like_pattern(needle)
        conditions.append(or_(*(_contains(column, pattern, dialect) for column in spec.searchable)))
    return conditions


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _may_be_null(column: SQLColumnExpression[Any]) -> bool:
    expression = getattr(column, "expression", column)
    return bool(getattr(expression, "nullable", False))


def _order(spec: ListSpec[R], sort: str | None, descending: bool) -> list[SQLColumnExpression[Any]]:
    id_column: SQLColumnExpression[Any] = spec.model.id
    order: list[SQLColumnExpression[Any]] = []
    if sort is not None:
        if sort not in spec.columns:
            raise ValueError(f"{spec.model.__name__} lists cannot be sorted by {sort!r}")
        column = spec.columns[sort]
        if _may_be_null(column):
            # Blanks last either way; CASE rather than NULLS LAST, which older SQLite lacks.
            order.append(case((column.is_(None), 1), else_=0))
        order.append(column.desc() if descending else column.asc())
    # The id makes the order total, so consecutive pages neither overlap nor skip.
    order.append(id_column.desc() if descending and sort is not None else id_column.asc())
    return order


def page(
    db: Database,
    spec: ListSpec[R],
    programme_id: int,
    *,
    sort: str | None,
    descending: bool,
    text: str,
    offset: int,
    limit: int,
    where: Mapping[str, object] | None = None,
) -> tuple[list[R], int]:
    """Rows `offset` to `offset + limit` of the matching records in order, and how many match."""
    if offset < 0 or limit < 0:
        raise ValueError(f"offset and limit must not be negative, not {offset} and {limit}")
    with db.read() as session:
        total = _count(session, spec, programme_id, text, where)
        conditions = _conditions(
            spec, programme_id, text, where, counting=False, dialect=_dialect(session)
        )
        records = session.scalars(
            select(spec.model)
            .where(*conditions)
            .order_by(*_order(spec, sort, descending))
            .offset(offset)
            .limit(limit)
        )
        return [spec.row_type.of(record) for record in records], total


def count(
    db: Database,
    spec: ListSpec[R],
    programme_id: int,
    *,
    text: str = "",
    where: Mapping[str, object] | None = None,
) -> int:
    """How many records match, without reading any (e.g. "12 of 450 risks")."""
    with db.read() as session:
        return _count(session, spec, programme_id, text, where)


def _count(
    session: Session,
    spec: ListSpec[R],
    programme_id: int,
    text: str,
    where: Mapping[str, object] | None,
) -> int:
    conditions = _conditions(
        spec, programme_id, text, where, counting=True, dialect=_dialect(session)
    )
    total = session.scalar(select(func.count()).select_from(spec.model).where(*conditions))
    return int(total or 0)


# Registers --------------------------------------------------------------------------

_BAND = {Rating.LOW: 1, Rating.MEDIUM: 2, Rating.HIGH: 3}


def _rating_order() -> ColumnElement[int]:
    """The matrix's rating as a number (LOW 1, MEDIUM 2, HIGH 3), then the score.

    So "rating" sorts by severity rather than alphabetically, and within a band the
    higher score comes first when descending.
    """
    band = case(
        *(
            ((Risk.likelihood == level) & (Risk.impact == severity), _BAND[rating(level, severity)])
            for level in range(1, LEVELS + 1)
            for severity in range(1, LEVELS + 1)
            if rating(level, severity) is not Rating.LOW
        ),
        else_=_BAND[Rating.LOW],
    )
    return band * 100 + Risk.likelihood * Risk.impact


RISKS: ListSpec[RiskRow] = ListSpec(
    model=Risk,
    row_type=RiskRow,
    columns={
        "reference": Risk.reference,
        "title": Risk.title,
        "category": Risk.category,
        "owner": Risk.owner,
        "likelihood": Risk.likelihood,
        "impact": Risk.impact,
        "score": Risk.likelihood * Risk.impact,
        "rating": _rating_order(),
        "residual_likelihood": Risk.residual_likelihood,
        "residual_impact": Risk.residual_impact,
        "residual_score": Risk.residual_likelihood * Risk.residual_impact,
        "raised_on": Risk.raised_on,
        "proximity": Risk.proximity,
        "response": Risk.response,
        "status": Risk.status,
    },
    searchable=(Risk.reference, Risk.title, Risk.owner, Risk.category, Risk.cause, Risk.effect),
    filters={
        "likelihood": Risk.likelihood,
        "impact": Risk.impact,
        "residual_likelihood": Risk.residual_likelihood,
        "residual_impact": Risk.residual_impact,
        "status": Risk.status,
        "category": Risk.category,
        "workstream_id": Risk.workstream_id,
        "contract_id": Risk.contract_id,
    },
)


def risk_matrices(db: Database, programme_id: int) -> tuple[Matrix, Matrix]:
    """Open risks per cell, current (inherent) and residual values: rows likelihood 5..1.

    Everything the officer's database holds for the programme, whatever its
    releasability: the GUI shows the office its own register (a pack applies audiences).
    """
    open_risks = (Risk.programme_id == programme_id, Risk.status == RiskStatus.OPEN.value)
    result: list[Matrix] = []
    with db.read() as session:
        for likelihood, impact in (
            (Risk.likelihood, Risk.impact),
            (Risk.residual_likelihood, Risk.residual_impact),
        ):
            cells = [[0] * LEVELS for _ in range(LEVELS)]
            rows = session.execute(
                select(likelihood, impact, func.count())
                .where(*open_risks)
                .group_by(likelihood, impact)
            )
            for level, severity, n in rows:
                cells[LEVELS - level][severity - 1] = n
            result.append(cells)
    return result[0], result[1]
