"""Inherited properties, the id property, relation keys with LoopBack's defaults."""

from __future__ import annotations

from composer.spec import (
    AppSpec,
    ModelSpec,
    PropertySpec,
    RelationKeys,
    base_chain,
    effective_properties,
    id_property,
    relation_keys,
)
from tests.unit.spec.conftest import Manifests

IDENT = PropertySpec(type="integer", id=True)


def _app(**models: ModelSpec) -> AppSpec:
    return AppSpec(api_version="composer/v1", name="a", models=models)


def test_effective_properties_put_the_base_first_and_let_the_model_override() -> None:
    app = _app(
        Entity=ModelSpec(properties={"id": IDENT, "note": PropertySpec(type="string")}),
        Stamped=ModelSpec(base="Entity", properties={"at": PropertySpec(type="datetime")}),
        Todo=ModelSpec(
            base="Stamped",
            properties={"title": PropertySpec(type="string"), "note": PropertySpec(type="any")},
        ),
    )
    properties = effective_properties(app, "Todo")
    assert list(properties) == ["id", "note", "at", "title"]
    assert properties["note"].type == "any"
    assert base_chain(app, "Todo") == ("Entity", "Stamped", "Todo")


def test_an_inherited_id_is_the_models_id() -> None:
    app = _app(Entity=ModelSpec(properties={"id": IDENT}), Todo=ModelSpec(base="Entity"))
    assert id_property(app, "Todo") == ("id", IDENT)


def test_a_model_without_an_id_has_none() -> None:
    assert id_property(_app(Todo=ModelSpec()), "Todo") is None


def test_a_base_cycle_does_not_loop() -> None:
    app = _app(A=ModelSpec(base="B"), B=ModelSpec(base="A"))
    assert base_chain(app, "A") == ("B", "A")


def test_relation_keys_take_loopbacks_defaults(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Customer:
            properties:
              id: {type: integer, id: true}
              accountIds: {type: array, items: integer}
            relations:
              orders: {type: hasMany, model: Order}
              profile: {type: hasOne, model: Profile}
              accounts: {type: referencesMany, model: Account}
              doctors: {type: hasMany, model: Doctor, through: {model: Appointment}}
          Order:
            properties:
              id: {type: integer, id: true}
              customerId: integer
            relations:
              customer: {type: belongsTo, model: Customer}
          Profile:
            properties: {id: {type: integer, id: true}, customerId: integer}
          Account:
            properties: {id: {type: integer, id: true}}
          Doctor:
            properties: {id: {type: integer, id: true}}
          Appointment:
            properties: {id: {type: integer, id: true}, customerId: integer, doctorId: integer}
        """
    )
    assert relation_keys(app, "Order", "customer") == RelationKeys("customerId", "id")
    assert relation_keys(app, "Customer", "orders") == RelationKeys("id", "customerId")
    assert relation_keys(app, "Customer", "profile") == RelationKeys("id", "customerId")
    assert relation_keys(app, "Customer", "accounts") == RelationKeys("accountIds", "id")
    assert relation_keys(app, "Customer", "doctors") == RelationKeys(
        "id", "id", "customerId", "doctorId"
    )


def test_relation_keys_given_in_the_manifest_win(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          User:
            properties: {id: {type: string, id: true}, email: string}
          Post:
            properties: {id: {type: integer, id: true}, authorEmail: string}
            relations:
              author: {type: belongsTo, model: User, foreignKey: authorEmail, keyTo: email}
        """
    )
    assert relation_keys(app, "Post", "author") == RelationKeys("authorEmail", "email")
