"""parse_query: bracket query strings into nested objects and lists."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from composer.errors import HttpError
from composer.repository.filter import parse_filter
from composer.repository.query import Comparison, Filter, Order
from composer.repository.querystring import parse_query
from tests.unit.repository.filter_models import TODO


def query(text: str) -> dict[str, object]:
    return parse_query(parse_qsl(text, keep_blank_values=True))


def test_plain_parameters_stay_strings() -> None:
    assert query("filter=%7B%7D&access_token=t") == {"filter": "{}", "access_token": "t"}


def test_brackets_nest_objects() -> None:
    assert query("filter[where][title]=x&filter[limit]=2") == {
        "filter": {"where": {"title": "x"}, "limit": "2"}
    }


def test_indexes_make_lists_in_index_order() -> None:
    assert query("filter[where][id][inq][1]=2&filter[where][id][inq][0]=1") == {
        "filter": {"where": {"id": {"inq": ["1", "2"]}}}
    }


def test_empty_brackets_append() -> None:
    assert query("a[]=x&a[]=y&a[]=z") == {"a": ["x", "y", "z"]}


def test_gaps_between_indexes_close() -> None:
    assert query("a[7]=x&a[2]=y") == {"a": ["y", "x"]}


def test_more_than_twenty_indexes_stay_a_list() -> None:
    pairs = [(f"filter[where][id][inq][{i}]", str(i)) for i in range(25)]
    assert parse_query(pairs) == {"filter": {"where": {"id": {"inq": [str(i) for i in range(25)]}}}}


def test_mixed_index_and_name_keys_make_an_object() -> None:
    assert query("a[0]=x&a[b]=y") == {"a": {"0": "x", "b": "y"}}


def test_an_index_with_a_leading_zero_is_a_name() -> None:
    assert query("a[01]=x") == {"a": {"01": "x"}}


def test_a_repeated_name_collects_its_values() -> None:
    assert query("a=1&a=2") == {"a": ["1", "2"]}
    assert query("f[limit]=1&f[limit]=2") == {"f": {"limit": ["1", "2"]}}


def test_empty_values_and_empty_names() -> None:
    assert query("a[b]=&&c=1") == {"a": {"b": ""}, "c": "1"}


def test_no_parameters() -> None:
    assert parse_query([]) == {}


@pytest.mark.parametrize(
    "name", ["filter[where", "filter]where", "filter[a]b", "[a]", "a[b]]", "a[[b]]"]
)
def test_a_malformed_name_is_refused_naming_it(name: str) -> None:
    with pytest.raises(HttpError) as caught:
        parse_query([(name, "1")])
    assert caught.value.body() == {
        "error": {
            "statusCode": 400,
            "name": "BadRequestError",
            "message": f'Malformed query parameter name "{name}".',
            "code": "INVALID_PARAMETER_VALUE",
        }
    }


def test_a_name_used_as_value_and_object_is_refused() -> None:
    with pytest.raises(HttpError, match=r'"a\[b\]" conflicts with "a"\.'):
        parse_query([("a", "1"), ("a[b]", "2")])
    with pytest.raises(HttpError, match=r'"a" conflicts with "a\[b\]"\.'):
        parse_query([("a[b]", "2"), ("a", "1")])


def test_a_name_nested_too_deep_is_refused() -> None:
    name = "a" + "[b]" * 33
    with pytest.raises(HttpError) as caught:
        parse_query([(name, "1")])
    assert caught.value.message == f'Query parameter "{name}" is nested more than 32 levels deep.'
    assert parse_query([("a" + "[b]" * 32, "1")])


def test_a_bracket_filter_parses_to_the_same_filter_as_its_json() -> None:
    params = query(
        "filter[where][id][inq][0]=1&filter[where][id][inq][1]=2"
        "&filter[where][isComplete]=true&filter[order][0]=title%20DESC"
        "&filter[fields][title]=true&filter[limit]=2&filter[skip]=1"
    )
    assert parse_filter(params["filter"], TODO) == Filter(
        where=parse_filter('{"where": {"id": {"inq": [1, 2]}, "isComplete": true}}', TODO).where,
        fields=("title",),
        order=(Order("title", descending=True),),
        limit=2,
        skip=1,
    )


def test_a_bracket_where_with_many_items_reaches_the_filter() -> None:
    params = query("&".join(f"filter[where][id][inq][{i}]={i}" for i in range(30)))
    assert parse_filter(params["filter"], TODO).where == Comparison("id", "inq", tuple(range(30)))
