"""Liveness and readiness probes, served at the server root outside the sequence.

::

    GET /health/live   200 {"status": "UP"}                       the process answers
    GET /health/ready  200 {"status": "UP", "checks": [...]}      every datasource answers a ping
                       503 {"status": "DOWN", "checks": [...]}    one does not; its check says why

A check is ``{"name": "datasources.db", "status": "UP"}`` or, failing,
``{"name": ..., "status": "DOWN", "reason": "..."}``. The reason is the
connector's own error message (connectors never put a secret in one), or
just the exception's type for anything else.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import orjson
from aiohttp import web

from composer.errors import BootError, ComposerError
from composer.keys import Connector, Key

__all__ = ["LIVE_PATH", "PING_TIMEOUT", "READY_PATH", "Health", "add_health_routes"]

LIVE_PATH = "/health/live"
READY_PATH = "/health/ready"
#: seconds a datasource has to answer a readiness ping
PING_TIMEOUT = 2.0


class Health:
    """The probes of one generation: its datasources' connectors, checked on demand.

    >>> import asyncio
    >>> asyncio.run(Health([]).ready())
    (True, [])
    """

    def __init__(
        self,
        datasources: Sequence[tuple[Key[Connector], Connector]],
        *,
        ping_timeout: float = PING_TIMEOUT,
    ) -> None:
        self._datasources = tuple(datasources)
        self._ping_timeout = ping_timeout

    async def ready(self) -> tuple[bool, list[dict[str, str]]]:
        """Ping every datasource at once; (all up, one check per datasource in plan order)."""
        checks = await asyncio.gather(
            *(self._check(key, connector) for key, connector in self._datasources)
        )
        return all(check["status"] == "UP" for check in checks), list(checks)

    async def live_handler(self, _request: web.Request) -> web.Response:
        """``GET /health/live``: 200 ``{"status": "UP"}`` while the process answers."""
        return _json(200, {"status": "UP"})

    async def ready_handler(self, _request: web.Request) -> web.Response:
        """``GET /health/ready``: 200 when every datasource answers, else 503 with the failures."""
        up, checks = await self.ready()
        return _json(200 if up else 503, {"status": "UP" if up else "DOWN", "checks": checks})

    async def _check(self, key: Key[Connector], connector: Connector) -> dict[str, str]:
        try:
            async with asyncio.timeout(self._ping_timeout):
                await connector.ping()
        except TimeoutError:
            reason = f"no answer within {self._ping_timeout:g}s"
        except Exception as exc:
            reason = _reason(exc)
        else:
            return {"name": key.name, "status": "UP"}
        return {"name": key.name, "status": "DOWN", "reason": reason}


def add_health_routes(app: web.Application, health: Health) -> None:
    """Serve ``/health/live`` and ``/health/ready`` on ``app`` (before it is frozen).

    >>> from aiohttp import web
    >>> app = web.Application()
    >>> add_health_routes(app, Health([]))
    >>> sorted(resource.canonical for resource in app.router.resources())
    ['/health/live', '/health/ready']
    """
    app.router.add_get(LIVE_PATH, health.live_handler, allow_head=True)
    app.router.add_get(READY_PATH, health.ready_handler, allow_head=True)


def _reason(exc: Exception) -> str:
    if isinstance(exc, BootError) and exc.artifact:
        return str(exc).removeprefix(f"{exc.artifact}: ")
    if isinstance(exc, ComposerError):
        return str(exc)
    return f"ping failed: {type(exc).__name__}"


def _json(status: int, body: Any) -> web.Response:
    return web.Response(status=status, body=orjson.dumps(body), content_type="application/json")
