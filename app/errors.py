"""Errors a user can fix, each with the exit code the command line gives it.

Anything that is not a `SetuError` is a bug: the CLI prints it in full only with
`--debug`, and the GUI logs it (qutebrowser's split between known errors and bugs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class SetuError(Exception):
    """A problem the user can understand and fix; `where` says which file, row or record."""

    exit_code = 1

    def __init__(self, what: str, where: str = "") -> None:
        super().__init__(what)
        self.what = what
        self.where = where

    def __str__(self) -> str:
        return f"{self.what} ({self.where})" if self.where else self.what


class UsageError(SetuError):
    """Wrong options or an unreadable input file (exit 2)."""

    exit_code = 2


class DatabaseUnusable(SetuError):
    """The database cannot be used and was not modified (exit 3)."""

    exit_code = 3


class NotFound(SetuError):
    """A record asked for by id or code does not exist (any more)."""


class ConflictError(SetuError):
    """Somebody else saved the record first (optimistic locking); nothing was written.

    `current` holds the record as it is now in the database, so a dialog can show both
    versions and offer to reload.
    """

    def __init__(self, entity: str, record_id: int, current: dict[str, Any] | None) -> None:
        state = "deleted" if current is None else "changed"
        super().__init__(
            f"{entity} {record_id} was {state} by someone else since you opened it; "
            "reload it and apply your change again",
            f"{entity} {record_id}" if record_id else "",
        )
        self.entity = entity
        self.record_id = record_id
        self.current = current

    @classmethod
    def unseen(cls) -> ConflictError:
        """A conflict found only when saving, by the database's version check."""
        error = cls("a record", 0, None)
        error.what = (
            "someone else saved a record you changed since you opened it; "
            "reload it and apply your change again"
        )
        error.args = (error.what,)
        return error


class Problem:
    """One field's problem: which field, and why, in words a programme officer reads."""

    __slots__ = ("field", "reason")

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason

    def __repr__(self) -> str:
        return f"Problem({self.field!r}, {self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and (self.field, self.reason) == (
            other.field,
            other.reason,
        )

    def __hash__(self) -> int:
        return hash((self.field, self.reason))


class ValidationError(SetuError):
    """A change was rejected; nothing was written. `field` is the first bad field."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("a ValidationError needs at least one problem")
        first = problems[0]
        super().__init__(first.reason, first.field)
        self.problems = tuple(problems)
        self.field = first.field
        self.reason = first.reason

    @classmethod
    def one(cls, field: str, reason: str) -> ValidationError:
        return cls([Problem(field, reason)])
