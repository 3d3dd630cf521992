"""Names of discovered models, properties and relations."""

from __future__ import annotations

import pytest

from composer.discover.naming import (
    belongs_to_name,
    distinct,
    has_many_name,
    has_one_name,
    model_name,
    property_name,
    singular,
)


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("orders", "order"),
        ("categories", "category"),
        ("addresses", "address"),
        ("boxes", "box"),
        ("matches", "match"),
        ("wishes", "wish"),
        ("buzzes", "buzz"),
        ("people", "person"),
        ("children", "child"),
        ("statuses", "status"),
        ("movies", "movie"),
        ("houses", "house"),
        ("status", "status"),
        ("address", "address"),
        ("analysis", "analysis"),
        ("data", "data"),
        ("person", "person"),
        ("us", "us"),
    ],
)
def test_the_last_word_of_a_table_is_made_singular(plural: str, expected: str) -> None:
    assert singular(plural) == expected


@pytest.mark.parametrize(
    ("table", "model"),
    [
        ("order_lines", "OrderLine"),
        ("people", "Person"),
        ("OrderLines", "OrderLine"),
        ("tbl_customer", "TblCustomer"),
        ("HTTPRequests", "HttpRequest"),
        ("audit_log", "AuditLog"),
        ("_2024", "Table2024"),
    ],
)
def test_a_table_becomes_a_singular_pascal_case_model(table: str, model: str) -> None:
    assert model_name(table) == model


@pytest.mark.parametrize(
    ("column", "prop"),
    [
        ("customer_id", "customerId"),
        ("CreatedAt", "createdAt"),
        ("ID", "id"),
        ("is_vip", "isVip"),
        ("_2fa", "_2fa"),
        ("x", "x"),
    ],
)
def test_a_column_becomes_a_camel_case_property(column: str, prop: str) -> None:
    assert property_name(column) == prop


def test_a_belongs_to_is_named_after_its_key_column_without_its_id_word() -> None:
    assert [belongs_to_name(c) for c in ("customer_id", "parentId", "billing_address_id")] == [
        "customer",
        "parent",
        "billingAddress",
    ]
    assert [belongs_to_name(c) for c in ("id", "owner", "paid")] == [None, None, None]


def test_parent_relations_are_the_child_model_in_camel_case() -> None:
    assert has_many_name("OrderLine") == "orderLines"
    assert has_many_name("Address") == "addresses"
    assert has_one_name("CustomerProfile") == "customerProfile"


def test_a_taken_name_gives_way_to_the_next_candidate_then_a_number() -> None:
    taken = {"customer", "buyer", "customer2"}.__contains__
    assert distinct(["customer", "buyer"], taken) == "customer3"
    assert distinct(["customer", "client"], taken) == "client"
