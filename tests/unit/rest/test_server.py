"""aiohttp's own rejections, answered through make_runner, come in the JSON error shape."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from aiohttp import web

from composer.rest import RequestBody, RequestContext, Route, activate
from composer.spec import RestSpec
from tests.unit.rest.conftest import RawServer, app_spec

Start = Callable[[web.Application], Awaitable[RawServer]]


async def echo(ctx: RequestContext) -> Any:
    return {"body": ctx.body}


ITEMS = (Route("POST", "/items", echo, operation_id="create", summary="", body=RequestBody({})),)


def request(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body


async def test_a_well_formed_request_is_served(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec()))
    status, _headers, body = await server.exchange(
        request("GET /ping HTTP/1.1\nHost: x\nConnection: close\n")
    )
    assert status == 200
    assert orjson.loads(body)["greeting"] == "Hello from composer"


async def test_a_malformed_request_line_is_a_json_400(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec()))
    status, headers, body = await server.exchange(b"GARBAGE\r\n\r\n")
    assert status == 400
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body == (
        b'{"error":{"statusCode":400,"name":"BadRequestError",'
        b'"message":"Malformed HTTP request: Invalid method encountered"}}'
    )


async def test_a_request_without_host_is_a_json_400(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec()))
    status, _, body = await server.exchange(request("GET /ping HTTP/1.1\n"))
    assert status == 400
    assert orjson.loads(body)["error"]["message"] == (
        "Malformed HTTP request: Missing 'Host' header in request."
    )


async def test_a_20_kb_url_is_a_json_414(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec()))
    status, headers, body = await server.exchange(
        request(f"GET /{'a' * 20_000} HTTP/1.1\nHost: x\n")
    )
    assert status == 414
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert body == (
        b'{"error":{"statusCode":414,"name":"URITooLongError",'
        b'"message":"The request line is longer than 8192 bytes."}}'
    )


async def test_a_100_kb_header_is_a_json_431(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec()))
    status, _, body = await server.exchange(
        request(f"GET /ping HTTP/1.1\nHost: x\nX-Big: {'a' * 100_000}\n")
    )
    assert status == 431
    assert body == (
        b'{"error":{"statusCode":431,"name":"RequestHeaderFieldsTooLargeError",'
        b'"message":"A request header is longer than 8190 bytes."}}'
    )


async def test_100_kb_of_headers_is_a_json_431(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec()))
    many = "".join(f"X-H{i}: {'a' * 500}\n" for i in range(200))
    status, _, body = await server.exchange(request(f"GET /ping HTTP/1.1\nHost: x\n{many}"))
    assert status == 431
    assert orjson.loads(body)["error"]["message"] == "The request has more than 128 headers."


async def test_bad_chunked_encoding_is_a_json_400(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec(), routes=ITEMS))
    status, _, body = await server.exchange(
        request(
            "POST /items HTTP/1.1\nHost: x\nContent-Type: application/json\n"
            "Transfer-Encoding: chunked\n",
            b"zz\r\n[1]\r\n0\r\n\r\n",
        )
    )
    assert status == 400
    assert orjson.loads(body)["error"]["message"] == (
        "Malformed HTTP request: Invalid character in chunk size"
    )


async def test_a_body_over_the_limit_is_a_json_413(raw_server: Start) -> None:
    app = activate(app_spec(rest=RestSpec(max_body_size=64)), routes=ITEMS)
    server = await raw_server(app)
    status, _, body = await server.exchange(
        request(
            "POST /items HTTP/1.1\nHost: x\nContent-Type: application/json\n"
            "Content-Length: 1000\nConnection: close\n",
            b"[" + b"1," * 499 + b"1",
        )
    )
    assert status == 413
    assert body == (
        b'{"error":{"statusCode":413,"name":"PayloadTooLargeError",'
        b'"message":"The request body is larger than 64 bytes."}}'
    )


async def test_an_unknown_expectation_is_a_json_417(raw_server: Start) -> None:
    server = await raw_server(activate(app_spec(), routes=ITEMS))
    status, _, body = await server.exchange(
        request(
            "POST /items HTTP/1.1\nHost: x\nExpect: bogus\nContent-Length: 2\nConnection: close\n",
            b"{}",
        )
    )
    assert status == 417
    assert body == (
        b'{"error":{"statusCode":417,"name":"ExpectationFailedError",'
        b'"message":"Unknown Expect: bogus"}}'
    )


async def failing_expectation(request: web.Request) -> None:
    raise RuntimeError("the expect handler broke")


async def accept(request: web.Request) -> web.Response:
    return web.Response(status=204)


def app_with_failing_expectation(*, debug: bool) -> web.Application:
    app = activate(app_spec(), debug=debug)
    app.router.add_post("/upload", accept, expect_handler=failing_expectation)
    return app


UPLOAD = request("POST /upload HTTP/1.1\nHost: x\nExpect: 100-continue\nContent-Length: 2\n", b"{}")


async def test_a_failure_outside_the_middlewares_is_a_bare_json_500(raw_server: Start) -> None:
    server = await raw_server(app_with_failing_expectation(debug=False))
    status, _, body = await server.exchange(UPLOAD)
    assert status == 500
    assert body == b'{"error":{"statusCode":500,"message":"Internal Server Error"}}'


async def test_debug_shows_the_failure_outside_the_middlewares(raw_server: Start) -> None:
    server = await raw_server(app_with_failing_expectation(debug=True))
    status, _, body = await server.exchange(UPLOAD)
    error = orjson.loads(body)["error"]
    assert status == 500
    assert error["name"] == "RuntimeError"
    assert error["message"] == "the expect handler broke"
    assert error["stack"][-1] == "RuntimeError: the expect handler broke"
