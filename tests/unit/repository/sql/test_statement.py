"""Compiled statements: SQL text once, positional arguments per call."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import JSON, Boolean, DateTime, Integer, bindparam, column, select, table
from sqlalchemy.dialects.mysql import aiomysql
from sqlalchemy.dialects.postgresql import asyncpg
from sqlalchemy.dialects.sqlite import aiosqlite

from composer.repository.sql.statement import Statement, StatementCache

ITEM = table("item", column("id", Integer), column("at", DateTime), column("done", Boolean))


def test_arguments_come_from_the_values_by_position_and_from_names() -> None:
    query = (
        select(ITEM.c.id)
        .where(ITEM.c.id == bindparam("p1", type_=Integer), ITEM.c.id > bindparam("p0"))
        .limit(bindparam("limit"))
    )
    statement = Statement.compile(query, asyncpg.dialect())  # type: ignore[no-untyped-call]
    assert statement.sql.endswith(
        "WHERE item.id = $1::INTEGER AND item.id > $2::INTEGER \n LIMIT $3"
    )
    assert statement.arguments(["zero", "one"], {"limit": 5}) == ["one", "zero", 5]


def test_each_argument_goes_through_its_type_for_the_database() -> None:
    query = select(ITEM.c.id).where(
        ITEM.c.at == bindparam("p0", type_=DateTime()),
        ITEM.c.done == bindparam("p1", type_=Boolean()),
        ITEM.c.id == bindparam("p2", type_=JSON()),
    )
    statement = Statement.compile(query, aiosqlite.dialect())
    assert statement.arguments([datetime(2024, 5, 1, 12, 0, 0, 5000), True, {"a": [1]}]) == [
        "2024-05-01 12:00:00.005000",
        1,
        '{"a": [1]}',
    ]
    assert statement.arguments([None, None, None]) == [None, None, None]


def test_a_list_is_one_mysql_parameter_whose_items_are_converted() -> None:
    query = select(ITEM.c.id).where(
        ITEM.c.done.in_(bindparam("p0", expanding=True, type_=Boolean()))
    )
    statement = Statement.compile(query, aiomysql.dialect())
    assert statement.sql.endswith("WHERE item.done IN %s")
    assert statement.arguments([[True, False]]) == [(1, 0)]


def test_a_list_parameter_is_refused_where_it_cannot_be_one_parameter() -> None:
    query = select(ITEM.c.id).where(ITEM.c.id.in_(bindparam("p0", expanding=True)))
    with pytest.raises(ValueError, match="cannot run expanding parameter 'p0' on sqlite"):
        Statement.compile(query, aiosqlite.dialect())


def test_the_cache_keeps_the_most_recently_used_statements() -> None:
    cache = StatementCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
