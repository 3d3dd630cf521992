"""Errors in LoopBack's JSON shape: 4xx with name/message/code/details, bare 5xx, debug stacks."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from aiohttp import web

from composer.errors import HttpError
from composer.rest import RequestContext, Route, activate
from tests.unit.rest.conftest import Serve, app_spec, error


async def explode(ctx: RequestContext) -> Any:
    raise ZeroDivisionError("division by zero in the handler")


async def conflict(ctx: RequestContext) -> Any:
    raise HttpError(409, "The title is taken.", code="DUPLICATE", details={"title": "a"})


async def unavailable(ctx: RequestContext) -> Any:
    raise HttpError(503, "The datasource db does not answer.")


async def moved(ctx: RequestContext) -> Any:
    raise web.HTTPFound("/ping")


ROUTES = (
    Route("GET", "/explode", explode, operation_id="explode", summary=""),
    Route("GET", "/conflict", conflict, operation_id="conflict", summary=""),
    Route("GET", "/unavailable", unavailable, operation_id="unavailable", summary=""),
    Route("GET", "/moved", moved, operation_id="moved", summary=""),
)


async def test_an_unexpected_exception_is_a_bare_500_and_is_logged(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    with caplog.at_level(logging.ERROR, logger="composer.rest"):
        response = await client.get("/explode")
    assert response.status == 500
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert (
        await response.read() == b'{"error":{"statusCode":500,"message":"Internal Server Error"}}'
    )
    [record] = caplog.records
    assert record.getMessage() == "GET /explode failed with 500"
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ZeroDivisionError)


async def test_debug_adds_the_name_message_and_stack_to_a_500(serve: Serve) -> None:
    client = await serve(activate(app_spec(), debug=True, routes=ROUTES))
    response = await client.get("/explode")
    assert response.status == 500
    body = (await response.json())["error"]
    assert list(body) == ["statusCode", "name", "message", "stack"]
    assert body["statusCode"] == 500
    assert body["name"] == "ZeroDivisionError"
    assert body["message"] == "division by zero in the handler"
    assert body["stack"][0] == "Traceback (most recent call last):"
    assert body["stack"][-1] == "ZeroDivisionError: division by zero in the handler"
    assert all("\n" not in line for line in body["stack"])


async def test_an_http_error_keeps_its_code_and_details(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get("/conflict")
    assert response.status == 409
    assert await response.json() == error(
        409, "ConflictError", "The title is taken.", code="DUPLICATE", details={"title": "a"}
    )


async def test_a_5xx_http_error_says_only_its_status_phrase(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get("/unavailable")
    assert response.status == 503
    assert await response.json() == {"error": {"statusCode": 503, "message": "Service Unavailable"}}


async def test_a_5xx_http_error_in_debug_carries_its_message_and_stack(serve: Serve) -> None:
    client = await serve(activate(app_spec(), debug=True, routes=ROUTES))
    body = (await (await client.get("/unavailable")).json())["error"]
    assert body["name"] == "ServiceUnavailableError"
    assert body["message"] == "The datasource db does not answer."
    assert body["stack"][-1] == "composer.errors.HttpError: The datasource db does not answer."


async def test_a_redirect_raised_by_a_handler_is_answered_as_is(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    response = await client.get("/moved", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "/ping"


async def test_a_4xx_is_not_logged_as_an_error(
    serve: Serve, caplog: pytest.LogCaptureFixture
) -> None:
    client = await serve(activate(app_spec(), routes=ROUTES))
    with caplog.at_level(logging.ERROR, logger="composer.rest"):
        await client.get("/conflict")
        await client.get("/nope")
    assert caplog.records == []
