"""The runner that gives aiohttp's own protocol-level rejections the JSON error shape.

Some requests never reach the application: the HTTP parser rejects them
while reading the request line or the headers (a malformed request line, a
20 KB URL, 100 KB of headers, bad chunked encoding). aiohttp answers those
from ``RequestHandler.handle_error`` with a plain-text body, bypassing every
middleware. It has no hook for this: ``web_server.Server`` builds a
``RequestHandler`` directly for each connection. So :func:`make_runner`
returns an ``AppRunner`` whose server builds :class:`JsonErrorRequestHandler`
(a ``RequestHandler`` whose only change is ``handle_error``) instead; the
protocol, parsing and keep-alive logic stay aiohttp's.

The parser raises the same ``LineTooLong`` for an overlong request line and an
overlong header field, with the limit that was crossed. The runner gives the
two limits different defaults so ``handle_error`` can tell them apart: the
request line (:data:`REQUEST_LINE_LIMIT`) -> 414, a header field
(:data:`HEADER_FIELD_LIMIT`) or too many headers -> 431.
"""

from __future__ import annotations

import asyncio
import logging
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage, HttpProcessingError, LineTooLong
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_server import Server

from composer.errors import HttpError
from composer.rest.rejection import error_response, render

__all__ = [
    "DEBUG_ERRORS",
    "HEADER_FIELD_LIMIT",
    "REQUEST_LINE_LIMIT",
    "JsonErrorRequestHandler",
    "make_runner",
]

logger = logging.getLogger("composer.rest")

#: the longest request line (method, URI, version) in bytes; longer -> 414
REQUEST_LINE_LIMIT = 8192
#: the longest header field (name and value) in bytes; longer -> 431
HEADER_FIELD_LIMIT = 8190

#: whether 5xx bodies carry the exception and its stack (``activate(debug=...)``)
DEBUG_ERRORS = web.AppKey("composer.rest.debug_errors", bool)


def _protocol_error(handler: RequestHandler, status: int, exc: BaseException) -> HttpError | None:
    if isinstance(exc, LineTooLong):
        limit = exc.args[1] if len(exc.args) > 1 else None
        if limit == handler.max_line_size and limit != handler.max_field_size:
            return HttpError(414, f"The request line is longer than {limit} bytes.")
        return HttpError(431, f"A request header is longer than {limit} bytes.")
    if isinstance(exc, BadHttpMessage) and exc.message == "Too many headers received":
        return HttpError(431, f"The request has more than {handler.max_headers} headers.")
    if isinstance(exc, HttpProcessingError):
        reason = (exc.message or "").strip().splitlines()
        detail = reason[0].rstrip(":") if reason else "Bad Request"
        return HttpError(status if status < 500 else 400, f"Malformed HTTP request: {detail}")
    if status < 500:
        return HttpError(status, "Malformed HTTP request")
    return None


class JsonErrorRequestHandler(RequestHandler):
    """aiohttp's connection handler, with errors answered in the JSON shape."""

    __slots__ = ("_debug_errors",)

    def __init__(self, manager: Server, *, debug_errors: bool, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._debug_errors = debug_errors

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """Answer a request the application never saw, or one that failed outside it."""
        failure = exc if exc is not None else RuntimeError(message or f"HTTP {status}")
        error = _protocol_error(self, status, failure)
        if error is None:
            self.log_exception("Error handling request from %s", request.remote, exc_info=exc)
            if status != 500:
                error = HttpError(status, HTTPStatus(status).phrase)
        else:
            logger.debug("rejected a request from %s: %s", request.remote, error.message)
        # some of the response is already out: the connection is broken, aiohttp drops it
        if request.writer.output_size > 0:
            raise ConnectionError("the response is partly sent; no error answer possible")
        response = render(failure, error, debug=self._debug_errors)
        response.force_close()
        return response

    async def finish_response(
        self, request: BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        """Send ``resp``; an aiohttp HTTP error that escaped the application becomes JSON.

        aiohttp raises some errors before the middlewares run (an unknown
        ``Expect`` header -> 417) and answers the exception itself.
        """
        if isinstance(resp, web.HTTPException) and resp.status >= 400:
            resp = error_response(resp, request, debug=self._debug_errors)
        return await super().finish_response(request, resp, start_time)


class _JsonErrorServer(Server):
    def __init__(self, server: Server, *, debug_errors: bool) -> None:
        super().__init__(
            server.request_handler,
            request_factory=server.request_factory,
            handler_cancellation=server.handler_cancellation,
            loop=asyncio.get_running_loop(),
            **server._kwargs,
        )
        self._debug_errors = debug_errors

    def __call__(self) -> RequestHandler:
        return JsonErrorRequestHandler(
            self, loop=self._loop, debug_errors=self._debug_errors, **self._kwargs
        )


class _JsonErrorRunner(web.AppRunner):
    async def _make_server(self) -> Server:
        # AppRunner starts the app and builds aiohttp's Server; keep its settings, swap the class
        server = await super()._make_server()
        return _JsonErrorServer(server, debug_errors=self.app.get(DEBUG_ERRORS, False))


def make_runner(app: web.Application, **kwargs: Any) -> web.AppRunner:
    """An ``AppRunner`` for ``app`` whose protocol-level errors are JSON too.

    ``kwargs`` go to ``web.AppRunner`` (``handle_signals``, ``shutdown_timeout``,
    ``access_log``, ``max_line_size``, ``max_field_size``, ...)::

        runner = make_runner(activate(spec))
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 3000).start()
    """
    kwargs.setdefault("max_line_size", REQUEST_LINE_LIMIT)
    kwargs.setdefault("max_field_size", HEADER_FIELD_LIMIT)
    return _JsonErrorRunner(app, **kwargs)
