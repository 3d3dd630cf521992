"""The query AST compiled for SQLite, PostgreSQL and MySQL: the SQL text, never a value in it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData
from sqlalchemy.dialects.mysql import aiomysql
from sqlalchemy.dialects.postgresql import asyncpg
from sqlalchemy.dialects.sqlite import aiosqlite
from sqlalchemy.engine import Dialect

from composer.repository.entity import EntityInfo, entity_info
from composer.repository.query import And, Comparison, Filter, Or, Order, Regexp, Where
from composer.repository.sql.compile import (
    QueryCompiler,
    compile_order,
    compile_where,
    family,
)
from composer.repository.sql.schema import table_for
from composer.repository.sql.statement import Statement
from composer.spec import AppSpec, ModelRestSpec, ModelSpec, PropertySpec
from tests.integration.sql.backend_model import item_info

C = Comparison
INFO = item_info()
DIALECTS: dict[str, Dialect] = {
    "sqlite": aiosqlite.dialect(),
    "postgresql": asyncpg.dialect(),  # type: ignore[no-untyped-call]
    "mysql": aiomysql.dialect(),
}

# Every operator with values no SQL text could contain by accident.
MARKED: dict[str, Where] = {
    "eq": C("title", "eq", "MRKeq7q"),
    "eq number": C("priority", "eq", 13579.25),
    "neq": C("title", "neq", "MRKneq7q"),
    "gt": C("rank", "gt", 86421),
    "gte": C("at", "gte", datetime(1977, 3, 4, 5, 6, 7, tzinfo=UTC)),
    "lt": C("due", "lt", date(1987, 6, 5)),
    "lte": C("code", "lte", "MRKlte7q"),
    "between": C("priority", "between", (24680.5, 97531.5)),
    "inq": C("code", "inq", ("MRKinq7qA", "MRKinq7qB")),
    "inq numbers": C("rank", "inq", (864209, 975310, None)),
    "nin": C("title", "nin", ("MRKnin7q", None)),
    "like": C("title", "like", "MRKlike7q%\\_'--"),
    "nlike": C("title", "nlike", "%MRKnlike7q_"),
    "ilike": C("code", "ilike", "MRKilike7q%"),
    "nilike": C("code", "nilike", "MRKnilike7q%"),
    "regexp": C("title", "regexp", Regexp("^MRKregexp7q.*$", frozenset("ims"))),
    "regexp on a number": C("rank", "regexp", Regexp("^97531$")),
    "exists": C("code", "exists", True),
    "not exists": C("code", "exists", False),
    "boolean": C("done", "eq", True),
    "object": C("meta", "eq", {"MRKobject7q": 1}),
    "quote": C("title", "eq", "it's'); DROP TABLE \"Item\"; --"),
    "and / or": And(
        (Or((C("title", "eq", "MRKor7qA"), C("title", "eq", "MRKor7qB"))), C("rank", "lt", 31415))
    ),
}
MARKERS = ("MRK", "13579", "86421", "1977", "1987", "24680", "97531", "864209", "975310",
           "DROP", "it's")  # fmt: skip
ORDERS: dict[str, tuple[Order, ...]] = {
    "none": (),
    "ascending": (Order("title"),),
    "descending": (Order("rank", descending=True),),
    "several": (Order("done"), Order("at", descending=True)),
    "by id": (Order("id", descending=True),),
}
FIELDS: dict[str, tuple[str, ...] | None] = {"all": None, "some": ("title", "rank")}


def _compiler(name: str) -> QueryCompiler:
    return QueryCompiler(table_for(INFO, MetaData(), name), INFO, DIALECTS[name])


def _where_sql(name: str, where: Where) -> str:
    compiler = _compiler(name)
    key, _ = compiler.lower(where)
    sql = Statement.compile(compiler.select(key, Filter()), DIALECTS[name]).sql
    return sql.partition("WHERE ")[2].partition(" ORDER BY")[0]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", MARKED)
@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("fields", FIELDS)
def test_no_value_of_the_request_appears_in_the_sql(
    dialect: str, case: str, order: str, fields: str
) -> None:
    compiler = _compiler(dialect)
    query = Filter(
        where=MARKED[case], fields=FIELDS[fields], order=ORDERS[order], limit=4242, skip=5353
    )
    key, values = compiler.lower(query.where)
    driver_sql = Statement.compile(compiler.select(key, query), DIALECTS[dialect]).sql
    bound = compiler.select(key, query, values)
    expression_sql = str(bound.compile(dialect=DIALECTS[dialect]))
    texts = [str(value) for value in values if value is not None]
    for sql in (driver_sql, expression_sql):
        for marker in (*MARKERS, "4242", "5353", *texts):
            assert marker not in sql
    assert values or MARKED[case].op == "exists"  # type: ignore[union-attr]


def test_a_value_of_every_operator_is_a_parameter_and_comes_back_out() -> None:
    compiler = _compiler("postgresql")
    key, values = compiler.lower(MARKED["and / or"])
    assert key == ("and", (("or", (("=", "title"), ("=", "title"))), ("<", "rank")))
    assert values == ["MRKor7qA", "MRKor7qB", 31415]
    bound = compile_where(MARKED["and / or"], compiler.table, INFO, DIALECTS["postgresql"])
    params = bound.compile(dialect=DIALECTS["postgresql"]).params
    assert params == {"p0": "MRKor7qA", "p1": "MRKor7qB", "p2": 31415}


WHERE_SQL: dict[str, dict[str, str]] = {
    "eq": {
        "sqlite": '"Item".title = ?',
        "postgresql": '"Item".title = $1::VARCHAR',
        "mysql": "`Item`.title = %s",
    },
    "eq None": {
        "sqlite": '"Item".code IS NULL',
        "postgresql": '"Item".code IS NULL',
        "mysql": "`Item`.code IS NULL",
    },
    "neq None": {
        "sqlite": '"Item".code IS NOT NULL',
        "postgresql": '"Item".code IS NOT NULL',
        "mysql": "`Item`.code IS NOT NULL",
    },
    "between": {
        "sqlite": '"Item".due BETWEEN ? AND ?',
        "postgresql": '"Item".due BETWEEN $1::DATE AND $2::DATE',
        "mysql": "`Item`.due BETWEEN %s AND %s",
    },
    "inq": {
        "sqlite": '"Item".item_rank IN (SELECT anon_1.value \nFROM json_each(?) AS anon_1)',
        "postgresql": '"Item".item_rank = ANY ($1::BIGINT[])',
        "mysql": "`Item`.item_rank IN %s",
    },
    "inq with None": {
        "sqlite": '"Item".item_rank IN (SELECT anon_1.value \nFROM json_each(?) AS anon_1) '
        'OR "Item".item_rank IS NULL',
        "postgresql": '"Item".item_rank = ANY ($1::BIGINT[]) OR "Item".item_rank IS NULL',
        "mysql": "`Item`.item_rank IN %s OR `Item`.item_rank IS NULL",
    },
    "nin": {
        "sqlite": '("Item".code NOT IN (SELECT anon_1.value \nFROM json_each(?) AS anon_1))',
        "postgresql": '"Item".code != ALL ($1::VARCHAR[])',
        "mysql": "(`Item`.code NOT IN %s)",
    },
    "like": {
        "sqlite": '"Item".title GLOB ?',
        "postgresql": "\"Item\".title LIKE $1::VARCHAR ESCAPE '\\'",
        "mysql": "`Item`.title LIKE %s ESCAPE '\\\\'",
    },
    "nlike": {
        "sqlite": 'NOT ("Item".title GLOB ?)',
        "postgresql": "\"Item\".title NOT LIKE $1::VARCHAR ESCAPE '\\'",
        "mysql": "`Item`.title NOT LIKE %s ESCAPE '\\\\'",
    },
    "ilike": {
        "sqlite": 'lower("Item".title) GLOB lower(?)',
        "postgresql": "\"Item\".title ILIKE $1::VARCHAR ESCAPE '\\'",
        "mysql": "lower(`Item`.title) LIKE lower(%s) ESCAPE '\\\\'",
    },
    "nilike": {
        "sqlite": 'NOT (lower("Item".title) GLOB lower(?))',
        "postgresql": "\"Item\".title NOT ILIKE $1::VARCHAR ESCAPE '\\'",
        "mysql": "lower(`Item`.title) NOT LIKE lower(%s) ESCAPE '\\\\'",
    },
    "regexp": {
        "sqlite": 'composer_regexp("Item".title, ?) = ?',
        "postgresql": '"Item".title ~ $1::VARCHAR',
        "mysql": "`Item`.title REGEXP %s",
    },
    "regexp on an integer": {
        "sqlite": 'composer_regexp(CAST("Item".item_rank AS VARCHAR), ?) = ?',
        "postgresql": 'CAST("Item".item_rank AS VARCHAR) ~ $1::VARCHAR',
        "mysql": "CAST(`Item`.item_rank AS CHAR) REGEXP %s",
    },
    "or": {
        "sqlite": '("Item".item_rank > ?) OR ("Item".item_rank < ?)',
        "postgresql": '("Item".item_rank > $1::BIGINT) OR ("Item".item_rank < $2::BIGINT)',
        "mysql": "(`Item`.item_rank > %s) OR (`Item`.item_rank < %s)",
    },
}
WHERES: dict[str, Where] = {
    "eq": C("title", "eq", "x"),
    "eq None": C("code", "eq", None),
    "neq None": C("code", "neq", None),
    "between": C("due", "between", (date(2000, 1, 1), date(2001, 1, 1))),
    "inq": C("rank", "inq", (1, 2)),
    "inq with None": C("rank", "inq", (None, 2)),
    "nin": C("code", "nin", ("a",)),
    "like": C("title", "like", "a%"),
    "nlike": C("title", "nlike", "a%"),
    "ilike": C("title", "ilike", "a%"),
    "nilike": C("title", "nilike", "a%"),
    "regexp": C("title", "regexp", Regexp("a")),
    "regexp on an integer": C("rank", "regexp", Regexp("1")),
    "or": Or((C("rank", "gt", 1), C("rank", "lt", 0))),
}


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", WHERE_SQL)
def test_each_operator_is_written_for_each_database(dialect: str, case: str) -> None:
    assert _where_sql(dialect, WHERES[case]) == WHERE_SQL[case][dialect]


@pytest.mark.parametrize(
    ("where", "key"),
    [
        (C("rank", "inq", ()), ("false",)),
        (C("rank", "nin", ()), ("true",)),
        (C("rank", "inq", (None,)), ("null", "rank")),
        (C("rank", "nin", (None,)), ("notnull", "rank")),
        (C("rank", "gt", None), ("false",)),
        (C("rank", "between", (None, 3)), ("false",)),
        (And(()), ("true",)),
        (Or(()), ("false",)),
        (And((C("rank", "eq", 1), Or(()))), ("false",)),
        (Or((C("rank", "eq", 1), And(()))), ("true",)),
        (And((C("rank", "eq", 1), And(()))), ("=", "rank")),
    ],
)
def test_empty_lists_and_empty_clauses_need_no_sql(where: Where, key: tuple[Any, ...]) -> None:
    compiler = _compiler("sqlite")
    assert compiler.lower(where)[0] == key


def test_a_dropped_branch_takes_its_values_with_it() -> None:
    where = And(
        (Or((And((C("rank", "eq", 1), Or(()))), C("rank", "eq", 2))), C("title", "eq", "t"))
    )
    key, values = _compiler("sqlite").lower(where)
    assert key == ("and", (("=", "rank"), ("=", "title")))
    assert values == [2, "t"]


def test_where_sql_without_any_clause_reads_every_row() -> None:
    compiler = _compiler("mysql")
    key, _ = compiler.lower(None)
    assert "WHERE" not in Statement.compile(compiler.select(key, Filter()), DIALECTS["mysql"]).sql


ORDER_SQL = {
    "sqlite": '"Item".done ASC, "Item".at DESC, "Item".id ASC',
    "postgresql": '"Item".done ASC NULLS FIRST, "Item".at DESC NULLS LAST, "Item".id ASC',
    "mysql": "`Item`.done ASC, `Item`.at DESC, `Item`.id ASC",
}


@pytest.mark.parametrize("dialect", DIALECTS)
def test_order_puts_nulls_first_ascending_and_last_descending_with_the_id_breaking_ties(
    dialect: str,
) -> None:
    compiler = _compiler(dialect)
    clauses = compile_order(ORDERS["several"], compiler.table, INFO, DIALECTS[dialect])
    assert (
        ", ".join(str(c.compile(dialect=DIALECTS[dialect])) for c in clauses)
        == (ORDER_SQL[dialect])
    )


@pytest.mark.parametrize("dialect", DIALECTS)
def test_an_order_by_the_id_needs_no_tie_break_and_no_order_means_the_id(dialect: str) -> None:
    compiler = _compiler(dialect)
    by_id = compiler.order((Order("id", descending=True),))
    assert len(by_id) == 1
    assert [
        str(c.compile(dialect=DIALECTS[dialect])).split(".")[-1] for c in compiler.order(())
    ] == ["id ASC"]


LIMIT_SQL = {
    ("sqlite", True, True): (" LIMIT ? OFFSET ?", [7, 9]),
    ("sqlite", True, False): (" LIMIT ? OFFSET ?", [7, 0]),
    ("sqlite", False, True): (" LIMIT ? OFFSET ?", [-1, 9]),
    ("postgresql", True, True): (" LIMIT $1::BIGINT OFFSET $2::BIGINT", [7, 9]),
    ("postgresql", True, False): (" LIMIT $1::BIGINT", [7]),
    ("postgresql", False, True): (" LIMIT ALL OFFSET $1::BIGINT", [9]),
    ("mysql", True, True): (" LIMIT %s, %s", [9, 7]),
    ("mysql", True, False): (" LIMIT %s", [7]),
    ("mysql", False, True): (" LIMIT %s, 18446744073709551615", [9]),
}


@pytest.mark.parametrize(("dialect", "limit", "skip"), LIMIT_SQL)
def test_limit_and_skip_are_parameters_and_skip_alone_implies_no_limit(
    dialect: str, limit: bool, skip: bool
) -> None:
    compiler = _compiler(dialect)
    query = Filter(limit=7 if limit else None, skip=9 if skip else 0)
    statement = Statement.compile(compiler.select(("true",), query), DIALECTS[dialect])
    sql, arguments = LIMIT_SQL[dialect, limit, skip]
    assert statement.sql.endswith(sql)
    assert statement.arguments([], {"limit": 7, "offset": 9}) == arguments


def test_fields_select_the_id_and_the_fields_in_declaration_order() -> None:
    compiler = _compiler("postgresql")
    assert compiler.selected(("rank", "title")) == ("id", "title", "rank")
    assert compiler.selected(None) == INFO.names
    sql = Statement.compile(compiler.select(("true",), Filter(fields=("rank", "title"))),
                            DIALECTS["postgresql"]).sql  # fmt: skip
    assert sql.startswith('SELECT "Item".id, "Item".title, "Item".item_rank \nFROM "Item"')


def test_a_property_the_model_does_not_have_is_refused_not_written_into_sql() -> None:
    compiler = _compiler("sqlite")
    with pytest.raises(KeyError):
        compiler.lower(C('title" OR 1=1 --', "eq", 1))
    with pytest.raises(KeyError):
        compiler.order((Order("rank; DROP TABLE x"),))


def test_ilike_and_regexp_values_are_what_each_database_runs() -> None:
    sqlite_values = _compiler("sqlite").lower(C("title", "regexp", Regexp("^a.b$", frozenset("i"))))
    assert sqlite_values[1] == ["\\A[Aa][^\\n][Bb]\\z"]
    postgresql = _compiler("postgresql").lower(C("title", "regexp", Regexp("^a$", frozenset("m"))))
    assert postgresql == (("regexp", "title", "~"), ["(?<![^\\n])a(?![^\\n])"])


def test_datetimes_are_bound_in_utc_as_each_database_stores_them() -> None:
    moment = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert _compiler("sqlite").lower(C("at", "eq", moment))[1] == [moment.replace(tzinfo=None)]
    assert _compiler("postgresql").lower(C("at", "eq", moment))[1] == [moment]
    assert _compiler("mysql").lower(C("at", "eq", moment))[1] == [
        datetime(2024, 5, 1, 12, 0, 0, 123000)
    ]


def test_the_family_of_a_dialect() -> None:
    assert [family(d) for d in DIALECTS.values()] == ["sqlite", "postgresql", "mysql"]
    with pytest.raises(ValueError, match="unsupported SQL dialect 'oracle'"):
        family(type("Oracle", (), {"name": "oracle"})())


def _read_only(**properties: Any) -> EntityInfo:
    model = ModelSpec(
        datasource="db",
        rest=ModelRestSpec(readonly=True),
        properties={name: PropertySpec(**spec) for name, spec in properties.items()},
    )
    return entity_info(AppSpec(api_version="composer/v1", name="a", models={"Line": model}), "Line")


def test_a_composite_key_or_every_orderable_column_breaks_ties() -> None:
    composite = _read_only(
        order={"type": "integer", "id": True},
        line={"type": "integer", "id": True},
        n={"type": "integer"},
    )
    keyless = _read_only(at={"type": "datetime"}, doc={"type": "object"}, text={"type": "string"})
    dialect = DIALECTS["postgresql"]
    shown = [
        [
            str(c)
            for c in compile_order(order, table_for(info, MetaData(), "postgresql"), info, dialect)
        ]
        for info, order in ((composite, [Order("line", True)]), (keyless, []))
    ]
    assert shown == [
        ['"Line".line DESC NULLS LAST', '"Line"."order" ASC'],
        ['"Line".at ASC', '"Line".text ASC'],
    ]
    assert (composite.addressable, keyless.addressable) == (False, False)
    assert [field.name for field in keyless.key] == ["at", "text"]


def test_a_uuid_or_enum_string_takes_the_type_of_its_postgresql_column() -> None:
    model = ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="string", id=True, format="uuid"),
            "mood": PropertySpec(type="string", enum=("happy", "sad")),
        },
    )
    info = entity_info(AppSpec(api_version="composer/v1", name="a", models={"T": model}), "T")
    compiler = QueryCompiler(
        table_for(info, MetaData(), "postgresql"), info, DIALECTS["postgresql"]
    )
    where = And((C("id", "eq", "x"), C("mood", "inq", ["happy"]), C("mood", "like", "h%")))
    key, values = compiler.lower(where)
    sql = Statement.compile(compiler.where(key, values), DIALECTS["postgresql"]).sql
    assert sql == (
        '("T".id = $1) AND CAST("T".mood AS TEXT) = ANY ($2::VARCHAR[]) '
        "AND CAST(\"T\".mood AS TEXT) LIKE $3::VARCHAR ESCAPE '\\'"
    )
