"""Filter values turned into the property's type (a bracket query gives only strings).

One function per property type, each returning the typed value or raising
:class:`ValueError` with the reason a message shows (LoopBack's juggler
coerces the same way, but lets what it cannot coerce through):

- ``string``: a string; a number or a boolean becomes its JSON text;
- ``number``: a number, or a decimal string (``"2.5"``, ``"-1e3"``);
  NaN and infinities are refused;
- ``integer``: a whole number (``2``, ``2.0``, ``"2"``) within 64 bits;
- ``boolean``: ``true``/``false``, ``1``/``0`` or those words as strings
  (any letter case);
- ``date``: ``YYYY-MM-DD``;
- ``datetime``: an RFC 3339 date-time with a time zone, or ``YYYY-MM-DD``
  (midnight UTC), as an aware UTC datetime to the millisecond.

No string may hold a NUL character or a lone surrogate (no database stores
them). Properties of type object, array, any and buffer have no coercer: a
filter can only test them with ``exists`` or against null.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from typing import Any

from composer.repository.formats import parse_date, parse_datetime

__all__ = ["COERCERS", "SCALAR_TYPES", "check_text", "coerce_bool"]

_INT64 = 2**63
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_UNSTORABLE = re.compile("[\0\ud800-\udfff]")
_UTC = datetime.UTC


def check_text(text: str) -> str:
    """``text`` itself, unless it holds a character no database stores.

    >>> check_text("to do")
    'to do'
    """
    if (not text.isascii() or "\0" in text) and _UNSTORABLE.search(text):
        raise ValueError("Strings cannot contain NUL characters or lone surrogates")
    return text


def _string(value: Any) -> str:
    if isinstance(value, str):
        return check_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)
    raise ValueError("Expected a string")


def _number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValueError("Expected a number")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not _DECIMAL.fullmatch(text):
            raise ValueError("Expected a number")
        value = int(text) if text.lstrip("+-").isdigit() and len(text) < 20 else float(text)
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, int):
        return value
    raise ValueError("Expected a number")


def _integer(value: Any) -> int:
    try:
        number = _number(value)
    except ValueError:
        raise ValueError("Expected an integer") from None
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError("Expected an integer")
        number = int(number)
    if not -_INT64 <= number < _INT64:
        raise ValueError("Expected an integer within 64 bits")
    return number


def coerce_bool(value: Any) -> bool:
    """A boolean from ``true``/``false``, ``1``/``0``, or those as strings.

    >>> coerce_bool("TRUE"), coerce_bool(0)
    (True, False)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    raise ValueError("Expected a boolean (true, false, 1 or 0)")


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        raise ValueError("Expected a date (YYYY-MM-DD)")
    return parsed


def _datetime(value: Any) -> datetime.datetime:
    parsed: datetime.datetime | None = None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            moment = value.astimezone(_UTC)
            parsed = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    elif isinstance(value, datetime.date):
        parsed = datetime.datetime(value.year, value.month, value.day, tzinfo=_UTC)
    elif isinstance(value, str):
        parsed = parse_datetime(value)
        day = parse_date(value) if parsed is None else None
        if day is not None:
            parsed = datetime.datetime(day.year, day.month, day.day, tzinfo=_UTC)
    if parsed is None:
        raise ValueError("Expected a date-time (RFC 3339 with a time zone, or YYYY-MM-DD)")
    return parsed


#: property type -> coercer, for the types a filter can compare
COERCERS: dict[str, Callable[[Any], Any]] = {
    "string": _string,
    "number": _number,
    "integer": _integer,
    "boolean": coerce_bool,
    "date": _date,
    "datetime": _datetime,
}

#: the property types a filter can compare
SCALAR_TYPES = frozenset(COERCERS)
