"""``composer serve`` plus a query counter: the launcher the benchmark runs composer with.

``python -m bench.servers.composer_server PATH --port P [--data-dir D]`` boots
the project exactly as ``composer serve`` does (``composer.boot.boot``, then
``composer.ops.serve``: same sequence, same event loop, same runner) and adds
one route outside the sequence, ``GET /__bench/statements``, answering
``{"statements": n}``: the sum of ``SqlConnector.statements`` over the
application's SQL datasources, so the benchmark can show that every request
reached the database.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable

import orjson
from aiohttp import web

from bench.servers import STATEMENTS_PATH

__all__ = ["main", "statement_counter"]


def statement_counter(app: object) -> Callable[[web.Request], Awaitable[web.Response]]:
    """The handler of ``GET /__bench/statements`` for a booted :class:`composer.ops.App`."""
    from composer.connectors import SqlConnector
    from composer.container import resolve
    from composer.ops import App

    if not isinstance(app, App):
        raise TypeError(f"not a composer App: {app!r}")
    connectors = [
        connector
        for node in app.graph.of_kind("datasource")
        if isinstance(connector := resolve(app.container, node.key), SqlConnector)
    ]

    async def statements(_request: web.Request) -> web.Response:
        total = sum(connector.statements for connector in connectors)
        return web.Response(
            body=orjson.dumps({"statements": total}), content_type="application/json"
        )

    return statements


def main() -> None:
    """Boot PATH as ``composer serve`` does, add the counter route, serve until SIGTERM."""
    from composer.boot import boot
    from composer.ops import App, serve

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--data-dir", default=None)
    args = parser.parse_args()
    app = boot(args.path, data_dir=args.data_dir)
    app.web_app.router.add_get(STATEMENTS_PATH, statement_counter(app))

    def ready(started: App) -> None:
        print(f"composer: serving {started.spec.name} at {started.url}", file=sys.stderr)

    serve(app, host=args.host, port=args.port, on_ready=ready)


if __name__ == "__main__":
    main()
