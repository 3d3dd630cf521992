"""Model schemas in the OpenAPI document, as LoopBack's getModelSchemaRef builds them."""

from __future__ import annotations

from composer.rest.model_schema import model_schema, property_schema
from composer.spec import ModelSpec, PropertySpec
from tests.unit.rest.conftest import app_spec

#: what every string schema refuses: NUL characters (no database stores them)
STORABLE = "^[^\\u0000]*$"
#: the dates and date-times every backend stores: years 1 to 9999, in UTC for a date-time
DATE_RANGE = "^(?!0000-)"
DATETIME_RANGE = (
    "^(?!0000-)(?!0001-01-01[Tt ].*\\+(?!00(?::?00)?$))(?!9999-12-31[Tt ].*-(?!00(?::?00)?$))"
)

TODO = ModelSpec(
    datasource="db",
    description="Something to do",
    properties={
        "id": PropertySpec(type="integer", id=True, generated=True),
        "title": PropertySpec(
            type="string", required=True, min_length=1, max_length=80, description="what"
        ),
        "priority": PropertySpec(type="integer", minimum=1, maximum=5, default=3),
        "state": PropertySpec(type="string", enum=("open", "done")),
        "code": PropertySpec(type="string", pattern="^[A-Z]+$"),
        "secret": PropertySpec(type="string", hidden=True),
        "internal": PropertySpec(type="string"),
    },
    hidden=("internal",),
)


def test_a_model_schema_is_exact() -> None:
    assert model_schema(app_spec(models={"Todo": TODO}), "Todo") == {
        "title": "Todo",
        "type": "object",
        "description": "Something to do",
        "properties": {
            "id": {
                "type": "integer",
                "minimum": -(2**63),
                "maximum": 2**63 - 1,
                "readOnly": True,
            },
            "title": {
                "type": "string",
                "description": "what",
                "minLength": 1,
                "maxLength": 80,
                "pattern": STORABLE,
            },
            "priority": {"type": "integer", "default": 3, "minimum": 1, "maximum": 5},
            "state": {"type": "string", "enum": ["open", "done"]},
            "code": {"type": "string", "pattern": "^[A-Z]+$", "allOf": [{"pattern": STORABLE}]},
        },
        "required": ["title"],
        "additionalProperties": False,
    }


def test_the_new_schema_leaves_out_generated_ids() -> None:
    schema = model_schema(app_spec(models={"Todo": TODO}), "Todo", new=True)
    assert schema["title"] == "NewTodo"
    assert list(schema["properties"]) == ["title", "priority", "state", "code"]


def test_an_id_the_client_gives_stays_in_the_new_schema() -> None:
    tag = ModelSpec(datasource="db", properties={"code": PropertySpec(type="string", id=True)})
    schema = model_schema(app_spec(models={"Tag": tag}), "Tag", new=True)
    assert schema["properties"] == {"code": {"type": "string", "pattern": STORABLE}}


def test_an_open_model_allows_additional_properties() -> None:
    note = ModelSpec(
        datasource="db", strict=False, properties={"id": PropertySpec(type="integer", id=True)}
    )
    assert "additionalProperties" not in model_schema(app_spec(models={"Note": note}), "Note")


def test_inherited_properties_and_hidden_lists_apply() -> None:
    base = ModelSpec(
        properties={
            "id": PropertySpec(type="integer", id=True),
            "password": PropertySpec(type="string"),
        },
        hidden=("password",),
    )
    user = ModelSpec(
        base="Base", datasource="db", properties={"email": PropertySpec(type="string")}
    )
    schema = model_schema(app_spec(models={"Base": base, "User": user}), "User")
    assert list(schema["properties"]) == ["id", "email"]


def test_each_property_type_maps_to_json_schema() -> None:
    cases = {
        "string": {"type": "string", "pattern": STORABLE},
        "number": {"type": "number"},
        "integer": {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1},
        "boolean": {"type": "boolean"},
        "date": {"type": "string", "format": "date", "pattern": DATE_RANGE},
        "datetime": {"type": "string", "format": "date-time", "pattern": DATETIME_RANGE},
        "buffer": {"type": "string", "format": "byte"},
        "object": {"type": "object"},
        "array": {"type": "array", "items": {}},
        "any": {},
    }
    for type_, schema in cases.items():
        assert property_schema(PropertySpec(type=type_)) == schema  # type: ignore[arg-type]


def test_an_array_has_its_items_schema_and_item_counts() -> None:
    tags = PropertySpec(
        type="array", items=PropertySpec(type="string", max_length=10), min_length=1, max_length=5
    )
    assert property_schema(tags) == {
        "type": "array",
        "items": {"type": "string", "maxLength": 10, "pattern": STORABLE},
        "minItems": 1,
        "maxItems": 5,
    }


def test_generated_defaults_are_not_shown_as_literal_defaults() -> None:
    assert property_schema(PropertySpec(type="datetime", default="now")) == {
        "type": "string",
        "format": "date-time",
        "pattern": DATETIME_RANGE,
    }
    assert property_schema(PropertySpec(type="string", default="uuid")) == {
        "type": "string",
        "pattern": STORABLE,
    }
    assert property_schema(PropertySpec(type="string", default="now")) == {
        "type": "string",
        "default": "now",
        "pattern": STORABLE,
    }


def test_a_format_annotation_overrides_the_type_s_format() -> None:
    assert property_schema(PropertySpec(type="string", format="email")) == {
        "type": "string",
        "format": "email",
        "pattern": STORABLE,
    }


def test_a_string_refuses_nul_with_its_own_pattern_kept_apart() -> None:
    code = PropertySpec(type="string", pattern="^[A-Z]*$", nullable=True)
    assert property_schema(code) == {
        "type": "string",
        "pattern": "^[A-Z]*$",
        "allOf": [{"pattern": STORABLE}],
        "nullable": True,
    }


def test_an_enum_of_storable_strings_needs_no_storable_pattern() -> None:
    assert property_schema(PropertySpec(type="string", enum=("a", "b"))) == {
        "type": "string",
        "enum": ["a", "b"],
    }
    assert property_schema(PropertySpec(type="string", enum=("a", "b\x00"))) == {
        "type": "string",
        "enum": ["a", "b\x00"],
        "pattern": STORABLE,
    }


def test_the_partial_schema_requires_nothing_and_keeps_the_id_read_only() -> None:
    schema = model_schema(app_spec(models={"Todo": TODO}), "Todo", partial=True)
    assert schema["title"] == "TodoPartial"
    assert "required" not in schema
    assert schema["properties"]["id"]["readOnly"] is True


def test_a_nullable_property_admits_null_and_a_title_can_be_given() -> None:
    note = ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="integer", id=True),
            "due": PropertySpec(type="date", nullable=True),
        },
    )
    schema = model_schema(app_spec(models={"Note": note}), "Note", title="NoteWithRelations")
    assert schema["title"] == "NoteWithRelations"
    assert schema["properties"]["due"] == {
        "type": "string",
        "format": "date",
        "pattern": "^(?!0000-)",
        "nullable": True,
    }


def test_a_generated_id_the_client_may_set_stays_in_the_new_schema() -> None:
    tag = ModelSpec(
        datasource="db",
        force_id=False,
        properties={"id": PropertySpec(type="integer", id=True, generated=True)},
    )
    schema = model_schema(app_spec(models={"Tag": tag}), "Tag", new=True)
    assert list(schema["properties"]) == ["id"]
    assert "readOnly" not in schema["properties"]["id"]
