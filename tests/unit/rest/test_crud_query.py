"""The CRUD query parameters: converters, bracket syntax in parseParams, Prefer: count=exact."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import pytest
from aiohttp import web
from multidict import MultiDict

from composer.errors import HttpError
from composer.repository.entity import entity_info
from composer.repository.filter import FilterLimits
from composer.repository.query import Comparison, Filter, Order
from composer.rest import Parameter, RequestContext, Route, activate
from composer.rest.crud_query import (
    by_id_filter_converter,
    filter_converter,
    wants_total_count,
    where_converter,
)
from composer.rest.parameters import query_object
from composer.spec import AppSpec, ModelSpec, PropertySpec
from tests.unit.rest.conftest import RawServer, Serve, app_spec, error

APP = AppSpec(
    api_version="composer/v1",
    name="q",
    models={
        "Todo": ModelSpec(
            datasource="db",
            properties={
                "id": PropertySpec(type="integer", id=True),
                "title": PropertySpec(type="string"),
            },
        )
    },
)
INFO = entity_info(APP, "Todo")


@pytest.mark.parametrize(
    ("prefer", "wanted"),
    [
        ("count=exact", True),
        ("COUNT=Exact", True),
        ('return=minimal, count="exact"', True),
        ("count=exact; strict", True),
        ("count=estimated", False),
        ("respond-async", False),
        ("", False),
        (None, False),
    ],
)
def test_prefer_asks_for_the_total_only_with_count_exact(prefer: str | None, wanted: bool) -> None:
    assert wants_total_count(prefer) is wanted


def test_the_find_filter_gets_the_default_limit_and_refuses_more_than_max() -> None:
    convert = filter_converter(INFO, FilterLimits(default_limit=10, max_limit=20))
    assert convert(None) == Filter(limit=10)
    assert convert({"order": "title DESC", "limit": "5"}) == Filter(
        order=(Order("title", descending=True),), limit=5
    )
    with pytest.raises(HttpError) as caught:
        convert({"limit": 21})
    assert caught.value.status == 400


def test_the_by_id_filter_refuses_where_and_the_where_converter_parses_a_clause() -> None:
    with pytest.raises(HttpError) as caught:
        by_id_filter_converter(INFO, FilterLimits())({"where": {"id": 2}})
    assert caught.value.body() == error(
        400,
        "BadRequestError",
        'Invalid data {"where":{"id":2}} for parameter "filter".',
        code="INVALID_PARAMETER_VALUE",
        details=[
            {
                "path": "",
                "code": "additionalProperties",
                "message": "must NOT have additional properties",
                "info": {"additionalProperty": "where"},
            }
        ],
    )
    assert by_id_filter_converter(INFO, FilterLimits())({"fields": ["title"]}) == Filter(
        fields=("title",)
    )
    assert where_converter(INFO, FilterLimits())({"title": "milk"}) == Comparison(
        "title", "eq", "milk"
    )


def test_query_object_nests_the_bracket_names_of_one_parameter_only() -> None:
    query = MultiDict(
        [
            ("filter[where][id][inq][0]", "1"),
            ("filter[where][id][inq][1]", "2"),
            ("filter[limit]", "2"),
            ("where[title]", "x"),
            ("filterx", "y"),
        ]
    )
    assert query_object(query, "filter") == {"where": {"id": {"inq": ["1", "2"]}}, "limit": "2"}
    assert query_object(query, "where") == {"title": "x"}
    assert query_object(query, "fields") is None


async def echo(ctx: RequestContext) -> Any:
    return {"params": dict(ctx.params)}


ROUTE = Route(
    "GET",
    "/items",
    echo,
    operation_id="items",
    summary="",
    parameters=(
        Parameter("filter", "query", "object", convert=lambda value: {"converted": value}),
        Parameter("where", "query", "object"),
    ),
)


async def test_parse_params_reads_bracket_objects_and_runs_the_converter(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=[ROUTE]))
    response = await client.get("/items?filter[limit]=2&where[done]=true")
    assert response.status == 200
    assert await response.json() == {
        "params": {"filter": {"converted": {"limit": "2"}}, "where": {"done": "true"}}
    }
    response = await client.get('/items?filter={"limit":2}&filter[skip]=1')
    assert await response.json() == {"params": {"filter": {"converted": {"limit": 2}}}}
    response = await client.get("/items")
    assert await response.json() == {"params": {}}


async def test_a_bracket_list_or_prototype_key_is_an_invalid_parameter(serve: Serve) -> None:
    client = await serve(activate(app_spec(), routes=[ROUTE]))
    response = await client.get("/items?filter[0]=a")
    assert await response.json() == error(
        400,
        "BadRequestError",
        'Invalid data ["a"] for parameter "filter".',
        code="INVALID_PARAMETER_VALUE",
    )
    response = await client.get("/items?where[__proto__][x]=1")
    assert await response.json() == error(
        400,
        "BadRequestError",
        'Invalid data {"__proto__":{"x":"1"}} for parameter "where".',
        code="INVALID_PARAMETER_VALUE",
        details={"syntaxError": 'JSON string cannot contain "__proto__" key.'},
    )


async def test_a_query_value_that_is_not_utf8_is_taken_as_sent(
    serve: Serve, raw_server: Callable[[web.Application], Awaitable[RawServer]]
) -> None:
    server = await raw_server(activate(app_spec(), routes=[ROUTE]))
    status, _, body = await server.exchange(
        b"GET /items?filter=%7B%22t%22%3A%22%FF%22%7D HTTP/1.1\r\n"
        b"Host: x\r\nConnection: close\r\n\r\n"
    )
    assert (status, orjson.loads(body)["error"]["message"]) == (
        400,
        'Invalid data "%7B%22t%22%3A%22%FF%22%7D" for parameter "filter".',
    )
    client = await serve(activate(app_spec(), routes=[ROUTE]))
    response = await client.get("/items?filter=%7B%22t%22%3A%22%EF%BF%BD%22%7D")
    assert await response.json() == {"params": {"filter": {"converted": {"t": "\ufffd"}}}}
