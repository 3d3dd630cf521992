"""5 ACTIVATE: the aiohttp application of a generation.

::

    app = composer.rest.activate(spec, container)   # routes, sequence, OpenAPI, explorer
    runner = composer.rest.make_runner(app)         # protocol-level errors in JSON too

Every request under the basePath runs the sequence (``composer.rest.sequence``):
``cors -> findRoute -> authenticate -> authorize -> parseParams -> invoke -> send``,
errors to ``reject``. ``/openapi.json``, ``/openapi.yaml`` and ``/explorer`` are
served at the root, outside it. Every error, anywhere, is LoopBack's JSON
shape (``composer.rest.rejection``).
"""

from __future__ import annotations

from composer.rest.application import activate
from composer.rest.context import ANONYMOUS, Principal, RequestContext
from composer.rest.openapi import openapi_document
from composer.rest.route import Parameter, RequestBody, Route, RouteResponse
from composer.rest.routes import RouteInfo, route_table
from composer.rest.server import make_runner

__all__ = [
    "ANONYMOUS",
    "Parameter",
    "Principal",
    "RequestBody",
    "RequestContext",
    "Route",
    "RouteInfo",
    "RouteResponse",
    "activate",
    "make_runner",
    "openapi_document",
    "route_table",
]
