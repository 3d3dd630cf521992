"""parseParams through the sequence: coerced parameters, JSON bodies, their rejections."""

from __future__ import annotations

from typing import Any

from composer.rest import Parameter, RequestBody, RequestContext, Route, activate
from composer.spec import RestSpec
from tests.unit.rest.conftest import Serve, app_spec, error


async def echo(ctx: RequestContext) -> Any:
    return {"params": dict(ctx.params), "body": ctx.body}


ROUTES = (
    Route(
        "GET",
        "/items/{id}",
        echo,
        operation_id="show",
        summary="",
        parameters=(
            Parameter("id", "path", "integer", required=True),
            Parameter("full", "query", "boolean"),
            Parameter("limit", "query", "number"),
            Parameter("name", "query", "string", required=True),
            Parameter("filter", "query", "object"),
            Parameter("X-Tenant", "header", "string"),
        ),
    ),
    Route(
        "POST",
        "/items",
        echo,
        operation_id="create",
        summary="",
        body=RequestBody({"type": "object"}),
    ),
    Route(
        "PATCH",
        "/items",
        echo,
        operation_id="patch",
        summary="",
        body=RequestBody({"type": "object"}, required=False),
    ),
)


def missing(name: str) -> dict[str, Any]:
    return error(
        400,
        "BadRequestError",
        f"Required parameter {name} is missing!",
        code="MISSING_REQUIRED_PARAMETER",
    )


async def test_parameters_are_coerced_by_their_declared_types(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get(
        "/items/7",
        params={"full": "TRUE", "limit": "2.5", "name": "a", "filter": '{"where":{"a":1}}'},
        headers={"X-Tenant": "acme"},
    )
    assert response.status == 200
    assert await response.json() == {
        "params": {
            "id": 7,
            "full": True,
            "limit": 2.5,
            "name": "a",
            "filter": {"where": {"a": 1}},
            "X-Tenant": "acme",
        },
        "body": None,
    }


async def test_absent_optional_parameters_are_left_out(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get("/items/7?name=a")
    assert (await response.json())["params"] == {"id": 7, "name": "a"}


async def test_a_path_value_of_the_wrong_type_is_invalid(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get("/items/abc?name=a")
    assert response.status == 400
    assert await response.json() == error(
        400,
        "BadRequestError",
        'Invalid data "abc" for parameter "id".',
        code="INVALID_PARAMETER_VALUE",
    )


async def test_an_empty_optional_number_is_invalid(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get("/items/1?name=a&limit=")
    assert (await response.json())["error"]["message"] == 'Invalid data "" for parameter "limit".'


async def test_a_missing_or_empty_required_parameter_is_missing(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    assert await (await client.get("/items/1")).json() == missing("name")
    assert await (await client.get("/items/1?name=")).json() == missing("name")


async def test_a_json_body_is_parsed(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post("/items", json={"title": "milk", "tags": ["a"]})
    assert await response.json() == {"params": {}, "body": {"title": "milk", "tags": ["a"]}}


async def test_a_body_without_content_type_is_taken_as_json(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post("/items", data=b'{"a": 1}', headers={"Content-Type": ""})
    assert (await response.json())["body"] == {"a": 1}


async def test_a_vendor_json_media_type_is_json(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post(
        "/items", data=b"[1]", headers={"Content-Type": "application/merge-patch+json"}
    )
    assert (await response.json())["body"] == [1]


async def test_malformed_json_is_a_400(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post(
        "/items", data=b'{"a": ', headers={"Content-Type": "application/json"}
    )
    assert response.status == 400
    assert await response.json() == error(
        400,
        "BadRequestError",
        "The request body is not valid JSON: unexpected end of data: line 1 column 7 (char 6).",
    )


async def test_a_body_that_is_not_json_is_a_415(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post("/items", data=b"a=1", headers={"Content-Type": "text/plain"})
    assert response.status == 415
    assert await response.json() == error(
        415,
        "UnsupportedMediaTypeError",
        "Content-type text/plain does not match [application/json].",
        code="UNSUPPORTED_MEDIA_TYPE",
    )


async def test_a_proto_key_in_the_body_is_a_400(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post("/items", json={"a": {"__proto__": {"admin": True}}})
    assert await response.json() == error(
        400, "Error", 'JSON string cannot contain "__proto__" key.'
    )
    response = await client.post("/items", json={"constructor": {"prototype": {}}})
    assert await response.json() == error(
        400, "Error", 'JSON string cannot contain "constructor.prototype" key.'
    )


async def test_a_missing_required_body_is_a_400(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.post("/items")
    assert await response.json() == error(
        400, "BadRequestError", "Request body is required", code="MISSING_REQUIRED_PARAMETER"
    )


async def test_a_missing_optional_body_is_none(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.patch("/items")
    assert await response.json() == {"params": {}, "body": None}


async def test_a_body_over_the_limit_is_a_413(serve: Serve) -> None:
    spec = app_spec(rest=RestSpec(max_body_size=64))
    client = await serve(activate(spec, routes=ROUTES))
    fits = b'{"a": "' + b"x" * 55 + b'"}'
    assert len(fits) == 64
    json = {"Content-Type": "application/json"}
    assert (await client.post("/items", data=fits, headers=json)).status == 200
    response = await client.post("/items", data=fits + b" ", headers=json)
    assert response.status == 413
    assert await response.json() == error(
        413, "PayloadTooLargeError", "The request body is larger than 64 bytes."
    )


async def test_a_chunked_body_over_the_limit_is_a_413(serve: Serve) -> None:
    spec = app_spec(rest=RestSpec(max_body_size=64))
    client = await serve(activate(spec, routes=ROUTES))

    async def chunks() -> Any:
        for _ in range(10):
            yield b"[" + b"1," * 10 + b"1]"

    response = await client.post(
        "/items", data=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status == 413
    assert (await response.json())["error"]["message"] == (
        "The request body is larger than 64 bytes."
    )
