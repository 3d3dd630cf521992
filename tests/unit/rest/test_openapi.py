"""The OpenAPI document: valid, deterministic, served at the root."""

from __future__ import annotations

from typing import Any

import orjson
import yaml
from openapi_spec_validator import validate

from composer.rest import Parameter, RequestBody, RequestContext, Route, activate, openapi_document
from composer.rest.openapi import build_document
from composer.rest.ping import ping_route
from composer.spec import ModelSpec, PropertySpec, RestSpec
from tests.unit.rest.conftest import Serve, app_spec

MODELS = {
    "Todo": ModelSpec(
        datasource="db",
        properties={
            "id": PropertySpec(type="integer", id=True, generated=True),
            "title": PropertySpec(type="string", required=True),
        },
    ),
    "Address": ModelSpec(properties={"street": PropertySpec(type="string")}),
}


async def show(ctx: RequestContext) -> Any:
    return None


SHOW = Route(
    "PATCH",
    "/todos/{id}",
    show,
    operation_id="TodoController.updateById",
    summary="Update a Todo",
    tags=("TodoController",),
    parameters=(
        Parameter("id", "path", "integer", description="the id"),
        Parameter("filter", "query", "object"),
    ),
    body=RequestBody({"$ref": "#/components/schemas/NewTodo"}, description="the changes"),
)


def test_the_document_of_the_ping_route_is_exact() -> None:
    assert openapi_document(app_spec(rest=RestSpec(base_path="/api"))) == {
        "components": {"schemas": {}},
        "info": {"title": "test", "version": "1.0.0"},
        "openapi": "3.0.3",
        "paths": {
            "/ping": {
                "get": {
                    "operationId": "PingController.ping",
                    "responses": {
                        "200": {
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "properties": {
                                            "date": {"format": "date-time", "type": "string"},
                                            "greeting": {"type": "string"},
                                            "headers": {
                                                "additionalProperties": True,
                                                "properties": {"content-type": {"type": "string"}},
                                                "type": "object",
                                            },
                                            "url": {"type": "string"},
                                        },
                                        "title": "PingResponse",
                                        "type": "object",
                                    }
                                }
                            },
                            "description": "Ping Response",
                        }
                    },
                    "summary": "Answer a greeting with the request's date, URL and headers",
                    "tags": ["PingController"],
                }
            }
        },
        "servers": [{"url": "/api"}],
    }


def test_the_document_passes_the_openapi_validator() -> None:
    spec = app_spec(models=MODELS)
    validate(openapi_document(spec))
    validate(build_document(spec, [ping_route(), SHOW]))


def test_models_served_over_rest_get_the_schemas_of_their_crud_routes() -> None:
    schemas = openapi_document(app_spec(models=MODELS))["components"]["schemas"]
    assert list(schemas) == [
        "Error",
        "NewTodo",
        "Todo",
        "Todo.Filter",
        "Todo.FilterExcludingWhere",
        "Todo.WhereFilter",
        "TodoPartial",
        "TodoWithRelations",
        "loopback.Count",
    ]
    assert schemas["NewTodo"] == {
        "additionalProperties": False,
        "properties": {"title": {"type": "string", "pattern": "^[^\\u0000]*$"}},
        "required": ["title"],
        "title": "NewTodo",
        "type": "object",
    }


def test_an_operation_shows_its_parameters_and_body() -> None:
    operation = build_document(app_spec(), [SHOW])["paths"]["/todos/{id}"]["patch"]
    assert operation["parameters"] == [
        {
            "description": "the id",
            "in": "path",
            "name": "id",
            "required": True,
            "schema": {"type": "integer"},
        },
        {
            "content": {"application/json": {"schema": {"type": "object"}}},
            "in": "query",
            "name": "filter",
            "required": False,
        },
    ]
    assert operation["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewTodo"}}},
        "description": "the changes",
        "required": True,
    }
    assert operation["responses"] == {"204": {"description": "No content"}}


def test_the_same_spec_built_in_another_order_gives_the_same_document() -> None:
    forward = app_spec(models=MODELS)
    backward = app_spec(models=dict(reversed(MODELS.items())))
    first = orjson.dumps(build_document(forward, [ping_route(), SHOW]))
    second = orjson.dumps(build_document(backward, [SHOW, ping_route()]))
    assert first == second


async def test_the_document_is_served_as_json_and_yaml_at_the_root(serve: Serve) -> None:
    spec = app_spec(rest=RestSpec(base_path="/api"), models=MODELS)
    client = await serve(activate(spec))
    response = await client.get("/openapi.json")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    assert await response.json() == openapi_document(spec)
    response = await client.get("/openapi.yaml")
    assert response.headers["Content-Type"] == "text/yaml; charset=utf-8"
    assert yaml.safe_load(await response.text()) == openapi_document(spec)
    assert (await client.get("/api/openapi.json")).status == 404


async def test_the_served_document_lists_routes_added_in_python(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=[SHOW]))
    document = await (await client.get("/openapi.json")).json()
    assert list(document["paths"]) == ["/ping", "/todos/{id}"]


async def test_the_document_is_built_once_per_generation(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    first = await (await client.get("/openapi.json")).read()
    assert await (await client.get("/openapi.json")).read() is not first
    assert await (await client.get("/openapi.json")).read() == first
