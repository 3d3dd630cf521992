"""``activate``: a spec (and its container) becomes the generation's aiohttp application.

Everything a request needs is built here, once: the routes and their
parameter parsers, the route table, the sequence's actions, the error
middleware, the OpenAPI endpoints and the explorer. Layout of the result::

    <basePath>/...          the sequence (cors, findRoute, ..., send; errors -> reject)
    /openapi.json, .yaml    the OpenAPI document, built on first request
    /explorer/              Swagger UI (unless rest.explorer.enabled is false)
    anything else           404 Endpoint "GET /x" not found.

Routes the caller adds at the root before the app starts (``/health/*``)
get the same JSON errors through the middleware.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp import web

from composer.rest.explorer import add_explorer
from composer.rest.openapi import OpenApiEndpoints
from composer.rest.parameters import compile_parser
from composer.rest.rejection import error_middleware
from composer.rest.router import Endpoint, Router
from composer.rest.routes import build_routes
from composer.rest.sequence import SequenceHandler, SequenceSetup
from composer.rest.server import DEBUG_ERRORS

if TYPE_CHECKING:
    from dependency_injector.containers import DynamicContainer

    from composer.rest.route import Route
    from composer.spec import AppSpec

__all__ = ["activate"]


def activate(
    spec: AppSpec,
    container: DynamicContainer | None = None,
    *,
    debug: bool = False,
    routes: Iterable[Route] = (),
) -> web.Application:
    """The aiohttp application serving ``spec``; ``routes`` adds routes built in Python.

    ``debug`` puts the exception and its stack into 5xx bodies. Raises
    :class:`~composer.errors.BootError` for a sequence that cannot run or two
    routes on one method and path.

    ::

        app = activate(AppSpec(api_version="composer/v1", name="todo"))
        runner = make_runner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 3000).start()
        # GET /ping -> {"greeting": "Hello from composer", ...}
    """
    all_routes = (*build_routes(spec, container), *routes)
    max_body_size = spec.rest.max_body_size
    router = Router(
        Endpoint(route, compile_parser(route, max_body_size=max_body_size)) for route in all_routes
    )
    setup = SequenceSetup(spec, router, debug=debug)
    handler = SequenceHandler(spec.sequence, setup).handle

    app = web.Application(
        client_max_size=max_body_size, middlewares=[error_middleware(debug=debug)]
    )
    app[DEBUG_ERRORS] = debug
    openapi = OpenApiEndpoints(spec, all_routes)
    app.router.add_get("/openapi.json", openapi.json)
    app.router.add_get("/openapi.yaml", openapi.yaml)
    add_explorer(app, spec)
    # the sequence's catch-all is registered last: aiohttp tries the more specific root routes first
    base = setup.base_path
    if base == "/":
        app.router.add_route("*", "/{tail:.*}", handler)
    else:
        app.router.add_route("*", base, handler)
        app.router.add_route("*", base + "/{tail:.*}", handler)
    return app
