"""What a route is: a verb, a path template, a handler and what it takes and answers.

A :class:`Route` is a plain description. The router, the parameter parser and
the OpenAPI document are all compiled from it at activation, so adding a kind
of route (CRUD, a service operation) means building Routes, nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from composer.rest.context import RequestContext

__all__ = [
    "METHODS",
    "Handler",
    "Parameter",
    "ParameterLocation",
    "ParameterType",
    "RequestBody",
    "Route",
    "RouteResponse",
    "template_names",
]

#: the verbs a route may answer, in the order the route table and OpenAPI list them
METHODS: tuple[str, ...] = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

ParameterLocation = Literal["path", "query", "header"]
ParameterType = Literal["string", "number", "integer", "boolean", "object"]

#: what a route runs: it gets the request's context and returns what ``send`` answers
Handler = Callable[["RequestContext"], Awaitable[Any]]

_TEMPLATE_NAME = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_BRACES = re.compile(r"[{}]")


def template_names(path: str) -> tuple[str, ...]:
    """The ``{name}`` placeholders of a path template, in order.

    >>> template_names("/todo-lists/{id}/todos/{fk}")
    ('id', 'fk')
    """
    names = tuple(_TEMPLATE_NAME.findall(path))
    if _BRACES.search(_TEMPLATE_NAME.sub("", path)):
        raise ValueError(f"malformed path template {path!r}")
    return names


@dataclass(frozen=True, slots=True)
class Parameter:
    """A path, query or header parameter, coerced from its string by ``type``.

    An ``object`` query parameter is JSON text (``?filter={"limit":2}``) or
    bracket query strings (``?filter[limit]=2&filter[where][done]=true``,
    whose leaves stay strings). ``schema`` is the JSON Schema the OpenAPI
    document shows (default: the schema of ``type``); ``convert``, when set,
    turns the coerced value into what the handler gets (a filter string into
    a parsed query) and raises an ``HttpError`` to reject it.

    >>> Parameter("id", "path", "integer", required=True).type
    'integer'
    """

    name: str
    location: ParameterLocation
    type: ParameterType = "string"
    required: bool = False
    description: str | None = None
    schema: Mapping[str, Any] | None = None
    convert: Callable[[Any], Any] | None = None


@dataclass(frozen=True, slots=True)
class RequestBody:
    """A JSON request body and the schema the OpenAPI document shows for it.

    A request without a body is a 400 when the body is ``required``, unless
    ``when_absent`` is set: the body is then read as that object, so its
    validation names what is missing (LoopBack validates a missing create
    body as ``{}``).

    >>> RequestBody({"$ref": "#/components/schemas/NewTodo"}).required
    True
    """

    schema: Mapping[str, Any]
    required: bool = True
    description: str | None = None
    when_absent: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class RouteResponse:
    """One documented answer of a route: its status, description, JSON schema and headers.

    ``headers`` maps a response header's name to its OpenAPI header object.
    """

    status: int
    description: str
    schema: Mapping[str, Any] | None = None
    headers: Mapping[str, Mapping[str, Any]] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Route:
    """One endpoint: ``method path`` (relative to the basePath) answered by ``handler``.

    >>> async def hello(ctx): return {"hello": "world"}
    >>> Route("GET", "/hello", hello, operation_id="hello", summary="Say hello").path
    '/hello'
    """

    method: str
    path: str
    handler: Handler
    operation_id: str
    summary: str
    description: str | None = None
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    body: RequestBody | None = None
    responses: tuple[RouteResponse, ...] = ()

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown HTTP method {self.method!r} for {self.path}")
        if not self.path.startswith("/"):
            raise ValueError(f"a route path starts with '/': {self.path!r}")
        in_template = set(template_names(self.path))
        in_path = {p.name for p in self.parameters if p.location == "path"}
        if in_template != in_path:
            raise ValueError(
                f"{self.method} {self.path}: path parameters {sorted(in_path)} "
                f"do not match the template's {sorted(in_template)}"
            )
