"""Discover → validate → serve, on SQLite, PostgreSQL and MariaDB (a database of each test's own).

The database (tests/integration/discover/schema.py) is made with raw SQL;
``composer discover`` writes the project; ``composer.boot.check`` validates
it; the project is served on an ephemeral port and queried over HTTP.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi

from composer.boot import boot, check
from composer.discover import Discovery, discover, write_files
from composer.errors import ComposerError, ConnectorError
from composer.rest import openapi_document
from tests.integration.discover.schema import TOKEN, create, fetch
from tests.integration.sql.conftest import BACKENDS, isolated_database


@dataclass(frozen=True)
class Shop:
    """A discovered test database: its backend and URL, the project written, what was found."""

    backend: str
    url: str
    project: Path
    found: Discovery

    def model(self, name: str) -> dict[str, Any]:
        """The body of model ``name`` as written in its file."""
        for path in (self.project / "models").glob("*.yaml"):
            models = yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
            if name in models:
                body: dict[str, Any] = models[name]
                return body
        raise KeyError(name)


@pytest.fixture(params=BACKENDS)
async def shop(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Shop]:
    backend = request.param
    async with isolated_database(backend, tmp_path) as url:
        await create(url, backend)
        found = await discover(url, views=True)
        project = tmp_path / "project"
        write_files(found.files, project, force=False)
        yield Shop(backend, url, project, found)


class Client:
    """GET and POST against a served project."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base

    async def get(self, path: str, **params: str) -> tuple[int, Any]:
        async with self.session.get(self.base + path, params=params) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body

    async def post(self, path: str, data: Any) -> tuple[int, Any]:
        async with self.session.post(self.base + path, json=data) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body


@asynccontextmanager
async def served(project: Path) -> AsyncIterator[Client]:
    app = boot(project, env={})
    await app.start(port=0)
    try:
        async with aiohttp.ClientSession() as session:
            yield Client(session, app.url)
    finally:
        await app.stop()


MODELS = {
    "AuditLog": "audit_log",
    "Category": "categories",
    "Customer": "customers",
    "LineNote": "line_notes",
    "OpenOrder": "open_orders",
    "Order": "orders",
    "OrderLine": "order_lines",
    "Product": "products",
    "Recommendation": "recommendations",
    "TypeSample": "type_samples",
}

#: the type_samples columns of every backend, as discovered
TYPE_SAMPLES = {
    "sqlite": {
        "id": {"type": "integer", "id": True, "generated": True},
        "smallInt": {"type": "integer", "nullable": True, "column": "small_int"},
        "bigInt": {"type": "integer", "nullable": True, "column": "big_int"},
        "exact": {"type": "number", "nullable": True},
        "realNum": {"type": "number", "nullable": True, "column": "real_num"},
        "doubleNum": {"type": "number", "nullable": True, "column": "double_num"},
        "floatNum": {"type": "number", "nullable": True, "column": "float_num"},
        "shortText": {"type": "string", "nullable": True, "maxLength": 10, "column": "short_text"},
        "longText": {"type": "string", "nullable": True, "column": "long_text"},
        "fixedText": {"type": "string", "nullable": True, "maxLength": 3, "column": "fixed_text"},
        "flag": {"type": "boolean", "nullable": True},
        "day": {"type": "date", "nullable": True},
        "moment": {"type": "datetime", "nullable": True},
        "stamp": {"type": "datetime", "nullable": True},
        "doc": {"type": "any", "nullable": True},
        "bytes": {"type": "buffer", "nullable": True},
        "uid": {"type": "string", "nullable": True, "format": "uuid"},
    },
    "postgresql": {
        "id": {"type": "integer", "id": True, "generated": True},
        "smallInt": {"type": "integer", "nullable": True, "column": "small_int"},
        "plainInt": {"type": "integer", "nullable": True, "column": "plain_int"},
        "bigInt": {"type": "integer", "nullable": True, "column": "big_int"},
        "exact": {"type": "number", "nullable": True},
        "realNum": {"type": "number", "nullable": True, "column": "real_num"},
        "doubleNum": {"type": "number", "nullable": True, "column": "double_num"},
        "shortText": {"type": "string", "nullable": True, "maxLength": 10, "column": "short_text"},
        "longText": {"type": "string", "nullable": True, "column": "long_text"},
        "fixedText": {"type": "string", "nullable": True, "maxLength": 3, "column": "fixed_text"},
        "flag": {"type": "boolean", "nullable": True},
        "day": {"type": "date", "nullable": True},
        "moment": {"type": "datetime", "nullable": True},
        "momentTz": {"type": "datetime", "nullable": True, "column": "moment_tz"},
        "doc": {"type": "any", "nullable": True},
        "docb": {"type": "any", "nullable": True},
        "bytes": {"type": "buffer", "nullable": True},
        "uid": {"type": "string", "nullable": True, "format": "uuid"},
        "feeling": {"type": "string", "nullable": True, "enum": ["happy", "sad"], "default": "sad"},
    },
    "mariadb": {
        "id": {"type": "integer", "id": True, "generated": True},
        "tinyInt": {"type": "integer", "nullable": True, "column": "tiny_int"},
        "smallInt": {"type": "integer", "nullable": True, "column": "small_int"},
        "mediumInt": {"type": "integer", "nullable": True, "column": "medium_int"},
        "plainInt": {"type": "integer", "nullable": True, "column": "plain_int"},
        "bigInt": {"type": "integer", "nullable": True, "column": "big_int"},
        "exact": {"type": "number", "nullable": True},
        "floatNum": {"type": "number", "nullable": True, "column": "float_num"},
        "doubleNum": {"type": "number", "nullable": True, "column": "double_num"},
        "shortText": {"type": "string", "nullable": True, "maxLength": 10, "column": "short_text"},
        "longText": {"type": "string", "nullable": True, "column": "long_text"},
        "fixedText": {"type": "string", "nullable": True, "maxLength": 3, "column": "fixed_text"},
        "flag": {"type": "boolean", "nullable": True},
        "flag2": {"type": "boolean", "nullable": True},
        "day": {"type": "date", "nullable": True},
        "moment": {"type": "datetime", "nullable": True},
        "moment3": {"type": "datetime", "nullable": True},
        "stamp": {"type": "datetime", "nullable": True},
        "doc": {"type": "any", "nullable": True},
        "bytes": {"type": "buffer", "nullable": True},
        "longBytes": {"type": "buffer", "nullable": True, "column": "long_bytes"},
        "varBytes": {"type": "buffer", "nullable": True, "column": "var_bytes"},
        "feeling": {"type": "string", "nullable": True, "enum": ["happy", "sad"], "default": "sad"},
        "uid": {"type": "string", "nullable": True, "format": "uuid"},
    },
}

#: GET /type-samples/1 on every backend
TYPE_SAMPLE_ROW = {
    "sqlite": {
        "id": 1,
        "smallInt": 7,
        "bigInt": 9007199254740993,
        "exact": 12.5,
        "realNum": 1.5,
        "doubleNum": 2.25,
        "floatNum": 3.5,
        "shortText": "short",
        "longText": "long text",
        "fixedText": "abc",
        "flag": True,
        "day": "2024-05-06",
        "moment": "2024-05-06T07:08:09.000Z",
        "stamp": "2024-05-06T07:08:09.250Z",
        "doc": {"a": [1, 2]},
        "bytes": "AP8=",
        "uid": TOKEN,
    },
    "postgresql": {
        "id": 1,
        "smallInt": 7,
        "plainInt": 8,
        "bigInt": 9007199254740993,
        "exact": 12.5,
        "realNum": 1.5,
        "doubleNum": 2.25,
        "shortText": "short",
        "longText": "long text",
        "fixedText": "abc",
        "flag": True,
        "day": "2024-05-06",
        "moment": "2024-05-06T07:08:09.000Z",
        "momentTz": "2024-05-06T05:08:09.250Z",
        "doc": {"a": [1, 2]},
        "docb": {"b": True},
        "bytes": "AP8=",
        "uid": TOKEN,
        "feeling": "happy",
    },
    "mariadb": {
        "id": 1,
        "tinyInt": 5,
        "smallInt": 7,
        "mediumInt": 70000,
        "plainInt": 8,
        "bigInt": 9007199254740993,
        "exact": 12.5,
        "floatNum": 1.5,
        "doubleNum": 2.25,
        "shortText": "short",
        "longText": "long text",
        "fixedText": "abc",
        "flag": True,
        "flag2": False,
        "day": "2024-05-06",
        "moment": "2024-05-06T07:08:09.000Z",
        "moment3": "2024-05-06T07:08:09.250Z",
        "stamp": "2024-05-06T07:08:09.000Z",
        "doc": {"a": [1, 2]},
        "bytes": "AP8=",
        "longBytes": "AQ==",
        "varBytes": "Ag==",
        "feeling": "happy",
        "uid": TOKEN,
    },
}


async def test_the_discovered_project_validates_with_a_model_per_table(shop: Shop) -> None:
    app, _raw = check(shop.project, env={})
    expected = dict(MODELS, Token="tokens") if shop.backend != "sqlite" else MODELS
    assert {name: model.table for name, model in app.models.items()} == expected
    assert app.datasources["db"].migrate == "none"  # type: ignore[union-attr]
    read_only = {name for name, model in app.models.items() if model.rest.readonly}
    assert read_only == {"AuditLog", "OpenOrder", "OrderLine"}
    assert sorted(shop.found.models.values()) == sorted(expected)
    validate_openapi(openapi_document(app))


async def test_every_column_type_maps_as_documented(shop: Shop) -> None:
    assert shop.model("TypeSample")["properties"] == TYPE_SAMPLES[shop.backend]
    assert shop.model("Customer")["properties"] == {
        "id": {"type": "integer", "id": True, "generated": True},
        "email": {"type": "string", "required": True, "maxLength": 120},
        "fullName": {"type": "string", "required": True, "maxLength": 80, "column": "full_name"},
        "vip": {"type": "boolean", "default": False},
        "joinedAt": {"type": "datetime", "default": "now", "column": "joined_at"},
    }
    assert shop.model("Customer")["indexes"] == {
        "byEmail": {"properties": ["email"], "unique": True}
    }
    if shop.backend != "sqlite":
        token = shop.model("Token")
        assert token["description"] == "Access tokens."
        assert token["properties"]["id"] == {
            "type": "string",
            "id": True,
            "generated": True,
            "format": "uuid",
        }
        assert token["properties"]["label"]["description"] == "Shown to people."
        time = "TIME WITHOUT TIME ZONE" if shop.backend == "postgresql" else "TIME"
        assert f"column type_samples.at_time skipped: {time} has no composer type" in (
            shop.found.notes
        )


async def test_keys_become_ids_and_read_only_models(shop: Shop) -> None:
    lines = shop.model("OrderLine")
    assert lines["rest"] == {"readonly": True}
    assert [name for name, prop in lines["properties"].items() if prop.get("id")] == [
        "orderId",
        "lineNo",
    ]
    audit = shop.model("AuditLog")
    assert audit["rest"] == {"readonly": True}
    assert not any(prop.get("id") for prop in audit["properties"].values())
    assert shop.model("OpenOrder")["rest"] == {"readonly": True}
    assert "AuditLog is served read-only (find and count): no primary key" in shop.found.notes
    assert (
        "OrderLine is served read-only (find and count): "
        "a composite primary key (order_id, line_no)"
    ) in shop.found.notes


async def test_foreign_keys_become_relations_both_ways(shop: Shop) -> None:
    assert shop.model("Order")["relations"] == {
        "customer": {"type": "belongsTo", "model": "Customer", "foreignKey": "customerId"},
        "orderLines": {"type": "hasMany", "model": "OrderLine", "foreignKey": "orderId"},
    }
    assert shop.model("Category")["relations"] == {
        "parent": {"type": "belongsTo", "model": "Category", "foreignKey": "parentId"},
        "categories": {"type": "hasMany", "model": "Category", "foreignKey": "parentId"},
        "products": {"type": "hasMany", "model": "Product", "foreignKey": "categoryId"},
    }
    product = shop.model("Product")["relations"]
    assert product["productRecommendations"] == {
        "type": "hasMany",
        "model": "Recommendation",
        "foreignKey": "productId",
    }
    assert product["recommendedRecommendations"] == {
        "type": "hasMany",
        "model": "Recommendation",
        "foreignKey": "recommendedId",
    }
    assert shop.model("Recommendation")["relations"] == {
        "product": {"type": "belongsTo", "model": "Product", "foreignKey": "productId"},
        "recommended": {"type": "belongsTo", "model": "Product", "foreignKey": "recommendedId"},
    }
    assert "relations" not in shop.model("LineNote")
    assert (
        "foreign key line_notes(order_id, line_no) -> order_lines skipped: "
        "composite foreign keys are not supported"
    ) in shop.found.notes
    assert (
        "recommendations has several foreign keys to products: "
        "Product.recommendedRecommendations follows recommended_id"
    ) in shop.found.notes


async def test_the_served_project_answers_with_the_rows_inserted(shop: Shop) -> None:
    async with served(shop.project) as client:
        assert await client.get("/type-samples/1") == (200, TYPE_SAMPLE_ROW[shop.backend])
        assert await client.get("/type-samples/2") == (
            200,
            {"id": 2, "feeling": "sad"} if shop.backend != "sqlite" else {"id": 2},
        )
        status, customers = await client.get("/customers")
        assert status == 200
        assert customers == [
            {
                "id": 1,
                "email": "ada@example.com",
                "fullName": "Ada",
                "vip": True,
                "joinedAt": "2024-01-02T03:04:05.000Z",
            },
            {
                "id": 2,
                "email": "bob@example.com",
                "fullName": "Bob",
                "vip": False,
                "joinedAt": "2024-02-03T04:05:06.000Z",
            },
        ]
        assert await client.get("/customers/2") == (200, customers[1])
        assert await client.get("/customers/9") == (
            404,
            {
                "error": {
                    "statusCode": 404,
                    "name": "Error",
                    "message": "Entity not found: Customer with id 9",
                    "code": "ENTITY_NOT_FOUND",
                }
            },
        )
        assert await client.get("/products", filter='{"where": {"price": {"gt": 1}}}') == (
            200,
            [{"id": 2, "sku": "BRD", "name": "Bread", "price": 2.25, "categoryId": 1}],
        )


async def test_read_only_models_count_in_key_order_and_have_no_id_routes(shop: Shop) -> None:
    async with served(shop.project) as client:
        assert await client.get("/audit-logs/count") == (200, {"count": 3})
        assert await client.get("/order-lines/count") == (200, {"count": 3})
        assert await client.get("/open-orders/count") == (200, {"count": 1})
        status, logs = await client.get("/audit-logs")
        assert status == 200
        assert [(log["happenedAt"], log["message"]) for log in logs] == [
            ("2024-03-04T09:00:00.000Z", "order 1 placed"),
            ("2024-03-04T10:00:00.000Z", "order 1 placed"),
            ("2024-03-05T10:00:00.000Z", "order 2 placed"),
        ]
        status, lines = await client.get("/order-lines", filter='{"order": ["quantity DESC"]}')
        assert [(line["orderId"], line["lineNo"]) for line in lines] == [(1, 1), (1, 2), (2, 1)]
        assert await client.get("/open-orders") == (
            200,
            [{"id": 1, "customerId": 1, "placedOn": "2024-03-04"}],
        )
        for path in ("/audit-logs/1", "/order-lines/1", "/open-orders/1", "/order-lines/1/order"):
            status, _body = await client.get(path)
            assert status in (404, 405), path
        status, _body = await client.post("/order-lines", {"orderId": 2, "lineNo": 2})
        assert status in (404, 405)


async def test_a_writable_discovered_model_creates_rows_with_its_defaults(shop: Shop) -> None:
    async with served(shop.project) as client:
        status, created = await client.post(
            "/customers", {"email": "cy@example.com", "fullName": "Cy"}
        )
        assert status == 200, created
        assert created["id"] == 3 and created["vip"] is False
        assert (await client.get("/customers/3"))[1]["email"] == "cy@example.com"
        if shop.backend != "sqlite":
            status, token = await client.post("/tokens", {"label": "second"})
            assert status == 200, token
            assert (await client.get(f"/tokens/{token['id']}")) == (200, token)
            assert await client.get(f"/tokens/{TOKEN}") == (200, {"id": TOKEN, "label": "first"})
    rows = await fetch(shop.url, shop.backend, "SELECT full_name FROM customers WHERE id = 3")
    assert [tuple(row) for row in rows] == [("Cy",)]


async def test_enum_and_uuid_columns_filter_by_their_values(shop: Shop) -> None:
    wheres = [
        f'{{"uid": "{TOKEN}"}}',
        f'{{"uid": {{"inq": ["{TOKEN}"]}}}}',
        '{"uid": {"like": "5f0c%"}}',
    ]
    if shop.backend != "sqlite":  # SQLite has no enum type
        wheres += [
            '{"feeling": "happy"}',
            '{"feeling": {"inq": ["happy"]}}',
            '{"feeling": {"like": "ha%"}}',
        ]
    async with served(shop.project) as client:
        fields = '"fields": ["id"]'
        for where in wheres:
            assert await client.get("/type-samples", filter=f'{{"where": {where}, {fields}}}') == (
                200,
                [{"id": 1}],
            ), where


async def test_include_follows_the_discovered_relations(shop: Shop) -> None:
    async with served(shop.project) as client:
        status, customers = await client.get("/customers", filter='{"include": ["orders"]}')
        assert status == 200, customers
        assert [len(customer.get("orders", [])) for customer in customers] == [2, 0]
        status, order = await client.get(
            "/orders/1", filter='{"include": ["customer", "orderLines"]}'
        )
        assert status == 200, order
        assert order["customer"]["fullName"] == "Ada"
        assert [line["lineNo"] for line in order["orderLines"]] == [1, 2]
        status, category = await client.get(
            "/categories/2", filter='{"include": ["parent", "products"]}'
        )
        assert status == 200, category
        assert category["parent"]["name"] == "Food"
        assert [product["sku"] for product in category["products"]] == ["APL"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_tables_limits_what_is_discovered(backend: str, tmp_path: Path) -> None:
    async with isolated_database(backend, tmp_path) as url:
        await create(url, backend)
        found = await discover(url, tables=["orders", "customers"])
        assert found.models == {"customers": "Customer", "orders": "Order"}
        with pytest.raises(ComposerError, match="unknown table 'nope'"):
            await discover(url, tables=["nope"])
        with pytest.raises(ComposerError, match="'open_orders' is a view: add --views"):
            await discover(url, tables=["open_orders"])


@pytest.mark.parametrize("backend", ["postgresql", "mariadb"])
async def test_schema_picks_the_schema_or_database_read(backend: str, tmp_path: Path) -> None:
    async with isolated_database(backend, tmp_path) as url:
        await create(url, backend)
        name = url.rsplit("/", 1)[1] if backend == "mariadb" else url.split("//")[1].split("@")[0]
        other = url.rsplit("/", 1)[0] + "/test" if backend == "mariadb" else url
        found = await discover(other, schema=name, tables=["customers"])
        assert found.models == {"customers": "Customer"}
        assert url in found.files["datasources/db.yaml"]
        with pytest.raises(ComposerError, match="unknown schema 'nope'"):
            await discover(other, schema="nope")


async def test_an_unreachable_database_is_one_error_without_its_password() -> None:
    with pytest.raises(ConnectorError) as caught:
        await discover("postgresql://app:s3cret@127.0.0.1:1/shop")
    assert "s3cret" not in str(caught.value)
    assert "127.0.0.1" in str(caught.value)
