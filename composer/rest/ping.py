"""``GET /ping``: the built-in route answering like LoopBack's ping controller.

::

    {"greeting": "Hello from composer", "date": "2024-05-01T12:00:00.000Z",
     "url": "/ping?x=1", "headers": {"host": "localhost:3000", ...}}

Header names are lower-cased and repeated headers joined with ``", "``, as
Node.js presents them to LoopBack.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from composer.rest.route import Route, RouteResponse

if TYPE_CHECKING:
    from composer.rest.context import RequestContext

__all__ = ["PING_SCHEMA", "ping_route"]

#: the OpenAPI schema of the ping answer
PING_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "PingResponse",
    "properties": {
        "greeting": {"type": "string"},
        "date": {"type": "string", "format": "date-time"},
        "url": {"type": "string"},
        "headers": {
            "type": "object",
            "properties": {"content-type": {"type": "string"}},
            "additionalProperties": True,
        },
    },
}


async def _ping(ctx: RequestContext) -> dict[str, Any]:
    request = ctx.request
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    now = datetime.now(UTC)
    return {
        "greeting": "Hello from composer",
        "date": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "url": request.rel_url.raw_path_qs,
        "headers": headers,
    }


def ping_route() -> Route:
    """The ping route, served at ``<basePath>/ping``.

    >>> ping_route().operation_id
    'PingController.ping'
    """
    return Route(
        "GET",
        "/ping",
        _ping,
        operation_id="PingController.ping",
        summary="Answer a greeting with the request's date, URL and headers",
        tags=("PingController",),
        responses=(RouteResponse(200, "Ping Response", PING_SCHEMA),),
    )
