"""The benchmark harness keeps running: a smoke run end to end, and its load generators.

Nothing here asserts a figure: benchmarks are not tests.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bench.load import Endpoint, parse_wrk, run_python, wrk_command

REPO = Path(__file__).resolve().parents[2]

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:8000/todos/count
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.80ms    1.10ms  31.00ms   91.00%
    Req/Sec     6.70k   410.00     7.40k    72.00%
  Latency Distribution
     50%    4.60ms
     75%    5.10ms
     90%    5.90ms
     99%    1.02s
  133412 requests in 10.01s, 21.50MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  13328.17
Transfer/sec:      2.15MB
"""


@pytest.mark.e2e
def test_smoke_run_exits_0_and_prints_the_tables() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=110,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "## Targets" in done.stdout
    assert "## Throughput: sqlite" in done.stdout
    assert "## Throughput: memory" in done.stdout
    assert "| GET /todos/{id} | composer-sqlite |" in done.stdout
    assert "| POST /todos | composer-memory |" in done.stdout
    assert "## Start-up and memory" in done.stdout
    assert "died" not in done.stdout


def test_a_wrk_report_is_read_with_its_units_and_errors() -> None:
    measured = parse_wrk(WRK_REPORT)
    assert (measured.requests, measured.seconds) == (133412, 10.01)
    assert (measured.p50_ms, measured.p99_ms) == (4.6, 1020.0)
    assert (measured.non_2xx, measured.socket_errors, measured.errors) == (7, 5, 12)
    assert measured.timeouts == 2


def test_a_post_endpoint_gets_a_lua_script_and_a_fixed_get_none() -> None:
    post = Endpoint("create", "POST", "/todos", body='{"title":"a \\"b\\""}')
    assert post.lua() == (
        'wrk.method = "POST"\n'
        'wrk.body = "{\\"title\\":\\"a \\\\\\"b\\\\\\"\\"}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
    )
    count = Endpoint("count", "GET", "/todos/count")
    assert count.lua() is None
    assert wrk_command("http://h", count, 0.4)[3] == "-d1s"


async def test_the_python_load_generator_counts_answers_and_errors() -> None:
    seen: list[str] = []

    async def handler(request: web.Request) -> web.Response:
        seen.append(request.path)
        return web.Response(status=404 if request.path == "/items/2" else 200)

    app = web.Application()
    app.router.add_get("/{tail:.*}", handler)
    async with TestServer(app) as server:
        endpoint = Endpoint("items", "GET", "/items/{n}", ids=2)
        measured = await run_python(str(server.make_url("")), endpoint, 0.3, connections=4)
    assert measured.requests == len(seen) > 0
    assert measured.non_2xx == seen.count("/items/2") > 0
    assert measured.socket_errors == 0
    assert 0 < measured.p50_ms <= measured.p99_ms
