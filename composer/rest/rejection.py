"""``reject``: every error, wherever it happens, answered in LoopBack's JSON shape.

::

    {"error": {"statusCode": 404, "name": "NotFoundError",
               "message": "Endpoint \\"GET /x\\" not found."}}

``code`` and ``details`` appear only when set. A 5xx says no more than
``{"error": {"statusCode": 500, "message": "Internal Server Error"}}`` (the
status phrase) and the traceback goes to the log; with ``debug`` the body also
carries the exception's ``name``, ``message`` and ``stack`` (a list of lines).
The same renderer serves the sequence (:func:`reject`), the middleware around
routes outside it (:func:`error_middleware`) and the protocol-level
rejections of :mod:`composer.rest.server`.
"""

from __future__ import annotations

import logging
import traceback
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import orjson
from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler, Middleware

from composer.errors import HttpError
from composer.rest.router import not_found

if TYPE_CHECKING:
    from composer.rest.context import RequestContext

__all__ = [
    "error_body",
    "error_middleware",
    "error_response",
    "reject",
    "render",
    "to_http_error",
]

logger = logging.getLogger("composer.rest")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Internal Server Error" if status >= 500 else "Bad Request"


def to_http_error(exc: BaseException, request: web.BaseRequest) -> HttpError | None:
    """The HTTP error an exception stands for, or None for an unexpected one (a 500).

    ::

        to_http_error(HttpError(409, "taken"), request).status   # 409
        to_http_error(web.HTTPNotFound(), request).message       # 'Endpoint "GET /x" not found.'
        to_http_error(ZeroDivisionError(), request)              # None
    """
    if isinstance(exc, HttpError):
        return exc
    if isinstance(exc, web.HTTPNotFound | web.HTTPMethodNotAllowed):
        # aiohttp's router found nothing outside the sequence: same answer as findRoute
        return not_found(request.method, request.rel_url.raw_path)
    if isinstance(exc, web.HTTPException):
        default_text = f"{exc.status}: {exc.reason}"
        message = exc.text if exc.text and exc.text != default_text else exc.reason
        return HttpError(exc.status, message or _phrase(exc.status))
    if isinstance(exc, web.RequestPayloadError):
        return HttpError(400, f"The request body could not be read: {exc}.")
    if isinstance(exc, HttpProcessingError):
        status = exc.code if 400 <= exc.code < 600 else 400
        return HttpError(status, exc.message or _phrase(status))
    return None


def error_body(exc: BaseException, error: HttpError | None, *, debug: bool) -> dict[str, Any]:
    """The JSON body answering ``exc``; ``error`` is ``to_http_error(exc)``.

    >>> error_body(ValueError("boom"), None, debug=False)
    {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}
    """
    if error is not None and error.status < 500:
        return error.body()
    status = 500 if error is None else error.status
    if not debug:
        return {"error": {"statusCode": status, "message": _phrase(status)}}
    body: dict[str, Any] = error.body() if error is not None else {"error": {"statusCode": status}}
    if error is None:
        body["error"]["name"] = type(exc).__name__
        body["error"]["message"] = str(exc)
    body["error"]["stack"] = [
        line for chunk in traceback.format_exception(exc) for line in chunk.rstrip("\n").split("\n")
    ]
    return body


def error_response(exc: BaseException, request: web.BaseRequest, *, debug: bool) -> web.Response:
    """The JSON response answering ``exc``; a 5xx is logged with its traceback.

    ::

        except Exception as exc:
            return error_response(exc, request, debug=False)
    """
    error = to_http_error(exc, request)
    if error is None or error.status >= 500:
        status = 500 if error is None else error.status
        logger.error(
            "%s %s failed with %d", request.method, request.rel_url.raw_path, status, exc_info=exc
        )
    return render(exc, error, debug=debug)


def render(exc: BaseException, error: HttpError | None, *, debug: bool) -> web.Response:
    """The JSON response of ``error`` (None: ``exc`` was unexpected, a 500), nothing logged.

    >>> render(KeyError("x"), None, debug=False).status
    500
    """
    return web.Response(
        status=500 if error is None else error.status,
        body=orjson.dumps(error_body(exc, error, debug=debug)),
        content_type="application/json",
        charset="utf-8",
    )


def reject(ctx: RequestContext, exc: Exception, *, debug: bool) -> web.StreamResponse:
    """Answer an error raised inside the sequence, keeping the CORS headers already decided.

    A redirect raised by a handler (an aiohttp 3xx exception) is answered as is.
    """
    if isinstance(exc, web.HTTPException) and exc.status < 400:
        response: web.StreamResponse = web.Response(
            status=exc.status, headers=exc.headers, body=exc.body
        )
    else:
        response = error_response(exc, ctx.request, debug=debug)
    if ctx.cors_headers:
        response.headers.update(ctx.cors_headers)
    return response


def error_middleware(*, debug: bool) -> Middleware:
    """The middleware giving routes outside the sequence (and aiohttp's own 404) the JSON shape.

    >>> app = web.Application(middlewares=[error_middleware(debug=False)])
    """

    @web.middleware
    async def json_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status < 400:
                raise
            return error_response(exc, request, debug=debug)
        except Exception as exc:
            return error_response(exc, request, debug=debug)

    return json_errors
