"""App: one generation built from a spec, started in plan order, stopped in reverse."""

from __future__ import annotations

import asyncio
import gc
import os
import threading
import weakref
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web

from composer.connectors import CONNECTORS
from composer.errors import BootError, ConnectorError, ShutdownError
from composer.ops import App
from composer.spec import (
    AppSpec,
    MemoryDatasourceSpec,
    ModelSpec,
    PropertySpec,
    RestSpec,
    SqlDatasourceSpec,
)
from tests.unit.connectors.recording import Recording
from tests.unit.ops.support import fetch, refused, spec_with


def _app(tmp_path: Path, spec: AppSpec, recording: Recording | None = None) -> App:
    factories = None if recording is None else recording.factories()
    return App(spec, root=tmp_path, data_dir=tmp_path / ".composer", factories=factories)


async def test_start_connects_in_plan_order_then_listens_and_stop_undoes_it_in_reverse(
    tmp_path: Path,
) -> None:
    recording = Recording()
    app = _app(tmp_path, spec_with("zeta", "alpha"), recording)
    assert (app.state, app.port, app.url, recording.journal) == ("created", None, None, [])
    await app.start()
    url = app.url
    assert url == f"http://127.0.0.1:{app.port}"
    assert recording.journal == ["connect alpha", "connect zeta"]
    assert await fetch(f"{url}/health/live") == (200, {"status": "UP"})
    await app.stop()
    assert recording.journal[2:] == ["disconnect zeta", "disconnect alpha"]
    assert (app.state, app.port, app.url) == ("stopped", None, None)
    assert await refused(f"{url}/health/live")


async def test_a_failing_connect_stops_the_started_datasources_in_reverse(tmp_path: Path) -> None:
    failure = ConnectorError("refused", datasource="b", operation="connect")
    recording = Recording().fail("b", "connect", failure)
    app = _app(tmp_path, spec_with("a", "b", "c"), recording)
    with pytest.raises(ConnectorError) as caught:
        await app.start()
    assert caught.value is failure
    assert recording.journal == ["connect a", "connect b", "disconnect a"]
    assert (app.state, app.port) == ("stopped", None)


async def test_a_busy_port_is_a_one_line_boot_error_and_disconnects_what_was_connected(
    tmp_path: Path, busy_port: int
) -> None:
    recording = Recording()
    app = _app(tmp_path, spec_with("a", "b"), recording)
    with pytest.raises(BootError) as caught:
        await app.start(port=busy_port)
    assert str(caught.value) == f"cannot listen on 127.0.0.1:{busy_port}: address already in use"
    assert recording.journal == ["connect a", "connect b", "disconnect b", "disconnect a"]


async def test_an_address_that_is_not_local_is_a_boot_error(tmp_path: Path) -> None:
    app = _app(tmp_path, spec_with())
    with pytest.raises(BootError) as caught:
        await app.start(host="192.0.2.1", port=0)
    assert str(caught.value) == "cannot listen on 192.0.2.1:0: cannot assign requested address"


async def test_host_and_port_given_to_start_override_the_manifest(tmp_path: Path) -> None:
    spec = AppSpec(api_version="composer/v1", name="todo", rest=RestSpec(host="::1", port=1))
    app = _app(tmp_path, spec)
    await app.start(host="127.0.0.1", port=0)
    try:
        assert app.host == "127.0.0.1"
        assert app.port not in (None, 0, 1)
    finally:
        await app.stop()


async def test_an_ipv6_address_is_bracketed_in_the_url(tmp_path: Path) -> None:
    app = _app(tmp_path, spec_with())
    try:
        await app.start(host="::1", port=0)
    except BootError as exc:  # a machine without IPv6
        pytest.skip(str(exc))
    try:
        assert app.url == f"http://[::1]:{app.port}"
        assert await fetch(f"{app.url}/health/live") == (200, {"status": "UP"})
    finally:
        await app.stop()


async def test_every_stop_error_is_collected_and_the_port_is_freed_anyway(
    tmp_path: Path,
) -> None:
    recording = (
        Recording()
        .fail("a", "disconnect", ConnectorError("lost", datasource="a", operation="disconnect"))
        .fail("c", "disconnect", RuntimeError("boom"))
    )
    app = _app(tmp_path, spec_with("a", "b", "c"), recording)
    await app.start()
    url = app.url
    with pytest.raises(ShutdownError) as caught:
        await app.stop()
    assert str(caught.value) == (
        "2 error(s) while stopping: "
        "BootError: datasources.c: stop failed: RuntimeError: boom; "
        "ConnectorError: datasources.a: disconnect failed: lost"
    )
    assert recording.journal[3:] == ["disconnect c", "disconnect b", "disconnect a"]
    assert await refused(f"{url}/health/live")


async def test_an_app_starts_once_and_stopping_twice_is_harmless(tmp_path: Path) -> None:
    app = _app(tmp_path, spec_with())
    await app.stop()
    await app.start()
    await app.stop()
    await app.stop()
    with pytest.raises(BootError) as caught:
        await app.start()
    assert str(caught.value) == "an App starts once; this one is stopped"


async def test_async_with_starts_and_stops_the_app(tmp_path: Path) -> None:
    recording = Recording()
    async with _app(tmp_path, spec_with("db"), recording) as app:
        await app.start()
        assert app.state == "started"
        assert recording.journal == ["connect db"]
    assert recording.journal == ["connect db", "disconnect db"]
    assert app.state == "stopped"


async def test_in_flight_requests_finish_during_a_graceful_stop(tmp_path: Path) -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def slow(_request: web.Request) -> web.Response:
        entered.set()
        await release.wait()
        return web.json_response({"done": True})

    app = _app(tmp_path, spec_with())
    app.web_app.router.add_get("/slow", slow)
    await app.start()
    url = app.url
    request = asyncio.create_task(fetch(f"{url}/slow"))
    await entered.wait()
    stopping = asyncio.create_task(app.stop(grace=10))
    await asyncio.sleep(0.1)
    assert not stopping.done()
    assert await refused(f"{url}/health/live")
    release.set()
    assert await request == (200, {"done": True})
    await stopping


async def test_a_request_still_running_after_the_grace_period_is_cancelled(
    tmp_path: Path,
) -> None:
    entered = asyncio.Event()
    cancelled: list[bool] = []

    async def stuck(_request: web.Request) -> web.Response:
        entered.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.append(True)
            raise
        return web.Response()

    app = _app(tmp_path, spec_with())
    app.web_app.router.add_get("/stuck", stuck)
    await app.start()
    request = asyncio.create_task(fetch(f"{app.url}/stuck"))
    await entered.wait()
    started = asyncio.get_running_loop().time()
    await app.stop(grace=0.2)
    assert asyncio.get_running_loop().time() - started < 2
    assert cancelled == [True]
    # the connection is dropped (aiohttp's client then retries a GET once, and is refused)
    with pytest.raises(aiohttp.ClientConnectionError):
        await request


async def test_an_app_built_in_python_serves_sqlite_and_memory_datasources(
    tmp_path: Path,
) -> None:
    spec = AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(port=0, base_path="/api"),
        datasources={
            "db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db"),
            "cache": MemoryDatasourceSpec(connector="memory"),
        },
        models={
            "Todo": ModelSpec(
                datasource="db",
                properties={
                    "id": PropertySpec(type="integer", id=True, generated=True),
                    "title": PropertySpec(type="string", required=True),
                },
            )
        },
    )
    app = App(spec, root=tmp_path, data_dir=tmp_path / "data")
    assert app.graph.render() == (
        "datasources.cache  datasource\n"
        "datasources.db     datasource\n"
        "models.Todo        model       <- datasources.db\n"
        "repositories.Todo  repository  <- models.Todo\n"
        "routes.Todo        route       <- repositories.Todo\n"
        "sequence           sequence    <- routes.Todo\n"
        "server.rest        server      <- sequence"
    )
    assert not (tmp_path / "data").exists()
    async with app:
        await app.start()
        assert (tmp_path / "data" / "todo.db").is_file()
        assert await fetch(f"{app.url}/health/ready") == (
            200,
            {
                "status": "UP",
                "checks": [
                    {"name": "datasources.cache", "status": "UP"},
                    {"name": "datasources.db", "status": "UP"},
                ],
            },
        )
        status, ping = await fetch(f"{app.url}/api/ping")
        assert (status, ping["greeting"]) == (200, "Hello from composer")


def test_openapi_and_routes_come_from_the_rest_layer(tmp_path: Path) -> None:
    app = _app(tmp_path, spec_with(base_path="/api"))
    assert app.openapi()["info"]["title"] == "todo"
    assert [(route.method, route.path) for route in app.routes()] == [("GET", "/api/ping")]


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


async def _settled(before: set[str], *, threads: int) -> tuple[set[str], int]:
    """Open fds and live threads once closing sockets and finishing threads have settled."""
    for _ in range(100):
        gc.collect()
        if _open_fds() <= before and threading.active_count() <= threads:
            break
        await asyncio.sleep(0.02)
    return _open_fds(), threading.active_count()


async def test_two_different_apps_serve_side_by_side_and_leave_nothing_behind(
    tmp_path: Path,
) -> None:
    fds, threads = _open_fds(), threading.active_count()
    tasks = asyncio.all_tasks()
    registry = dict(CONNECTORS)
    todo = App(
        AppSpec(
            api_version="composer/v1",
            name="todo",
            rest=RestSpec(port=0),
            datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db")},
        ),
        root=tmp_path / "todo",
        data_dir=tmp_path / "todo" / ".composer",
    )
    notes = App(
        AppSpec(
            api_version="composer/v1",
            name="notes",
            rest=RestSpec(port=0, base_path="/api"),
            datasources={"mem": MemoryDatasourceSpec(connector="memory")},
        ),
        root=tmp_path / "notes",
        data_dir=tmp_path / "notes" / ".composer",
    )
    await todo.start()
    await notes.start()
    todo_url, notes_url = todo.url, notes.url
    assert todo.port != notes.port
    assert (await fetch(f"{todo_url}/health/ready"))[1]["checks"] == [
        {"name": "datasources.db", "status": "UP"}
    ]
    assert (await fetch(f"{notes_url}/health/ready"))[1]["checks"] == [
        {"name": "datasources.mem", "status": "UP"}
    ]
    assert (await fetch(f"{todo_url}/ping"))[0] == 200
    assert (await fetch(f"{notes_url}/api/ping"))[0] == 200
    assert (await fetch(f"{notes_url}/ping"))[0] == 404

    await todo.stop()
    assert await refused(f"{todo_url}/health/live")
    assert await fetch(f"{notes_url}/health/ready") == (
        200,
        {"status": "UP", "checks": [{"name": "datasources.mem", "status": "UP"}]},
    )
    assert (await fetch(f"{notes_url}/api/ping"))[0] == 200
    await notes.stop()
    assert await refused(f"{notes_url}/health/live")

    generations = [weakref.ref(todo), weakref.ref(notes)]
    del todo, notes
    # Nothing new is left open; a thread an earlier test left may have ended meanwhile.
    open_fds, live_threads = await _settled(fds, threads=threads)
    assert open_fds <= fds
    assert live_threads <= threads
    assert asyncio.all_tasks() == tasks
    assert dict(CONNECTORS) == registry
    assert [generation() for generation in generations] == [None, None]
