"""Tables, keys and foreign keys as model definitions: names, ids, read-only models, relations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import types as sql

from composer.discover.models import DiscoveredModel, build_models
from composer.discover.reflection import Column, Database, ForeignKey, Table
from composer.discover.relations import add_relations

ID = Column("id", sql.Integer(), False, autoincrement=True)


def _int(name: str, *, nullable: bool = False) -> Column:
    return Column(name, sql.Integer(), nullable)


def _models(*tables: Table) -> tuple[dict[str, DiscoveredModel], list[str]]:
    notes: list[str] = []
    models = build_models(Database("postgresql", "public", tables), "db", notes)
    add_relations(models, notes)
    return models, notes


def _relations(model: DiscoveredModel) -> dict[str, Any]:
    relations: dict[str, Any] = model.body.get("relations", {})
    return relations


def test_a_table_becomes_a_model_with_its_table_and_columns_kept() -> None:
    table = Table(
        "people",
        (
            ID,
            Column("full_name", sql.String(80), False, comment="as written"),
            _int("age", nullable=True),
        ),
        ("id",),
        comment="Everyone.",
    )
    models, notes = _models(table)
    assert models["Person"].body == {
        "datasource": "db",
        "table": "people",
        "description": "Everyone.",
        "properties": {
            "id": {"type": "integer", "id": True, "generated": True},
            "fullName": {
                "type": "string",
                "required": True,
                "maxLength": 80,
                "description": "as written",
                "column": "full_name",
            },
            "age": {"type": "integer", "nullable": True},
        },
        "rest": {"path": "/people"},
    }
    assert notes == []


def test_unsafe_names_and_unmapped_columns_are_left_out_with_a_note() -> None:
    odd = Table("odd table", (ID,), ("id",))
    items = Table(
        "items",
        (ID, Column("first name", sql.String(), True), Column("span", sql.Interval(), True)),
        ("id",),
    )
    models, notes = _models(odd, items)
    assert list(models) == ["Item"]
    assert list(models["Item"].property_bodies) == ["id"]
    assert notes == [
        "table 'odd table' skipped: its name is not a safe identifier",
        "column items.first name skipped: its name is not a safe identifier",
        "column items.span skipped: INTERVAL has no composer type",
    ]


def test_clashing_model_and_property_names_get_distinct_ones() -> None:
    models, notes = _models(
        Table("order", (ID,), ("id",)),
        Table("orders", (ID, _int("customer_id"), _int("customerId")), ("id",)),
    )
    assert list(models) == ["Order", "Orders"]
    assert list(models["Orders"].property_bodies) == ["id", "customerId", "customerId2"]
    assert models["Orders"].property_bodies["customerId2"]["column"] == "customerId"
    assert notes == ["table 'orders': model 'Order' is taken, named 'Orders'"]


def test_tables_without_one_id_are_read_only() -> None:
    models, _notes = _models(
        Table("log", (Column("at", sql.DateTime(), False), _int("n")), ()),
        Table("lines", (_int("order_id"), _int("line_no")), ("order_id", "line_no")),
        Table("days", (Column("day", sql.Date(), False), _int("n")), ("day",)),
        Table("totals", (ID, Column("twice", sql.Integer(), True, computed=True)), ("id",)),
        Table("recent", (_int("id"),), (), view=True),
    )
    assert {name: model.body.get("rest") for name, model in models.items()} == {
        "Log": {"readonly": True},
        "Line": {"readonly": True},
        "Day": {"readonly": True},
        "Total": {"readonly": True},
        "Recent": {"readonly": True},
    }
    assert {name: model.readonly for name, model in models.items()} == {
        "Log": ["no primary key"],
        "Line": ["a composite primary key (order_id, line_no)"],
        "Day": ["the primary key day is a date, which cannot be an id"],
        "Total": ["the database computes column twice"],
        "Recent": ["a view"],
    }
    assert models["Line"].property_bodies["orderId"] == {
        "type": "integer",
        "id": True,
        "required": True,
        "column": "order_id",
    }
    assert models["Total"].id_column == "id"
    assert models["Recent"].property_bodies["id"] == {"type": "integer"}


def test_unique_keys_become_unique_indexes_but_the_primary_key_does_not() -> None:
    table = Table(
        "users",
        (ID, Column("email", sql.String(), False), _int("org_id"), _int("number")),
        ("id",),
        unique=(("id",), ("email",), ("org_id", "number")),
    )
    models, _notes = _models(table)
    assert models["User"].body["indexes"] == {
        "byEmail": {"properties": ["email"], "unique": True},
        "byOrgIdNumber": {"properties": ["orgId", "number"], "unique": True},
    }


def test_a_unique_foreign_key_is_a_has_one_and_a_key_to_a_unique_column_names_it() -> None:
    customers = Table(
        "customers", (ID, Column("code", sql.String(8), False)), ("id",), unique=(("code",),)
    )
    profiles = Table(
        "customer_profiles",
        (ID, Column("customer_code", sql.String(8), False)),
        ("id",),
        (ForeignKey(("customer_code",), "customers", ("code",)),),
        unique=(("customer_code",),),
    )
    models, notes = _models(customers, profiles)
    assert _relations(models["CustomerProfile"]) == {
        "customer": {
            "type": "belongsTo",
            "model": "Customer",
            "foreignKey": "customerCode",
            "keyTo": "code",
        }
    }
    assert notes == []
    assert _relations(models["Customer"]) == {
        "customerProfile": {
            "type": "hasOne",
            "model": "CustomerProfile",
            "foreignKey": "customerCode",
            "keyFrom": "code",
        }
    }


def test_a_relation_named_like_a_property_takes_another_name() -> None:
    customers = Table("customers", (ID,), ("id",))
    orders = Table(
        "orders",
        (ID, Column("customer", sql.String(), True), _int("customer_id")),
        ("id",),
        (ForeignKey(("customer_id",), "customers", ("id",)),),
    )
    models, notes = _models(customers, orders)
    assert list(_relations(models["Order"])) == ["customer2"]
    assert notes == [
        "Order: relation 'customer' would clash with a property or relation, named 'customer2'"
    ]


def test_keys_that_cannot_be_relations_are_skipped_with_a_note() -> None:
    tags = Table("tags", (Column("code", sql.String(), False),), ("code",))
    items = Table(
        "items",
        (ID, _int("tag_id"), _int("a"), _int("b"), _int("owner_id")),
        ("id",),
        (
            ForeignKey(("tag_id",), "tags", ("code",)),
            ForeignKey(("a", "b"), "pairs", ("a", "b")),
            ForeignKey(("owner_id",), "owners", ("id",)),
            ForeignKey(("owner_id",), "users", ("id",), schema="auth"),
        ),
    )
    models, notes = _models(tags, items)
    assert "relations" not in models["Item"].body
    assert notes == [
        "foreign key items(tag_id) -> tags skipped: tag_id is an integer, code a string",
        "foreign key items(a, b) -> pairs skipped: composite foreign keys are not supported",
        "foreign key items(owner_id) -> owners skipped: table owners is not discovered",
        "foreign key items(owner_id) -> users skipped: table auth.users is not discovered",
    ]
