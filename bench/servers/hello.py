"""A raw aiohttp hello-world: every ``GET`` answers the ping document, nothing else runs.

``python -m bench.servers.hello --port P`` is the physical limit of the stack
(aiohttp's server and orjson); ``--floor`` first imports every runtime
dependency composer declares, without importing composer: its start-up time
and memory are the *import floor* a composer process cannot go below.
"""

from __future__ import annotations

import argparse
import importlib
from datetime import UTC, datetime

import orjson
from aiohttp import web

__all__ = ["RUNTIME_MODULES", "import_floor", "main", "make_app", "ping"]

#: the import names of composer's runtime dependencies (pyproject's ``dependencies``)
RUNTIME_MODULES = (
    "yaml",
    "pydantic",
    "aiohttp",
    "dependency_injector.containers",
    "dependency_injector.providers",
    "sqlalchemy",
    "sqlalchemy.ext.asyncio",
    "aiosqlite",
    "asyncpg",
    "aiomysql",
    "orjson",
    "click",
    "swagger_ui_bundle",
    "re2",
)


def import_floor() -> None:
    """Import every module of :data:`RUNTIME_MODULES`."""
    for name in RUNTIME_MODULES:
        importlib.import_module(name)


async def ping(request: web.Request) -> web.Response:
    """The LoopBack ping document (greeting, date, url, headers), as composer's ``/ping`` has."""
    now = datetime.now(UTC)
    body = {
        "greeting": "Hello from aiohttp",
        "date": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
        "url": request.path_qs,
        "headers": {name.lower(): value for name, value in request.headers.items()},
    }
    return web.Response(body=orjson.dumps(body), content_type="application/json")


def make_app() -> web.Application:
    """The application: ``ping`` on every GET path."""
    app = web.Application()
    app.router.add_get("/{tail:.*}", ping)
    return app


def main() -> None:
    """Parse ``--host/--port/--floor`` and serve until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--floor", action="store_true", help="import composer's dependencies")
    args = parser.parse_args()
    if args.floor:
        import_floor()
    web.run_app(make_app(), host=args.host, port=args.port, print=None)


if __name__ == "__main__":
    main()
