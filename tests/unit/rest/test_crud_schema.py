"""The OpenAPI side of the CRUD routes: schemas, parameters, bodies, responses, validity."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from openapi_spec_validator import validate

from composer import manifest, spec
from composer.repository.coercion import INTEGER_TEXT, NUMBER_TEXT
from composer.repository.formats import DATE_RANGE, DATETIME_RANGE
from composer.rest import openapi_document
from composer.rest.crud import crud_routes
from composer.rest.crud_schema import (
    COUNT_SCHEMA,
    ERROR_SCHEMA,
    crud_components,
    filter_schema,
    where_schema,
)
from composer.spec import AppSpec, ModelRestSpec, ModelSpec, PaginationSpec, PropertySpec, RestSpec

TODO_EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "todo"
INT64 = {"minimum": -(2**63), "maximum": 2**63 - 1}
#: what every string schema of the document refuses: NUL characters
STORABLE = {"pattern": "^[^\\u0000]*$"}
TAG = ModelSpec(
    datasource="db",
    properties={
        "id": PropertySpec(type="integer", id=True, generated=True),
        "label": PropertySpec(type="string", required=True),
        "meta": PropertySpec(type="object"),
        "secret": PropertySpec(type="string", hidden=True),
    },
)


def app(**models: ModelSpec) -> AppSpec:
    return AppSpec(api_version="composer/v1", name="a", models=models or {"Tag": TAG})


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def todo_document() -> dict[str, Any]:
    return openapi_document(spec.validate(manifest.load(TODO_EXAMPLE, env={})))


def test_the_todo_example_document_is_valid_openapi_and_deterministic() -> None:
    document = todo_document()
    validate(document)
    assert orjson.dumps(document) == orjson.dumps(todo_document())
    assert document["servers"] == [{"url": "/"}]


def test_every_crud_route_of_the_todo_example_is_documented_loopback_style() -> None:
    paths = todo_document()["paths"]
    operations = {
        (path, method): operation["operationId"]
        for path, methods in paths.items()
        for method, operation in methods.items()
        if operation["operationId"].startswith("TodoController.")
    }
    assert operations == {
        ("/todos", "get"): "TodoController.find",
        ("/todos", "post"): "TodoController.create",
        ("/todos", "patch"): "TodoController.updateAll",
        ("/todos/count", "get"): "TodoController.count",
        ("/todos/{id}", "get"): "TodoController.findById",
        ("/todos/{id}", "patch"): "TodoController.updateById",
        ("/todos/{id}", "put"): "TodoController.replaceById",
        ("/todos/{id}", "delete"): "TodoController.deleteById",
    }
    find = paths["/todos"]["get"]
    assert find["tags"] == ["TodoController"]
    assert find["parameters"] == [
        {
            "name": "filter",
            "in": "query",
            "required": False,
            "content": {"application/json": {"schema": ref("Todo.Filter")}},
        },
        {
            "name": "Prefer",
            "in": "header",
            "required": False,
            "description": "`count=exact` asks for the `X-Total-Count` response header: how "
            "many instances match the filter's `where`, whatever its `limit` and `skip`.",
            "schema": {"type": "string"},
        },
    ]
    ok = find["responses"]["200"]
    assert ok["content"] == {
        "application/json": {"schema": {"type": "array", "items": ref("TodoWithRelations")}}
    }
    assert ok["headers"]["X-Total-Count"]["schema"] == {"type": "integer", "minimum": 0}
    assert sorted(find["responses"]) == ["200", "400", "414", "503"]
    assert find["responses"]["400"]["content"] == {"application/json": {"schema": ref("Error")}}


def test_bodies_ids_and_answers_of_the_todo_example_are_loopback_s() -> None:
    paths = todo_document()["paths"]
    create = paths["/todos"]["post"]
    assert create["requestBody"] == {
        "required": True,
        "content": {"application/json": {"schema": ref("NewTodo")}},
    }
    assert create["responses"]["200"]["content"] == {"application/json": {"schema": ref("Todo")}}
    assert paths["/todos"]["patch"]["requestBody"] == {
        "required": False,
        "content": {"application/json": {"schema": ref("TodoPartial")}},
    }
    assert paths["/todos"]["patch"]["parameters"][0]["content"] == {
        "application/json": {"schema": ref("Todo.WhereFilter")}
    }
    by_id = paths["/todos/{id}"]
    assert by_id["put"]["requestBody"]["content"] == {"application/json": {"schema": ref("Todo")}}
    assert by_id["patch"]["requestBody"]["content"] == {
        "application/json": {"schema": {"allOf": [ref("TodoPartial")], "minProperties": 1}}
    }
    assert by_id["delete"]["parameters"] == [
        {
            "name": "id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer", **INT64},
        }
    ]
    assert by_id["get"]["parameters"][1]["content"] == {
        "application/json": {"schema": ref("Todo.FilterExcludingWhere")}
    }
    for method in ("patch", "put", "delete"):
        assert by_id[method]["responses"]["204"] == {
            "description": f"Todo {method.upper()} success"
        }
        assert "404" in by_id[method]["responses"]
    assert paths["/todos/count"]["get"]["responses"]["200"]["content"] == {
        "application/json": {"schema": ref("loopback.Count")}
    }


def test_a_model_brings_its_crud_components() -> None:
    components = crud_components(app(), "Tag")
    assert list(components) == [
        "Tag",
        "NewTag",
        "TagPartial",
        "TagWithRelations",
        "Tag.WhereFilter",
        "Tag.Filter",
        "Tag.FilterExcludingWhere",
        "loopback.Count",
        "Error",
    ]
    assert components["Tag"] == {
        "title": "Tag",
        "type": "object",
        "properties": {
            "id": {"type": "integer", **INT64, "readOnly": True},
            "label": {"type": "string", **STORABLE},
            "meta": {"type": "object"},
        },
        "required": ["label"],
        "additionalProperties": False,
    }
    assert components["TagWithRelations"]["title"] == "TagWithRelations"
    assert "required" not in components["TagWithRelations"]
    assert components["loopback.Count"] == COUNT_SCHEMA
    assert components["Error"] == ERROR_SCHEMA


def test_the_where_schema_lists_comparable_properties_operators_and_nesting() -> None:
    schema = where_schema(app(), "Tag")
    assert sorted(schema["properties"]) == ["and", "id", "label", "or"]
    assert schema["properties"]["and"] == {"type": "array", "items": ref("Tag.WhereFilter")}
    value, operators = schema["properties"]["label"]["anyOf"]
    assert value == {
        "anyOf": [
            {"type": "string", **STORABLE, "nullable": True},
            {"type": "number", "description": "compared as its JSON text"},
            {"type": "boolean", "description": "compared as its JSON text"},
        ]
    }
    assert sorted(operators["properties"]) == [
        "between",
        "eq",
        "exists",
        "gt",
        "gte",
        "ilike",
        "inq",
        "like",
        "lt",
        "lte",
        "neq",
        "nilike",
        "nin",
        "nlike",
        "regexp",
    ]
    assert operators["minProperties"] == 1
    string = {
        "anyOf": [
            {"type": "string", **STORABLE},
            {"type": "number", "description": "compared as its JSON text"},
            {"type": "boolean", "description": "compared as its JSON text"},
        ]
    }
    assert operators["properties"]["gt"] == string
    assert operators["properties"]["between"] == {
        "type": "array",
        "items": string,
        "minItems": 2,
        "maxItems": 2,
    }
    assert operators["properties"]["inq"] == {"type": "array", "items": string, "maxItems": 1000}
    assert operators["properties"]["nin"] == operators["properties"]["inq"]
    regexp = operators["properties"]["regexp"]
    assert (regexp["format"], regexp["pattern"]) == (
        "regex",
        "^(?!/[\\s\\S]*/[^/]*[^ims/][^/]*$)[^\\u0000]*$",
    )
    assert operators["properties"]["like"] == {
        "type": "string",
        "pattern": "^(?:[^\\\\\\u0000]|\\\\[^\\u0000])*$",
    }
    assert schema["description"] == (
        "A filter nests at most 32 levels deep, counted from the filter object (for `?where=`, "
        'from the where object): `{"where": {"id": {"inq": [1]}}}` holds 1 at level 4, '
        "and each `and`/`or` adds 2 (the list and the clause in it). A deeper one is a 400 "
        "`QUERY_OBJECT_TOO_DEEP`."
    )
    id_operators = schema["properties"]["id"]["anyOf"][1]["properties"]
    assert "like" not in id_operators
    assert id_operators["inq"]["items"] == {
        "anyOf": [
            {"type": "integer", **INT64},
            {"type": "string", "pattern": INTEGER_TEXT, "description": "within 64 bits"},
        ]
    }


def test_where_values_admit_what_the_server_converts_and_no_more() -> None:
    note = ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="integer", id=True),
            "x": PropertySpec(type="number"),
            "done": PropertySpec(type="boolean"),
            "day": PropertySpec(type="date"),
            "at": PropertySpec(type="datetime"),
        },
    )
    properties = where_schema(app(Note=note), "Note")["properties"]
    number = properties["x"]["anyOf"][1]["properties"]["gt"]["anyOf"]
    assert number[1] == {
        "type": "string",
        "pattern": NUMBER_TEXT,
        "description": "at most 200 digits before the point and a 2-digit exponent",
    }
    boolean = {
        "anyOf": [
            {"type": "boolean"},
            {"type": "number", "enum": [0, 1]},
            {"type": "string", "pattern": "^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[01])$"},
        ]
    }
    done = properties["done"]["anyOf"]
    assert done[0]["anyOf"][0] == {"type": "boolean", "nullable": True}
    assert done[1]["properties"]["exists"] == boolean
    assert properties["x"]["anyOf"][1]["properties"]["exists"] == boolean
    assert properties["day"]["anyOf"][0] == {
        "type": "string",
        "format": "date",
        "pattern": DATE_RANGE,
        "nullable": True,
    }
    assert properties["at"]["anyOf"][1]["properties"]["lt"] == {
        "type": "string",
        "pattern": DATETIME_RANGE,
        "anyOf": [{"format": "date-time"}, {"format": "date"}],
    }


def test_the_filter_schema_bounds_limit_and_skip_and_enumerates_fields_and_order() -> None:
    schema = filter_schema(app(), "Tag", max_limit=50)
    assert schema["title"] == "Tag.Filter"
    assert schema["additionalProperties"] is False
    assert schema["properties"]["where"] == ref("Tag.WhereFilter")
    assert schema["properties"]["limit"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 50,
        "example": 100,
    }
    assert schema["properties"]["skip"] == {
        "type": "integer",
        "minimum": 0,
        "maximum": 2**53 - 1,
    }
    order_key = {
        "type": "string",
        "enum": ["id", "id ASC", "id DESC", "label", "label ASC", "label DESC"],
    }
    assert schema["properties"]["order"] == {
        "oneOf": [order_key, {"type": "array", "items": order_key}]
    }
    fields = schema["properties"]["fields"]["oneOf"]
    assert fields[1] == {
        "type": "array",
        "items": {"type": "string", "enum": ["id", "label", "meta"]},
        "uniqueItems": True,
    }
    without_where = filter_schema(app(), "Tag", where=False)
    assert without_where["title"] == "Tag.FilterExcludingWhere"
    assert "where" not in without_where["properties"]


def test_a_readonly_model_documents_its_reads_only() -> None:
    readonly = TAG.model_copy(update={"rest": ModelRestSpec(readonly=True)})
    routes = crud_routes(app(Tag=readonly), "Tag")
    assert [(r.method, r.path) for r in routes] == [
        ("GET", "/tags"),
        ("GET", "/tags/count"),
        ("GET", "/tags/{id}"),
    ]


def test_a_readonly_model_without_one_id_is_found_and_counted_only() -> None:
    props = {
        "tagId": PropertySpec(type="integer", id=True),
        "lang": PropertySpec(type="string", id=True),
        "label": PropertySpec(type="string"),
    }
    rest = ModelRestSpec(readonly=True)
    composite = ModelSpec(datasource="db", properties=props, rest=rest)
    keyless = ModelSpec(datasource="db", properties={"label": props["label"]}, rest=rest)
    for model in (composite, keyless):
        routes = crud_routes(app(Tag=model), "Tag")
        assert [(r.method, r.path) for r in routes] == [("GET", "/tags"), ("GET", "/tags/count")]
    validate(openapi_document(app(Tag=keyless)))


def test_a_string_id_is_a_string_path_parameter_and_max_limit_reaches_the_schema() -> None:
    code = ModelSpec(datasource="db", properties={"code": PropertySpec(type="string", id=True)})
    spec_ = AppSpec(
        api_version="composer/v1",
        name="a",
        rest=RestSpec(pagination=PaginationSpec(max_limit=25)),
        models={"Code": code},
    )
    document = openapi_document(spec_)
    validate(document)
    parameter = document["paths"]["/codes/{id}"]["get"]["parameters"][0]
    assert parameter["schema"] == {"type": "string", **STORABLE}
    limit = document["components"]["schemas"]["Code.Filter"]["properties"]["limit"]
    assert limit["maximum"] == 25
