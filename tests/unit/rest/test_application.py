"""The activated app: basePath mounting, 404s everywhere, root routes outside the sequence."""

from __future__ import annotations

import pytest
from aiohttp import web

from composer.rest import activate
from composer.spec import RestSpec
from tests.unit.rest.conftest import Serve, app_spec, error


def not_found(method: str, path: str) -> dict[str, object]:
    return error(404, "NotFoundError", f'Endpoint "{method} {path}" not found.')


async def test_an_unknown_path_is_a_json_404(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/nope")
    assert response.status == 404
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert await response.read() == (
        b'{"error":{"statusCode":404,"name":"NotFoundError",'
        b'"message":"Endpoint \\"GET /nope\\" not found."}}'
    )


async def test_a_known_path_with_another_verb_is_a_404_not_a_405(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.delete("/ping")
    assert response.status == 404
    assert await response.json() == not_found("DELETE", "/ping")


async def test_the_routes_are_served_under_the_base_path(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=RestSpec(base_path="/api"))))
    response = await client.get("/api/ping")
    assert response.status == 200
    assert (await response.json())["url"] == "/api/ping"
    assert (await client.get("/api/ping/")).status == 200


async def test_outside_the_base_path_nothing_is_found(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=RestSpec(base_path="/api"))))
    for path in ("/ping", "/apiping", "/nope"):
        response = await client.get(path)
        assert response.status == 404
        assert await response.json() == not_found("GET", path)


async def test_inside_the_base_path_an_unknown_route_names_the_full_path(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=RestSpec(base_path="/api/"))))
    for path in ("/api", "/api/", "/api/nope"):
        response = await client.get(path)
        assert response.status == 404
        assert await response.json() == not_found("GET", path)


async def test_a_path_next_to_a_root_route_is_a_404(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=RestSpec(base_path="/api"))))
    response = await client.get("/openapi.jsonx")
    assert await response.json() == not_found("GET", "/openapi.jsonx")
    response = await client.post("/openapi.json")
    assert await response.json() == not_found("POST", "/openapi.json")


@pytest.mark.parametrize("base_path", ["/", "/api"])
async def test_routes_the_caller_adds_at_the_root_get_json_errors(
    serve: Serve, base_path: str
) -> None:
    app = activate(app_spec(rest=RestSpec(base_path=base_path)))

    async def live(request: web.Request) -> web.Response:
        return web.json_response({"status": "UP"})

    async def broken(request: web.Request) -> web.Response:
        raise RuntimeError("the database is on fire")

    app.router.add_get("/health/live", live)
    app.router.add_get("/health/ready", broken)
    client = await serve(app)
    assert await (await client.get("/health/live")).json() == {"status": "UP"}
    response = await client.post("/health/live")
    assert await response.json() == not_found("POST", "/health/live")
    response = await client.get("/health/ready")
    assert response.status == 500
    assert (
        await response.read() == b'{"error":{"statusCode":500,"message":"Internal Server Error"}}'
    )


async def test_two_apps_from_two_specs_serve_side_by_side(serve: Serve) -> None:
    first = await serve(activate(app_spec(rest=RestSpec(base_path="/one"))))
    second = await serve(activate(app_spec(rest=RestSpec(base_path="/two"))))
    assert (await first.get("/one/ping")).status == 200
    assert (await first.get("/two/ping")).status == 404
    assert (await second.get("/two/ping")).status == 200


async def test_head_is_answered_by_the_get_route_without_a_body(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.head("/ping")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/json"
    assert await response.read() == b""
