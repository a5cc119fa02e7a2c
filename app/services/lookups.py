"""Questions a unit of work asks again and again, answered once.

A bulk import or the demo build runs thousands of services in one unit of work, and
each asks the same things: the marking scale, the programme's partners, the workstream
a row names, whether a reference is taken. Asked of the database each time, they cost
more than the writes (and every query first flushes whatever is queued). The answers
are kept in the session's `info`, so they end with the unit of work, and are kept true
to what the transaction itself writes:

- `remembered`: an answer read from tables the services write rarely and always flush
  at once (settings, partner nations). A flush writing to one of those tables, or any
  rollback, forgets it.
- `record`: `Session.get` that keeps the record alive until the unit of work ends. The
  session's identity map holds records only weakly, so a workstream looked up for
  one row would otherwise be read from the database again for the next.
- `taken`: which records hold a value of a unique column. The first question about a
  column in a unit of work is one COUNT, as a single edit needs; from the second on,
  the column's values are read once (with the columns that scope it, a risk reference
  to its programme) and then followed through every flush and every record `added`
  before its flush, so the answer stays what a COUNT after a flush would give.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import NO_VALUE, Session, SessionTransaction

from app.models import Record

_KEY = "setu_lookups"
_RECENT = 200  # records `added` kept alive (each a few hundred bytes)
V = TypeVar("V")
M = TypeVar("M", bound=Record)
# Holders of a value: ids of flushed records, or queued records themselves (no id yet).
Holders = dict[Any, set[object]]


class _Claims:
    """Who holds each value of one unique column, in every scope (all read at once).

    One per model, column and scope columns (say, risk references within programmes);
    `scopes` maps the scope columns' values (a programme's id) to that scope's holders.
    """

    def __init__(self, session: Session, model: type[Record], field: str, scope: tuple[str, ...]):
        self.field, self.scope = field, scope
        self.names = (field, *scope)
        self.scopes: defaultdict[tuple[Any, ...], Holders] = defaultdict(lambda: defaultdict(set))
        session.flush()  # what is queued is read with the rest, not followed
        columns = [getattr(model, name) for name in scope]
        query = select(model.id, getattr(model, field), *columns)
        for record_id, value, *wanted in session.execute(query):
            self.scopes[tuple(wanted)][value].add(record_id)

    def move(
        self, holder: object, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
    ) -> None:
        """`holder` had the `old` column values (None: not stored) and has the `new` ones."""
        if old is not None:
            held = self.scopes[tuple(old[name] for name in self.scope)]
            if old[self.field] in held:
                held[old[self.field]].discard(holder)
        if new is not None:
            self.scopes[tuple(new[name] for name in self.scope)][new[self.field]].add(holder)


class _Answers:
    """Everything one unit of work has looked up (see the module docstring)."""

    def __init__(self) -> None:
        self.remembered: dict[Hashable, tuple[frozenset[str], Any]] = {}
        self.kept: dict[tuple[type[Record], int], Record] = {}
        self.recent: deque[Record] = deque(maxlen=_RECENT)
        self.asked: set[Hashable] = set()  # unique columns asked about once, by a COUNT
        self.claims: dict[Hashable, _Claims] = {}
        self.by_model: dict[type[Record], list[_Claims]] = defaultdict(list)
        self.queued: dict[Record, dict[str, Any]] = {}  # with the values `taken` counts


def _answers(session: Session) -> _Answers:
    found = session.info.get(_KEY)
    if found is None:
        found = session.info[_KEY] = _Answers()
    return found


def remembered(
    session: Session, key: Hashable, tables: Iterable[str], compute: Callable[[], V]
) -> V:
    """`compute()`'s answer, asked once until a flush writes to one of `tables`."""
    answers = _answers(session)
    hit = answers.remembered.get(key)
    if hit is None:
        hit = answers.remembered[key] = (frozenset(tables), compute())
    return hit[1]


def record(session: Session, model: type[M], record_id: int) -> M | None:
    """`session.get`, keeping what it finds for the rest of the unit of work."""
    kept = _answers(session).kept
    found = kept.get((model, record_id))
    if found is None:
        found = session.get(model, record_id)
        if found is not None:
            kept[model, record_id] = found
    return found  # type: ignore[return-value]


def taken(
    session: Session,
    model: type[Record],
    field: str,
    value: Any,
    own_id: int,
    scope: Mapping[str, Any],
) -> bool:
    """Whether a `model` record other than `own_id` has `value` in `field` within `scope`.

    As in SQL, a NULL value (or scope value) equals nothing.
    """
    if value is None or any(wanted is None for wanted in scope.values()):
        return False
    answers = _answers(session)
    names = tuple(sorted(scope))
    key = (model, field, names)
    claims = answers.claims.get(key)
    if claims is None:
        if key not in answers.asked:
            answers.asked.add(key)
            clashes = session.scalar(
                select(func.count())
                .select_from(model)
                .where(
                    getattr(model, field) == value,
                    model.id != own_id,
                    *(getattr(model, name) == scope[name] for name in names),
                )
            )
            return bool(clashes)
        claims = answers.claims[key] = _Claims(session, model, field, names)
        answers.by_model[model].append(claims)
    held = claims.scopes.get(tuple(scope[name] for name in names), {})
    return any(holder != own_id for holder in held.get(value, ()))


def added(session: Session, obj: Record) -> None:
    """`obj` was added, to be written by the next flush: `taken` counts it from now on.

    The last records added are also kept alive a while, as `record` keeps what it
    finds: the services that follow mostly look up what was just made.
    """
    answers = _answers(session)
    answers.recent.append(obj)
    claims = answers.by_model.get(type(obj))
    if claims:
        now = answers.queued[obj] = _values(obj, claims)
        for claim in claims:
            claim.move(obj, None, now)


def _values(obj: Record, claims: Iterable[_Claims]) -> dict[str, Any]:
    return {name: getattr(obj, name) for claim in claims for name in claim.names}


def _before(obj: Record, claims: Iterable[_Claims]) -> dict[str, Any]:
    """The values `obj` had in the database before this flush: SQLAlchemy keeps what an
    attribute held before it was set (`committed_state`); one not set is as it was."""
    before = inspect(obj).committed_state
    old: dict[str, Any] = {}
    for name in {name for claim in claims for name in claim.names}:
        value = before.get(name, NO_VALUE)
        old[name] = getattr(obj, name) if value is NO_VALUE else value
    return old


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    answers: _Answers | None = session.info.get(_KEY)
    if answers is None:
        return
    if answers.remembered:
        changed = (*session.new, *session.dirty, *session.deleted)
        tables = {getattr(obj, "__tablename__", None) for obj in changed}
        for key, (read_from, _) in list(answers.remembered.items()):
            if read_from & tables:
                del answers.remembered[key]
    for obj in session.deleted:
        answers.kept.pop((type(obj), obj.id), None)
    if not answers.by_model:
        return
    for obj, then in answers.queued.items():
        for claim in answers.by_model[type(obj)]:
            claim.move(obj, then, None)  # known by its id from now on
    answers.queued.clear()
    for obj in session.new:
        if claims := answers.by_model.get(type(obj)):
            now = _values(obj, claims)
            for claim in claims:
                claim.move(obj.id, None, now)
    for obj in session.dirty:
        if claims := answers.by_model.get(type(obj)):
            old, now = _before(obj, claims), _values(obj, claims)
            for claim in claims:
                claim.move(obj.id, old, now)
    for obj in session.deleted:
        if claims := answers.by_model.get(type(obj)):
            old = _before(obj, claims)
            for claim in claims:
                claim.move(obj.id, old, None)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, _previous: Any) -> None:
    session.info.pop(_KEY, None)


@event.listens_for(Session, "after_transaction_end")
def _after_transaction(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # others may write once the transaction is over
        session.info.pop(_KEY, None)
