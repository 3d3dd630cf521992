"""LoopBack's coercion rules for path, query and header strings."""

from __future__ import annotations

from typing import Any

import pytest

from composer.errors import HttpError
from composer.rest.coercion import MAX_SAFE_INTEGER, coercer


def invalid(type_: Any, raw: str) -> dict[str, Any]:
    with pytest.raises(HttpError) as caught:
        coercer(type_)("p", raw)
    assert caught.value.status == 400
    assert caught.value.code == "INVALID_PARAMETER_VALUE"
    return caught.value.body()


@pytest.mark.parametrize(
    ("raw", "value"),
    [("0", 0), ("-12", -12), (" 7 ", 7), ("1.5", 1.5), ("-.5", -0.5), ("2e3", 2000.0), ("1.", 1.0)],
)
def test_a_number_is_a_decimal_numeral(raw: str, value: float) -> None:
    result = coercer("number")("p", raw)
    assert result == value
    assert type(result) is type(value)


@pytest.mark.parametrize("raw", ["", "abc", "1,5", "NaN", "Infinity", "1e999", "0x10", "1_000"])
def test_a_number_that_is_not_a_finite_decimal_is_invalid(raw: str) -> None:
    invalid("number", raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("42", 42), ("-3", -3), ("1.0", 1), ("1e3", 1000), (str(MAX_SAFE_INTEGER), MAX_SAFE_INTEGER)],
)
def test_an_integer_is_a_safe_integer(raw: str, value: int) -> None:
    result = coercer("integer")("p", raw)
    assert result == value
    assert type(result) is int


@pytest.mark.parametrize("raw", ["", "1.5", "abc", str(MAX_SAFE_INTEGER + 1), "-9007199254740992"])
def test_an_integer_that_is_fractional_or_unsafe_is_invalid(raw: str) -> None:
    invalid("integer", raw)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("true", True), ("TRUE", True), ("1", True), ("false", False), ("False", False), ("0", False)],
)
def test_a_boolean_is_true_1_false_or_0(raw: str, value: bool) -> None:
    assert coercer("boolean")("p", raw) is value


@pytest.mark.parametrize("raw", ["", "yes", "no", "2", "t"])
def test_any_other_boolean_is_invalid(raw: str) -> None:
    invalid("boolean", raw)


def test_a_string_is_kept_as_it_came() -> None:
    assert coercer("string")("p", " a b ") == " a b "
    assert coercer("string")("p", "") == ""


def test_an_object_is_json_text_of_an_object() -> None:
    assert coercer("object")("filter", '{"limit": 2}') == {"limit": 2}
    assert coercer("object")("filter", "") is None


def test_the_invalid_value_error_quotes_the_value_and_names_the_parameter() -> None:
    assert invalid("integer", 'a"b') == {
        "error": {
            "statusCode": 400,
            "name": "BadRequestError",
            "message": 'Invalid data "a\\"b" for parameter "p".',
            "code": "INVALID_PARAMETER_VALUE",
        }
    }


def test_malformed_json_in_an_object_parameter_gives_the_syntax_error() -> None:
    body = invalid("object", "{nope")
    assert body["error"]["message"] == 'Invalid data "{nope" for parameter "p".'
    assert body["error"]["details"] == {
        "syntaxError": "unexpected character, expected a string key: line 1 column 2 (char 1)"
    }


@pytest.mark.parametrize("raw", ["[1]", "3", '"x"', "null"])
def test_an_object_parameter_that_is_no_object_is_invalid(raw: str) -> None:
    assert "details" not in invalid("object", raw)["error"]


def test_a_proto_key_in_an_object_parameter_is_invalid() -> None:
    body = invalid("object", '{"where": {"__proto__": {"admin": true}}}')
    assert body["error"]["details"] == {
        "syntaxError": 'JSON string cannot contain "__proto__" key.'
    }
