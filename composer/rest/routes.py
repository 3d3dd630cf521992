"""The routes of a generation, built from its spec, and the table ``composer routes`` prints.

Today the spec yields the built-in ping route; model CRUD routes and the
manifest's own routes are added here by the issues that serve them, and the
router, parameter parsers and OpenAPI document pick them up unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from composer.rest.ping import ping_route
from composer.rest.route import METHODS, Route

if TYPE_CHECKING:
    from dependency_injector.containers import DynamicContainer

    from composer.spec import AppSpec

__all__ = ["RouteInfo", "build_routes", "full_path", "route_table", "sort_key"]


@dataclass(frozen=True, slots=True)
class RouteInfo:
    """One line of the route table: what answers ``method path``."""

    method: str
    path: str
    operation_id: str
    summary: str


def full_path(base_path: str, path: str) -> str:
    """A route's path under the basePath.

    >>> full_path("/api/", "/ping"), full_path("/", "/ping"), full_path("/api", "/")
    ('/api/ping', '/ping', '/api')
    """
    base = base_path.rstrip("/")
    if path == "/":
        return base or "/"
    return base + path


def sort_key(route: Route) -> tuple[str, int]:
    """Routes ordered by path, then by verb in :data:`~composer.rest.route.METHODS` order."""
    return route.path, METHODS.index(route.method)


def build_routes(spec: AppSpec, container: DynamicContainer | None = None) -> tuple[Route, ...]:
    """Every route the spec declares, relative to the basePath.

    The container (None to describe the routes without serving them) is
    where handlers will find their repositories.

    >>> from composer.spec import AppSpec
    >>> [r.path for r in build_routes(AppSpec(api_version="composer/v1", name="a"))]
    ['/ping']
    """
    return (ping_route(),)


def route_table(spec: AppSpec) -> list[RouteInfo]:
    """What ``composer routes`` prints: every route with its full path, sorted.

    >>> from composer.spec import AppSpec, RestSpec
    >>> spec = AppSpec(api_version="composer/v1", name="a", rest=RestSpec(base_path="/api"))
    >>> [(r.method, r.path, r.operation_id) for r in route_table(spec)]
    [('GET', '/api/ping', 'PingController.ping')]
    """
    return [
        RouteInfo(r.method, full_path(spec.rest.base_path, r.path), r.operation_id, r.summary)
        for r in sorted(build_routes(spec), key=sort_key)
    ]
