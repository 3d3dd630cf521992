"""The sequence: actions resolved from the spec's names, run in order, errors to reject."""

from __future__ import annotations

import re

import pytest

from composer.errors import BootError
from composer.rest import activate
from composer.rest.sequence import ACTIONS
from composer.spec import BUILTIN_ACTIONS
from tests.unit.rest.conftest import Serve, app_spec, error

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_the_action_table_holds_exactly_the_spec_s_built_in_actions() -> None:
    assert tuple(ACTIONS) == BUILTIN_ACTIONS


async def test_ping_answers_through_the_whole_default_sequence(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/ping?x=1", headers={"X-Trace": "abc"})
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    body = await response.json()
    assert list(body) == ["greeting", "date", "url", "headers"]
    assert body["greeting"] == "Hello from composer"
    assert ISO_UTC.fullmatch(body["date"])
    assert body["url"] == "/ping?x=1"
    assert body["headers"]["x-trace"] == "abc"
    assert body["headers"]["host"] == f"{client.host}:{client.port}"


async def test_ping_joins_a_repeated_header_like_node_does(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/ping", headers=[("X-Tag", "a"), ("X-Tag", "b")])
    assert (await response.json())["headers"]["x-tag"] == "a, b"


async def test_a_sequence_without_cors_adds_no_cors_headers(serve: Serve) -> None:
    spec = app_spec(sequence=("findRoute", "parseParams", "invoke", "send"))
    client = await serve(activate(spec))
    response = await client.get("/ping", headers={"Origin": "http://example.com"})
    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_the_default_sequence_adds_cors_headers(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/ping", headers={"Origin": "http://example.com"})
    assert response.headers["Access-Control-Allow-Origin"] == "http://example.com"


async def test_cors_after_find_route_gives_a_404_no_cors_headers(serve: Serve) -> None:
    spec = app_spec(sequence=("findRoute", "cors", "invoke", "send"))
    client = await serve(activate(spec))
    response = await client.get("/nope", headers={"Origin": "http://example.com"})
    assert response.status == 404
    assert "Access-Control-Allow-Origin" not in response.headers
    assert await response.json() == error(404, "NotFoundError", 'Endpoint "GET /nope" not found.')


async def test_cors_before_find_route_puts_cors_headers_on_the_404(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/nope", headers={"Origin": "http://example.com"})
    assert response.status == 404
    assert response.headers["Access-Control-Allow-Origin"] == "http://example.com"


@pytest.mark.parametrize(
    ("sequence", "message"),
    [
        (
            ("findRoute", "invoke", "sendIt"),
            "sequence: unknown action 'sendIt'; the built-in actions are cors, findRoute, "
            "authenticate, authorize, parseParams, invoke, send",
        ),
        (("findRoute", "invoke", "invoke", "send"), "sequence: action 'invoke' is listed twice"),
        (("invoke", "findRoute", "send"), "sequence: action 'invoke' needs 'findRoute' before it"),
        (("findRoute", "send", "invoke"), "sequence: action 'send' needs 'invoke' before it"),
        (
            ("findRoute", "parseParams", "invoke"),
            "sequence: no action sends the response: add 'send'",
        ),
    ],
)
def test_a_sequence_that_cannot_answer_is_a_boot_error(
    sequence: tuple[str, ...], message: str
) -> None:
    with pytest.raises(BootError) as caught:
        activate(app_spec(sequence=sequence))
    assert str(caught.value) == message
    assert caught.value.artifact == "sequence"
