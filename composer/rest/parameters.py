"""The ``parseParams`` action: a route's parameters and body, coerced once per request.

Each route's parser is compiled at activation from its :class:`Route`: one
entry (name, location, coercer, required, converter) per parameter and a
:class:`JsonBodyReader` when it takes a body. A route that takes nothing has
no parser and ``parseParams`` does nothing for it. LoopBack's order of checks
holds: a missing or empty value of a required parameter is
``MISSING_REQUIRED_PARAMETER``; an empty optional value is coerced like any
other (an empty ``integer`` is ``INVALID_PARAMETER_VALUE``, an empty
``string`` is ``""``). An ``object`` query parameter without a plain value
is looked for in bracket syntax (``?filter[where][done]=true``), as
LoopBack's query-string parser reads it; then the parameter's ``convert``
(a filter parser) runs on the coerced value. A query value whose
percent-encoding is not UTF-8 is taken as sent, still encoded, as LoopBack's
query parser leaves it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import unquote_plus, unquote_to_bytes

from multidict import MultiMapping

from composer.repository.querystring import parse_query
from composer.rest.coercion import Coercer, coercer, invalid_value, missing_value
from composer.rest.json_body import JsonBodyReader, check_keys
from composer.rest.route import ParameterLocation, Route

if TYPE_CHECKING:
    from composer.rest.context import RequestContext
    from composer.rest.sequence import Action, SequenceSetup

__all__ = ["ParameterParser", "compile_parser", "parse_params", "query_object"]

ParameterParser = Callable[["RequestContext"], Awaitable[None]]


def query_object(query: MultiMapping[str], name: str) -> object | None:
    """The bracket-syntax value of query parameter ``name``, or None when there is none.

    ``?filter[where][title]=milk&filter[limit]=2`` gives
    ``{"where": {"title": "milk"}, "limit": "2"}`` (leaves stay strings).

    >>> from multidict import MultiDict
    >>> query_object(MultiDict([("where[done]", "true"), ("x", "1")]), "where")
    {'done': 'true'}
    """
    prefix = name + "["
    pairs = [(key, value) for key, value in query.items() if key.startswith(prefix)]
    if not pairs:
        return None
    return parse_query(pairs).get(name)


class _Entry(NamedTuple):
    name: str
    location: ParameterLocation
    coerce: Coercer
    required: bool
    convert: Callable[[Any], Any] | None
    #: an object in the query string, which may come in bracket syntax
    brackets: bool


class _CompiledParser:
    __slots__ = ("_body", "_parameters")

    def __init__(self, parameters: tuple[_Entry, ...], body: JsonBodyReader | None) -> None:
        self._parameters = parameters
        self._body = body

    async def __call__(self, ctx: RequestContext) -> None:
        request = ctx.request
        values: dict[str, Any] = {}
        for name, location, coerce, required, convert, brackets in self._parameters:
            if location == "path":
                raw = ctx.path_params.get(name)
            elif location == "query":
                raw = request.query.get(name)
                if raw is not None and "\ufffd" in raw:
                    raw = _undecoded(request.raw_path.partition("?")[2], name, raw)
            else:
                raw = request.headers.get(name)
            value: Any
            if raw is None and brackets:
                value = _bracket_value(name, request.query)
            elif raw is None or raw == "":
                if required:
                    raise missing_value(name)
                value = None if raw is None else coerce(name, raw)
            else:
                value = coerce(name, raw)
            if value is None:
                if required:
                    raise missing_value(name)
                if raw is None:
                    continue
            elif convert is not None:
                value = convert(value)
            values[name] = value
        ctx.params = values
        if self._body is not None:
            ctx.body = await self._body(request)


def _undecoded(raw_query: str, name: str, decoded: str) -> str:
    """The value of ``name`` as sent when its percent-encoding is not UTF-8, else ``decoded``.

    The URL parser replaces bytes that are not UTF-8 with U+FFFD; LoopBack's
    query parser keeps such a value percent-encoded, so ``?filter=%FF``
    is rejected as the text ``%FF`` rather than read as a replacement
    character.
    """
    for pair in raw_query.split("&"):
        key, _, value = pair.partition("=")
        if unquote_plus(key) != name:
            continue
        try:
            unquote_to_bytes(value.replace("+", " ")).decode("utf-8")
        except UnicodeDecodeError:
            return value
        return decoded
    return decoded


def _bracket_value(name: str, query: MultiMapping[str]) -> dict[str, Any] | None:
    value = query_object(query, name)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_value(name, value)
    problem = check_keys(value)
    if problem is not None:
        raise invalid_value(name, value, {"syntaxError": problem})
    return value


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
        _Entry(
            p.name,
            p.location,
            coercer(p.type),
            p.required or p.location == "path",
            p.convert,
            p.location == "query" and p.type == "object",
        )
        for p in route.parameters
    )
    body = (
        JsonBodyReader(
            required=route.body.required,
            max_size=max_body_size,
            when_absent=route.body.when_absent,
        )
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
