"""The compiled route table behind findRoute."""

from __future__ import annotations

from typing import Any

import pytest

from composer.errors import BootError
from composer.rest.context import RequestContext
from composer.rest.route import Parameter, Route
from composer.rest.router import Endpoint, Router


async def nothing(ctx: RequestContext) -> Any:
    return None


def route(method: str, path: str, operation_id: str | None = None) -> Route:
    from composer.rest.route import template_names

    parameters = tuple(Parameter(name, "path", required=True) for name in template_names(path))
    return Route(
        method,
        path,
        nothing,
        operation_id=operation_id or f"{method} {path}",
        summary="",
        parameters=parameters,
    )


def router(*routes: Route) -> Router:
    return Router(Endpoint(r) for r in routes)


def matched(found: Any) -> tuple[str, dict[str, str]] | None:
    if found is None:
        return None
    endpoint, params = found
    return endpoint.route.operation_id, dict(params)


def test_a_static_path_matches_with_and_without_a_trailing_slash() -> None:
    table = router(route("GET", "/ping"))
    assert matched(table.match("GET", "/ping")) == ("GET /ping", {})
    assert matched(table.match("GET", "/ping/")) == ("GET /ping", {})
    assert table.match("GET", "/pin") is None
    assert table.match("GET", "/ping/x") is None


def test_a_known_path_with_another_verb_does_not_match() -> None:
    assert router(route("GET", "/ping")).match("POST", "/ping") is None


def test_head_falls_back_to_the_get_route() -> None:
    assert matched(router(route("GET", "/ping")).match("HEAD", "/ping")) == ("GET /ping", {})


def test_a_templated_path_captures_and_decodes_its_parameters() -> None:
    table = router(route("GET", "/todo-lists/{id}/todos/{fk}"))
    assert matched(table.match("GET", "/todo-lists/7/todos/a%2Fb")) == (
        "GET /todo-lists/{id}/todos/{fk}",
        {"id": "7", "fk": "a/b"},
    )
    assert table.match("GET", "/todo-lists/7/todos") is None
    assert table.match("GET", "/todo-lists/7/8/todos/9") is None


def test_a_static_path_wins_over_a_template() -> None:
    table = router(route("GET", "/todos/{id}"), route("GET", "/todos/count"))
    assert matched(table.match("GET", "/todos/count")) == ("GET /todos/count", {})
    assert matched(table.match("GET", "/todos/3")) == ("GET /todos/{id}", {"id": "3"})


def test_a_literal_segment_wins_over_a_placeholder_in_templates() -> None:
    table = router(route("GET", "/{kind}/{id}/items"), route("GET", "/todos/{id}/items"))
    assert matched(table.match("GET", "/todos/1/items")) == ("GET /todos/{id}/items", {"id": "1"})
    assert matched(table.match("GET", "/notes/1/items")) == (
        "GET /{kind}/{id}/items",
        {"kind": "notes", "id": "1"},
    )


def test_regex_characters_in_a_path_are_literal() -> None:
    table = router(route("GET", "/a.b/{id}"))
    assert table.match("GET", "/aXb/1") is None
    assert matched(table.match("GET", "/a.b/1")) == ("GET /a.b/{id}", {"id": "1"})


def test_two_routes_on_one_method_and_path_are_a_boot_error() -> None:
    with pytest.raises(BootError) as caught:
        router(route("GET", "/todos", "first"), route("GET", "/todos/", "second"))
    assert str(caught.value) == "routes: GET /todos/ is answered by both first and second"


def test_a_route_whose_path_parameters_do_not_match_its_template_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        Route("GET", "/todos/{id}", nothing, operation_id="x", summary="")
    assert str(caught.value) == (
        "GET /todos/{id}: path parameters [] do not match the template's ['id']"
    )


def test_a_malformed_template_is_refused() -> None:
    with pytest.raises(ValueError) as caught:
        Route("GET", "/todos/{id", nothing, operation_id="x", summary="")
    assert str(caught.value) == "malformed path template '/todos/{id'"
