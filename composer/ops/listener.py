"""The listening socket of one generation: bind, report the address, drain and close.

Closing is graceful: the socket stops accepting first, idle keep-alive
connections are closed, in-flight requests get ``grace`` seconds to finish
(then they are cancelled), and only then is the aiohttp application cleaned up.
"""

from __future__ import annotations

import asyncio
import os
import socket

from aiohttp import web

from composer import rest
from composer.errors import BootError

__all__ = ["Listener"]


class Listener:
    """Serves one aiohttp application on one TCP address.

    >>> from aiohttp import web
    >>> Listener(web.Application()).port is None
    True
    """

    def __init__(self, web_app: web.Application) -> None:
        self._web_app = web_app
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self.host: str | None = None
        #: the bound port (the real one when 0 was asked for); None when not listening
        self.port: int | None = None

    @property
    def url(self) -> str | None:
        """``http://host:port`` of the bound address; None when not listening."""
        if self.host is None or self.port is None:
            return None
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def open(self, host: str, port: int) -> None:
        """Bind ``host:port`` (0: any free port); a busy or forbidden address is a BootError."""
        runner = rest.make_runner(self._web_app)
        await runner.setup()
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await runner.cleanup()
            raise BootError(f"cannot listen on {host}:{port}: {_reason(exc)}") from exc
        except BaseException:
            await runner.cleanup()
            raise
        self._runner, self._site = runner, site
        self.host, self.port = host, int(runner.addresses[0][1])

    async def close(self, grace: float) -> None:
        """Stop accepting, let in-flight requests finish for up to ``grace`` seconds, clean up."""
        runner, site = self._runner, self._site
        self._runner = self._site = None
        self.host = self.port = None
        if runner is None or site is None:
            return
        await site.stop()
        server = runner.server
        if server is not None:
            # let requests accepted just before the socket closed start being handled
            await asyncio.sleep(0)
            server.pre_shutdown()
            await server.shutdown(grace)
        await runner.cleanup()


def _reason(exc: OSError) -> str:
    if isinstance(exc, socket.gaierror):
        return (exc.strerror or str(exc)).lower()
    if exc.errno:
        # asyncio wraps the system's message in its own sentence; keep the system's
        return os.strerror(exc.errno).lower()
    return str(exc)
