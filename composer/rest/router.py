"""The ``findRoute`` action and the route table it searches, compiled once per generation.

Static paths (``/ping``) live in a dict; templated ones (``/todos/{id}``) are
compiled regexes, tried most specific first (a literal segment beats a
placeholder at the same position). Paths are matched raw, as the client sent
them, and placeholder values are percent-decoded afterwards, so ``%2F`` in an
id never splits a segment. A trailing slash is tolerated; ``HEAD`` falls back
to the ``GET`` route. No route -> 404 ``Endpoint "GET /x" not found.``, also
for a known path asked with another verb (as LoopBack answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from composer.errors import BootError, HttpError
from composer.rest.context import NO_PARAMS
from composer.rest.route import Route, template_names

if TYPE_CHECKING:
    from composer.rest.context import RequestContext
    from composer.rest.parameters import ParameterParser
    from composer.rest.sequence import Action, SequenceSetup

__all__ = ["Endpoint", "Router", "find_route", "not_found"]

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True, slots=True, eq=False)
class Endpoint:
    """A route with what was compiled for it at activation (its parameter parser)."""

    route: Route
    parse: ParameterParser | None = None


def not_found(method: str, path: str) -> HttpError:
    """The 404 of a request no route answers.

    >>> not_found("GET", "/x").message
    'Endpoint "GET /x" not found.'
    """
    return HttpError(404, f'Endpoint "{method} {path}" not found.')


def _normalise(path: str) -> str:
    stripped = path.rstrip("/")
    return stripped or "/"


def _specificity(template: str) -> tuple[int, ...]:
    # 0 for a literal segment, 1 for a placeholder: sorts literals first, position by position
    return tuple(1 if "{" in segment else 0 for segment in template.split("/"))


def _compile_template(template: str) -> re.Pattern[str]:
    pattern = ""
    last = 0
    for match in _PLACEHOLDER.finditer(template):
        pattern += re.escape(template[last : match.start()]) + "([^/]+)"
        last = match.end()
    return re.compile(pattern + re.escape(template[last:]))


class Router:
    """Finds the endpoint of a method and a path relative to the basePath.

    >>> async def ping(ctx): return {}
    >>> router = Router([Endpoint(Route("GET", "/ping", ping, operation_id="ping", summary=""))])
    >>> router.match("GET", "/ping/")[0].route.path
    '/ping'
    """

    __slots__ = ("_static", "_templated")

    def __init__(self, endpoints: Iterable[Endpoint]) -> None:
        static: dict[str, dict[str, Endpoint]] = {}
        templated: dict[str, dict[str, Endpoint]] = {}
        for endpoint in endpoints:
            route = endpoint.route
            path = _normalise(route.path)
            table = templated if template_names(path) else static
            verbs = table.setdefault(path, {})
            if route.method in verbs:
                other = verbs[route.method].route.operation_id
                raise BootError(
                    f"{route.method} {route.path} is answered by both {other} "
                    f"and {route.operation_id}",
                    artifact="routes",
                )
            verbs[route.method] = endpoint
        self._static = static
        self._templated = tuple(
            (_compile_template(path), template_names(path), verbs)
            for path, verbs in sorted(templated.items(), key=lambda item: _specificity(item[0]))
        )

    def match(self, method: str, path: str) -> tuple[Endpoint, Mapping[str, str]] | None:
        """The endpoint answering ``method path`` and its decoded path parameters."""
        if len(path) > 1 and path[-1] == "/":
            path = _normalise(path)
        verbs = self._static.get(path)
        if verbs is not None:
            endpoint = verbs.get(method) or (verbs.get("GET") if method == "HEAD" else None)
            if endpoint is not None:
                return endpoint, NO_PARAMS
        for pattern, names, verbs in self._templated:
            found = pattern.fullmatch(path)
            if found is None:
                continue
            endpoint = verbs.get(method) or (verbs.get("GET") if method == "HEAD" else None)
            if endpoint is not None:
                return endpoint, {
                    name: unquote(value) for name, value in zip(names, found.groups(), strict=True)
                }
        return None


def find_route(setup: SequenceSetup) -> Action:
    """Build ``findRoute``: match the request to an endpoint or answer 404.

    ::

        find = find_route(setup)
        await find(ctx)   # ctx.endpoint and ctx.path_params set, or a 404 HttpError
    """
    router = setup.router
    prefix = len(setup.base_path) if setup.base_path != "/" else 0

    async def find_route(ctx: RequestContext) -> None:
        request = ctx.request
        raw_path = request.rel_url.raw_path
        found = router.match(request.method, raw_path[prefix:] or "/")
        if found is None:
            raise not_found(request.method, raw_path)
        ctx.endpoint, ctx.path_params = found

    return find_route
