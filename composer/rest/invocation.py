"""The ``invoke`` and ``send`` actions: run the route's handler, answer its result.

``send`` serialises with orjson: a result is answered 200 ``application/json``,
None is 204 without a body, and a handler that built its own aiohttp response
gets it sent as is. Decimals become JSON numbers and bytes base64 strings.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web

if TYPE_CHECKING:
    from composer.rest.context import RequestContext
    from composer.rest.sequence import Action, SequenceSetup

__all__ = ["invoke", "json_default", "send"]


def json_default(value: Any) -> Any:
    """What orjson writes for the types it does not know (numeric columns, buffers).

    >>> orjson.dumps({"price": Decimal("2.50"), "blob": b"hi"}, default=json_default)
    b'{"price":2.5,"blob":"aGk="}'
    """
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def invoke(setup: SequenceSetup) -> Action:
    """Build ``invoke``: call the matched route's handler and keep its result."""

    async def invoke(ctx: RequestContext) -> None:
        endpoint = ctx.endpoint
        if endpoint is None:
            raise RuntimeError("invoke ran before findRoute chose an endpoint")
        ctx.result = await endpoint.route.handler(ctx)

    return invoke


def send(setup: SequenceSetup) -> Action:
    """Build ``send``: answer the result (200 JSON, or 204 for None) with the handler's and
    the CORS headers."""

    async def send(ctx: RequestContext) -> None:
        result = ctx.result
        response: web.StreamResponse
        if result is None:
            response = web.Response(status=204)
        elif isinstance(result, web.StreamResponse):
            response = result
        else:
            response = web.Response(
                body=orjson.dumps(result, default=json_default), content_type="application/json"
            )
        if ctx.response_headers:
            response.headers.update(ctx.response_headers)
        if ctx.cors_headers:
            response.headers.update(ctx.cors_headers)
        ctx.response = response

    return send
