"""Text sorts by code point on every dialect, so lists come out the same everywhere.

SQLite compares text byte by byte (BINARY); PostgreSQL uses the database's collation,
which for most servers is a language's (en_US: "b" < "B" < "_c" is not "B" < "_c" < "b").
`bytewise(Risk.reference)` orders as SQLite does on both: COLLATE "C" on PostgreSQL
(byte order, which for UTF-8 is code point order, as Python's `sorted` uses), the column
unchanged elsewhere. It is decided when the statement is compiled for its database, so
a query built once runs on either.

With SELECT DISTINCT, PostgreSQL accepts an ORDER BY expression only if it is selected
too: select `bytewise(column)` itself, or GROUP BY the column instead of DISTINCT.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import SQLColumnExpression
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import coercions, roles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class _Bytewise(ColumnElement[str]):
    inherit_cache = True
    _traverse_internals = [("text", InternalTraversal.dp_clauseelement)]  # noqa: RUF012

    def __init__(self, text: SQLColumnExpression[str]) -> None:
        self.text: ColumnElement[str] = coercions.expect(roles.ExpressionElementRole, text)
        self.type = self.text.type


def bytewise(text: SQLColumnExpression[str]) -> ColumnElement[str]:
    """`text` compared by code point, for ORDER BY (and comparisons) on either dialect."""
    return _Bytewise(text)


@compiles(_Bytewise)
def _as_is(element: _Bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.text, **kw)


@compiles(_Bytewise, "postgresql")
def _byte_order(element: _Bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.text.collate("C"), **kw)
