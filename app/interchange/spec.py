"""The shape every register's spreadsheet has: its fields, its key, the services it uses.

Each register (risks, contracts, ...) is declared once, as data (`registers.py`), and
one importer and one exporter work from the declarations, so adding a column is one
line and the eleven registers cannot drift apart. `Context` is what both need of the
database: the programme, its marking scale, and the codes people use for linked
records (workstream "WS-07", contract "C-2025-01") with the ids behind them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from app import money
from app.database import Database
from app.errors import UsageError, ValidationError
from app.interchange import values
from app.interchange.values import Cell, CellError
from app.services import agreements, contracts, programmes, risks, settings, workstreams
from app.services.audience import Audience


class T(StrEnum):
    """What a column holds, which decides how a cell is read and written."""

    TEXT = "text"  # blank is ""
    OPTIONAL_TEXT = "optional text"  # blank is None
    RATING = "rating"
    WHOLE = "whole number"
    DECIMAL = "decimal"
    PERCENT = "percent"
    MONEY = "money"  # major units in the sheet, minor units in Setu
    DATE = "date"
    CHOICE = "choice"
    CURRENCY = "currency"
    BASE_CURRENCY = "base currency"  # states the unit of base-currency amounts
    MARKING = "marking"
    NATIONS = "nations"
    LINK = "link"  # another record, by the code people use for it


@dataclass(frozen=True)
class Field:
    """One column. `name` is the service draft's field (or a helper value such as the
    agreement of a contribution); `header` is what an export writes and the first name
    an import looks for, then `synonyms` in order.

    `default(values, context)` fills a new record's field the file leaves out; on an
    update a blank cell keeps what is stored for such a field (and for `keep` ones, the
    protection), while other blank cells clear the field.
    """

    name: str
    header: str
    kind: T
    synonyms: tuple[str, ...] = ()
    options: type[StrEnum] | None = None
    link: str = ""  # T.LINK: "workstream", "contract", "risk", "organisation", "agreement"
    default: Callable[[dict[str, Any], Context], Any] | None = None
    required: bool = False  # the sheet must have the column
    keep: bool = False
    also: tuple[str, ...] = ()  # service field names whose problems belong to this column
    currency: str = "currency"  # T.MONEY: the field holding its currency


def const(value: Any) -> Callable[[dict[str, Any], Context], Any]:
    return lambda _values, _context: value


@dataclass(frozen=True)
class Register:
    """A register as a spreadsheet. `key` names the fields that find an existing record
    (None: the whole record is its identity, for registers without a natural key)."""

    kind: str
    sheet: str
    draft: type
    fields: tuple[Field, ...]
    key: tuple[str, ...] | None
    listing: Callable[[Context], Sequence[Any]]
    # Checks and queues a new record in the import's unit of work (the session given).
    create: Callable[[Context, Session, dict[str, Any]], object]
    update: Callable[[Context, Any, dict[str, Any]], Any]
    sheet_words: tuple[str, ...]
    # Helper values an export writes and an update starts from (e.g. a contribution's
    # agreement and partner, from its cost share).
    extra: Callable[[Context, Any], dict[str, Any]] = lambda _context, _row: {}
    # Derives draft fields from helper values before identity or services see them.
    prepare: Callable[[Context, dict[str, Any]], None] = lambda _context, _values: None

    def draft_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in fields(self.draft))

    def needed(self) -> set[str]:
        """Fields whose column a sheet must have: flagged, or a draft field nothing fills."""
        bare = {
            f.name
            for f in fields(self.draft)
            if f.default is MISSING and f.default_factory is MISSING
        }
        return {f.name for f in self.fields if f.required or (f.name in bare and not f.default)}

    def stored(self, context: Context, row: Any) -> dict[str, Any]:
        """A stored record as field values: what an export writes and an update overlays."""
        named = {*self.draft_names(), *(f.name for f in self.fields)}
        found = {name: getattr(row, name) for name in named if hasattr(row, name)}
        return {**found, **self.extra(context, row)}

    def make(self, values: dict[str, Any]) -> Any:
        """The draft for `values`; a required draft field with no value gets None, so the
        service's own check names it (in its words, under its column)."""
        chosen = {}
        for f in fields(self.draft):
            if f.name in values:
                chosen[f.name] = values[f.name]
            elif f.default is MISSING and f.default_factory is MISSING:
                chosen[f.name] = None
        return self.draft(**chosen)

    def identity(self, values: dict[str, Any]) -> tuple[Any, ...]:
        names = self.key or tuple(n for n in self.draft_names() if n not in PROTECTION)
        return tuple(values.get(n) for n in names)


PROTECTION = ("marking", "releasable_to")


class Context:
    """The programme an import or export works on, read once through the services.

    With an `audience`, lookups name only records that audience may see, so an export
    never reveals a hidden record even as the code in another record's column.
    """

    def __init__(self, db: Database, programme_id: int, audience: Audience | None = None) -> None:
        found = [p for p in programmes.list_programmes(db) if p.id == programme_id]
        if not found:
            raise UsageError(f"no programme with id {programme_id}", "--programme")
        self.db = db
        self.programme = found[0]
        self.programme_id = programme_id
        self.base_currency = self.programme.base_currency
        self.partners = tuple(p.nation for p in programmes.partners(db, programme_id))
        self.scale = tuple(settings.get(db, "marking_scale").value)
        self.today = date.today()
        self.audience = audience
        self._names: dict[str, dict[int, str]] = {}
        self._ids: dict[str, dict[str, int]] = {}
        self._shares: dict[int, tuple[int, str]] | None = None

    def visible(self, row: Any) -> bool:
        return self.audience is None or self.audience.sees(row.releasable_to, self.partners)

    def _load(self, link: str) -> None:
        loaders: dict[str, tuple[Callable[[], Sequence[Any]], str]] = {
            "workstream": (
                lambda: workstreams.list_workstreams(self.db, self.programme_id),
                "code",
            ),
            "contract": (lambda: contracts.list_contracts(self.db, self.programme_id), "number"),
            "risk": (lambda: risks.list_risks(self.db, self.programme_id), "reference"),
            "organisation": (
                lambda: programmes.list_organisations(self.db, self.programme_id),
                "short_name",
            ),
            "agreement": (lambda: agreements.list_agreements(self.db, self.programme_id), "code"),
        }
        load, attribute = loaders[link]
        rows = [r for r in load() if self.visible(r)]
        self._names[link] = {r.id: getattr(r, attribute) for r in rows}
        self._ids[link] = {getattr(r, attribute): r.id for r in rows}

    def name(self, link: str, record_id: int | None) -> str | None:
        if record_id is None:
            return None
        if link not in self._names:
            self._load(link)
        return self._names[link].get(record_id)

    def find(self, link: str, code: str) -> int:
        """The id of the record people call `code` (exactly, else ignoring case)."""
        if link not in self._ids:
            self._load(link)
        ids = self._ids[link]
        if code in ids:
            return ids[code]
        folded = [i for c, i in ids.items() if c.casefold() == code.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise CellError(f"no {link} {code!r} in this programme")

    def shares(self) -> dict[int, tuple[int, str]]:
        """cost share id -> (agreement id, partner as named: nation or organisation)."""
        if self._shares is None:
            self._shares = {
                share.id: (agreement.id, share.partner)
                for agreement in agreements.list_agreements(self.db, self.programme_id)
                if self.visible(agreement)
                for share in agreement.shares
            }
        return self._shares

    def share_of(self, agreement_id: int | None, partner: str | None) -> int:
        if agreement_id is None:
            raise ValidationError.one("agreement", "must name the cost-share agreement")
        on_agreement = {p: s for s, (a, p) in self.shares().items() if a == agreement_id}
        for named, share_id in on_agreement.items():
            if (partner or "").casefold() == named.casefold():
                return share_id
        listed = ", ".join(on_agreement) or "none"
        raise ValidationError.one(
            "partner", f"{partner!r} has no share in agreement (its partners: {listed})"
        )


def parse(field: Field, cell: Cell, context: Context) -> Any:
    """A non-blank cell as the field's value; raises CellError saying what was expected."""
    kind = field.kind
    if kind in (T.TEXT, T.OPTIONAL_TEXT, T.NATIONS):
        return values.text(cell)
    if kind is T.CHOICE:
        assert field.options is not None
        return values.choice(cell, field.options)
    if kind is T.LINK:
        return context.find(field.link, values.text(cell))
    if kind is T.MARKING:
        return values.marking(cell, context.scale)
    if kind is T.BASE_CURRENCY:
        code = values.currency(cell)
        if code != context.base_currency:
            raise CellError(
                f"amounts here are in the programme's base currency "
                f"{context.base_currency}, not {code}"
            )
        return code
    return _READERS[kind](cell)


# The kinds read from the cell alone.
_READERS: dict[T, Callable[[Cell], Any]] = {
    T.RATING: values.rating,
    T.WHOLE: values.whole,
    T.DECIMAL: values.decimal,
    T.PERCENT: values.percent,
    T.MONEY: values.amount,
    T.DATE: values.day,
    T.CURRENCY: values.currency,
}


def blank(field: Field) -> Any:
    """What a blank cell means when it clears a stored field: no text, no money, no value."""
    return {T.TEXT: "", T.MONEY: 0}.get(field.kind)


def to_minor(amount: Any, code: str) -> int:
    """Major units to minor, refusing digits the currency does not have (no silent rounding)."""
    if not money.is_known(code):
        raise CellError(f"cannot be read without a known currency (not {code!r})")
    minor = money.to_minor(amount, code)
    if money.to_major(minor, code) != amount:
        digits = money.minor_digits(code)
        raise CellError(f"{amount} has more than {digits} decimal places for {code}")
    return minor


# Columns every register has or several share.
MARKING = Field(
    "marking", "Marking", T.MARKING, ("classification", "protective marking"), keep=True
)
RELEASABLE = Field(
    "releasable_to", "Releasable to", T.NATIONS, ("releasability", "rel to"), keep=True
)
BASE = Field(
    "currency", "Currency", T.BASE_CURRENCY, ("ccy",), default=lambda _v, c: c.base_currency
)
CURRENCY = Field(
    "currency", "Currency", T.CURRENCY, ("ccy",), default=lambda _v, c: c.base_currency
)


def link(name: str, header: str, to: str, *synonyms: str, required: bool = False) -> Field:
    """A column naming another record by its code (`to`: "workstream", "contract"...)."""
    return Field(name, header, T.LINK, synonyms, link=to, required=required)


def parent(values: dict[str, Any], field: str, what: str) -> int:
    """The id of the record a row hangs under (a milestone's workstream...), or a problem."""
    found = values.get(field)
    if found is None:
        raise ValidationError.one(field, f"must name the {what}")
    return int(found)
