"""A column's composer property: its type, format, enum, maxLength and default.

:func:`property_type` maps a reflected SQLAlchemy type to a property type
(the table is in ``docs/discover.md``); a column it cannot map is
:class:`Unsupported`, with the reason. :func:`column_default` turns a
column's SQL default into a default composer can apply itself, when there is
one: a constant of the property's type, ``now`` for ``CURRENT_TIMESTAMP``
and its kin, ``uuid`` for ``gen_random_uuid()`` and ``uuid()``.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import types as sql
from sqlalchemy.dialects import mysql, postgresql, sqlite

from composer.discover.reflection import Column

__all__ = ["Mapped", "Unsupported", "column_default", "property_type"]

#: SQLite declared type names that mean a uuid (SQLite gives them NUMERIC affinity)
_SQLITE_UUID = re.compile(r"\s*(UUID|GUID|UNIQUEIDENTIFIER)\s*", re.IGNORECASE)
_NOW = re.compile(
    r"(current_timestamp|now|localtimestamp|current_date|curdate|transaction_timestamp"
    r"|statement_timestamp|clock_timestamp|utc_timestamp|sysdate)\s*(\(\s*\d*\s*\))?",
    re.IGNORECASE,
)
_UUID_FUNCTIONS = re.compile(r"(gen_random_uuid|uuid_generate_v4|uuid)\s*\(\s*\)", re.IGNORECASE)
_CAST = re.compile(r"(.*?)::[\w \".\[\]()]+", re.DOTALL)
_BINARY = (
    sql.LargeBinary,
    sql.BINARY,
    sql.VARBINARY,
    mysql.TINYBLOB,
    mysql.MEDIUMBLOB,
    mysql.LONGBLOB,
)
_INTEGER = re.compile(r"[-+]?\d+")
_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True, slots=True)
class Mapped:
    """The property a column becomes (before names, keys and defaults are added)."""

    type: str
    format: str | None = None
    max_length: int | None = None
    enum: tuple[str, ...] | None = None
    #: what the mapping loses, shown as a note (``numeric(10,2)`` is read as a float)
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Unsupported:
    """A column no property type can hold faithfully; it is left out."""

    reason: str


def property_type(column: Column, dialect: str) -> Mapped | Unsupported:
    """The property type of ``column`` on ``dialect`` (sqlite, postgresql, mysql, mariadb).

    >>> from sqlalchemy.dialects import mysql, postgresql, sqlite
    >>> from composer.discover.reflection import Column
    >>> property_type(Column("ok", mysql.TINYINT(display_width=1), True), "mariadb")
    Mapped(type='boolean', format=None, max_length=None, enum=None, notes=())
    >>> property_type(Column("id", postgresql.UUID(), False), "postgresql").format
    'uuid'
    >>> property_type(Column("at", sql.Time(), True), "postgresql")
    Unsupported(reason='TIME WITHOUT TIME ZONE has no composer type')
    """
    kind = column.type
    if dialect == "sqlite" and column.declared and _SQLITE_UUID.fullmatch(column.declared):
        return Mapped("string", format="uuid")
    if column.json or isinstance(kind, sql.JSON):
        return Mapped("any")
    if isinstance(kind, sql.Enum):
        return Mapped("string", enum=tuple(str(value) for value in kind.enums))
    if isinstance(kind, sql.Uuid):
        return Mapped("string", format="uuid")
    if isinstance(kind, sql.Boolean) or (
        isinstance(kind, mysql.TINYINT) and kind.display_width == 1
    ):
        return Mapped("boolean")
    if isinstance(kind, sql.Integer | mysql.YEAR):
        return Mapped("integer")
    if isinstance(kind, sql.Float):
        return Mapped("number")
    if isinstance(kind, sql.Numeric):
        note = f"{_shown(kind, dialect)} is read as a floating-point number"
        return Mapped("number", notes=(note,) if kind.scale else ())
    if isinstance(kind, sql.String):
        return Mapped("string", max_length=kind.length)
    if isinstance(kind, sql.DateTime):
        return Mapped("datetime")
    if isinstance(kind, sql.Date):
        return Mapped("date")
    if isinstance(kind, _BINARY):
        return Mapped("buffer")
    if isinstance(kind, sql.NullType):
        return Unsupported(_unknown(column))
    if isinstance(kind, postgresql.ARRAY | sql.ARRAY):
        return Unsupported(f"{_shown(kind, dialect)} (an array column) has no composer type")
    return Unsupported(f"{_shown(kind, dialect)} has no composer type")


def _shown(kind: Any, dialect: str) -> str:
    compiler = {"sqlite": sqlite, "postgresql": postgresql}.get(dialect, mysql).dialect()
    try:
        return str(kind.compile(dialect=compiler))
    except Exception:  # a type the dialect cannot write (an odd reflected one)
        return type(kind).__name__.upper()


def _unknown(column: Column) -> str:
    if column.declared:
        return f"the declared type {column.declared!r} is unknown"
    if column.declared is not None:
        return "the column declares no type"
    return "its type is unknown to SQLAlchemy"


def column_default(column: Column, mapped: Mapped) -> tuple[Any, bool]:
    """The default composer applies for ``column`` and whether the column had one at all.

    ``(None, True)`` means a default composer cannot express (an
    expression, a sequence); ``(None, False)`` no default.

    >>> from composer.discover.reflection import Column
    >>> text = Column("code", sql.String(), True, default="'a''b'::character varying")
    >>> column_default(text, Mapped("string"))
    ("a'b", True)
    >>> column_default(Column("at", sql.DateTime(), True, default="now()"), Mapped("datetime"))
    ('now', True)
    >>> serial = Column("n", sql.Integer(), True, default="nextval('n_seq')")
    >>> column_default(serial, Mapped("integer"))
    (None, True)
    """
    written = column.default
    if written is None:
        return None, False
    value = written.strip()
    while value.startswith("(") and value.endswith(")") and _balanced(value[1:-1]):
        value = value[1:-1].strip()
    if value.upper() == "NULL":
        return None, False
    kind = mapped.type
    if kind in ("date", "datetime") and _NOW.fullmatch(value):
        return "now", True
    if kind == "string" and mapped.format == "uuid" and _UUID_FUNCTIONS.fullmatch(value):
        return "uuid", True
    cast = _CAST.fullmatch(value)
    if cast is not None:
        value = cast.group(1).strip()
    quoted = len(value) >= 2 and value[0] == value[-1] == "'"
    literal = value[1:-1].replace("''", "'") if quoted else value
    return _typed(literal, mapped, quoted=quoted), True


def _balanced(inner: str) -> bool:
    depth = 0
    for char in inner:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _typed(literal: str, mapped: Mapped, *, quoted: bool) -> Any:
    kind = mapped.type
    if kind == "string":
        if not quoted or (mapped.max_length is not None and len(literal) > mapped.max_length):
            return None
        return literal if mapped.enum is None or literal in mapped.enum else None
    if kind == "integer" and _INTEGER.fullmatch(literal):
        return int(literal)
    if kind == "number" and _NUMBER.fullmatch(literal):
        number = float(literal)
        return number if math.isfinite(number) else None
    if kind == "boolean":
        return {"1": True, "0": False, "true": True, "false": False, "t": True, "f": False}.get(
            literal.lower()
        )
    if kind == "date" and quoted:
        try:
            return datetime.date.fromisoformat(literal).isoformat()
        except ValueError:
            return None
    if kind == "datetime" and quoted:
        try:
            moment = datetime.datetime.fromisoformat(literal)
        except ValueError:
            return None
        # a zone-less value is UTC, as composer reads it
        return (moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)).isoformat()
    if kind == "any" and quoted:
        try:
            return json.loads(literal)
        except ValueError:
            return None
    return None
