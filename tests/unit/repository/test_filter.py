"""parse_filter: the filter's JSON, shape, order, fields, pagination and include."""

from __future__ import annotations

from typing import Any

import pytest

from composer.errors import HttpError
from composer.repository.filter import FilterLimits, merge_scope, parse_filter, parse_where
from composer.repository.query import And, Comparison, Filter, Order
from composer.repository.query_error import FilterError
from tests.unit.repository.filter_models import TODO, VISIBLE

ALL_NAMES = [
    "id",
    "title",
    "desc",
    "isComplete",
    "priority",
    "createdAt",
    "due",
    "meta",
    "tags",
    "secret",
    "token",
]


def error(raw: object, **options: Any) -> dict[str, Any]:
    with pytest.raises(HttpError) as caught:
        parse_filter(raw, TODO, **options)
    body: dict[str, Any] = caught.value.body()["error"]
    return body


def invalid(shown: str, details: Any = None, parameter: str = "filter") -> dict[str, Any]:
    body = {
        "statusCode": 400,
        "name": "BadRequestError",
        "message": f'Invalid data {shown} for parameter "{parameter}".',
        "code": "INVALID_PARAMETER_VALUE",
    }
    if details is not None:
        body["details"] = details
    return body


def juggler(message: str, code: str = "INVALID_PARAMETER_VALUE") -> dict[str, Any]:
    return {"statusCode": 400, "name": "Error", "message": message, "code": code}


def type_detail(path: str, expected: str) -> dict[str, Any]:
    return {
        "path": path,
        "code": "type",
        "message": f"must be {expected}",
        "info": {"type": expected},
    }


def one_of(path: str) -> dict[str, Any]:
    return {
        "path": path,
        "code": "oneOf",
        "message": "must match exactly one schema in oneOf",
        "info": {"passingSchemas": None},
    }


def minimum(path: str, limit: int) -> dict[str, Any]:
    return {
        "path": path,
        "code": "minimum",
        "message": f"must be >= {limit}",
        "info": {"comparison": ">=", "limit": limit},
    }


def extra(path: str, key: str) -> dict[str, Any]:
    return {
        "path": path,
        "code": "additionalProperties",
        "message": "must NOT have additional properties",
        "info": {"additionalProperty": key},
    }


# decoding ---------------------------------------------------------------------


def test_no_filter_is_every_row_with_the_default_limit() -> None:
    limits = FilterLimits(default_limit=25)
    assert parse_filter(None, TODO, limits=limits) == Filter(limit=25)
    assert parse_filter("", TODO, limits=limits) == Filter(limit=25)
    assert parse_filter("null", TODO, limits=limits) == Filter(limit=25)
    assert parse_filter({}, TODO, limits=limits) == Filter(limit=25)


def test_a_json_string_is_parsed() -> None:
    parsed = parse_filter('{"where": {"id": 3}, "limit": 2}', TODO)
    assert parsed == Filter(where=Comparison("id", "eq", 3), limit=2)


def test_invalid_json_is_loopbacks_invalid_data_with_the_syntax_error() -> None:
    body = error("notjson")
    assert body["message"] == 'Invalid data "notjson" for parameter "filter".'
    assert body["code"] == "INVALID_PARAMETER_VALUE"
    assert body["name"] == "BadRequestError"
    assert body["details"] == {
        "syntaxError": "invalid literal, expected 'null': line 1 column 1 (char 0)"
    }


@pytest.mark.parametrize(("raw", "shown"), [("[1]", '"[1]"'), ("5", '"5"'), ('"x"', '"\\"x\\""')])
def test_a_filter_that_is_not_an_object_is_invalid_data(raw: str, shown: str) -> None:
    assert error(raw) == invalid(shown)


def test_a_decoded_non_object_shows_its_json_text() -> None:
    assert error([1, 2]) == invalid('"[1,2]"')


def test_the_parameter_name_appears_in_the_message() -> None:
    assert error("[1]", parameter="scope") == invalid('"[1]"', parameter="scope")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ('{"where":{"__proto__":{"x":1}}}', '"__proto__"'),
        ('{"where":{"constructor":{"prototype":1}}}', '"constructor.prototype"'),
        ('{"where":{"title":{"constructor":1}}}', '"constructor"'),
        ('{"where":{"or":[{"__proto__":1}]}}', '"__proto__"'),
    ],
)
def test_prototype_keys_are_refused_anywhere(raw: str, problem: str) -> None:
    body = error(raw)
    assert (
        body["message"]
        == f'Invalid data "{raw.replace(chr(34), chr(92) + chr(34))}" for parameter "filter".'
    )
    assert body["details"] == {"syntaxError": f"JSON string cannot contain {problem} key."}


def test_a_prototype_key_from_bracket_syntax_is_refused_too() -> None:
    body = error({"where": {"__proto__": {"x": "1"}}})
    assert body["details"] == {"syntaxError": 'JSON string cannot contain "__proto__" key.'}
    assert body["message"] == (
        'Invalid data "{\\"where\\":{\\"__proto__\\":{\\"x\\":\\"1\\"}}}" for parameter "filter".'
    )


# shape ----------------------------------------------------------------------


def test_unknown_top_level_keys_are_listed_as_ajv_does() -> None:
    assert error('{"foo":1}') == invalid('{"foo":1}', [extra("", "foo")])


def test_every_shape_problem_is_reported_in_ajvs_order() -> None:
    raw = '{"fields":{"nope":true},"skip":-1,"limit":0,"offset":-2,"where":5,"order":[]}'
    assert error(raw) == invalid(
        '{"fields":{"nope":true},"skip":-1,"limit":0,"offset":-2,"where":5,"order":[]}',
        [
            minimum("/offset", 0),
            minimum("/limit", 1),
            minimum("/skip", 0),
            type_detail("/where", "object"),
            extra("/fields", "nope"),
            type_detail("/fields", "array"),
            one_of("/fields"),
        ],
    )


@pytest.mark.parametrize(
    ("raw", "shown", "details"),
    [
        ('{"limit":0}', '{"limit":0}', [minimum("/limit", 1)]),
        ('{"limit":-1}', '{"limit":-1}', [minimum("/limit", 1)]),
        ('{"limit":1.5}', '{"limit":1.5}', [type_detail("/limit", "integer")]),
        ('{"limit":"abc"}', '{"limit":"abc"}', [type_detail("/limit", "integer")]),
        ('{"limit":true}', '{"limit":true}', [type_detail("/limit", "integer")]),
        ('{"limit":null}', '{"limit":null}', [type_detail("/limit", "integer")]),
        ('{"skip":-1}', '{"skip":-1}', [minimum("/skip", 0)]),
        ('{"offset":-1}', '{"offset":-1}', [minimum("/offset", 0)]),
        ('{"skip":1,"limit":0}', '{"skip":1,"limit":0}', [minimum("/limit", 1)]),
        ('{"where":"x"}', '{"where":"x"}', [type_detail("/where", "object")]),
        ('{"where":[1]}', '{"where":[1]}', [type_detail("/where", "object")]),
        ('{"where":null}', '{"where":null}', [type_detail("/where", "object")]),
    ],
)
def test_pagination_and_where_types_are_checked(raw: str, shown: str, details: Any) -> None:
    assert error(raw) == invalid(shown, details)


def test_a_limit_beyond_javascripts_safe_integers_is_refused() -> None:
    assert error({"limit": 2**53})["details"] == [
        {
            "path": "/limit",
            "code": "maximum",
            "message": "must be <= 9007199254740991",
            "info": {"comparison": "<=", "limit": 9007199254740991},
        }
    ]


def test_numeric_strings_are_coerced_like_ajv_and_shown_coerced() -> None:
    assert parse_filter({"limit": "2", "skip": " 3", "offset": "4"}, TODO).limit == 2
    assert error({"limit": "0"}) == invalid('{"limit":0}', [minimum("/limit", 1)])


def test_an_integral_float_is_an_integer() -> None:
    assert parse_filter('{"limit": 2.0}', TODO).limit == 2


@pytest.mark.parametrize(
    ("raw", "details"),
    [
        (
            {"order": 5},
            [type_detail("/order", "string"), type_detail("/order", "array"), one_of("/order")],
        ),
        (
            {"order": ["title", 5]},
            [type_detail("/order", "string"), type_detail("/order/1", "string"), one_of("/order")],
        ),
    ],
)
def test_order_must_be_a_string_or_strings(raw: object, details: Any) -> None:
    assert error(raw)["details"] == details


def test_fields_map_with_unknown_keys_lists_each() -> None:
    assert error('{"fields":{"nope":true,"nada":false}}') == invalid(
        '{"fields":{"nope":true,"nada":false}}',
        [
            extra("/fields", "nope"),
            extra("/fields", "nada"),
            type_detail("/fields", "array"),
            one_of("/fields"),
        ],
    )


def test_fields_map_values_must_be_booleans() -> None:
    assert error('{"fields":{"title":"yes"}}') == invalid(
        '{"fields":{"title":"yes"}}',
        [
            type_detail("/fields/title", "boolean"),
            type_detail("/fields", "array"),
            one_of("/fields"),
        ],
    )


def test_fields_array_with_an_unknown_name_lists_the_allowed_values() -> None:
    assert error('{"fields":["nope"]}') == invalid(
        '{"fields":["nope"]}',
        [
            type_detail("/fields", "object"),
            {
                "path": "/fields/0",
                "code": "enum",
                "message": "must be equal to one of the allowed values",
                "info": {"allowedValues": ALL_NAMES},
            },
            one_of("/fields"),
        ],
    )


def test_fields_array_items_must_be_distinct_strings() -> None:
    assert error('{"fields":["title","desc","title",3]}')["details"] == [
        type_detail("/fields", "object"),
        type_detail("/fields/3", "string"),
        {
            "path": "/fields",
            "code": "uniqueItems",
            "message": "must NOT have duplicate items (items ## 2 and 0 are identical)",
            "info": {"i": 0, "j": 2},
        },
        one_of("/fields"),
    ]


@pytest.mark.parametrize("raw", ['{"fields":5}', '{"fields":null}', '{"fields":"title"}'])
def test_fields_of_another_type_fail_both_schemas(raw: str) -> None:
    assert error(raw)["details"] == [
        type_detail("/fields", "object"),
        type_detail("/fields", "array"),
        one_of("/fields"),
    ]


def test_find_by_id_filter_refuses_where() -> None:
    assert error('{"where":{"id":2}}', exclude_where=True) == invalid(
        '{"where":{"id":2}}', [extra("", "where")]
    )


# depth ----------------------------------------------------------------------


def nested(levels: int, leaf: dict[str, Any]) -> dict[str, Any]:
    where = leaf
    for _ in range(levels):
        where = {"and": [where]}
    return where


def test_a_filter_nested_32_levels_deep_is_accepted() -> None:
    # filter(0) > where(1) > and(2) > [0](3) ... > {"id": 1}(31) > 1(32)
    assert parse_filter({"where": nested(15, {"id": 1})}, TODO).where is not None


def test_a_filter_nested_33_levels_deep_is_too_deep() -> None:
    assert error({"where": nested(15, {"id": {"gt": 0}})}) == juggler(
        "The query object exceeds maximum depth 32", "QUERY_OBJECT_TOO_DEEP"
    )


def test_the_depth_limit_is_configurable() -> None:
    assert error({"where": {"id": 1}}, limits=FilterLimits(max_depth=1))["code"] == (
        "QUERY_OBJECT_TOO_DEEP"
    )


def test_a_where_parameter_counts_depth_from_the_where_object() -> None:
    assert parse_where(nested(15, {"id": {"gt": 0}}), TODO) is not None
    with pytest.raises(FilterError, match="exceeds maximum depth 32"):
        parse_where(nested(16, {"id": 1}), TODO)


def test_a_very_deep_filter_is_refused_without_recursion() -> None:
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    assert error({"where": {"id": {"inq": deep}}})["code"] == "QUERY_OBJECT_TOO_DEEP"


# order ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("title", (Order("title"),)),
        ("title DESC", (Order("title", descending=True),)),
        ("title desc", (Order("title", descending=True),)),
        ("title ASC, id DESC", (Order("title"), Order("id", descending=True))),
        ("title ASC,, id  DESC", (Order("title"), Order("id", descending=True))),
        (["priority DESC", "title"], (Order("priority", descending=True), Order("title"))),
        (["priority DESC, title"], (Order("priority", descending=True), Order("title"))),
        ("", ()),
        ([], ()),
    ],
)
def test_order_forms(order: object, expected: tuple[Order, ...]) -> None:
    assert parse_filter({"order": order}, TODO).order == expected


def test_a_bad_direction_is_loopbacks_message() -> None:
    assert error('{"order":"title SIDEWAYS"}') == juggler(
        'The order "title SIDEWAYS" has invalid direction'
    )


def test_an_order_is_split_on_white_space_as_loopback_splits_it() -> None:
    # the second word is the direction, whatever follows
    assert error('{"order":"title; DROP TABLE x"}') == juggler(
        'The order "title; DROP TABLE x" has invalid direction'
    )
    # white space before the property, or after a lone one, leaves an empty word
    assert error('{"order":" title"}') == juggler('The order " title" has invalid direction')
    assert error('{"order":"title "}') == juggler('The order "title " has invalid direction')
    assert error('{"order":"title\\u3000x"}') == juggler(
        'The order "title\u3000x" has invalid direction'
    )
    assert parse_filter({"order": "title\u00a0desc , ,priority"}, TODO).order == (
        Order("title", descending=True),
        Order("priority"),
    )


def test_a_word_after_the_direction_is_refused() -> None:
    assert error('{"order":"title DESC x"}') == juggler(
        'The order "title DESC x" has words after its direction'
    )
    assert error('{"order":["priority","title ASC DESC"]}') == juggler(
        'The order "title ASC DESC" has words after its direction'
    )
    assert parse_filter({"order": "title DESC "}, TODO).order == (Order("title", descending=True),)


def test_an_unknown_order_property_is_named() -> None:
    assert error('{"order":["title","nope DESC"]}') == {
        "statusCode": 400,
        "name": "BadRequestError",
        "message": f'Unknown property "nope" in order. Properties of Todo: {VISIBLE}.',
        "code": "INVALID_PARAMETER_VALUE",
    }


def test_a_hidden_property_cannot_order_a_client_query() -> None:
    assert error({"order": "secret"})["message"] == (
        f'Unknown property "secret" in order. Properties of Todo: {VISIBLE}.'
    )


def test_a_hidden_property_can_order_a_scope() -> None:
    assert parse_filter({"order": "token"}, TODO, allow_hidden=True).order == (Order("token"),)


# fields -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"title": True, "id": True}, ("id", "title")),
        ({"title": "true", "desc": 1}, ("title", "desc")),
        ({"title": True, "desc": False}, ("title",)),
        (
            {"title": False, "meta": "false"},
            ("id", "desc", "isComplete", "priority", "createdAt", "due", "tags"),
        ),
        (["desc", "id"], ("id", "desc")),
        (["title", "secret"], ("title",)),
        ({}, None),
        ([], None),
    ],
)
def test_fields_forms_in_declaration_order_without_hidden(
    fields: object, expected: tuple[str, ...] | None
) -> None:
    assert parse_filter({"fields": fields}, TODO).fields == expected


# pagination -------------------------------------------------------------------


def test_limit_and_skip_are_kept() -> None:
    assert parse_filter({"limit": 5, "skip": 10}, TODO) == Filter(limit=5, skip=10)


def test_offset_is_skip_and_skip_wins_over_it() -> None:
    assert parse_filter({"offset": 4}, TODO).skip == 4
    assert parse_filter({"offset": 4, "skip": 6}, TODO).skip == 6


def test_skip_without_limit_does_not_imply_a_limit() -> None:
    assert parse_filter({"skip": 3}, TODO) == Filter(skip=3)


def test_the_default_limit_applies_only_without_a_limit() -> None:
    limits = FilterLimits(default_limit=20, max_limit=100)
    assert parse_filter({"skip": 3}, TODO, limits=limits).limit == 20
    assert parse_filter({"limit": 100}, TODO, limits=limits).limit == 100


def test_a_limit_above_max_limit_is_refused_as_a_maximum() -> None:
    assert error({"limit": 101}, limits=FilterLimits(max_limit=100)) == invalid(
        '{"limit":101}',
        [
            {
                "path": "/limit",
                "code": "maximum",
                "message": "must be <= 100",
                "info": {"comparison": "<=", "limit": 100},
            }
        ],
    )


# include ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("include", "shown"),
    [
        ("todoList", '"todoList"'),
        (["todoList", "owner"], '"todoList"; "owner"'),
        ({"todoList": "items"}, '{"todoList":"items"}'),
        (
            [{"relation": "todoList", "scope": {"limit": 1}}],
            '{"relation":"todoList","scope":{"limit":1}}',
        ),
    ],
)
def test_include_in_any_form_is_an_invalid_inclusion_filter(include: object, shown: str) -> None:
    assert error({"include": include}) == {
        "statusCode": 400,
        "name": "Error",
        "message": f'Invalid "filter.include" entries: {shown}',
        "code": "INVALID_INCLUSION_FILTER",
    }


def test_an_empty_include_is_no_include() -> None:
    assert parse_filter({"include": []}, TODO) == Filter()


def test_a_where_problem_is_reported_before_include() -> None:
    assert error({"include": "x", "where": {"nope": 1}})["message"].startswith(
        'Unknown property "nope"'
    )


# errors know where they are ---------------------------------------------------


def test_an_error_carries_its_path_and_a_summary() -> None:
    with pytest.raises(FilterError) as caught:
        parse_filter({"where": {"and": [{"id": 1}, {"nope": 2}]}}, TODO)
    assert caught.value.path == ("where", "and", 1, "nope")
    assert caught.value.at_key is True
    assert caught.value.summary == f"unknown property 'nope'; properties of Todo: {VISIBLE}"


# merge_scope ------------------------------------------------------------------


def test_merge_scope_ands_the_wheres_scope_first() -> None:
    scope = Filter(where=Comparison("isComplete", "eq", False))
    query = Filter(where=Comparison("id", "gt", 3))
    assert merge_scope(scope, query).where == And(
        (Comparison("isComplete", "eq", False), Comparison("id", "gt", 3))
    )


def test_merge_scope_keeps_the_only_where() -> None:
    where = Comparison("id", "gt", 3)
    assert merge_scope(Filter(where=where), Filter()).where == where
    assert merge_scope(Filter(), Filter(where=where)).where == where


def test_merge_scope_lets_the_querys_settings_win_when_given() -> None:
    scope = Filter(fields=("id",), order=(Order("title"),), limit=10, skip=5)
    query = Filter(fields=("title",), order=(Order("id", True),), limit=2, skip=1)
    assert merge_scope(scope, query) == query


def test_merge_scope_falls_back_to_the_scopes_settings() -> None:
    scope = Filter(fields=("id",), order=(Order("title"),), limit=10, skip=5)
    assert merge_scope(scope, Filter()) == scope


def test_a_very_deep_non_object_is_invalid_data_without_recursion() -> None:
    deep: Any = 1
    for _ in range(100_000):
        deep = [deep]
    assert error(deep) == invalid('"[...]"')
