"""Which spreadsheet column holds which field, by the names real registers use.

Offices title their columns "Risk No.", "Likelihood (1-5)" or "Date Identified", so a
header is compared with each field's names after dropping case, spaces, punctuation
and bracketed notes. A field's names are tried in order and the first that a column
carries wins, so "Description" becomes a risk's title only where the sheet has no
"Title" or "Risk" column. `--map COLUMN=FIELD` settles what the names cannot.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from app.errors import UsageError

# `--map COLUMN=` (or `=-`) leaves a column out of the import.
IGNORE = ("", "-")


class Named(Protocol):
    """What matching needs of a field: its name, its export header and its synonyms."""

    @property
    def name(self) -> str: ...

    @property
    def header(self) -> str: ...

    @property
    def synonyms(self) -> tuple[str, ...]: ...


def normalise(header: object) -> str:
    """'Risk No.' -> 'riskno', 'Likelihood (1-5)' -> 'likelihood', 'Risk #' -> 'riskno'."""
    written = str(header).casefold().replace("#", " no ")
    without_notes = re.sub(r"\(.*?\)|\[.*?\]", " ", written)
    squeezed = "".join(ch for ch in without_notes if ch.isalnum())
    return squeezed or "".join(ch for ch in written if ch.isalnum())


def names(named: Named) -> tuple[str, ...]:
    """A field's names, most specific first: its header, its own name, then synonyms."""
    found: list[str] = []
    for name in (named.header, named.name, *named.synonyms):
        key = normalise(name)
        if key and key not in found:
            found.append(key)
    return tuple(found)


def known_names(fields: Iterable[Named], mapping: Mapping[str, str] | None = None) -> set[str]:
    """Every name a header row may use, to recognise it below a title block."""
    known = {key for f in fields for key in names(f)}
    return known | {normalise(column) for column in (mapping or {})}


@dataclass(frozen=True)
class Matched:
    """The outcome: field name -> the sheet's header, and the headers nothing claimed."""

    by_field: dict[str, str] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()

    def header(self, field_name: str) -> str | None:
        return self.by_field.get(field_name)


def parse_mapping(items: Iterable[str]) -> dict[str, str]:
    """`["Risk Description=cause", "Notes="]` from `--map` options."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise UsageError(f"{item!r} is not COLUMN=FIELD", "--map")
        mapping[column.strip()] = target.strip()
    return mapping


def _field_for(target: str, fields: Sequence[Named]) -> Named | None:
    wanted = normalise(target)
    for f in fields:  # a field's own name first, so a synonym never shadows a name
        if wanted in (normalise(f.name), normalise(f.header)):
            return f
    return next((f for f in fields if wanted in names(f)), None)


def _column_for(column: str, headers: Sequence[str]) -> str | None:
    if column in headers:
        return column
    wanted = normalise(column)
    return next((h for h in headers if normalise(h) == wanted), None)


def match(
    headers: Sequence[str], fields: Sequence[Named], mapping: Mapping[str, str] | None = None
) -> Matched:
    """Assign columns to fields: `mapping` first, then names, then synonyms in order."""
    by_field: dict[str, str] = {}
    taken: set[str] = set()
    for column, target in (mapping or {}).items():
        header = _column_for(column, headers)
        if header is None:
            raise UsageError(
                f"the sheet has no column {column!r} (its columns: {', '.join(headers)})", "--map"
            )
        taken.add(header)
        if target in IGNORE:
            continue
        chosen = _field_for(target, fields)
        if chosen is None:
            known = ", ".join(f.name for f in fields)
            raise UsageError(f"{target!r} is not a field here (fields: {known})", "--map")
        by_field[chosen.name] = header
    keyed = [(normalise(h), h) for h in headers]
    # Two passes, so one field's synonym cannot take a column another field is named by.
    for depth in (2, None):
        for f in fields:
            if f.name in by_field:
                continue
            for key in names(f)[:depth]:
                header = next((h for k, h in keyed if k == key and h not in taken), None)
                if header is not None:
                    by_field[f.name] = header
                    taken.add(header)
                    break
    ignored = tuple(h for h in headers if h not in taken)
    return Matched(by_field, ignored)
