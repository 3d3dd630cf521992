"""Where clauses: every operator and form, value coercion, and every where error."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from composer.errors import HttpError
from composer.repository.filter import FilterLimits, parse_filter, parse_where
from composer.repository.query import And, Comparison, Or, Regexp, Where
from tests.unit.repository.filter_models import TODO, VISIBLE

UTC = datetime.UTC


def where(raw: object, **options: Any) -> Where | None:
    return parse_where(raw, TODO, **options)


def error(raw: object, **options: Any) -> dict[str, Any]:
    with pytest.raises(HttpError) as caught:
        parse_where(raw, TODO, **options)
    body: dict[str, Any] = caught.value.body()["error"]
    return body


def clause(prop: str, shown: str, reason: str) -> dict[str, Any]:
    return {
        "statusCode": 400,
        "name": "Error",
        "message": f"The {prop} property has invalid clause {shown}: {reason}",
        "code": "INVALID_PARAMETER_VALUE",
    }


# forms ------------------------------------------------------------------------


def test_a_plain_value_is_equality() -> None:
    assert where({"title": "x"}) == Comparison("title", "eq", "x")


def test_null_equality_is_kept_as_none() -> None:
    assert where({"desc": None}) == Comparison("desc", "eq", None)
    assert where({"desc": {"neq": None}}) == Comparison("desc", "neq", None)


def test_several_properties_are_anded_in_order() -> None:
    assert where({"title": "x", "id": 2}) == And(
        (Comparison("title", "eq", "x"), Comparison("id", "eq", 2))
    )


def test_several_operators_on_one_property_are_anded() -> None:
    assert where({"id": {"gt": 1, "lt": 5}}) == And(
        (Comparison("id", "gt", 1), Comparison("id", "lt", 5))
    )


def test_and_or_nest() -> None:
    raw = {"or": [{"isComplete": True}, {"and": [{"priority": {"gte": 2}}, {"id": {"neq": 4}}]}]}
    assert where(raw) == Or(
        (
            Comparison("isComplete", "eq", True),
            And((Comparison("priority", "gte", 2), Comparison("id", "neq", 4))),
        )
    )


def test_empty_and_matches_all_and_empty_or_matches_none() -> None:
    assert where({"and": []}) is None
    assert where({"or": []}) == Or(())
    assert where({"or": [{"and": []}, {"id": 1}]}) == Or((And(()), Comparison("id", "eq", 1)))


def test_an_empty_where_is_no_where() -> None:
    assert where({}) is None
    assert where("") is None
    assert where(None) is None
    assert parse_filter({"where": {}}, TODO).where is None


def test_array_like_objects_are_arrays_for_and_or_inq() -> None:
    assert where({"or": {"1": {"id": 2}, "0": {"id": 1}}}) == Or(
        (Comparison("id", "eq", 1), Comparison("id", "eq", 2))
    )
    assert where({"id": {"inq": {"0": "1", "1": "2"}}}) == Comparison("id", "inq", (1, 2))


def test_a_where_parameter_may_be_json_text() -> None:
    assert where('{"id": {"between": [1, 3]}}') == Comparison("id", "between", (1, 3))


# every operator ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"id": {"eq": 1}}, Comparison("id", "eq", 1)),
        ({"id": {"neq": 1}}, Comparison("id", "neq", 1)),
        ({"priority": {"gt": 1.5}}, Comparison("priority", "gt", 1.5)),
        ({"priority": {"gte": 1}}, Comparison("priority", "gte", 1)),
        ({"title": {"lt": "m"}}, Comparison("title", "lt", "m")),
        ({"due": {"lte": "2024-02-29"}}, Comparison("due", "lte", datetime.date(2024, 2, 29))),
        ({"id": {"between": [1, 9]}}, Comparison("id", "between", (1, 9))),
        ({"id": {"inq": [3, 1]}}, Comparison("id", "inq", (3, 1))),
        ({"id": {"nin": []}}, Comparison("id", "nin", ())),
        ({"id": {"inq": []}}, Comparison("id", "inq", ())),
        ({"title": {"like": "a%b_"}}, Comparison("title", "like", "a%b_")),
        ({"title": {"nlike": "a\\%"}}, Comparison("title", "nlike", "a\\%")),
        ({"title": {"ilike": "A%"}}, Comparison("title", "ilike", "A%")),
        ({"title": {"nilike": "%z"}}, Comparison("title", "nilike", "%z")),
        ({"title": {"regexp": "^T"}}, Comparison("title", "regexp", Regexp("^T"))),
        (
            {"title": {"regexp": "/^t/i"}},
            Comparison("title", "regexp", Regexp("^t", frozenset({"i"}))),
        ),
        (
            {"title": {"regexp": "/a.b/ms"}},
            Comparison("title", "regexp", Regexp("a.b", frozenset({"m", "s"}))),
        ),
        ({"title": {"regexp": "a/b"}}, Comparison("title", "regexp", Regexp("a/b"))),
        ({"desc": {"exists": True}}, Comparison("desc", "exists", True)),
        ({"desc": {"exists": "false"}}, Comparison("desc", "exists", False)),
        ({"meta": {"exists": True}}, Comparison("meta", "exists", True)),
        ({"meta": None}, Comparison("meta", "eq", None)),
        ({"tags": {"neq": None}}, Comparison("tags", "neq", None)),
    ],
)
def test_every_operator(raw: object, expected: Where) -> None:
    assert where(raw) == expected


def test_a_regexp_value_is_ready_for_every_engine() -> None:
    found = where({"title": {"regexp": "/^to/i"}})
    assert isinstance(found, Comparison)
    assert found.value.for_re2().search("TODO") is not None
    assert found.value.for_postgresql() == ("~", "\\A[Tt][Oo]")
    assert found.value.for_mysql() == "\\A[Tt][Oo]"


# coercion ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "raw", "value"),
    [
        ("id", "42", 42),
        ("id", "-7", -7),
        ("id", "3.0", 3),
        ("id", 3.0, 3),
        ("priority", "2.5", 2.5),
        ("priority", " 1e3 ", 1000.0),
        ("priority", "7", 7),
        ("isComplete", "true", True),
        ("isComplete", "1", True),
        ("isComplete", "FALSE", False),
        ("isComplete", "0", False),
        ("isComplete", 0, False),
        ("isComplete", 1.0, True),
        ("id", " 3. ", 3),
        ("id", "+9223372036854775807", 2**63 - 1),
        ("id", "-9223372036854775808", -(2**63)),
        ("id", "9223372036854775799", 2**63 - 9),
        ("id", "-0", 0),
        ("priority", "-" + "9" * 200 + ".5e99", -1e299),
        ("id", "00000000000000000000042", 42),
        ("priority", "\t.5\n", 0.5),
        ("title", 5, "5"),
        ("title", 2.5, "2.5"),
        ("title", 2.0, "2"),
        ("title", True, "true"),
        ("due", "2024-01-31", datetime.date(2024, 1, 31)),
        ("due", datetime.date(2024, 1, 31), datetime.date(2024, 1, 31)),
        (
            "createdAt",
            "2024-01-01T10:00:00.123456+02:00",
            datetime.datetime(2024, 1, 1, 8, 0, 0, 123000, tzinfo=UTC),
        ),
        ("createdAt", "2024-01-01T10:00:00Z", datetime.datetime(2024, 1, 1, 10, tzinfo=UTC)),
        ("createdAt", "2024-01-01", datetime.datetime(2024, 1, 1, tzinfo=UTC)),
        (
            "createdAt",
            datetime.datetime(2024, 1, 1, 10, 0, 0, 999999, tzinfo=UTC),
            datetime.datetime(2024, 1, 1, 10, 0, 0, 999000, tzinfo=UTC),
        ),
    ],
)
def test_values_are_coerced_to_the_property_type(prop: str, raw: object, value: object) -> None:
    found = where({prop: raw})
    assert found == Comparison(prop, "eq", value)
    assert isinstance(found, Comparison)
    assert type(found.value) is type(value)


def test_bracket_strings_are_coerced_inside_lists() -> None:
    assert where({"priority": {"between": ["1", "2.5"]}}) == Comparison(
        "priority", "between", (1, 2.5)
    )
    assert where({"isComplete": {"inq": ["true", "0"]}}) == Comparison(
        "isComplete", "inq", (True, False)
    )


#: how long a number given as text may be
BOUNDED = "of at most 200 digits before the point and a 2-digit exponent"


@pytest.mark.parametrize(
    ("prop", "raw", "reason"),
    [
        ("id", "abc", "Expected an integer"),
        ("id", "1.5", "Expected an integer"),
        ("id", "1e3", "Expected an integer"),
        ("id", "9223372036854775808", "Expected an integer within 64 bits"),
        ("id", "-9223372036854775809", "Expected an integer within 64 bits"),
        ("id", "9223372036854775810", "Expected an integer within 64 bits"),
        ("id", "1" + "0" * 40, "Expected an integer within 64 bits"),
        ("id", True, "Expected an integer"),
        ("id", [1, 2], "Expected an integer"),
        ("id", 2**63, "Expected an integer within 64 bits"),
        ("priority", "1,5", "Expected a number"),
        ("priority", "NaN", "Expected a number"),
        ("priority", "Infinity", "Expected a number"),
        ("priority", "", "Expected a number"),
        ("priority", "\u00a02", "Expected a number"),
        *(
            ("priority", text, f"Expected a number {BOUNDED}")
            for text in ("1e999", "1e100", "-.5e-100")
        ),
        ("isComplete", 0.5, "Expected a boolean (true, false, 1 or 0)"),
        ("priority", False, "Expected a number"),
        ("isComplete", "yes", "Expected a boolean (true, false, 1 or 0)"),
        ("isComplete", 2, "Expected a boolean (true, false, 1 or 0)"),
        ("title", ["a"], "Expected a string"),
        ("due", "2023-02-29", "Expected a date (YYYY-MM-DD)"),
        ("due", "2024-01-01T00:00:00Z", "Expected a date (YYYY-MM-DD)"),
        (
            "createdAt",
            "2024-01-01T10:00:00",
            "Expected a date-time (RFC 3339 with a time zone, or YYYY-MM-DD)",
        ),
        (
            "createdAt",
            1700000000000,
            "Expected a date-time (RFC 3339 with a time zone, or YYYY-MM-DD)",
        ),
        ("title", "a\x00b", "Strings cannot contain NUL characters or lone surrogates"),
        ("title", "a\ud800", "Strings cannot contain NUL characters or lone surrogates"),
    ],
)
def test_a_value_that_cannot_be_coerced_is_refused(prop: str, raw: object, reason: str) -> None:
    from composer.repository.query_error import js_json

    assert error({prop: raw}) == clause(prop, js_json(raw), reason)


@pytest.mark.parametrize(
    ("prop", "raw", "what"),
    [
        ("createdAt", "0001-01-01T00:00:00+01:00", "date-time"),
        ("createdAt", "0001-01-01T23:00:00+01:00", "date-time"),
        ("createdAt", "9999-12-31T23:00:00-01:00", "date-time"),
        ("createdAt", "0000-01-01", "date-time"),
        ("due", "0000-01-01", "date"),
    ],
)
def test_a_date_beyond_the_years_1_to_9999_is_refused_as_in_a_body(
    prop: str, raw: str, what: str
) -> None:
    from composer.repository.query_error import js_json

    reason = (
        f"Expected a {what} in the years 1 to 9999 (in UTC: on 0001-01-01 no time zone east "
        "of UTC, on 9999-12-31 none west of it)"
    )
    assert error({prop: raw}) == clause(prop, js_json(raw), reason)


def test_the_first_and_last_days_compare_in_utc() -> None:
    assert where({"createdAt": {"gte": "0001-01-01T23:00:00-01:00"}}) == Comparison(
        "createdAt", "gte", datetime.datetime(1, 1, 2, tzinfo=UTC)
    )
    assert where({"createdAt": {"lt": "9999-12-31"}}) == Comparison(
        "createdAt", "lt", datetime.datetime(9999, 12, 31, tzinfo=UTC)
    )


def test_a_number_given_as_text_has_at_most_200_digits_before_the_point() -> None:
    assert where({"priority": "9" * 200}) == Comparison("priority", "eq", float("9" * 200))
    message = error({"priority": "9" * 201})["message"]
    assert message.endswith(f": Expected a number {BOUNDED}")


# where errors -----------------------------------------------------------------


def test_an_unknown_property_is_named_with_the_known_ones() -> None:
    assert error({"or": [{"id": 1}, {"titel": "x"}]}) == {
        "statusCode": 400,
        "name": "BadRequestError",
        "message": f'Unknown property "titel" in where. Properties of Todo: {VISIBLE}.',
        "code": "INVALID_PARAMETER_VALUE",
    }


@pytest.mark.parametrize("name", ["secret", "token"])
def test_a_hidden_property_is_unknown_to_a_client(name: str) -> None:
    assert error({name: "guess"})["message"] == (
        f'Unknown property "{name}" in where. Properties of Todo: {VISIBLE}.'
    )


def test_a_hidden_property_may_be_used_where_the_caller_allows_it() -> None:
    assert where({"secret": "x"}, allow_hidden=True) == Comparison("secret", "eq", "x")


def test_a_dotted_name_is_an_unknown_property() -> None:
    assert error({"meta.color": "red"})["message"].startswith('Unknown property "meta.color"')


def test_nor_is_not_an_operator() -> None:
    assert error({"nor": [{"id": 1}]})["message"].startswith('Unknown property "nor"')


def test_an_unknown_operator_is_named_with_the_operators() -> None:
    assert error({"title": {"eq": "x", "contains": "y"}}) == {
        "statusCode": 400,
        "name": "Error",
        "message": 'The title property has invalid clause {"eq":"x","contains":"y"}: '
        'unknown operator "contains". Operators: eq, neq, gt, gte, lt, lte, between, inq, nin, '
        "like, nlike, ilike, nilike, regexp, exists.",
        "code": "INVALID_PARAMETER_VALUE",
    }


def test_an_empty_operator_object_is_refused() -> None:
    assert error({"title": {}}) == clause("title", "{}", "Expected an operator")


@pytest.mark.parametrize(
    ("raw", "operators", "at"),
    [
        ({"title": {"$regex": "x"}}, ["$regex"], {"title": {"$regex": "x"}}),
        ({"$where": "1", "$or": []}, ["$where", "$or"], {"$where": "1", "$or": []}),
        ({"or": [{"id": {"$gt": 1}}]}, ["$gt"], {"id": {"$gt": 1}}),
    ],
)
def test_dollar_keys_are_operators_not_allowed(
    raw: object, operators: list[str], at: object
) -> None:
    assert error(raw) == {
        "statusCode": 400,
        "name": "Error",
        "message": f'Operators "{", ".join(operators)}" are not allowed in query',
        "code": "OPERATOR_NOT_ALLOWED_IN_QUERY",
        "details": {"operators": operators, "where": at},
    }


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            {"and": 1},
            "The and operator has invalid clauses 1: "
            "Value is not an array or object with sequential numeric indices",
        ),
        (
            {"or": {"a": 1}},
            'The or operator has invalid clauses {"a":1}: '
            "Value is not an array or object with sequential numeric indices",
        ),
        ({"and": {}}, "The and operator has invalid clauses {}: Value is an empty object"),
        ({"and": [1]}, "The where clause 1 is not an object"),
        ({"or": [[{"id": 1}]]}, 'The where clause [{"id":1}] is not an object'),
    ],
)
def test_and_or_need_arrays_of_where_objects(raw: object, message: str) -> None:
    assert error(raw) == {
        "statusCode": 400,
        "name": "Error",
        "message": message,
        "code": "INVALID_PARAMETER_VALUE",
    }


@pytest.mark.parametrize(
    ("raw", "shown", "reason"),
    [
        ({"between": [1]}, '{"between":[1]}', "Expected precisely 2 values, received 1"),
        ({"between": [1, 2, 3]}, '{"between":[1,2,3]}', "Expected precisely 2 values, received 3"),
        (
            {"between": 1},
            '{"between":1}',
            "Error: Value is not an array or object with sequential numeric indices",
        ),
        (
            {"inq": 1},
            '{"inq":1}',
            "Error: Value is not an array or object with sequential numeric indices",
        ),
        (
            {"nin": {"1": 2}},
            '{"nin":{"1":2}}',
            "Error: Value is not an array or object with sequential numeric indices",
        ),
        ({"inq": {}}, '{"inq":{}}', "Error: Value is an empty object"),
        ({"inq": [1, None]}, '{"inq":[1,null]}', "inq items cannot be null"),
        ({"between": [None, 2]}, '{"between":[null,2]}', "between items cannot be null"),
        ({"gt": None}, '{"gt":null}', "gt needs a value, not null"),
        ({"like": "1%"}, '{"like":"1%"}', "like applies to string properties only"),
        ({"regexp": "^1"}, '{"regexp":"^1"}', "regexp applies to string properties only"),
        ({"exists": "maybe"}, '{"exists":"maybe"}', "Expected a boolean (true, false, 1 or 0)"),
    ],
)
def test_operator_operand_errors(raw: object, shown: str, reason: str) -> None:
    assert error({"id": raw}) == clause("id", shown, reason)


@pytest.mark.parametrize(
    ("raw", "shown", "reason"),
    [
        ({"like": 5}, '{"like":5}', "Expected a string or RegExp"),
        ({"nilike": None}, '{"nilike":null}', "Expected a string or RegExp"),
        (
            {"like": "50\\"},
            '{"like":"50\\\\"}',
            "A like pattern cannot end with the escape character \\",
        ),
        (
            {"regexp": "(?=x)"},
            '{"regexp":"(?=x)"}',
            'Unsupported regexp: look-ahead "(?=" is not supported (at 0)',
        ),
        (
            {"regexp": "/(a)\\1/"},
            '{"regexp":"/(a)\\\\1/"}',
            'Unsupported regexp: a back-reference "\\1" is not supported (at 3)',
        ),
    ],
)
def test_string_operator_errors(raw: object, shown: str, reason: str) -> None:
    assert error({"title": raw}) == clause("title", shown, reason)


def test_a_like_pattern_may_end_with_an_escaped_backslash() -> None:
    assert where({"title": {"like": "a\\\\"}}) == Comparison("title", "like", "a\\\\")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("/x/g", "Invalid regex flags: g"),
        ("/x/zyi", "Invalid regex flags: z,y"),
        (5, "Invalid argument, must be a string, regex literal, or RegExp object"),
    ],
)
def test_regexp_flag_and_type_errors_are_loopbacks_words(raw: object, message: str) -> None:
    assert error({"title": {"regexp": raw}}) == {
        "statusCode": 400,
        "name": "Error",
        "message": message,
        "code": "INVALID_PARAMETER_VALUE",
    }


@pytest.mark.parametrize("kind", ["object", "array"])
def test_structured_properties_only_take_exists_and_null(kind: str) -> None:
    prop = "meta" if kind == "object" else "tags"
    assert error({prop: {"eq": "x"}}) == clause(
        prop,
        '{"eq":"x"}',
        f"A property of type {kind} can only be tested with exists or compared with null",
    )


def test_inq_longer_than_max_inq_is_refused_naming_it() -> None:
    items = list(range(1001))
    body = error({"id": {"inq": items}})
    assert body["message"].endswith(": inq has 1001 items, more than 1000 (maxInq)")
    assert body["message"].startswith('The id property has invalid clause {"inq":[0,1,2,')
    assert len(body["message"]) < 400
    assert where({"id": {"nin": items[:1000]}}) == Comparison("id", "nin", tuple(range(1000)))


def test_max_inq_is_configurable() -> None:
    limits = FilterLimits(max_inq=2)
    assert error({"id": {"nin": [1, 2, 3]}}, limits=limits)["message"].endswith(
        ": nin has 3 items, more than 2 (maxInq)"
    )
    assert where({"id": {"inq": list(range(5000))}}, limits=FilterLimits(max_inq=None))


def test_a_where_with_too_many_values_is_refused() -> None:
    raw = {"or": [{"id": {"inq": list(range(1000))}} for _ in range(10)] + [{"id": 1}]}
    assert error(raw)["message"].endswith(
        ": the where clause holds more than 10000 values (maxValues)"
    )
    assert where(raw, limits=FilterLimits(max_values=20_000)) is not None


@pytest.mark.parametrize(("raw", "shown"), [("[1]", '"[1]"'), ("5", '"5"'), ([1], '"[1]"')])
def test_a_where_parameter_that_is_not_an_object_is_invalid_data(raw: object, shown: str) -> None:
    assert error(raw) == {
        "statusCode": 400,
        "name": "BadRequestError",
        "message": f'Invalid data {shown} for parameter "where".',
        "code": "INVALID_PARAMETER_VALUE",
    }


def test_invalid_where_json_names_the_where_parameter() -> None:
    body = error("{nope")
    assert body["message"] == 'Invalid data "{nope" for parameter "where".'
    assert set(body["details"]) == {"syntaxError"}


@pytest.mark.parametrize(
    ("operand", "taken"),
    [
        ("^a", True),
        ("a/b", True),
        ("/a", True),
        ("//", True),
        ("/^a/ims", True),
        ("/^a/g", False),
        ("/a/b/x", False),
        ("/a/i\n", False),
        ("a\x00", False),
    ],
)
def test_the_published_regexp_pattern_takes_what_the_reader_takes(
    operand: str, taken: bool
) -> None:
    import re

    from composer.repository.where import REGEXP_TEXT

    assert (re.search(REGEXP_TEXT, operand) is not None) is taken
    if taken:
        assert where({"title": {"regexp": operand}}) is not None
    else:
        assert error({"title": {"regexp": operand}})["statusCode"] == 400
