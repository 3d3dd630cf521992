"""Serve an App until SIGTERM or SIGINT, then stop it gracefully.

:func:`serve` is the blocking entry point ``composer serve`` uses: it runs an
event loop (uvloop's when that package is installed, asyncio's otherwise),
starts the App, calls ``on_ready``, waits for SIGTERM or SIGINT, stops the
App (in-flight requests finish, datasources disconnect in reverse order)
and returns.
"""

from __future__ import annotations

import asyncio
import importlib
import signal
from collections.abc import Callable
from typing import cast

from composer.ops.app import App

__all__ = ["STOP_SIGNALS", "serve"]

#: the signals that stop a served App
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

LoopFactory = Callable[[], asyncio.AbstractEventLoop]


def serve(
    app: App,
    *,
    host: str | None = None,
    port: int | None = None,
    on_ready: Callable[[App], None] | None = None,
) -> None:
    """Start ``app``, call ``on_ready(app)``, serve until SIGTERM/SIGINT, stop; blocks until then.

    ::

        from composer import boot, serve
        serve(boot("examples/todo"), on_ready=lambda app: print(f"serving on {app.url}"))

    A start failure (a datasource that cannot connect, a busy port) is raised
    as the App raises it; so is a :class:`~composer.errors.ShutdownError` from stopping.
    """
    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(_serve(app, host, port, on_ready))


async def _serve(
    app: App, host: str | None, port: int | None, on_ready: Callable[[App], None] | None
) -> None:
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stopping.set)
    try:
        await app.start(host, port)
        try:
            if on_ready is not None:
                on_ready(app)
            await stopping.wait()
        finally:
            await app.stop()
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)


def _loop_factory() -> LoopFactory | None:
    try:
        uvloop = importlib.import_module("uvloop")
    except ImportError:
        return None
    return cast(LoopFactory, uvloop.new_event_loop)
