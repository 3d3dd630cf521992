"""A SQLAlchemy statement compiled once, run many times on the driver connection.

SQLAlchemy writes the SQL text for the database (quoting, parameter style,
casts); :class:`Statement` keeps that text with, for each positional
parameter, its name and the type processor that turns a Python value into
what the driver expects. Running it costs one list of arguments: no
compilation, no cache lookup, no SQLAlchemy connection per call.

MySQL's driver writes a list argument into the text as ``(a, b, ...)``,
escaped; an expanding ``IN`` parameter therefore stays one ``%s`` there.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

__all__ = ["Statement", "StatementCache"]

Processor = Callable[[Any], Any]
_POSITIONAL = re.compile(r"p(\d+)")


@dataclass(frozen=True, slots=True)
class Statement:
    """SQL text and how to turn values into its positional arguments.

    A parameter named ``p<n>`` takes the n-th of the values given to
    :meth:`arguments`; another one keeps the value it was compiled with
    (SQLAlchemy's own, like SQLite's ``OFFSET 0``) or, without one, is
    looked up in the ``named`` mapping.

    >>> from sqlalchemy import bindparam, column, select, table
    >>> from sqlalchemy.dialects import sqlite
    >>> todo = table("todo", column("id"))
    >>> query = select(todo.c.id).where(todo.c.id == bindparam("p0")).limit(bindparam("limit"))
    >>> statement = Statement.compile(query, sqlite.dialect())
    >>> statement.sql.split()[-7:], statement.arguments([3], {"limit": 10})
    (['todo.id', '=', '?', 'LIMIT', '?', 'OFFSET', '?'], [3, 10, 0])
    """

    sql: str
    #: for each positional parameter: an index into the values, or a name
    sources: tuple[int | str, ...]
    #: the values of parameters compiled with one, by position
    constants: Mapping[int, Any]
    processors: tuple[Processor | None, ...]
    #: positions whose argument is a list whose every item is processed
    expanding: frozenset[int] = frozenset()
    #: an INSERT, UPDATE or DELETE whose RETURNING clause gives rows
    returning: bool = False
    #: the statement matches a regular expression (MySQL/MariaDB: its warnings are read)
    regexp: bool = False

    @classmethod
    def compile(cls, clause: ClauseElement, dialect: Dialect, *, regexp: bool = False) -> Statement:
        """Compile ``clause`` for ``dialect``; ``regexp`` when it matches a regular expression."""
        compiled = clause.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError(f"not a SQL statement: {type(clause).__name__}")
        sql = compiled.string
        names = tuple(compiled.positiontup or ())
        processors: list[Processor | None] = []
        expanding: set[int] = set()
        constants: dict[int, Any] = {}
        for position, name in enumerate(names):
            bind = compiled.binds[name]
            if bind.value is not None and not _POSITIONAL.fullmatch(name):
                constants[position] = bind.value
            impl = bind.type.dialect_impl(dialect)
            processors.append(impl.bind_processor(dialect))
            if bind.expanding:
                marker = f"(__[POSTCOMPILE_{name}])"
                if dialect.paramstyle != "format" or marker not in sql:
                    raise ValueError(f"cannot run expanding parameter {name!r} on {dialect.name}")
                sql = sql.replace(marker, "%s")
                expanding.add(position)
        sources = tuple(
            int(match.group(1)) if (match := _POSITIONAL.fullmatch(name)) else name
            for name in names
        )
        returning = bool(compiled.returning)
        return cls(
            sql, sources, constants, tuple(processors), frozenset(expanding), returning, regexp
        )

    def arguments(self, values: Sequence[Any], named: Mapping[str, Any] | None = None) -> list[Any]:
        """The driver's positional arguments: ``p<n>`` from ``values``, others from ``named``."""
        arguments: list[Any] = []
        for position, (source, process) in enumerate(
            zip(self.sources, self.processors, strict=True)
        ):
            if isinstance(source, int):
                value = values[source]
            elif position in self.constants:
                value = self.constants[position]
            else:
                value = (named or {})[source]
            if position in self.expanding:
                value = tuple(value if process is None else map(process, value))
            elif process is not None and value is not None:
                value = process(value)
            arguments.append(value)
        return arguments


class StatementCache:
    """The most recently used compiled statements, at most ``size`` of them.

    >>> cache = StatementCache(1)
    >>> cache.put("a", 1); cache.put("b", 2); cache.get("a"), cache.get("b")
    (None, 2)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable) -> Any:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Hashable, entry: Any) -> None:
        self._entries[key] = entry
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
