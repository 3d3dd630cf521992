"""Turning a parameter's string into its declared type, by LoopBack's rules.

Path, query and header values arrive as strings. A coercer either returns the
typed value or raises a 400 ``INVALID_PARAMETER_VALUE`` naming the parameter
and quoting the value (LoopBack's ``coerce-parameter.ts``):

- ``string``: the text as it came;
- ``number``: a decimal number (``3``, ``-1.5``, ``2e3``); the empty string,
  ``NaN`` and infinities are rejected;
- ``integer``: a number that is a safe integer (``1.0`` is 1, ``1.5`` is not);
- ``boolean``: ``true``/``1`` and ``false``/``0``, any letter case;
- ``object``: JSON text of an object (``{"limit": 2}``); the empty string is
  no value; an array, a scalar or a ``__proto__`` key is rejected.

A missing or empty value of a required parameter is a 400
``MISSING_REQUIRED_PARAMETER`` instead (see :mod:`composer.rest.parameters`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import orjson

from composer.errors import HttpError
from composer.rest.json_body import check_keys, load_json
from composer.rest.route import ParameterType

__all__ = ["MAX_SAFE_INTEGER", "Coercer", "coercer", "invalid_value", "missing_value"]

#: the largest integer a JavaScript client reads back exactly (2**53 - 1)
MAX_SAFE_INTEGER = 2**53 - 1

#: ``(parameter name, raw text) -> value``
Coercer = Callable[[str, str], Any]

_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRUE = frozenset({"true", "1"})
_FALSE = frozenset({"false", "0"})


def invalid_value(name: str, raw: object, details: Any = None) -> HttpError:
    """The 400 for a value that is not of the parameter's type (text quoted, objects as JSON).

    >>> invalid_value("id", "abc").message
    'Invalid data "abc" for parameter "id".'
    >>> invalid_value("filter", {"limit": "x"}).message
    'Invalid data {"limit":"x"} for parameter "filter".'
    """
    shown = orjson.dumps(raw).decode()
    return HttpError(
        400,
        f'Invalid data {shown} for parameter "{name}".',
        code="INVALID_PARAMETER_VALUE",
        details=details,
    )


def missing_value(name: str) -> HttpError:
    """The 400 for a required parameter that is missing or empty.

    >>> missing_value("id").message
    'Required parameter id is missing!'
    """
    return HttpError(
        400, f"Required parameter {name} is missing!", code="MISSING_REQUIRED_PARAMETER"
    )


def _string(name: str, raw: str) -> str:
    return raw


def _number(name: str, raw: str) -> int | float:
    text = raw.strip()
    if _INTEGER.fullmatch(text):
        return int(text)
    if not _DECIMAL.fullmatch(text):
        raise invalid_value(name, raw)
    value = float(text)
    if not math.isfinite(value):
        raise invalid_value(name, raw)
    return value


def _integer(name: str, raw: str) -> int:
    value = _number(name, raw)
    if isinstance(value, float):
        if not value.is_integer():
            raise invalid_value(name, raw)
        value = int(value)
    if abs(value) > MAX_SAFE_INTEGER:
        raise invalid_value(name, raw)
    return value


def _boolean(name: str, raw: str) -> bool:
    text = raw.lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise invalid_value(name, raw)


def _object(name: str, raw: str) -> dict[str, Any] | None:
    if raw == "":
        return None
    try:
        value = load_json(raw)
    except orjson.JSONDecodeError as exc:
        raise invalid_value(name, raw, {"syntaxError": str(exc)}) from None
    if not isinstance(value, dict):
        raise invalid_value(name, raw)
    problem = check_keys(value)
    if problem is not None:
        raise invalid_value(name, raw, {"syntaxError": problem})
    return value


_COERCERS: dict[str, Coercer] = {
    "string": _string,
    "number": _number,
    "integer": _integer,
    "boolean": _boolean,
    "object": _object,
}


def coercer(type_: ParameterType) -> Coercer:
    """The coercer of a parameter type.

    >>> coercer("integer")("limit", "10")
    10
    >>> coercer("boolean")("done", "TRUE")
    True
    """
    return _COERCERS[type_]
