"""Relations on every backend: inclusion of each kind, scopes, nesting, cross-datasource
inclusion, statement counts, and where clauses that follow relations (SQL).

The shop: a Customer has many Orders (hasMany), one Profile (hasOne) and references
many Tags (referencesMany, ``tagIds``); an Order belongs to its Customer, has many
Lines, and many Products through its Lines (hasManyThrough).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from composer.connectors import MemoryConnector, SqlConnector
from composer.keys import Connector
from composer.repository.backends import make_backend
from composer.repository.entity import Catalog, entity_info
from composer.repository.filter import FilterLimits, parse_filter, parse_where
from composer.repository.model import ModelRuntime
from composer.repository.query import Filter
from composer.repository.query_error import FilterError
from composer.repository.repository import Repository
from composer.spec import (
    AppSpec,
    BelongsToSpec,
    HasManySpec,
    HasOneSpec,
    MemoryDatasourceSpec,
    ModelSpec,
    PropertySpec,
    ReferencesManySpec,
    SqlDatasourceSpec,
    ThroughSpec,
)
from tests.integration.repository.conftest import BACKENDS
from tests.integration.sql.conftest import isolated_database

ID = PropertySpec(type="integer", id=True, generated=True)


def _shop(*, cross: bool = False) -> AppSpec:
    """The shop's spec; ``cross`` stores Tags and Profiles in a second (memory) datasource."""
    other = "side" if cross else "db"
    return AppSpec(
        api_version="composer/v1",
        name="shop",
        datasources={
            "db": SqlDatasourceSpec(connector="sql", url="sqlite://"),
            "side": MemoryDatasourceSpec(connector="memory"),
        },
        models={
            "Customer": ModelSpec(
                datasource="db",
                properties={
                    "id": ID,
                    "name": PropertySpec(type="string", required=True),
                    "tagIds": PropertySpec(type="array", items=PropertySpec(type="integer")),
                },
                relations={
                    "orders": HasManySpec(type="hasMany", model="Order"),
                    "profile": HasOneSpec(type="hasOne", model="Profile"),
                    "tags": ReferencesManySpec(type="referencesMany", model="Tag"),
                    "secret": HasManySpec(type="hasMany", model="Order", rest=False),
                },
            ),
            "Profile": ModelSpec(
                datasource=other,
                properties={
                    "id": ID,
                    "customerId": PropertySpec(type="integer"),
                    "bio": PropertySpec(type="string"),
                },
            ),
            "Tag": ModelSpec(
                datasource=other,
                properties={"id": ID, "label": PropertySpec(type="string")},
            ),
            "Order": ModelSpec(
                datasource="db",
                properties={
                    "id": ID,
                    "customerId": PropertySpec(type="integer"),
                    "total": PropertySpec(type="number"),
                    "code": PropertySpec(type="string"),
                },
                relations={
                    "customer": BelongsToSpec(type="belongsTo", model="Customer"),
                    "lines": HasManySpec(type="hasMany", model="Line"),
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
                    "qty": PropertySpec(type="integer"),
                },
                relations={"product": BelongsToSpec(type="belongsTo", model="Product")},
            ),
            "Product": ModelSpec(
                datasource="db",
                properties={
                    "id": ID,
                    "name": PropertySpec(type="string"),
                    "parentId": PropertySpec(type="integer"),
                },
                relations={"parent": BelongsToSpec(type="belongsTo", model="Product")},
            ),
        },
    )


class Shop:
    """The shop's repositories, linked to one another, and the SQL statement counter."""

    def __init__(self, app: AppSpec, connectors: dict[str, Connector], backend: str) -> None:
        self.app = app
        self.backend = backend
        self.catalog = Catalog(app)
        self.connectors = connectors
        self.repositories: dict[str, Repository] = {}
        for name, model in app.models.items():
            assert model.datasource is not None
            runtime = ModelRuntime.from_app(app, name)
            connector = connectors[model.datasource]
            backend_of = make_backend(connector, runtime.info, app)
            self.repositories[name] = Repository(runtime, backend_of)
        for repository in self.repositories.values():
            repository.link(self.repositories.__getitem__)

    def __getitem__(self, model: str) -> Repository:
        return self.repositories[model]

    @property
    def statements(self) -> int:
        """Statements sent to the SQL database so far (0 on memory)."""
        db = self.connectors["db"]
        return db.statements if isinstance(db, SqlConnector) else 0

    def filter(self, model: str, raw: Any, **limits: Any) -> Filter:
        info = self.catalog.require(model)
        return parse_filter(raw, info, limits=FilterLimits(**limits), models=self.catalog)

    async def find(self, model: str, raw: Any) -> list[dict[str, Any]]:
        """``GET`` of ``model`` with filter ``raw``, as the JSON a client receives."""
        query = self.filter(model, raw)
        repository = self[model]
        return [repository.to_json(row, query) for row in await repository.find(query)]

    async def seed(self) -> None:
        tags = await self["Tag"].create_all([{"label": "vip"}, {"label": "new"}, {"label": "eu"}])
        t1, t2, t3 = (tag["id"] for tag in tags)
        ada = await self["Customer"].create({"name": "ada", "tagIds": [t3, t1]})
        bob = await self["Customer"].create({"name": "bob", "tagIds": [t2, 999]})
        await self["Customer"].create({"name": "cyd"})
        await self["Profile"].create({"customerId": ada["id"], "bio": "first"})
        pen, ink, pad = await self["Product"].create_all(
            [{"name": "pen"}, {"name": "ink"}, {"name": "pad"}]
        )
        o1, o2, o3 = await self["Order"].create_all(
            [
                {"customerId": ada["id"], "total": 30, "code": "a1"},
                {"customerId": ada["id"], "total": 10, "code": "a2"},
                {"customerId": bob["id"], "total": 20, "code": "b1"},
            ]
        )
        await self["Order"].create({"customerId": 999, "total": 5, "code": "orphan"})
        await self["Line"].create_all(
            [
                {"orderId": o1["id"], "productId": pen["id"], "qty": 1},
                {"orderId": o1["id"], "productId": ink["id"], "qty": 2},
                {"orderId": o2["id"], "productId": pad["id"], "qty": 3},
                {"orderId": o3["id"], "productId": pen["id"], "qty": 4},
            ]
        )


async def _connect(backend: str, tmp_path: Path, url: str | None) -> dict[str, Connector]:
    side = MemoryConnector("side")
    await side.connect()
    if backend == "memory":
        db: Connector = MemoryConnector("db")
    else:
        assert url is not None
        db = SqlConnector("db", url, data_dir=tmp_path)
    await db.connect()
    return {"db": db, "side": side}


@pytest.fixture(
    params=[(backend, False) for backend in BACKENDS] + [("sqlite", True)],
    ids=[*BACKENDS, "sqlite+memory"],
)
async def shop(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Shop]:
    """The seeded shop on each backend, and once with Tags/Profiles in a memory datasource."""
    backend, cross = request.param
    app = _shop(cross=cross)
    if backend == "memory":
        app = app.model_copy(
            update={
                "datasources": {**app.datasources, "db": MemoryDatasourceSpec(connector="memory")}
            }
        )
        connectors = await _connect(backend, tmp_path, None)
        yield await _seeded(app, connectors, backend)
        for connector in connectors.values():
            await connector.disconnect()
        return
    from composer.repository.sql.migrate import autoupdate

    async with isolated_database(backend, tmp_path) as url:
        connectors = await _connect(backend, tmp_path, url)
        try:
            db = connectors["db"]
            assert isinstance(db, SqlConnector)
            stored = [n for n, m in app.models.items() if m.datasource == "db"]
            await autoupdate(db, [entity_info(app, name) for name in stored])
            yield await _seeded(app, connectors, backend + ("+memory" if cross else ""))
        finally:
            for connector in connectors.values():
                await connector.disconnect()


async def _seeded(app: AppSpec, connectors: dict[str, Connector], backend: str) -> Shop:
    shop = Shop(app, connectors, backend)
    await shop.seed()
    return shop


def _names(rows: list[dict[str, Any]], key: str = "name") -> list[Any]:
    return [row.get(key) for row in rows]


# -- each kind ----------------------------------------------------------------------------


async def test_has_many_lists_children_in_id_order_and_leaves_out_an_empty_list(
    shop: Shop,
) -> None:
    found = await shop.find("Customer", {"include": ["orders"], "order": "id"})
    assert [[o["code"] for o in c.get("orders", [])] for c in found] == [["a1", "a2"], ["b1"], []]
    assert "orders" not in found[2]


async def test_belongs_to_gives_the_parent_and_nothing_for_an_orphan(shop: Shop) -> None:
    found = await shop.find("Order", {"include": "customer"})
    assert [o.get("customer", {}).get("name") for o in found] == ["ada", "ada", "bob", None]
    assert "customer" not in found[3]
    assert found[0]["customer"] == {"id": 1, "name": "ada", "tagIds": [3, 1]}


async def test_has_one_gives_the_child_object(shop: Shop) -> None:
    found = await shop.find("Customer", {"include": [{"relation": "profile"}]})
    assert [c.get("profile", {}).get("bio") for c in found] == ["first", None, None]


async def test_has_many_through_gives_the_linked_targets(shop: Shop) -> None:
    found = await shop.find(
        "Order", {"include": [{"relation": "products", "scope": {"order": "name"}}]}
    )
    assert [_names(o.get("products", [])) for o in found] == [["ink", "pen"], ["pad"], ["pen"], []]


async def test_references_many_keeps_the_array_order_and_skips_unknown_keys(shop: Shop) -> None:
    found = await shop.find("Customer", {"include": ["tags"]})
    assert [_names(c.get("tags", []), "label") for c in found] == [["eu", "vip"], ["new"], []]
    ordered = await shop.find(
        "Customer", {"include": [{"relation": "tags", "scope": {"order": "label"}}]}
    )
    assert _names(ordered[0]["tags"], "label") == ["eu", "vip"]


# -- scopes -------------------------------------------------------------------------------


async def test_a_scope_filters_orders_and_pages_per_parent(shop: Shop) -> None:
    scope = {"where": {"total": {"gte": 10}}, "order": "total DESC", "limit": 1}
    found = await shop.find("Customer", {"include": [{"relation": "orders", "scope": scope}]})
    assert [[o["code"] for o in c.get("orders", [])] for c in found] == [["a1"], ["b1"], []]
    skipped = {"order": "total DESC", "skip": 1}
    found = await shop.find("Customer", {"include": [{"relation": "orders", "scope": skipped}]})
    assert [[o["code"] for o in c.get("orders", [])] for c in found] == [["a2"], [], []]


async def test_a_scope_limit_applies_per_parent_on_many_to_many(shop: Shop) -> None:
    scope = {"order": "name", "limit": 1}
    found = await shop.find("Order", {"include": [{"relation": "products", "scope": scope}]})
    assert [_names(o.get("products", [])) for o in found] == [["ink"], ["pad"], ["pen"], []]


async def test_scope_fields_keep_the_join_key_out_of_the_answer(shop: Shop) -> None:
    scope = {"fields": ["code"]}
    found = await shop.find(
        "Customer", {"fields": ["name"], "include": [{"relation": "orders", "scope": scope}]}
    )
    assert found[0] == {"name": "ada", "orders": [{"code": "a1"}, {"code": "a2"}]}
    belongs = await shop.find(
        "Order",
        {
            "fields": {"code": True},
            "include": [{"relation": "customer", "scope": {"fields": ["name"]}}],
        },
    )
    assert belongs[0] == {"code": "a1", "customer": {"name": "ada"}}


async def test_three_levels_deep(shop: Shop) -> None:
    include = [
        {
            "relation": "orders",
            "scope": {
                "include": [
                    {"relation": "lines", "scope": {"include": ["product"], "order": "qty"}}
                ]
            },
        }
    ]
    found = await shop.find("Customer", {"include": include, "where": {"name": "ada"}})
    lines = [
        [(line["qty"], line["product"]["name"]) for line in order["lines"]]
        for order in found[0]["orders"]
    ]
    assert lines == [[(1, "pen"), (2, "ink")], [(3, "pad")]]


async def test_find_by_id_and_find_one_include(shop: Shop) -> None:
    query = shop.filter("Customer", {"include": ["orders"]})
    row = await shop["Customer"].find_by_id(2, query)
    assert [o["code"] for o in row["orders"]] == ["b1"]
    first = await shop["Customer"].find_one(query)
    assert first is not None and len(first["orders"]) == 2


# -- what cannot be included ----------------------------------------------------------------


@pytest.mark.parametrize(
    "include",
    [
        ["nope"],
        ["secret"],
        [{"relation": "orders", "extra": 1}],
        [{"relation": "orders", "scope": None}],
        [5],
        {"orders": True},
    ],
)
def test_an_unknown_hidden_or_malformed_inclusion_is_a_400(include: Any) -> None:
    catalog = Catalog(_shop())
    with pytest.raises(FilterError) as caught:
        parse_filter({"include": include}, catalog.require("Customer"), models=catalog)
    assert caught.value.code == "INVALID_INCLUSION_FILTER"
    assert caught.value.message.startswith('Invalid "filter.include" entries: ')


def test_an_inclusion_deeper_than_the_limit_is_a_400() -> None:
    catalog = Catalog(_shop())
    deep: dict[str, Any] = {"include": ["customer"]}
    for _ in range(3):
        deep = {
            "include": [
                {
                    "relation": "orders",
                    "scope": {"include": [{"relation": "customer", "scope": deep}]},
                }
            ]
        }
    with pytest.raises(FilterError) as caught:
        parse_filter(deep, catalog.require("Customer"), models=catalog)
    assert caught.value.code == "INVALID_INCLUSION_FILTER"
    assert "maxIncludeDepth" in caught.value.message


def test_a_bad_scope_names_its_path() -> None:
    catalog = Catalog(_shop())
    raw = {"include": [{"relation": "orders", "scope": {"where": {"nope": 1}}}]}
    with pytest.raises(FilterError) as caught:
        parse_filter(raw, catalog.require("Customer"), models=catalog)
    assert caught.value.path == ("include", 0, "scope", "where", "nope")
    assert caught.value.message.startswith('Unknown property "nope" in where.')


# -- statements -----------------------------------------------------------------------------


async def test_each_level_of_inclusion_costs_one_statement(shop: Shop) -> None:
    if shop.backend not in ("sqlite", "postgresql", "mariadb"):
        pytest.skip("statements are counted on SQL datasources")
    customers = shop["Customer"]
    orders = shop["Order"]
    await customers.create_all([{"name": f"x{n}"} for n in range(100)])
    created = await customers.find(
        Filter(where=parse_where({"name": {"like": "x%"}}, shop.catalog.require("Customer")))
    )
    await orders.create_all([{"customerId": c["id"], "code": f"o{c['id']}"} for c in created])
    await shop["Line"].create_all(
        [{"orderId": n, "productId": 1 + n % 3, "qty": n} for n in range(5, 105)]
    )
    raw = {
        "where": {"name": {"like": "x%"}},
        "include": [
            {
                "relation": "orders",
                "scope": {"include": [{"relation": "lines", "scope": {"include": ["product"]}}]},
            }
        ],
    }
    query = shop.filter("Customer", raw)
    before = shop.statements
    found = await customers.find(query)
    assert shop.statements - before == 4
    assert len(found) == 100
    assert sum(len(c.get("orders", [])) for c in found) == 100
    paged = shop.filter("Customer", {"include": [{"relation": "orders", "scope": {"limit": 1}}]})
    before = shop.statements
    await customers.find(paged)
    assert shop.statements - before == 2


async def test_more_keys_than_a_chunk_take_one_statement_per_chunk(shop: Shop) -> None:
    if shop.backend not in ("sqlite", "postgresql", "mariadb"):
        pytest.skip("statements are counted on SQL datasources")
    await shop["Order"].create_all([{"customerId": n, "code": "x"} for n in range(10, 2510)])
    query = shop.filter("Order", {"include": ["customer"]})
    before = shop.statements
    found = await shop["Order"].find(query)
    assert len(found) == 2504
    assert shop.statements - before == 1 + 3  # 2,500 distinct keys: chunks of 1,000


# -- where clauses through relations --------------------------------------------------------


def _sql_only(shop: Shop) -> None:
    if shop.backend not in ("sqlite", "postgresql", "mariadb"):
        pytest.skip("a where clause follows relations inside one SQL datasource")


async def test_where_through_belongs_to(shop: Shop) -> None:
    _sql_only(shop)
    found = await shop.find("Order", {"where": {"customer.name": "bob"}})
    assert _names(found, "code") == ["b1"]
    before = shop.statements
    count = await shop["Order"].count(
        parse_where(
            {"customer.name": {"inq": ["ada", "bob"]}},
            shop.catalog.require("Order"),
            models=shop.catalog,
        )
    )
    assert count == 3
    assert shop.statements - before == 1


async def test_where_into_has_many_means_at_least_one_child(shop: Shop) -> None:
    _sql_only(shop)
    found = await shop.find("Customer", {"where": {"orders.total": {"gte": 20}}})
    assert _names(found) == ["ada", "bob"]
    found = await shop.find("Customer", {"where": {"orders.total": {"lt": 15}}})
    assert _names(found) == ["ada"]
    nobody = await shop.find("Customer", {"where": {"orders.total": {"gt": 100}}})
    assert nobody == []


async def test_where_follows_several_relations_and_many_to_many(shop: Shop) -> None:
    _sql_only(shop)
    found = await shop.find("Customer", {"where": {"orders.lines.product.name": "pad"}})
    assert _names(found) == ["ada"]
    through = await shop.find("Order", {"where": {"products.name": "pen"}, "order": "code"})
    assert _names(through, "code") == ["a1", "b1"]
    combined = await shop.find(
        "Customer", {"where": {"or": [{"orders.code": "b1"}, {"name": "cyd"}]}}
    )
    assert _names(combined) == ["bob", "cyd"]


async def test_update_and_delete_through_a_relation_where(shop: Shop) -> None:
    _sql_only(shop)
    orders = shop["Order"]
    info = shop.catalog.require("Order")
    where = parse_where({"customer.name": "ada"}, info, models=shop.catalog)
    assert await orders.update_all({"total": 1}, where) == 2
    assert await orders.delete_all(where) == 2
    assert await orders.count() == 2


def test_a_where_through_a_relation_outside_one_sql_datasource_is_a_400() -> None:
    catalog = Catalog(_shop(cross=True))
    with pytest.raises(FilterError) as caught:
        parse_where({"profile.bio": "x"}, catalog.require("Customer"), models=catalog)
    assert "must be stored in one SQL datasource" in caught.value.message
    memory = _shop().model_copy(
        update={"datasources": {"db": MemoryDatasourceSpec(connector="memory")}}
    )
    catalog = Catalog(memory)
    with pytest.raises(FilterError):
        parse_where({"orders.total": 1}, catalog.require("Customer"), models=catalog)


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ({"tags.label": "x"}, "referencesMany"),
        ({"nope.name": "x"}, 'Unknown property "nope.name" in where.'),
        ({"secret.code": "x"}, 'Unknown property "secret.code" in where.'),
        ({"orders.nope": 1}, 'Unknown property "nope" in where. Properties of Order'),
    ],
)
def test_a_bad_relation_path_is_a_400(where: dict[str, Any], message: str) -> None:
    catalog = Catalog(_shop())
    with pytest.raises(FilterError) as caught:
        parse_where(where, catalog.require("Customer"), models=catalog)
    assert message in caught.value.message


async def test_a_where_through_a_relation_to_the_same_table(shop: Shop) -> None:
    _sql_only(shop)
    products = shop["Product"]
    info = shop.catalog.require("Product")
    await products.update_all({"parentId": 1}, parse_where({"name": "ink"}, info))
    child_of_pen = parse_where({"parent.name": "pen"}, info, models=shop.catalog)
    assert _names(await products.find(Filter(where=child_of_pen))) == ["ink"]
    assert await products.update_all({"name": "red ink"}, child_of_pen) == 1
    assert await products.delete_all(child_of_pen) == 1
    assert _names(await products.find()) == ["pen", "pad"]
