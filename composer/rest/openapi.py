"""The OpenAPI 3.0.3 document of a generation, and the endpoints serving it.

The document describes whatever routes exist (see :mod:`composer.rest.routes`).
A model served over REST brings the schemas of its CRUD routes (its own,
``New<Model>``, ``<Model>Partial``, its filters, ``loopback.Count`` and the
``Error`` body: :mod:`composer.rest.crud_schema`); a model with a datasource
that is not served brings its own schema and ``New<Model>``. Relations bring
their endpoints' bodies and list themselves in ``<Model>WithRelations``
(:mod:`composer.rest.relation_schema`).
``servers`` holds the basePath and the paths are relative to it, so the
explorer calls ``/api/ping`` when the basePath is ``/api``. Every mapping is
sorted by key, so the same spec always gives the same document, however it
was built (YAML or Python objects).

``GET /openapi.json`` and ``GET /openapi.yaml`` are served at the server root,
outside the sequence; the document is built on the first request and kept
for the generation's lifetime.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson
import yaml
from aiohttp import web

from composer.repository.entity import Catalog
from composer.rest.crud_schema import crud_components, scope_components
from composer.rest.model_schema import model_schema
from composer.rest.relation_schema import relation_components
from composer.rest.route import Parameter, Route
from composer.rest.routes import build_routes, sort_key
from composer.spec import rest_path

if TYPE_CHECKING:
    from composer.spec import AppSpec

__all__ = ["OPENAPI_VERSION", "OpenApiEndpoints", "build_document", "openapi_document"]

OPENAPI_VERSION = "3.0.3"


def _parameter(parameter: Parameter) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "name": parameter.name,
        "in": parameter.location,
        "required": parameter.required or parameter.location == "path",
    }
    if parameter.description is not None:
        doc["description"] = parameter.description
    schema = dict(parameter.schema) if parameter.schema is not None else {"type": parameter.type}
    if parameter.type == "object":
        # JSON text in the query string: ?filter={"limit":2}
        doc["content"] = {"application/json": {"schema": schema}}
    else:
        doc["schema"] = schema
    return doc


def _operation(route: Route) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": route.operation_id, "summary": route.summary}
    if route.description is not None:
        operation["description"] = route.description
    if route.tags:
        operation["tags"] = list(route.tags)
    if route.parameters:
        operation["parameters"] = [_parameter(p) for p in route.parameters]
    if route.body is not None:
        body: dict[str, Any] = {
            "required": route.body.required,
            "content": {"application/json": {"schema": dict(route.body.schema)}},
        }
        if route.body.description is not None:
            body["description"] = route.body.description
        operation["requestBody"] = body
    responses: dict[str, Any] = {}
    for response in route.responses:
        answer: dict[str, Any] = {"description": response.description}
        if response.schema is not None:
            answer["content"] = {"application/json": {"schema": dict(response.schema)}}
        if response.headers:
            answer["headers"] = {name: dict(header) for name, header in response.headers.items()}
        responses[str(response.status)] = answer
    operation["responses"] = responses or {"204": {"description": "No content"}}
    return operation


def _sorted(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` with every object's keys sorted (tuples become lists): one round trip through
    orjson, which sorts in C (a 500-model document has close to a million nodes)."""
    result: dict[str, Any] = orjson.loads(orjson.dumps(value, option=orjson.OPT_SORT_KEYS))
    return result


def build_document(spec: AppSpec, routes: Iterable[Route]) -> dict[str, Any]:
    """The document of ``routes`` served under ``spec``'s basePath (what activation serves).

    >>> from composer.spec import AppSpec
    >>> from composer.rest.ping import ping_route
    >>> doc = build_document(AppSpec(api_version="composer/v1", name="a"), [ping_route()])
    >>> list(doc["paths"])
    ['/ping']
    """
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(routes, key=sort_key):
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route)
    schemas: dict[str, Any] = {}
    max_limit = spec.rest.pagination.max_limit
    for name, model in spec.models.items():
        if rest_path(name, model) is not None:
            schemas.update(crud_components(spec, name, max_limit=max_limit))
        elif model.datasource is not None:
            schemas[name] = model_schema(spec, name)
            schemas[f"New{name}"] = model_schema(spec, name, new=True)
    schemas.update(scope_components(spec, max_limit=max_limit))
    schemas.update(relation_components(spec, Catalog(spec), max_limit=max_limit))
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": spec.name, "version": "1.0.0"},
        "servers": [{"url": spec.rest.base_path.rstrip("/") or "/"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
    result: dict[str, Any] = _sorted(document)
    return result


def openapi_document(spec: AppSpec) -> dict[str, Any]:
    """What ``composer openapi`` prints and ``/openapi.json`` serves for ``spec``.

    >>> from composer.spec import AppSpec
    >>> openapi_document(AppSpec(api_version="composer/v1", name="todo"))["info"]
    {'title': 'todo', 'version': '1.0.0'}
    """
    return build_document(spec, build_routes(spec))


class OpenApiEndpoints:
    """The ``/openapi.json`` and ``/openapi.yaml`` handlers of one generation.

    ::

        endpoints = OpenApiEndpoints(spec, routes)
        app.router.add_get("/openapi.json", endpoints.json)
    """

    __slots__ = ("_json", "_routes", "_spec", "_yaml")

    def __init__(self, spec: AppSpec, routes: Iterable[Route]) -> None:
        self._spec = spec
        self._routes = tuple(routes)
        self._json: bytes | None = None
        self._yaml: bytes | None = None

    def _document(self) -> dict[str, Any]:
        return build_document(self._spec, self._routes)

    async def json(self, request: web.Request) -> web.Response:
        """``GET /openapi.json``."""
        if self._json is None:
            self._json = orjson.dumps(self._document(), option=orjson.OPT_SORT_KEYS)
        return web.Response(body=self._json, content_type="application/json")

    async def yaml(self, request: web.Request) -> web.Response:
        """``GET /openapi.yaml``."""
        if self._yaml is None:
            text = yaml.safe_dump(self._document(), sort_keys=True, allow_unicode=True)
            self._yaml = text.encode("utf-8")
        return web.Response(body=self._yaml, content_type="text/yaml", charset="utf-8")
