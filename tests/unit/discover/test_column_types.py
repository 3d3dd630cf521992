"""Reflected column types and defaults as property types and defaults (docs/discover.md)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import types as sql
from sqlalchemy.dialects import mysql, postgresql, sqlite

from composer.discover.column_types import Mapped, Unsupported, column_default, property_type
from composer.discover.reflection import Column

M = Mapped

CASES: list[tuple[str, Any, Mapped | str]] = [
    # SQLite: the declared type names, as SQLAlchemy reflects them
    ("sqlite", sqlite.INTEGER(), M("integer")),
    (
        "sqlite",
        sqlite.NUMERIC(10, 2),
        M("number", notes=("NUMERIC(10, 2) is read as a floating-point number",)),
    ),
    ("sqlite", sqlite.REAL(), M("number")),
    ("sqlite", sqlite.VARCHAR(40), M("string", max_length=40)),
    ("sqlite", sqlite.TEXT(), M("string")),
    ("sqlite", sqlite.CHAR(3), M("string", max_length=3)),
    ("sqlite", sqlite.BOOLEAN(), M("boolean")),
    ("sqlite", sqlite.DATE(), M("date")),
    ("sqlite", sqlite.DATETIME(), M("datetime")),
    ("sqlite", sqlite.TIMESTAMP(), M("datetime")),
    ("sqlite", sqlite.JSON(), M("any")),
    ("sqlite", sqlite.BLOB(), M("buffer")),
    ("sqlite", sqlite.TIME(), "TIME has no composer type"),
    # PostgreSQL
    ("postgresql", postgresql.SMALLINT(), M("integer")),
    ("postgresql", postgresql.BIGINT(), M("integer")),
    ("postgresql", postgresql.NUMERIC(), M("number")),
    ("postgresql", postgresql.DOUBLE_PRECISION(), M("number")),
    ("postgresql", postgresql.REAL(), M("number")),
    ("postgresql", postgresql.VARCHAR(10), M("string", max_length=10)),
    ("postgresql", postgresql.TEXT(), M("string")),
    ("postgresql", postgresql.BOOLEAN(), M("boolean")),
    ("postgresql", postgresql.TIMESTAMP(timezone=True), M("datetime")),
    ("postgresql", postgresql.JSON(), M("any")),
    ("postgresql", postgresql.JSONB(), M("any")),
    ("postgresql", postgresql.BYTEA(), M("buffer")),
    ("postgresql", postgresql.UUID(), M("string", format="uuid")),
    (
        "postgresql",
        postgresql.ENUM("happy", "sad", name="mood"),
        M("string", enum=("happy", "sad")),
    ),
    ("postgresql", postgresql.INTERVAL(), "INTERVAL has no composer type"),
    (
        "postgresql",
        postgresql.ARRAY(sql.Integer()),
        "INTEGER[] (an array column) has no composer type",
    ),
    # MySQL / MariaDB
    ("mariadb", mysql.TINYINT(display_width=1), M("boolean")),
    ("mariadb", mysql.TINYINT(display_width=4), M("integer")),
    ("mariadb", mysql.MEDIUMINT(), M("integer")),
    ("mariadb", mysql.YEAR(), M("integer")),
    ("mariadb", mysql.DOUBLE(asdecimal=True), M("number")),
    ("mariadb", mysql.FLOAT(), M("number")),
    ("mariadb", mysql.LONGTEXT(), M("string")),
    ("mariadb", mysql.ENUM("a", "b"), M("string", enum=("a", "b"))),
    ("mariadb", mysql.DATETIME(fsp=3), M("datetime")),
    ("mariadb", mysql.LONGBLOB(), M("buffer")),
    ("mariadb", mysql.VARBINARY(16), M("buffer")),
    ("mariadb", mysql.BIT(1), "BIT(1) has no composer type"),
    ("mysql", mysql.JSON(), M("any")),
]


@pytest.mark.parametrize(("dialect", "type_", "expected"), CASES, ids=[repr(c[1]) for c in CASES])
def test_each_column_type_maps_to_its_property_type(
    dialect: str, type_: Any, expected: Mapped | str
) -> None:
    found = property_type(Column("c", type_, True), dialect)
    assert found == (Unsupported(expected) if isinstance(expected, str) else expected)


def test_sqlite_declared_names_tell_a_uuid_and_a_missing_type() -> None:
    uuid = Column("c", sqlite.NUMERIC(), True, declared="UUID")
    assert property_type(uuid, "sqlite") == M("string", format="uuid")
    untyped = Column("c", sql.NullType(), True, declared="")
    assert property_type(untyped, "sqlite") == Unsupported("the column declares no type")
    odd = Column("c", sql.NullType(), True, declared="WIDGET")
    assert property_type(odd, "sqlite") == Unsupported("the declared type 'WIDGET' is unknown")


def test_a_mariadb_json_column_is_its_checked_longtext() -> None:
    assert property_type(Column("c", mysql.LONGTEXT(), True, json=True), "mariadb") == M("any")


@pytest.mark.parametrize(
    ("default", "mapped", "expected"),
    [
        ("'a''b'::character varying", M("string"), "a'b"),
        ("'pending'::order_status", M("string", enum=("pending", "paid")), "pending"),
        ("'bogus'", M("string", enum=("pending",)), None),
        ("'toolong'", M("string", max_length=3), None),
        ("0", M("integer"), 0),
        ("(-3)", M("integer"), -3),
        ("'7'::integer", M("integer"), 7),
        ("1.50", M("number"), 1.5),
        ("'1.5'::numeric", M("number"), 1.5),
        ("true", M("boolean"), True),
        ("'0'", M("boolean"), False),
        ("1", M("boolean"), True),
        ("CURRENT_TIMESTAMP", M("datetime"), "now"),
        ("now()", M("datetime"), "now"),
        ("current_timestamp()", M("datetime"), "now"),
        ("CURRENT_TIMESTAMP(3)", M("datetime"), "now"),
        ("CURRENT_DATE", M("date"), "now"),
        ("'2024-01-02'::date", M("date"), "2024-01-02"),
        ("'2024-01-02 03:04:05'", M("datetime"), "2024-01-02T03:04:05+00:00"),
        ("gen_random_uuid()", M("string", format="uuid"), "uuid"),
        ("uuid()", M("string", format="uuid"), "uuid"),
        ("'{}'::jsonb", M("any"), {}),
        ("'[1, 2]'", M("any"), [1, 2]),
    ],
)
def test_a_constant_default_is_kept(default: str, mapped: Mapped, expected: Any) -> None:
    column = Column("c", sql.NullType(), True, default=default)
    assert column_default(column, mapped) == (expected, True)


def test_an_expression_default_is_reported_but_not_kept() -> None:
    for default, mapped in (
        ("nextval('orders_id_seq'::regclass)", M("integer")),
        ("(price * 2)", M("number")),
        ("upper('x')", M("string")),
        ("now()", M("string")),
    ):
        assert column_default(Column("c", sql.NullType(), True, default=default), mapped) == (
            None,
            True,
        )
    assert column_default(Column("c", sql.NullType(), True), M("string")) == (None, False)
    assert column_default(Column("c", sql.NullType(), True, default="NULL"), M("string")) == (
        None,
        False,
    )
