"""Hostile input against examples/todo: answered fast, in the error shape, changing nothing.

Every request of ``cases.py`` is sent to ``examples/todo`` served in-process, on SQLite
(the example as shipped) and on the memory connector (the same models). For
each one:

- the answer is a 4xx in LoopBack's error JSON shape, or -- where the input is
  legitimate data -- the correct 200 answer;
- the stored data is the same before and after (a snapshot of both models);
- the answer comes in under a second;
- a ``GET /ping`` sent meanwhile is answered (nothing blocks the event loop).
"""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from yarl import URL

from composer import manifest, spec
from composer.boot import boot
from composer.errors import HttpError
from composer.repository.entity import entity_info
from composer.repository.filter import parse_filter
from tests.conformance.projects import BACKENDS, TODO, todo_project
from tests.hostile.cases import CASES, REJECT, SEED_LISTS, SEED_TODOS, Hostile, filt

#: the tests share one server per backend, so they share its event loop
module_loop = pytest.mark.asyncio(loop_scope="module")

#: the budget for one hostile request, answer included
BUDGET = 1.0

#: open bugs: case id -> what is wrong (a strict xfail until fixed)
BUGS: dict[str, str] = {}


def _params() -> list[Any]:
    return [
        pytest.param(
            case,
            id=case.id,
            marks=[pytest.mark.xfail(reason=BUGS[case.id], strict=True)] if case.id in BUGS else [],
        )
        for case in CASES
    ]


def test_hostile_case_ids_are_unique_and_bugs_name_cases() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))
    assert set(BUGS) <= set(ids)


@pytest.mark.parametrize("op", ["inq", "nin"])
def test_a_100000_item_list_is_refused_at_once_naming_max_inq(op: str) -> None:
    # over HTTP such a filter never fits the request line (414); the parser is the next guard
    info = entity_info(spec.validate(manifest.load(TODO, env={})), "Todo")
    started = time.perf_counter()
    with pytest.raises(HttpError) as raised:
        parse_filter({"where": {"id": {op: list(range(100_000))}}}, info)
    assert time.perf_counter() - started < BUDGET
    assert (raised.value.status, raised.value.code) == (400, "INVALID_PARAMETER_VALUE")
    assert raised.value.message.endswith(f": {op} has 100000 items, more than 1000 (maxInq)")


@dataclass
class Server:
    url: str
    session: aiohttp.ClientSession

    def url_of(self, path: str) -> URL:
        return URL(self.url + path, encoded=True)


@pytest.fixture(scope="module", params=BACKENDS)
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return todo_project(request.param, tmp_path_factory.mktemp("project"))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server(project: Path, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Server]:
    app = boot(project, data_dir=tmp_path_factory.mktemp("data"), env={})
    async with app:
        await app.start(port=0)
        assert app.url is not None
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            served = Server(app.url, session)
            for todo_list in SEED_LISTS:
                await _post(served, "/todo-lists", todo_list)
            for todo in SEED_TODOS:
                await _post(served, "/todos", todo)
            yield served


async def _post(server: Server, path: str, value: object) -> None:
    async with server.session.post(server.url_of(path), json=value) as resp:
        assert resp.status == 200, await resp.text()


async def _snapshot(server: Server) -> dict[str, Any]:
    snapshot: dict[str, Any] = {}
    for path in ("/todo-lists", "/todos"):
        async with server.session.get(server.url_of(path)) as resp:
            assert resp.status == 200
            snapshot[path] = await resp.json()
    return snapshot


@dataclass
class Answer:
    status: int
    body: Any
    elapsed: float


async def _chunks(raw: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(raw), 65536):
        yield raw[start : start + 65536]


def _payload(case: Hostile) -> bytes | io.BytesIO | AsyncIterator[bytes] | None:
    if case.raw is not None and case.chunked:
        return _chunks(case.raw)
    # aiohttp warns that a large bytes body blocks the loop while it is sent
    return io.BytesIO(case.raw) if case.raw is not None and len(case.raw) > 1_000_000 else case.raw


async def _send(server: Server, case: Hostile) -> Answer:
    headers = (
        {"Content-Type": case.content_type} if case.raw is not None and case.content_type else {}
    )
    started = time.perf_counter()
    try:
        async with server.session.request(
            case.method, server.url_of(case.path), data=_payload(case), headers=headers
        ) as resp:
            data = await resp.read()
            status = resp.status
    except aiohttp.ClientOSError as error:
        raise AssertionError(f"the connection broke before an answer: {error}") from error
    elapsed = time.perf_counter() - started
    try:
        decoded = json.loads(data) if data else None
    except ValueError:
        decoded = {"text": data.decode("utf-8", "replace")[:500]}
    return Answer(status, decoded, elapsed)


async def _ping_meanwhile(server: Server) -> float:
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    async with server.session.get(server.url_of("/ping")) as resp:
        assert resp.status == 200
        await resp.read()
    return time.perf_counter() - started


def _digest(value: Any) -> Any:
    if isinstance(value, list):
        return [item.get("id") if isinstance(item, dict) else item for item in value]
    return value


def _is_error_shape(answer: Answer) -> bool:
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    return (
        isinstance(error, dict)
        and error.get("statusCode") == answer.status
        and isinstance(error.get("name"), str)
        and isinstance(error.get("message"), str)
        and set(error) <= {"statusCode", "name", "message", "code", "details"}
    )


@module_loop
@pytest.mark.parametrize("case", _params())
async def test_hostile_input_is_answered_quickly_in_shape_and_changes_nothing(
    server: Server, case: Hostile
) -> None:
    before = await _snapshot(server)
    answer, ping_latency = await asyncio.gather(_send(server, case), _ping_meanwhile(server))
    after = await _snapshot(server)

    rejected = 400 <= answer.status < 500
    if case.ok is REJECT:
        assert rejected, f"{answer.status} {answer.body}"
    elif not (case.or_reject and rejected):
        assert (answer.status, _digest(answer.body)) == (200, case.ok)
    if rejected:
        assert _is_error_shape(answer), answer.body
    assert after == before
    assert answer.elapsed < BUDGET
    assert ping_latency < BUDGET


@module_loop
async def test_injection_strings_are_stored_and_read_back_as_plain_data(server: Server) -> None:
    before = await _snapshot(server)
    title = "Robert'); DROP TABLE todo;-- \" ` \\ % _ ✓"
    async with server.session.post(
        server.url_of("/todos"), json={"title": title, "todoListId": 2}
    ) as resp:
        assert resp.status == 200
        created = await resp.json()
    try:
        assert created["title"] == title
        async with server.session.get(server.url_of(filt({"where": {"title": title}}))) as resp:
            assert [row["id"] for row in await resp.json()] == [created["id"]]
    finally:
        async with server.session.delete(server.url_of(f"/todos/{created['id']}")) as resp:
            assert resp.status == 204
    assert await _snapshot(server) == before
