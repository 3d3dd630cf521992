"""Filter values turned into the property's type (a bracket query gives only strings).

One function per property type, each returning the typed value or raising
:class:`ValueError` with the reason a message shows (LoopBack's juggler
coerces the same way, but lets what it cannot coerce through):

- ``string``: a string; a number or a boolean becomes its JSON text;
- ``number``: a number, or a decimal string (``"2.5"``, ``"-1e3"``, ASCII
  white space around it ignored) of at most 200 digits before the point and
  an exponent of at most 2 digits, so that it is always within a double's
  range; NaN and infinities are refused;
- ``integer``: a whole number (``2``, ``2.0``), or a string of digits
  (``"2"``, ``"2.0"``: no exponent), within 64 bits;
- ``boolean``: ``true``/``false``, ``1``/``0`` or those as strings
  (``"TRUE"``, ``"0"``: any letter case);
- ``date``: ``YYYY-MM-DD``;
- ``datetime``: an RFC 3339 date-time with a time zone, or ``YYYY-MM-DD``
  (midnight UTC), as an aware UTC datetime to the millisecond;
- both within the years 1 to 9999 (``DATE_RANGE``, ``DATETIME_RANGE`` of
  :mod:`composer.repository.formats`, as in request bodies).

No string may hold a NUL character or a lone surrogate (no database stores
them). Properties of type object, array, any and buffer have no coercer: a
filter can only test them with ``exists`` or against null.

The strings the number, integer and boolean coercers accept are JSON Schema
patterns (:data:`NUMBER_TEXT`, :data:`INTEGER_TEXT`, :data:`BOOLEAN_TEXT`):
the coercers match with them and the OpenAPI document publishes them.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Callable
from typing import Any

from composer.repository.formats import (
    DATE_RANGE,
    DATETIME_RANGE,
    STRING_FORMATS,
    in_range,
    parse_date,
    parse_datetime,
)

__all__ = [
    "BOOLEAN_TEXT",
    "COERCERS",
    "INTEGER_TEXT",
    "NUMBER_TEXT",
    "SCALAR_TYPES",
    "check_text",
    "coerce_bool",
]

_INT64 = 2**63
_SPACE = " \t\n\v\f\r"
_SPACES = "[\\t\\n\\v\\f\\r ]*"


def _at_most(bound: str) -> str:
    """A regular expression of the digit strings from 0 to ``bound`` (no leading zeros).

    >>> _at_most("250")
    '(?:[0-9]{1,2}|1[0-9]{2}|2[0-4][0-9]|250)'
    """
    choices = [f"[0-9]{{1,{len(bound) - 1}}}"]
    for index, digit in enumerate(bound):
        lowest, below = (1 if index == 0 else 0), int(digit) - 1
        if below >= lowest:
            rest = len(bound) - index - 1
            tail = f"[0-9]{{{rest}}}" if rest > 1 else "[0-9]" * rest
            digits = str(below) if below == lowest else f"[{lowest}-{below}]"
            choices.append(f"{bound[:index]}{digits}{tail}")
    choices.append(bound)
    return f"(?:{'|'.join(choices)})"


#: a number given as a string (a bracket query gives only strings): bounded so that every
#: one is within a double's range
NUMBER_TEXT = (
    f"^{_SPACES}[+-]?(?:[0-9]{{1,200}}(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]{{1,2}})?{_SPACES}$"
)
#: an integer given as a string, within 64 bits
INTEGER_TEXT = f"^{_SPACES}(?:[+-]?0*{_at_most(str(_INT64 - 1))}|-0*{_INT64})(?:\\.0*)?{_SPACES}$"
_INTEGER_SHAPE = f"^{_SPACES}[+-]?[0-9]+(?:\\.0*)?{_SPACES}$"
_NUMBER_SHAPE = f"^{_SPACES}[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?{_SPACES}$"
#: a boolean given as a string
BOOLEAN_TEXT = "^(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[01])$"


def _matcher(pattern: str) -> Callable[[str], bool]:
    """A JSON Schema pattern (anchored, ASCII only) as Python reads it: ``$`` is the very end."""
    compiled = re.compile(pattern.removesuffix("$") + "\\Z", re.ASCII)
    return lambda text: compiled.match(text) is not None


_NUMBER = _matcher(NUMBER_TEXT)
_INTEGER = _matcher(INTEGER_TEXT)
_INTEGER_LIKE = _matcher(_INTEGER_SHAPE)
_NUMBER_LIKE = _matcher(_NUMBER_SHAPE)
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
        if not _NUMBER(value):
            if _NUMBER_LIKE(value):
                raise ValueError(
                    "Expected a number of at most 200 digits before the point "
                    "and a 2-digit exponent"
                )
            raise ValueError("Expected a number")
        text = value.strip(_SPACE)
        value = int(text) if text.lstrip("+-").isdigit() and len(text) < 20 else float(text)
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, int):
        return value
    raise ValueError("Expected a number")


def _integer(value: Any) -> int:
    number: int | float
    if isinstance(value, str):
        if not _INTEGER(value):
            if _INTEGER_LIKE(value):
                raise ValueError("Expected an integer within 64 bits")
            raise ValueError("Expected an integer")
        number = int(value.strip(_SPACE).partition(".")[0])
    else:
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

    >>> coerce_bool("TRUE"), coerce_bool(0), coerce_bool(1.0)
    (True, False, True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.lower()
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
    raise ValueError("Expected a boolean (true, false, 1 or 0)")


_IN_DATE_RANGE = in_range(DATE_RANGE)
_IN_DATETIME_RANGE = in_range(DATETIME_RANGE)
_DATE_FORMAT, _DATETIME_FORMAT = STRING_FORMATS["date"], STRING_FORMATS["date-time"]
_OUT_OF_RANGE = (
    "Expected a {what} in the years 1 to 9999 (in UTC: on 0001-01-01 no time zone east "
    "of UTC, on 9999-12-31 none west of it)"
)


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    parsed = parse_date(value) if isinstance(value, str) else None
    if parsed is None:
        if isinstance(value, str) and _DATE_FORMAT(value) and not _IN_DATE_RANGE(value):
            raise ValueError(_OUT_OF_RANGE.format(what="date"))
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
        formatted = isinstance(value, str) and (_DATETIME_FORMAT(value) or _DATE_FORMAT(value))
        if formatted and not _IN_DATETIME_RANGE(value):
            raise ValueError(_OUT_OF_RANGE.format(what="date-time"))
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
