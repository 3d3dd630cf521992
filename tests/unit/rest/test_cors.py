"""CORS with LoopBack's defaults: preflights, simple requests, origin lists."""

from __future__ import annotations

from composer.rest import activate
from composer.spec import CorsSpec, RestSpec
from tests.unit.rest.conftest import Serve, app_spec

ORIGIN = "http://app.example.com"


def cors_spec(**fields: object) -> RestSpec:
    return RestSpec(cors=CorsSpec(**fields))  # type: ignore[arg-type]


async def test_a_preflight_is_answered_204_with_loopback_s_defaults(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.options(
        "/ping",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "content-type,x-token",
        },
    )
    assert response.status == 204
    assert await response.read() == b""
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Allow-Methods"] == "GET,HEAD,PUT,PATCH,POST,DELETE"
    assert response.headers["Access-Control-Allow-Headers"] == "content-type,x-token"
    assert response.headers["Access-Control-Max-Age"] == "86400"
    assert response.headers["Vary"] == "Origin, Access-Control-Request-Headers"


async def test_a_preflight_to_an_unknown_path_is_answered_too(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.options(
        "/anything", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert response.status == 204


async def test_configured_headers_methods_and_max_age_are_sent(serve: Serve) -> None:
    rest = cors_spec(methods=("GET", "POST"), headers=("X-Token",), max_age=60)
    client = await serve(activate(app_spec(rest=rest)))
    response = await client.options(
        "/ping",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-other",
        },
    )
    assert response.headers["Access-Control-Allow-Methods"] == "GET,POST"
    assert response.headers["Access-Control-Allow-Headers"] == "X-Token"
    assert response.headers["Access-Control-Max-Age"] == "60"
    assert response.headers["Vary"] == "Origin"


async def test_a_simple_request_gets_allow_origin_and_credentials(serve: Serve) -> None:
    rest = cors_spec(expose_headers=("X-Total-Count",))
    client = await serve(activate(app_spec(rest=rest)))
    response = await client.get("/ping", headers={"Origin": ORIGIN})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert response.headers["Access-Control-Expose-Headers"] == "X-Total-Count"
    assert response.headers["Vary"] == "Origin"
    assert "Access-Control-Allow-Methods" not in response.headers


async def test_a_request_without_origin_gets_no_cors_headers(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/ping")
    assert not [name for name in response.headers if name.startswith("Access-Control-")]


async def test_without_credentials_any_origin_is_a_star(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=cors_spec(credentials=False))))
    response = await client.get("/ping", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert "Vary" not in response.headers


async def test_an_origin_in_the_list_is_allowed(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=cors_spec(origins=(ORIGIN,)))))
    response = await client.get("/ping", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


async def test_an_origin_not_in_the_list_gets_no_cors_headers(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=cors_spec(origins=(ORIGIN,)))))
    response = await client.get("/ping", headers={"Origin": "http://evil.example.com"})
    assert response.status == 200
    assert not [name for name in response.headers if name.startswith("Access-Control-")]
    preflight = await client.options(
        "/ping",
        headers={"Origin": "http://evil.example.com", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status == 204
    assert not [name for name in preflight.headers if name.startswith("Access-Control-")]


async def test_disabled_cors_leaves_options_to_find_route(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=cors_spec(enabled=False))))
    response = await client.options(
        "/ping", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "GET"}
    )
    assert response.status == 404
    assert (await response.json())["error"]["message"] == 'Endpoint "OPTIONS /ping" not found.'


async def test_an_options_request_that_is_no_preflight_goes_to_find_route(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.options("/ping", headers={"Origin": ORIGIN})
    assert response.status == 404
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
