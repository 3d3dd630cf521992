"""The route table `composer routes` prints."""

from __future__ import annotations

from composer.rest import RouteInfo, route_table
from composer.rest.routes import full_path
from composer.spec import RestSpec
from tests.unit.rest.conftest import app_spec


def test_the_route_table_gives_full_paths_under_the_base_path() -> None:
    assert route_table(app_spec(rest=RestSpec(base_path="/api/"))) == [
        RouteInfo(
            "GET",
            "/api/ping",
            "PingController.ping",
            "Answer a greeting with the request's date, URL and headers",
        )
    ]


def test_a_full_path_joins_base_path_and_route_path() -> None:
    assert full_path("/", "/ping") == "/ping"
    assert full_path("/api", "/ping") == "/api/ping"
    assert full_path("/api/", "/") == "/api"
    assert full_path("/", "/") == "/"
