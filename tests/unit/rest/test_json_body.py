"""The prototype-pollution guard of JSON bodies and query objects."""

from __future__ import annotations

from composer.rest.json_body import check_keys


def test_a_proto_key_at_any_depth_is_found() -> None:
    assert check_keys({"a": [1, {"b": {"__proto__": {}}}]}) == (
        'JSON string cannot contain "__proto__" key.'
    )


def test_a_constructor_holding_a_prototype_is_found() -> None:
    assert check_keys([{"constructor": {"prototype": {"x": 1}}}]) == (
        'JSON string cannot contain "constructor.prototype" key.'
    )


def test_ordinary_keys_and_a_plain_constructor_value_pass() -> None:
    assert check_keys({"constructor": "Acme", "proto": 1, "items": [{"prototype": 2}]}) is None
    assert check_keys("scalar") is None
