"""The ``cors`` action: cross-origin resource sharing with LoopBack's defaults.

Defaults (``rest.cors``): any origin, methods ``GET,HEAD,PUT,PATCH,POST,DELETE``,
credentials allowed, preflight answers cached for 86400 s. Behaviour:

- ``Access-Control-Expose-Headers`` lists ``rest.cors.exposeHeaders`` and
  ``X-Total-Count`` (the total a paged ``find`` reports), so browser scripts
  can read it;
- a request without an ``Origin`` header gets no CORS headers;
- an origin outside a list that does not contain ``*`` gets none either;
- with ``*`` and credentials the request's origin is reflected (browsers
  refuse ``*`` together with credentials), with ``Vary: Origin``;
- a preflight (``OPTIONS`` with ``Access-Control-Request-Method``) is answered
  204 at once with the ``Access-Control-Allow-*`` headers, whatever the path;
  the allowed headers are the configured ones, or the requested ones echoed;
- ``rest.cors.enabled: false`` leaves the action out of the sequence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from composer.rest.context import RequestContext
    from composer.rest.sequence import Action, SequenceSetup

__all__ = ["TOTAL_COUNT_HEADER", "cors"]

#: the header ``GET <model path>`` answers with ``Prefer: count=exact``; always exposed
TOTAL_COUNT_HEADER = "X-Total-Count"


def cors(setup: SequenceSetup) -> Action | None:
    """Build ``cors`` from ``rest.cors``; None (no action) when CORS is disabled.

    >>> from composer.spec import AppSpec, CorsSpec, RestSpec
    >>> from composer.rest.sequence import SequenceSetup
    >>> from composer.rest.router import Router
    >>> spec = AppSpec(api_version="composer/v1", name="a",
    ...                rest=RestSpec(cors=CorsSpec(enabled=False)))
    >>> cors(SequenceSetup(spec, Router([]), debug=False)) is None
    True
    """
    config = setup.spec.rest.cors
    if not config.enabled:
        return None
    any_origin = "*" in config.origins
    allowed = frozenset(config.origins)
    credentials = config.credentials
    # headers every answer to an allowed origin carries, beyond Allow-Origin
    common: dict[str, str] = {}
    if credentials:
        common["Access-Control-Allow-Credentials"] = "true"
    exposed = list(config.expose_headers)
    if TOTAL_COUNT_HEADER.lower() not in {name.lower() for name in exposed}:
        exposed.append(TOTAL_COUNT_HEADER)
    common["Access-Control-Expose-Headers"] = ",".join(exposed)
    preflight: dict[str, str] = {
        **common,
        "Access-Control-Allow-Methods": ",".join(config.methods),
        "Access-Control-Max-Age": str(config.max_age),
    }
    allow_headers = ",".join(config.headers)

    def allow_origin(origin: str) -> str | None:
        if any_origin:
            return origin if credentials else "*"
        return origin if origin in allowed else None

    async def cors(ctx: RequestContext) -> None:
        request = ctx.request
        origin = request.headers.get("Origin")
        if origin is None:
            return
        allowed_origin = allow_origin(origin)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            headers: dict[str, str] = {}
            if allowed_origin is not None:
                headers.update(preflight)
                headers["Access-Control-Allow-Origin"] = allowed_origin
                vary = [] if allowed_origin == "*" else ["Origin"]
                if allow_headers:
                    headers["Access-Control-Allow-Headers"] = allow_headers
                else:
                    requested = request.headers.get("Access-Control-Request-Headers")
                    if requested:
                        headers["Access-Control-Allow-Headers"] = requested
                    vary.append("Access-Control-Request-Headers")
                if vary:
                    headers["Vary"] = ", ".join(vary)
            ctx.response = web.Response(status=204, headers=headers)
            return
        if allowed_origin is not None:
            headers = {**common, "Access-Control-Allow-Origin": allowed_origin}
            if allowed_origin != "*":
                headers["Vary"] = "Origin"
            ctx.cors_headers = headers

    return cors
