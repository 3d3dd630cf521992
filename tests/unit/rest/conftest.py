"""Serving apps built with ``activate`` to aiohttp's test client, and raw-socket requests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import orjson
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from composer.rest import make_runner
from composer.spec import AppSpec

Serve = Callable[[web.Application], Awaitable[TestClient[web.Request, web.Application]]]


def app_spec(**fields: Any) -> AppSpec:
    """An AppSpec named ``test`` with ``fields`` on top."""
    return AppSpec(api_version="composer/v1", name="test", **fields)


@pytest.fixture
async def serve() -> AsyncIterator[Serve]:
    """Start a test client on an app; every client is closed after the test."""
    clients: list[TestClient[web.Request, web.Application]] = []

    async def start(app: web.Application) -> TestClient[web.Request, web.Application]:
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    for client in clients:
        await client.close()


class RawServer:
    """An app served by ``make_runner`` on an ephemeral port, spoken to over raw sockets."""

    def __init__(self, runner: web.AppRunner, port: int) -> None:
        self.runner = runner
        self.port = port

    async def exchange(self, data: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send ``data``, read until the server closes; the status, headers and body."""
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(data)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), timeout=10)
        finally:
            writer.close()
            await writer.wait_closed()
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ")[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers, body


@pytest.fixture
async def raw_server() -> AsyncIterator[Callable[[web.Application], Awaitable[RawServer]]]:
    """Serve an app through ``make_runner`` + ``TCPSite`` on 127.0.0.1, any free port."""
    runners: list[web.AppRunner] = []

    async def start(app: web.Application) -> RawServer:
        runner = make_runner(app)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        return RawServer(runner, port)

    yield start
    for runner in runners:
        await runner.cleanup()


def error(status: int, name: str, message: str, **extra: Any) -> dict[str, Any]:
    """LoopBack's error body."""
    return {"error": {"statusCode": status, "name": name, "message": message, **extra}}


def loads(body: bytes) -> Any:
    return orjson.loads(body)
