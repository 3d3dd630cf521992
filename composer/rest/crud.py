"""A model's CRUD routes: LoopBack 4's rest-crud set, described once per generation.

For a model ``Todo`` served at ``/todos`` (``rest.readonly: true`` keeps the
three reads only, and a read-only model without one id, which may have a
composite key or none, only find and count)::

    POST   /todos            create        NewTodo body       200 the created Todo
    GET    /todos            find          ?filter=           200 [Todo, ...]
    GET    /todos/count      count         ?where=            200 {"count": n}
    PATCH  /todos            updateAll     ?where=, body      200 {"count": n}
    GET    /todos/{id}       findById      ?filter= (no where)  200 Todo, or 404
    PATCH  /todos/{id}       updateById    TodoPartial body   204, or 404
    PUT    /todos/{id}       replaceById   Todo body          204, or 404
    DELETE /todos/{id}       deleteById                       204, or 404

Operation ids and tags are LoopBack's (``TodoController.find``). The routes
go through the sequence like any other: ``findRoute`` finds them,
``parseParams`` coerces the id to its property's type and parses the
filters (``composer.rest.crud_query``), ``invoke`` runs the handlers of
:class:`~composer.rest.crud_handlers.CrudHandlers`. ``GET /todos`` with the
header ``Prefer: count=exact`` also answers ``X-Total-Count``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.repository.entity import Catalog
from composer.repository.filter import FilterLimits
from composer.repository.keywords import STORABLE_PATTERN
from composer.rest.cors import TOTAL_COUNT_HEADER
from composer.rest.crud_handlers import CrudHandlers
from composer.rest.crud_query import (
    PREFER_DESCRIPTION,
    by_id_filter_converter,
    filter_converter,
    id_converter,
    where_converter,
)
from composer.rest.crud_schema import ref
from composer.rest.model_schema import INT64_MAX, INT64_MIN
from composer.rest.route import Parameter, ParameterType, RequestBody, Route, RouteResponse
from composer.spec import rest_path

if TYPE_CHECKING:
    from composer.repository.repository import Repository
    from composer.spec import AppSpec

__all__ = ["crud_routes", "error_responses", "key_parameter"]

#: the path parameter type of an id property, by property type (others are strings)
_ID_TYPES: dict[str, ParameterType] = {
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


def error_responses(*statuses: int) -> tuple[RouteResponse, ...]:
    """The documented error answers of a route, each with LoopBack's ``Error`` body.

    >>> [(r.status, r.description) for r in error_responses(404)]
    [(404, 'No instance has this id')]
    """
    descriptions = {
        400: "Bad request: a malformed parameter or body",
        404: "No instance has this id",
        409: "Conflict: a unique value is taken",
        413: "The request body is too large",
        414: "The URL is too long (a filter too large for a query string)",
        415: "The request body is not JSON",
        422: "The request body is invalid; `details` lists every violation",
        503: "The datasource is unavailable or timed out",
    }
    return tuple(RouteResponse(status, descriptions[status], ref("Error")) for status in statuses)


def key_parameter(name: str, type_: str) -> Parameter:
    """The path parameter ``name`` holding a key of property type ``type_`` (an id).

    The text is converted by the key's type (an integer spans 64 bits); a string
    key holding NUL is no row's key, which the schema says.

    >>> key_parameter("id", "integer").schema["maximum"]
    9223372036854775807
    """
    schema: dict[str, Any] = {"type": _ID_TYPES.get(type_, "string")}
    if schema["type"] == "integer":
        schema.update(minimum=INT64_MIN, maximum=INT64_MAX)
    elif schema["type"] == "string":
        # no row has a string id holding NUL (such an id is a 404)
        schema["pattern"] = STORABLE_PATTERN
    return Parameter(
        name, "path", "string", required=True, schema=schema, convert=id_converter(type_)
    )


def crud_routes(
    spec: AppSpec,
    name: str,
    repository: Repository | None = None,
    catalog: Catalog | None = None,
) -> tuple[Route, ...]:
    """The CRUD routes of model ``name``, served by ``repository`` (None: described only).

    ``catalog`` (one per generation, shared by every model's routes) looks up the models
    the filters' ``include`` and relation paths lead to.

    >>> from composer.spec import AppSpec, ModelSpec, ModelRestSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", rest=ModelRestSpec(readonly=True),
    ...     properties={"id": PropertySpec(type="integer", id=True)})})
    >>> [(r.method, r.path, r.operation_id) for r in crud_routes(app, "Tag")]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('GET', '/tags', 'TagController.find'), ('GET', '/tags/count', 'TagController.count'),
     ('GET', '/tags/{id}', 'TagController.findById')]
    """
    model = spec.models[name]
    path = rest_path(name, model)
    if path is None:
        return ()
    base = path.rstrip("/")
    catalog = catalog or Catalog(spec)
    info = catalog.require(name)
    pagination = spec.rest.pagination
    depth = spec.rest.max_include_depth
    scope = None if repository is None else repository.scope
    # a default scope's limit is the model's page size (it would lose to a default limit)
    default_limit = scope.limit if scope is not None and scope.limit is not None else None
    limits = FilterLimits(
        default_limit=default_limit or pagination.default_limit,
        max_limit=pagination.max_limit,
        max_include_depth=depth,
    )
    by_id_limits = FilterLimits(max_limit=pagination.max_limit, max_include_depth=depth)
    parse_find_filter = filter_converter(info, limits, catalog)
    handlers = CrudHandlers(name, repository, default_filter=parse_find_filter(None))
    controller = f"{name}Controller"
    tags = (controller,)
    id_parameter = key_parameter("id", info.id.type)
    filter_parameter = Parameter(
        "filter",
        "query",
        "object",
        schema=ref(f"{name}.Filter"),
        convert=parse_find_filter,
    )
    by_id_filter = Parameter(
        "filter",
        "query",
        "object",
        schema=ref(f"{name}.FilterExcludingWhere"),
        convert=by_id_filter_converter(info, by_id_limits, catalog),
    )
    where_parameter = Parameter(
        "where",
        "query",
        "object",
        schema=ref(f"{name}.WhereFilter"),
        convert=where_converter(info, limits, catalog),
    )
    prefer = Parameter("Prefer", "header", "string", description=PREFER_DESCRIPTION)
    count = RouteResponse(200, f"{name} model count", ref("loopback.Count"))
    total: dict[str, Any] = {
        TOTAL_COUNT_HEADER: {
            "description": "with `Prefer: count=exact`: the instances matching `where`, "
            "ignoring `limit` and `skip`",
            "schema": {"type": "integer", "minimum": 0},
        }
    }
    instances = {"type": "array", "items": ref(f"{name}WithRelations")}
    reads = (
        Route(
            "GET",
            base or "/",
            handlers.find,
            operation_id=f"{controller}.find",
            summary=f"Find {name} instances matching a filter",
            tags=tags,
            parameters=(filter_parameter, prefer),
            responses=(
                RouteResponse(200, f"Array of {name} model instances", instances, total),
                *error_responses(400, 414, 503),
            ),
        ),
        Route(
            "GET",
            f"{base}/count",
            handlers.count,
            operation_id=f"{controller}.count",
            summary=f"Count the {name} instances matching a where filter",
            tags=tags,
            parameters=(where_parameter,),
            responses=(count, *error_responses(400, 414, 503)),
        ),
        Route(
            "GET",
            f"{base}/{{id}}",
            handlers.find_by_id,
            operation_id=f"{controller}.findById",
            summary=f"Find the {name} with this id",
            tags=tags,
            parameters=(id_parameter, by_id_filter),
            responses=(
                RouteResponse(200, f"{name} model instance", ref(f"{name}WithRelations")),
                *error_responses(400, 404, 414, 503),
            ),
        ),
    )
    if not info.addressable:
        return reads[:2]  # a read-only model without one id: find and count only
    if model.rest.readonly:
        return reads
    body_errors = (400, 409, 413, 415, 422, 503)
    writes = (
        Route(
            "POST",
            base or "/",
            handlers.create,
            operation_id=f"{controller}.create",
            summary=f"Create a {name}",
            tags=tags,
            body=RequestBody(ref(f"New{name}"), when_absent={}),
            responses=(
                RouteResponse(200, f"{name} model instance", ref(name)),
                *error_responses(*body_errors),
            ),
        ),
        Route(
            "PATCH",
            base or "/",
            handlers.update_all,
            operation_id=f"{controller}.updateAll",
            summary=f"Update every {name} matching a where filter",
            tags=tags,
            parameters=(where_parameter,),
            body=RequestBody(ref(f"{name}Partial"), required=False, when_absent={}),
            responses=(
                RouteResponse(200, f"{name} PATCH success count", ref("loopback.Count")),
                *error_responses(414, *body_errors),
            ),
        ),
        Route(
            "PATCH",
            f"{base}/{{id}}",
            handlers.update_by_id,
            operation_id=f"{controller}.updateById",
            summary=f"Update some properties of the {name} with this id",
            tags=tags,
            parameters=(id_parameter,),
            body=RequestBody({"allOf": [ref(f"{name}Partial")], "minProperties": 1}),
            responses=(
                RouteResponse(204, f"{name} PATCH success"),
                *error_responses(404, *body_errors),
            ),
        ),
        Route(
            "PUT",
            f"{base}/{{id}}",
            handlers.replace_by_id,
            operation_id=f"{controller}.replaceById",
            summary=f"Replace the {name} with this id",
            tags=tags,
            parameters=(id_parameter,),
            body=RequestBody(ref(name), when_absent={}),
            responses=(
                RouteResponse(204, f"{name} PUT success"),
                *error_responses(404, *body_errors),
            ),
        ),
        Route(
            "DELETE",
            f"{base}/{{id}}",
            handlers.delete_by_id,
            operation_id=f"{controller}.deleteById",
            summary=f"Delete the {name} with this id",
            tags=tags,
            parameters=(id_parameter,),
            responses=(
                RouteResponse(204, f"{name} DELETE success"),
                *error_responses(400, 404, 503),
            ),
        ),
    )
    return (*reads, *writes)
