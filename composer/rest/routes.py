"""The routes of a generation, built from its spec, and the table ``composer routes`` prints.

The spec yields the built-in ping route and the CRUD and relation routes of
every model served over REST (:mod:`composer.rest.crud`,
:mod:`composer.rest.relation_routes`), each bound to the repository the
container built for it; the router, parameter parsers and OpenAPI
document pick them up unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from composer import keys
from composer.container import resolve
from composer.errors import BootError, HttpError
from composer.repository.entity import Catalog
from composer.repository.repository import Repository
from composer.rest.crud import crud_routes
from composer.rest.ping import ping_route
from composer.rest.relation_routes import relation_routes
from composer.rest.route import METHODS, Route
from composer.spec import rest_path

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

    The container (None to describe the routes without serving them) holds
    each served model's repository; it is resolved here, once, into the
    model's handlers.

    >>> from composer.spec import AppSpec
    >>> [r.path for r in build_routes(AppSpec(api_version="composer/v1", name="a"))]
    ['/ping']
    """
    routes = [ping_route()]
    catalog = Catalog(spec)
    if container is not None:
        _link(spec, container, catalog)
    for name, model in spec.models.items():
        if rest_path(name, model) is None:
            continue
        repository = None if container is None else _repository(container, name)
        routes.extend(crud_routes(spec, name, repository, catalog))
        routes.extend(relation_routes(spec, name, repository, catalog))
    return tuple(routes)


def _link(spec: AppSpec, container: DynamicContainer, catalog: Catalog) -> None:
    """Give every repository of the generation the others (inclusions read related rows)."""
    repositories: dict[str, Repository] = {}
    for name, model in spec.models.items():
        if model.datasource is None or catalog(name) is None:
            continue
        repository = resolve(container, keys.repository(name))
        if isinstance(repository, Repository):
            repositories[name] = repository

    def related(name: str) -> Repository:
        found = repositories.get(name)
        if found is None:
            raise HttpError(500, f"the model {name} has no repository to include rows from")
        return found

    for repository in repositories.values():
        repository.link(related)


def _repository(container: DynamicContainer, name: str) -> Repository:
    binding = resolve(container, keys.route(name))
    repository = binding.repository
    if not isinstance(repository, Repository):
        raise BootError(
            f"the repository of {name} is a {type(repository).__name__}, not a Repository",
            artifact=keys.route(name).name,
        )
    return repository


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
