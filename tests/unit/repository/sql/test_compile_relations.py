"""Where clauses that follow relations, and pages per parent, compiled for each database:
one statement (EXISTS subqueries, a window function), no request value in its text."""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData
from sqlalchemy.dialects.mysql import aiomysql
from sqlalchemy.dialects.postgresql import asyncpg
from sqlalchemy.dialects.sqlite import aiosqlite
from sqlalchemy.engine import Dialect

from composer.repository.entity import Catalog
from composer.repository.query import And, Comparison, Filter, Or, Order, Related, Where
from composer.repository.sql.compile import QueryCompiler
from composer.repository.sql.schema import table_for
from composer.repository.sql.statement import Statement
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    HasManySpec,
    ModelSpec,
    PropertySpec,
    SqlDatasourceSpec,
    ThroughSpec,
)

DIALECTS: dict[str, Dialect] = {
    "sqlite": aiosqlite.dialect(),
    "postgresql": asyncpg.dialect(),  # type: ignore[no-untyped-call]
    "mysql": aiomysql.dialect(),
}
ID = PropertySpec(type="integer", id=True, generated=True)
APP = AppSpec(
    api_version="composer/v1",
    name="shop",
    datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite://")},
    models={
        "Customer": ModelSpec(
            datasource="db",
            properties={"id": ID, "name": PropertySpec(type="string")},
            relations={"orders": HasManySpec(type="hasMany", model="Order")},
        ),
        "Order": ModelSpec(
            datasource="db",
            properties={
                "id": ID,
                "customerId": PropertySpec(type="integer"),
                "total": PropertySpec(type="number"),
            },
            relations={
                "customer": BelongsToSpec(type="belongsTo", model="Customer"),
                "products": HasManySpec(
                    type="hasMany",
                    model="Product",
                    through=ThroughSpec(model="Line", key_from="orderId", key_to="productId"),
                ),
            },
        ),
        "Line": ModelSpec(
            datasource="db",
            properties={
                "id": ID,
                "orderId": PropertySpec(type="integer"),
                "productId": PropertySpec(type="integer"),
            },
        ),
        "Product": ModelSpec(
            datasource="db", properties={"id": ID, "name": PropertySpec(type="string")}
        ),
    },
)
CATALOG = Catalog(APP)
MARKED: dict[str, tuple[str, Where]] = {
    "belongsTo": ("Order", Related("customer", Comparison("name", "eq", "MRKbelongs7q"))),
    "hasMany": ("Customer", Related("orders", Comparison("total", "gt", 13579.5))),
    "through": ("Order", Related("products", Comparison("name", "like", "MRKthrough7q%"))),
    "nested": (
        "Customer",
        Related("orders", Related("customer", Comparison("name", "inq", ("MRKa7q", "MRKb7q")))),
    ),
    "mixed": (
        "Customer",
        Or(
            (
                Comparison("name", "eq", "MRKor7q"),
                Related(
                    "orders",
                    And((Comparison("total", "gte", 86421.5), Comparison("total", "lt", 97531.5))),
                ),
            )
        ),
    ),
}
MARKERS = ("MRK", "13579", "86421", "97531", "4242", "5353")


def _compiler(dialect: str, model: str) -> QueryCompiler:
    info = CATALOG.require(model)
    return QueryCompiler(table_for(info, MetaData(), dialect), info, DIALECTS[dialect], CATALOG)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("case", MARKED)
def test_a_where_through_relations_is_one_statement_without_values(dialect: str, case: str) -> None:
    model, where = MARKED[case]
    compiler = _compiler(dialect, model)
    key, values = compiler.lower(where)
    query = Filter(where=where, order=(Order("id"),), limit=4242, skip=5353)
    sql = Statement.compile(compiler.select(key, query), DIALECTS[dialect]).sql
    assert sql.count("EXISTS (SELECT 1") == case.count("nested") + 1
    assert all(marker not in sql for marker in MARKERS)
    assert values and all(str(value) not in sql for value in values)


def test_a_self_join_uses_an_alias() -> None:
    compiler = _compiler("postgresql", "Customer")
    key, _ = compiler.lower(MARKED["nested"][1])
    sql = Statement.compile(compiler.select(key, Filter()), DIALECTS["postgresql"]).sql
    # the outer Customer, the Order and the inner Customer are three different names
    assert '"Order_1"."customerId" = "Customer".id' in sql
    assert '"Customer_1".id = "Order_1"."customerId"' in sql


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_page_per_parent_is_a_window_function_with_parameters(dialect: str) -> None:
    compiler = _compiler(dialect, "Order")
    where = Comparison("customerId", "inq", (13579, 86421))
    key, values = compiler.lower(where)
    query = Filter(where=where, order=(Order("total", descending=True),), limit=4242, skip=5353)
    statement = Statement.compile(
        compiler.select_partitioned(key, query, "customerId"), DIALECTS[dialect]
    )
    sql = statement.sql
    assert "row_number() OVER (PARTITION BY" in sql
    assert all(marker not in sql for marker in MARKERS)
    arguments = statement.arguments(values, {"offset": 5353, "upto": 5353 + 4242})
    assert 5353 in arguments and 5353 + 4242 in arguments
