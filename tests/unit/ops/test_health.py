"""/health/live and /health/ready: at the server root, outside the sequence and basePath."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from composer import keys
from composer.errors import ConnectorError
from composer.ops import App, Health, add_health_routes
from tests.unit.connectors.recording import Recording, RecordingConnector
from tests.unit.ops.support import fetch, spec_with


async def test_live_answers_up_with_no_datasources(tmp_path: Path) -> None:
    async with App(spec_with(), root=tmp_path, data_dir=tmp_path) as app:
        await app.start()
        assert await fetch(f"{app.url}/health/live") == (200, {"status": "UP"})
        assert await fetch(f"{app.url}/health/ready") == (200, {"status": "UP", "checks": []})


async def test_ready_lists_every_datasource_in_plan_order_when_all_answer(tmp_path: Path) -> None:
    recording = Recording()
    app = App(
        spec_with("db", "cache"),
        root=tmp_path,
        data_dir=tmp_path,
        factories=recording.factories(),
    )
    async with app:
        await app.start()
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
    assert recording.journal.count("ping db") == 1


async def test_ready_is_503_with_the_failing_check_down_and_its_reason(tmp_path: Path) -> None:
    recording = Recording().fail(
        "db", "ping", ConnectorError("connection reset", datasource="db", operation="ping")
    )
    app = App(
        spec_with("db", "cache"),
        root=tmp_path,
        data_dir=tmp_path,
        factories=recording.factories(),
    )
    async with app:
        await app.start()
        assert await fetch(f"{app.url}/health/ready") == (
            503,
            {
                "status": "DOWN",
                "checks": [
                    {"name": "datasources.cache", "status": "UP"},
                    {
                        "name": "datasources.db",
                        "status": "DOWN",
                        "reason": "ping failed: connection reset",
                    },
                ],
            },
        )
        assert await fetch(f"{app.url}/health/live") == (200, {"status": "UP"})


async def test_a_ping_failing_with_a_foreign_error_shows_only_its_type(tmp_path: Path) -> None:
    recording = Recording().fail("db", "ping", RuntimeError("password=s3cret"))
    app = App(spec_with("db"), root=tmp_path, data_dir=tmp_path, factories=recording.factories())
    async with app:
        await app.start()
        status, body = await fetch(f"{app.url}/health/ready")
    assert status == 503
    assert body["checks"] == [
        {"name": "datasources.db", "status": "DOWN", "reason": "ping failed: RuntimeError"}
    ]


async def test_a_datasource_that_does_not_answer_in_time_is_down() -> None:
    slow = RecordingConnector("db", [], ping_delay=5)
    web_app = web.Application()
    add_health_routes(web_app, Health([(keys.datasource("db"), slow)], ping_timeout=0.05))
    async with TestClient(TestServer(web_app)) as client:
        response = await client.get("/health/ready")
        assert response.status == 503
        assert await response.json() == {
            "status": "DOWN",
            "checks": [
                {"name": "datasources.db", "status": "DOWN", "reason": "no answer within 0.05s"}
            ],
        }


async def test_ready_before_start_reports_real_datasources_not_connected(tmp_path: Path) -> None:
    app = App(spec_with("mem"), root=tmp_path, data_dir=tmp_path)
    assert await app.health.ready() == (
        False,
        [{"name": "datasources.mem", "status": "DOWN", "reason": "ping failed: not connected"}],
    )


async def test_health_is_served_at_the_root_outside_the_base_path(tmp_path: Path) -> None:
    async with App(spec_with(base_path="/api"), root=tmp_path, data_dir=tmp_path) as app:
        await app.start()
        assert await fetch(f"{app.url}/health/live") == (200, {"status": "UP"})
        status, body = await fetch(f"{app.url}/api/health/live")
        assert status == 404
        assert body == {
            "error": {
                "statusCode": 404,
                "name": "NotFoundError",
                "message": 'Endpoint "GET /api/health/live" not found.',
            }
        }


async def test_health_is_not_shadowed_by_a_root_base_path(tmp_path: Path) -> None:
    async with App(spec_with(base_path="/"), root=tmp_path, data_dir=tmp_path) as app:
        await app.start()
        assert await fetch(f"{app.url}/health/live") == (200, {"status": "UP"})
        status, _ = await fetch(f"{app.url}/health/other")
        assert status == 404
