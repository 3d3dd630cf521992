"""A model's CRUD routes: LoopBack 4's rest-crud set, described once per generation.

For a model ``Todo`` served at ``/todos`` (``rest.readonly: true`` keeps the
three reads only)::

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

from composer.repository.entity import entity_info
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

__all__ = ["crud_routes"]

#: the path parameter type of an id property, by property type (others are strings)
_ID_TYPES: dict[str, ParameterType] = {
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


def _errors(*statuses: int) -> tuple[RouteResponse, ...]:
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


def crud_routes(
    spec: AppSpec, name: str, repository: Repository | None = None
) -> tuple[Route, ...]:
    """The CRUD routes of model ``name``, served by ``repository`` (None: described only).

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
    info = entity_info(spec, name)
    pagination = spec.rest.pagination
    scope = None if repository is None else repository.scope
    # a default scope's limit is the model's page size (it would lose to a default limit)
    default_limit = scope.limit if scope is not None and scope.limit is not None else None
    limits = FilterLimits(
        default_limit=default_limit or pagination.default_limit, max_limit=pagination.max_limit
    )
    by_id_limits = FilterLimits(max_limit=pagination.max_limit)
    parse_find_filter = filter_converter(info, limits)
    handlers = CrudHandlers(name, repository, default_filter=parse_find_filter(None))
    controller = f"{name}Controller"
    tags = (controller,)
    id_schema: dict[str, Any] = {"type": _ID_TYPES.get(info.id.type, "string")}
    if id_schema["type"] == "integer":
        id_schema.update(minimum=INT64_MIN, maximum=INT64_MAX)
    elif id_schema["type"] == "string":
        # no row has a string id holding NUL (such an id is a 404)
        id_schema["pattern"] = STORABLE_PATTERN
    # the text is converted by the id's type (an integer id spans 64 bits)
    id_parameter = Parameter(
        "id",
        "path",
        "string",
        required=True,
        schema=id_schema,
        convert=id_converter(info.id.type),
    )
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
        convert=by_id_filter_converter(info, by_id_limits),
    )
    where_parameter = Parameter(
        "where",
        "query",
        "object",
        schema=ref(f"{name}.WhereFilter"),
        convert=where_converter(info, limits),
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
                *_errors(400, 414, 503),
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
            responses=(count, *_errors(400, 414, 503)),
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
                *_errors(400, 404, 414, 503),
            ),
        ),
    )
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
                *_errors(*body_errors),
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
                *_errors(414, *body_errors),
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
            responses=(RouteResponse(204, f"{name} PATCH success"), *_errors(404, *body_errors)),
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
            responses=(RouteResponse(204, f"{name} PUT success"), *_errors(404, *body_errors)),
        ),
        Route(
            "DELETE",
            f"{base}/{{id}}",
            handlers.delete_by_id,
            operation_id=f"{controller}.deleteById",
            summary=f"Delete the {name} with this id",
            tags=tags,
            parameters=(id_parameter,),
            responses=(RouteResponse(204, f"{name} DELETE success"), *_errors(400, 404, 503)),
        ),
    )
    return (*reads, *writes)
