"""The ``parseParams`` action: a route's parameters and body, coerced once per request.

Each route's parser is compiled at activation from its :class:`Route`: one
``(name, location, coercer, required)`` entry per parameter and a
:class:`JsonBodyReader` when it takes a body. A route that takes nothing has
no parser and ``parseParams`` does nothing for it. LoopBack's order of checks
holds: a missing or empty value of a required parameter is
``MISSING_REQUIRED_PARAMETER``; an empty optional value is coerced like any
other (an empty ``integer`` is ``INVALID_PARAMETER_VALUE``, an empty
``string`` is ``""``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from composer.rest.coercion import Coercer, coercer, missing_value
from composer.rest.json_body import JsonBodyReader
from composer.rest.route import ParameterLocation, Route

if TYPE_CHECKING:
    from composer.rest.context import RequestContext
    from composer.rest.sequence import Action, SequenceSetup

__all__ = ["ParameterParser", "compile_parser", "parse_params"]

ParameterParser = Callable[["RequestContext"], Awaitable[None]]


class _CompiledParser:
    __slots__ = ("_body", "_parameters")

    def __init__(
        self,
        parameters: tuple[tuple[str, ParameterLocation, Coercer, bool], ...],
        body: JsonBodyReader | None,
    ) -> None:
        self._parameters = parameters
        self._body = body

    async def __call__(self, ctx: RequestContext) -> None:
        request = ctx.request
        values: dict[str, Any] = {}
        for name, location, coerce, required in self._parameters:
            if location == "path":
                raw = ctx.path_params.get(name)
            elif location == "query":
                raw = request.query.get(name)
            else:
                raw = request.headers.get(name)
            if raw is None or raw == "":
                if required:
                    raise missing_value(name)
                if raw is None:
                    continue
            values[name] = coerce(name, raw)
        ctx.params = values
        if self._body is not None:
            ctx.body = await self._body(request)


def compile_parser(route: Route, *, max_body_size: int) -> ParameterParser | None:
    """The parser of one route, or None when it takes no parameters and no body.

    >>> from composer.rest.route import Parameter
    >>> async def show(ctx): return ctx.params
    >>> route = Route("GET", "/items/{id}", show, operation_id="show", summary="Show",
    ...               parameters=(Parameter("id", "path", "integer", required=True),))
    >>> compile_parser(route, max_body_size=1024) is not None
    True
    """
    if not route.parameters and route.body is None:
        return None
    parameters = tuple(
        (p.name, p.location, coercer(p.type), p.required or p.location == "path")
        for p in route.parameters
    )
    body = (
        JsonBodyReader(required=route.body.required, max_size=max_body_size)
        if route.body is not None
        else None
    )
    return _CompiledParser(parameters, body)


def parse_params(setup: SequenceSetup) -> Action:
    """Build ``parseParams``: run the matched endpoint's compiled parser.

    ::

        parse = parse_params(setup)
        await parse(ctx)   # ctx.params and ctx.body filled, or an HttpError
    """

    async def parse_params(ctx: RequestContext) -> None:
        endpoint = ctx.endpoint
        if endpoint is not None and endpoint.parse is not None:
            await endpoint.parse(ctx)

    return parse_params
