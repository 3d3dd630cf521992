"""The CRUD routes over HTTP, through the whole sequence, on a memory datasource.

Every endpoint and status code of LoopBack 4's rest-crud set: both filter
syntaxes, 422 details, 404 bodies, malformed and unknown filters, the id a
PATCH or PUT may not change, readonly models, pagination and X-Total-Count.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
import pytest

from composer.ops import App
from composer.spec import (
    AppSpec,
    MemoryDatasourceSpec,
    ModelRestSpec,
    ModelSpec,
    PaginationSpec,
    PropertySpec,
    RestSpec,
)

TODO = ModelSpec(
    datasource="db",
    properties={
        "id": PropertySpec(type="integer", id=True, generated=True),
        "title": PropertySpec(type="string", required=True, min_length=1),
        "desc": PropertySpec(type="string"),
        "isComplete": PropertySpec(type="boolean"),
        "priority": PropertySpec(type="number"),
        "createdAt": PropertySpec(type="datetime"),
        "todoListId": PropertySpec(type="integer", required=True),
        "secret": PropertySpec(type="string", hidden=True),
    },
)
TAG = ModelSpec(
    datasource="db",
    rest=ModelRestSpec(readonly=True),
    properties={"code": PropertySpec(type="string", id=True), "label": PropertySpec(type="string")},
)
BODY_INVALID = "The request body is invalid. See error object `details` property for more info."
PROPERTIES = "id, title, desc, isComplete, priority, createdAt, todoListId"


def spec(**rest: Any) -> AppSpec:
    """The test app: Todo (read-write) and Tag (readonly, string ids) in memory."""
    return AppSpec(
        api_version="composer/v1",
        name="crud",
        rest=RestSpec(port=0, **rest),
        datasources={"db": MemoryDatasourceSpec(connector="memory")},
        models={"Todo": TODO, "Tag": TAG},
    )


def error(status: int, name: str, message: str, **extra: Any) -> dict[str, Any]:
    """LoopBack's error body."""
    return {"error": {"statusCode": status, "name": name, "message": message, **extra}}


def detail(path: str, code: str, message: str, info: dict[str, Any]) -> dict[str, Any]:
    """One entry of a 422's details."""
    return {"path": path, "code": code, "message": message, "info": info}


def q(value: Any) -> str:
    """A JSON query parameter value, URL-encoded."""
    return quote(orjson.dumps(value).decode())


class Api:
    """HTTP calls to a started App: each answers (status, headers, decoded body or None)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any, Any]:
        data = raw if raw is not None else None if body is None else orjson.dumps(body)
        sent = dict(headers or {})
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        async with self.session.request(method, self.url + path, data=data, headers=sent) as r:
            text = await r.read()
            return r.status, r.headers, orjson.loads(text) if text else None

    async def get(self, path: str, **kw: Any) -> tuple[int, Any]:
        status, _, body = await self.call("GET", path, **kw)
        return status, body

    async def post(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        status, _, answer = await self.call("POST", path, body, **kw)
        return status, answer

    async def patch(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        status, _, answer = await self.call("PATCH", path, body, **kw)
        return status, answer

    async def put(self, path: str, body: Any = None, **kw: Any) -> tuple[int, Any]:
        status, _, answer = await self.call("PUT", path, body, **kw)
        return status, answer

    async def delete(self, path: str) -> tuple[int, Any]:
        status, _, answer = await self.call("DELETE", path)
        return status, answer


Start = Callable[..., Awaitable[Api]]


@pytest.fixture
async def start(tmp_path: Path) -> AsyncIterator[Start]:
    """Start an App of ``spec(**rest)`` (or the given spec); stopped after the test."""
    apps: list[App] = []
    session = aiohttp.ClientSession()

    async def starter(app_spec: AppSpec | None = None, **rest: Any) -> Api:
        app = App(app_spec or spec(**rest), root=tmp_path, data_dir=tmp_path / "data")
        apps.append(app)
        await app.start(port=0)
        assert app.url is not None
        return Api(session, app.url)

    yield starter
    await session.close()
    for app in apps:
        await app.stop()


@pytest.fixture
async def api(start: Start) -> Api:
    """The test app with three todos: milk (1), eggs (2, done, priority 2), tea (3, priority 5)."""
    client = await start()
    for todo in (
        {"title": "milk", "todoListId": 1, "secret": "s1"},
        {"title": "eggs", "todoListId": 1, "isComplete": True, "priority": 2},
        {"title": "tea", "todoListId": 2, "priority": 5},
    ):
        status, _ = await client.post("/todos", todo)
        assert status == 200
    return client


def titles(rows: list[dict[str, Any]]) -> list[str]:
    return [row["title"] for row in rows]


# -- create ------------------------------------------------------------------------------


async def test_create_answers_200_with_the_stored_instance_without_hidden_properties(
    start: Start,
) -> None:
    client = await start()
    status, body = await client.post(
        "/todos",
        {"title": "milk", "todoListId": 1, "createdAt": "2024-01-05T10:00:00+02:00", "secret": "x"},
    )
    assert (status, body) == (
        200,
        {"id": 1, "title": "milk", "createdAt": "2024-01-05T08:00:00.000Z", "todoListId": 1},
    )


async def test_create_lists_every_violation_in_a_422(api: Api) -> None:
    status, body = await api.post("/todos", {"title": "", "todoListId": "x", "owner": "me"})
    assert status == 422
    assert body == error(
        422,
        "UnprocessableEntityError",
        BODY_INVALID,
        code="VALIDATION_FAILED",
        details=[
            detail(
                "",
                "additionalProperties",
                "must NOT have additional properties",
                {"additionalProperty": "owner"},
            ),
            detail("/title", "minLength", "must NOT have fewer than 1 characters", {"limit": 1}),
            detail("/todoListId", "type", "must be integer", {"type": "integer"}),
        ],
    )


async def test_create_refuses_a_generated_id(api: Api) -> None:
    status, body = await api.post("/todos", {"id": 9, "title": "x", "todoListId": 1})
    assert status == 422
    assert body["error"]["details"] == [
        detail(
            "",
            "additionalProperties",
            "must NOT have additional properties",
            {"additionalProperty": "id"},
        )
    ]


async def test_create_without_a_body_names_the_required_properties(api: Api) -> None:
    status, body = await api.post("/todos")
    assert status == 422
    assert body["error"]["details"] == [
        detail("", "required", "must have required property 'title'", {"missingProperty": "title"}),
        detail(
            "",
            "required",
            "must have required property 'todoListId'",
            {"missingProperty": "todoListId"},
        ),
    ]


async def test_create_with_a_json_null_body_is_not_an_object(api: Api) -> None:
    status, body = await api.post("/todos", raw=b"null")
    assert status == 422
    assert body["error"]["details"] == [detail("", "type", "must be object", {"type": "object"})]


async def test_a_body_that_is_not_json_is_415_and_malformed_json_is_400(api: Api) -> None:
    status, body = await api.post("/todos", raw=b"title=x", headers={"Content-Type": "text/plain"})
    assert (status, body) == (
        415,
        error(
            415,
            "UnsupportedMediaTypeError",
            "Content-type text/plain does not match [application/json].",
            code="UNSUPPORTED_MEDIA_TYPE",
        ),
    )
    status, body = await api.post("/todos", raw=b'{"title":')
    assert (status, body) == (
        400,
        error(
            400,
            "BadRequestError",
            "The request body is not valid JSON: unexpected end of data: "
            "line 1 column 10 (char 9).",
        ),
    )


async def test_a_body_over_max_body_size_is_413(start: Start) -> None:
    client = await start(max_body_size=64)
    status, body = await client.post("/todos", {"title": "x" * 100, "todoListId": 1})
    assert (status, body) == (
        413,
        error(413, "PayloadTooLargeError", "The request body is larger than 64 bytes."),
    )


# -- find ----------------------------------------------------------------------------------


async def test_find_answers_every_instance_in_id_order(api: Api) -> None:
    status, body = await api.get("/todos")
    assert status == 200
    assert body == [
        {"id": 1, "title": "milk", "todoListId": 1},
        {"id": 2, "title": "eggs", "isComplete": True, "priority": 2, "todoListId": 1},
        {"id": 3, "title": "tea", "priority": 5, "todoListId": 2},
    ]


async def test_a_json_filter_and_its_bracket_form_find_the_same_instances(api: Api) -> None:
    as_json = await api.get(
        "/todos?filter=" + q({"where": {"priority": {"gt": 1}}, "order": "title DESC", "limit": 1})
    )
    as_brackets = await api.get(
        "/todos?filter[where][priority][gt]=1&filter[order]=title%20DESC&filter[limit]=1"
    )
    assert as_json == as_brackets
    assert titles(as_json[1]) == ["tea"]


async def test_find_applies_fields_order_skip_and_inq(api: Api) -> None:
    status, body = await api.get(
        "/todos?filter="
        + q(
            {
                "where": {"id": {"inq": [1, 2, 3]}},
                "fields": ["title"],
                "order": ["todoListId DESC", "title"],
                "skip": 1,
            }
        )
    )
    assert (status, body) == (200, [{"title": "eggs"}, {"title": "milk"}])
    status, body = await api.get("/todos?filter[fields][title]=true&filter[where][id]=2")
    assert (status, body) == (200, [{"title": "eggs"}])


async def test_a_malformed_filter_is_400_invalid_parameter_value(api: Api) -> None:
    assert await api.get("/todos?filter=" + quote("{bad")) == (
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "{bad" for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
            details={
                "syntaxError": "unexpected character, expected a string key: line 1 column 2 "
                "(char 1)"
            },
        ),
    )
    assert await api.get("/todos?filter=" + q([1])) == (
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "[1]" for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
        ),
    )
    assert await api.get("/todos?filter[limit]=abc") == (
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data {"limit":"abc"} for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
            details=[detail("/limit", "type", "must be integer", {"type": "integer"})],
        ),
    )
    assert await api.get("/todos?filter[where=1") == (
        400,
        error(
            400,
            "BadRequestError",
            'Malformed query parameter name "filter[where".',
            code="INVALID_PARAMETER_VALUE",
        ),
    )


async def test_unknown_properties_in_a_filter_are_400_naming_them(api: Api) -> None:
    expected = error(
        400,
        "BadRequestError",
        f'Unknown property "foo" in where. Properties of Todo: {PROPERTIES}.',
        code="INVALID_PARAMETER_VALUE",
    )
    assert await api.get("/todos?filter=" + q({"where": {"foo": 1}})) == (400, expected)
    assert await api.get("/todos?filter[where][foo]=1") == (400, expected)
    assert await api.get("/todos/count?where[foo]=1") == (400, expected)
    status, body = await api.get("/todos?filter=" + q({"order": "foo"}))
    assert (status, body["error"]["message"]) == (
        400,
        f'Unknown property "foo" in order. Properties of Todo: {PROPERTIES}.',
    )


async def test_include_is_400_invalid_inclusion_filter(api: Api) -> None:
    assert await api.get("/todos?filter=" + q({"include": ["todoList"]})) == (
        400,
        error(
            400,
            "Error",
            'Invalid "filter.include" entries: "todoList"',
            code="INVALID_INCLUSION_FILTER",
        ),
    )


async def test_prefer_count_exact_adds_x_total_count_ignoring_limit_and_skip(api: Api) -> None:
    status, headers, body = await api.call(
        "GET",
        "/todos?filter=" + q({"where": {"todoListId": 1}, "limit": 1, "skip": 1}),
        headers={"Prefer": "count=exact", "Origin": "http://app.example"},
    )
    assert (status, titles(body)) == (200, ["eggs"])
    assert headers["X-Total-Count"] == "2"
    assert headers["Access-Control-Expose-Headers"] == "X-Total-Count"
    _, headers, _ = await api.call("GET", "/todos")
    assert "X-Total-Count" not in headers


async def test_pagination_applies_the_default_limit_and_refuses_more_than_max(
    start: Start,
) -> None:
    client = await start(pagination=PaginationSpec(default_limit=2, max_limit=3))
    for index in range(4):
        await client.post("/todos", {"title": f"t{index}", "todoListId": 1})
    status, headers, body = await client.call("GET", "/todos", headers={"Prefer": "count=exact"})
    assert (status, titles(body), headers["X-Total-Count"]) == (200, ["t0", "t1"], "4")
    status, body = await client.get("/todos?filter[limit]=3")
    assert (status, len(body)) == (200, 3)
    status, body = await client.get("/todos?filter[limit]=4")
    assert status == 400
    assert body["error"]["code"] == "INVALID_PARAMETER_VALUE"


# -- count and updateAll -------------------------------------------------------------------


async def test_count_answers_the_matches_of_a_where_in_both_syntaxes(api: Api) -> None:
    assert await api.get("/todos/count") == (200, {"count": 3})
    assert await api.get("/todos/count?where=" + q({"todoListId": 1})) == (200, {"count": 2})
    assert await api.get("/todos/count?where[priority][gte]=2") == (200, {"count": 2})
    assert await api.get("/todos/count?where=" + quote("{")) == (
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "{" for parameter "where".',
            code="INVALID_PARAMETER_VALUE",
            details={"syntaxError": "unexpected end of data: line 1 column 2 (char 1)"},
        ),
    )


async def test_update_all_patches_the_matches_and_answers_their_count(api: Api) -> None:
    assert await api.patch("/todos?where=" + q({"todoListId": 1}), {"desc": "shop"}) == (
        200,
        {"count": 2},
    )
    assert titles((await api.get("/todos?filter[where][desc]=shop"))[1]) == ["milk", "eggs"]
    assert await api.patch("/todos", {"isComplete": False}) == (200, {"count": 3})
    assert await api.patch("/todos") == (200, {"count": 3})


async def test_update_all_validates_the_body_and_refuses_an_id(api: Api) -> None:
    status, body = await api.patch("/todos", {"title": ""})
    assert status == 422
    assert body["error"]["details"] == [
        detail("/title", "minLength", "must NOT have fewer than 1 characters", {"limit": 1})
    ]
    assert await api.patch("/todos", {"id": 7}) == (
        400,
        error(400, "Error", "id property (id) cannot be updated"),
    )


# -- by id ---------------------------------------------------------------------------------


async def test_find_by_id_answers_the_instance_or_404(api: Api) -> None:
    assert await api.get("/todos/2") == (
        200,
        {"id": 2, "title": "eggs", "isComplete": True, "priority": 2, "todoListId": 1},
    )
    assert await api.get("/todos/2?filter[fields][title]=true") == (200, {"title": "eggs"})
    assert await api.get("/todos/99") == (
        404,
        error(404, "Error", "Entity not found: Todo with id 99", code="ENTITY_NOT_FOUND"),
    )


async def test_a_bad_id_is_400_invalid_parameter_value(api: Api) -> None:
    for path in ("/todos/abc", "/todos/1.5", "/todos/9223372036854775808", "/todos/%20"):
        status, body = await api.get(path)
        value = path.rsplit("/", 1)[1].replace("%20", " ")
        assert (status, body) == (
            400,
            error(
                400,
                "BadRequestError",
                f'Invalid data "{value}" for parameter "id".',
                code="INVALID_PARAMETER_VALUE",
            ),
        )
    assert (await api.delete("/todos/abc"))[0] == 400


async def test_an_integer_id_spans_64_bits_and_an_unknown_one_is_404(api: Api) -> None:
    assert await api.get("/todos/9223372036854775807") == (
        404,
        error(
            404,
            "Error",
            "Entity not found: Todo with id 9223372036854775807",
            code="ENTITY_NOT_FOUND",
        ),
    )
    assert (await api.get("/todos/2.0"))[1]["title"] == "eggs"


async def test_find_by_id_refuses_a_where_in_its_filter(api: Api) -> None:
    assert await api.get("/todos/1?filter=" + q({"where": {"id": 2}})) == (
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data {"where":{"id":2}} for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
            details=[
                detail(
                    "",
                    "additionalProperties",
                    "must NOT have additional properties",
                    {"additionalProperty": "where"},
                )
            ],
        ),
    )


async def test_update_by_id_answers_204_and_changes_only_the_given_properties(api: Api) -> None:
    assert await api.patch("/todos/1", {"desc": "oat", "id": 1}) == (204, None)
    assert await api.get("/todos/1") == (
        200,
        {"id": 1, "title": "milk", "desc": "oat", "todoListId": 1},
    )
    assert await api.patch("/todos/99", {"desc": "x"}) == (
        404,
        error(404, "Error", "Entity not found: Todo with id 99", code="ENTITY_NOT_FOUND"),
    )


async def test_update_by_id_refuses_an_id_change_an_empty_body_and_no_body(api: Api) -> None:
    assert await api.patch("/todos/1", {"id": 3}) == (
        400,
        error(400, "Error", "id property (id) cannot be updated from 1 to 3"),
    )
    assert await api.patch("/todos/1", {}) == (
        400,
        error(
            400,
            "Error",
            "Data is required for the patch request",
            code="INVALID_BODY_DEFINITION",
        ),
    )
    assert await api.patch("/todos/1") == (
        400,
        error(
            400, "BadRequestError", "Request body is required", code="MISSING_REQUIRED_PARAMETER"
        ),
    )
    status, body = await api.patch("/todos/1", {"priority": "high"})
    assert (status, body["error"]["details"]) == (
        422,
        [detail("/priority", "type", "must be number", {"type": "number"})],
    )


async def test_replace_by_id_answers_204_and_unsets_what_the_body_leaves_out(api: Api) -> None:
    assert await api.put("/todos/2", {"title": "bread", "todoListId": 2}) == (204, None)
    assert await api.get("/todos/2") == (200, {"id": 2, "title": "bread", "todoListId": 2})
    assert await api.put("/todos/99", {"title": "x", "todoListId": 1}) == (
        404,
        error(404, "Error", "Entity not found: Todo with id 99", code="ENTITY_NOT_FOUND"),
    )


async def test_replace_by_id_validates_the_whole_instance_and_keeps_the_id(api: Api) -> None:
    status, body = await api.put("/todos/2", {"title": "bread"})
    assert (status, body["error"]["details"]) == (
        422,
        [
            detail(
                "",
                "required",
                "must have required property 'todoListId'",
                {"missingProperty": "todoListId"},
            )
        ],
    )
    assert await api.put("/todos/2", {"id": 4, "title": "x", "todoListId": 1}) == (
        400,
        error(400, "Error", "id property (id) cannot be updated from 2 to 4"),
    )


async def test_delete_by_id_answers_204_then_404(api: Api) -> None:
    assert await api.delete("/todos/3") == (204, None)
    assert await api.delete("/todos/3") == (
        404,
        error(404, "Error", "Entity not found: Todo with id 3", code="ENTITY_NOT_FOUND"),
    )
    assert await api.get("/todos/count") == (200, {"count": 2})


# -- readonly, string ids, basePath, scope -----------------------------------------------------


async def test_a_readonly_model_serves_find_find_by_id_and_count_only(api: Api) -> None:
    assert await api.get("/tags") == (200, [])
    assert await api.get("/tags/count") == (200, {"count": 0})
    assert await api.get("/tags/abc") == (
        404,
        error(404, "Error", 'Entity not found: Tag with id "abc"', code="ENTITY_NOT_FOUND"),
    )
    assert await api.post("/tags", {"code": "a"}) == (
        404,
        error(404, "NotFoundError", 'Endpoint "POST /tags" not found.'),
    )
    for method in ("PATCH", "PUT", "DELETE"):
        status, _, body = await api.call(method, "/tags/abc", {"label": "x"})
        assert (status, body["error"]["message"]) == (
            404,
            f'Endpoint "{method} /tags/abc" not found.',
        )


async def test_a_string_id_holding_nul_is_no_instance_s_id(api: Api) -> None:
    assert await api.get("/tags/a%00b") == (
        404,
        error(404, "Error", 'Entity not found: Tag with id "a\\u0000b"', code="ENTITY_NOT_FOUND"),
    )


async def test_routes_are_served_under_the_base_path(start: Start) -> None:
    client = await start(base_path="/api")
    assert await client.post("/api/todos", {"title": "x", "todoListId": 1}) == (
        200,
        {"id": 1, "title": "x", "todoListId": 1},
    )
    assert await client.get("/api/todos/count") == (200, {"count": 1})
    assert (await client.get("/todos"))[0] == 404


async def test_a_default_scope_filters_every_read_and_write(start: Start) -> None:
    scoped = TODO.model_copy(update={"scope": {"where": {"isComplete": False}, "order": "title"}})
    app_spec = spec().model_copy(update={"models": {"Todo": scoped}})
    client = await start(app_spec)
    for title, done in (("b", False), ("a", False), ("c", True)):
        await client.post("/todos", {"title": title, "todoListId": 1, "isComplete": done})
    status, body = await client.get("/todos")
    assert (status, titles(body)) == (200, ["a", "b"])
    assert await client.get("/todos/count") == (200, {"count": 2})
    assert (await client.get("/todos/3"))[0] == 404
    assert await client.patch("/todos", {"desc": "x"}) == (200, {"count": 2})
