"""Bounds, defaults and enums of the property's type, patterns, ids, hidden and index names."""

from __future__ import annotations

import pytest

from composer.spec import PropertySpec
from composer.spec.checks.properties import fits_type, pattern_problem
from tests.unit.spec.conftest import Manifests

HEAD = """\
apiVersion: composer/v1
name: gallery
datasources:
  db: {connector: memory}
models:
"""


def test_a_lower_bound_above_the_upper_bound_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Item:
    properties:
      count: {type: integer, minimum: 10, maximum: 1}
      code: {type: string, minLength: 5, maxLength: 2}
"""
    )
    assert errors == (
        "composer.yaml:8:39: error[CMP112] models.Item.properties.count.minimum: "
        "minimum 10 is above maximum 1\n"
        "composer.yaml:9:39: error[CMP112] models.Item.properties.code.minLength: "
        "minLength 5 is above maxLength 2"
    )


def test_defaults_and_enum_values_must_be_of_the_property_type(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Item:
    properties:
      title: {type: string, default: 3}
      size: {type: integer, enum: [1, two]}
      level: {type: integer, enum: [1, 2], default: 3}
      due: {type: date, default: tomorrow}
      rank: {type: number, maximum: 10, default: 11}
      createdAt: {type: datetime, default: now}
      key: {type: string, default: uuid}
"""
    )
    assert errors == (
        "composer.yaml:8:38: error[CMP113] models.Item.properties.title.default: "
        "default 3 is not of type string\n"
        "composer.yaml:9:39: error[CMP113] models.Item.properties.size.enum[1]: "
        "enum value 'two' is not of type integer\n"
        "composer.yaml:10:53: error[CMP113] models.Item.properties.level.default: "
        "default 3 is not one of the enum values\n"
        "composer.yaml:11:34: error[CMP113] models.Item.properties.due.default: "
        "default 'tomorrow' is not of type date\n"
        "  hint: use now or YYYY-MM-DD\n"
        "composer.yaml:12:50: error[CMP113] models.Item.properties.rank.default: "
        "default 11 is above maximum 10"
    )


def test_a_pattern_must_compile_in_the_request_validation_engine(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Item:
    properties:
      code: {type: string, pattern: "^(?!admin)"}
      other: {type: string, pattern: "(unclosed"}
"""
    )
    assert errors == (
        "composer.yaml:8:37: error[CMP114] models.Item.properties.code.pattern: "
        "pattern does not compile: "
        "look-around, including look-ahead and look-behind, is not supported\n"
        "  hint: patterns use Rust regex syntax: no look-around, no backreferences\n"
        "composer.yaml:9:38: error[CMP114] models.Item.properties.other.pattern: "
        "pattern does not compile: unclosed group\n"
        "  hint: patterns use Rust regex syntax: no look-around, no backreferences"
    )


def test_an_option_that_does_not_apply_to_the_type_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Item:
    properties:
      title: {type: string, minimum: 1}
      count: {type: integer, pattern: "^[0-9]+$"}
"""
    )
    assert errors == (
        "composer.yaml:8:38: error[CMP129] models.Item.properties.title.minimum: "
        "minimum applies only to number and integer properties, not string\n"
        "composer.yaml:9:39: error[CMP129] models.Item.properties.count.pattern: "
        "pattern applies only to string properties, not integer"
    )


def test_a_served_model_without_an_id_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD + "  Item:\n    datasource: db\n    properties: {name: string}\n"
    )
    assert errors == (
        "composer.yaml:6:3: error[CMP115] models.Item: "
        "model 'Item' is served over REST but has no id property\n"
        "  hint: mark one property 'id: true' "
        "(e.g. id: {type: integer, id: true, generated: true}), set rest: false, "
        "or serve it read-only (rest: {readonly: true})"
    )


def test_a_model_that_is_not_served_needs_no_id(manifests: Manifests) -> None:
    app = manifests.spec(HEAD + "  Item:\n    datasource: db\n    rest: false\n")
    assert app.models["Item"].rest.exposed is False


def test_a_read_only_model_may_have_no_id_or_a_composite_key(manifests: Manifests) -> None:
    app = manifests.spec(
        HEAD
        + """\
  Log:
    datasource: db
    rest: {readonly: true}
    properties: {message: string}
  Line:
    datasource: db
    rest: {readonly: true}
    properties:
      orderId: {type: integer, id: true}
      day: {type: date, id: true}
"""
    )
    assert [name for name, prop in app.models["Line"].properties.items() if prop.id] == [
        "orderId",
        "day",
    ]
    errors = manifests.errors(HEAD + "  Log:\n    datasource: db\n    rest: {readonly: true}\n")
    assert errors == (
        "composer.yaml:6:3: error[CMP115] models.Log: "
        "model 'Log' is served read-only but has no properties\n"
        "  hint: declare its properties (the columns to read)"
    )


def test_a_hidden_id_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Item:
    datasource: db
    properties: {id: {type: integer, id: true}}
    hidden: [id]
"""
    )
    assert errors == (
        "composer.yaml:8:18: error[CMP115] models.Item.properties.id: "
        "id property 'id' of 'Item' is hidden\n"
        "  hint: clients need the id to address an instance: do not hide it"
    )


def test_an_id_of_a_type_that_cannot_address_an_instance_is_rejected(
    manifests: Manifests,
) -> None:
    errors = manifests.errors(
        HEAD + "  Item:\n    datasource: db\n    properties: {id: {type: object, id: true}}\n"
    )
    assert errors == (
        "composer.yaml:8:29: error[CMP115] models.Item.properties.id.type: "
        "id property 'id' of 'Item' has type object\n"
        "  hint: an id is one of: string, integer, number"
    )


def test_more_than_one_id_is_rejected_at_the_second(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Base:
    properties: {id: {type: integer, id: true}}
  Item:
    base: Base
    datasource: db
    properties: {code: {type: string, id: true}}
"""
    )
    assert errors == (
        "composer.yaml:11:43: error[CMP128] models.Item.properties.code.id: "
        "model 'Item' has more than one id property: id, code\n"
        "  hint: keep 'id: true' on one property; a composite key is allowed only on a "
        "read-only model (rest: {readonly: true})"
    )


def test_hidden_and_index_names_must_be_properties(manifests: Manifests) -> None:
    errors = manifests.errors(
        HEAD
        + """\
  Item:
    properties: {email: string, name: string}
    hidden: [emial]
    indexes:
      byName: {properties: [name, age], unique: true}
"""
    )
    assert errors == (
        "composer.yaml:8:14: error[CMP130] models.Item.hidden[0]: unknown property 'emial'\n"
        "  hint: did you mean 'email'? properties of Item: email, name\n"
        "composer.yaml:10:35: error[CMP130] models.Item.indexes.byName.properties[1]: "
        "unknown property 'age'\n"
        "  hint: properties of Item: email, name"
    )


@pytest.mark.parametrize(
    ("prop", "value", "fits"),
    [
        (PropertySpec(type="integer"), 1, True),
        (PropertySpec(type="integer"), True, False),
        (PropertySpec(type="number"), 1.5, True),
        (PropertySpec(type="date"), "2024-02-29", True),
        (PropertySpec(type="date"), "2024-02-30", False),
        (PropertySpec(type="datetime"), "2024-01-01T10:00:00Z", True),
        (PropertySpec(type="array", items=PropertySpec(type="string")), ["a", 1], False),
        (PropertySpec(type="any"), object(), True),
    ],
)
def test_fits_type(prop: PropertySpec, value: object, fits: bool) -> None:
    assert fits_type(prop, value) is fits


def test_a_pattern_the_engine_accepts_has_no_problem() -> None:
    assert pattern_problem(r"^[A-Z]{2}-\d+$") is None
