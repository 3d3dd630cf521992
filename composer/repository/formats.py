"""The ``format`` checks of request validation, and the date and datetime parsers behind them.

These are the formats LoopBack 4 validates with (ajv-formats' full set plus
LoopBack's OpenAPI formats), with the same verdicts: ``date`` (RFC 3339
full-date), ``date-time`` (RFC 3339: a time zone is required, ``T``, ``t`` or
a space between date and time), ``time``, ``email``, ``hostname``, ``ipv4``,
``ipv6``, ``uri``, ``uri-reference``, ``uuid``, ``byte`` (canonical base64),
``int32``, ``int64``, ``float``, ``double``; ``password`` and ``binary``
accept anything. Any other format is an annotation and checks nothing.

A ``date`` or ``date-time`` of the right form is a valid format even when no
backend can store it (year 0000, or a time zone taking it past the years 1 to
9999); :data:`DATE_RANGE` and :data:`DATETIME_RANGE` are the patterns that
keep to what every backend stores, published on such properties and checked
as ``pattern``. Between them and the format, a value outside the range is
refused as a ``pattern`` violation, as AJV would refuse it.

Every pattern runs on RE2 (linear time), so no value can stall a request.
Dates and times are ASCII digits only.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import re
from collections.abc import Callable
from typing import Any

import re2

__all__ = [
    "DATETIME_RANGE",
    "DATE_RANGE",
    "NUMBER_FORMATS",
    "STRING_FORMATS",
    "in_range",
    "parse_date",
    "parse_datetime",
]

#: the dates every backend stores: years 1 to 9999 (Python's and SQL's range)
DATE_RANGE = "^(?!0000-)"
#: the date-times every backend stores: years 1 to 9999 once in UTC, so on the first day
#: no time zone east of UTC, and on the last none west of it (a date alone is midnight UTC)
DATETIME_RANGE = (
    "^(?!0000-)(?!0001-01-01[Tt ].*\\+(?!00(?::?00)?$))(?!9999-12-31[Tt ].*-(?!00(?::?00)?$))"
)

_UTC = datetime.UTC
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})", re.ASCII)
_TIME = re.compile(
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?(?:([zZ])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?",
    re.ASCII,
)
_SEPARATOR = re.compile(r"[Tt\s]")
_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _re2(pattern: str, *, case_sensitive: bool = True) -> Callable[[str], bool]:
    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case_sensitive
    compiled = re2.compile(pattern, options)
    return lambda text: compiled.search(text) is not None


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def in_range(pattern: str) -> Callable[[str], bool]:
    """The check of :data:`DATE_RANGE` or :data:`DATETIME_RANGE` (a search, as JSON Schema's).

    >>> in_range(DATETIME_RANGE)("0001-01-01T00:30:00+01:00")
    False
    """
    compiled = re.compile(pattern)
    return lambda text: compiled.search(text) is not None


_IN_DATE_RANGE = in_range(DATE_RANGE)
_IN_DATETIME_RANGE = in_range(DATETIME_RANGE)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of an RFC 3339 full-date (year 0000 included), or None."""
    match = _DATE.fullmatch(text)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= (29 if month == 2 and _leap(year) else _DAYS[month]):
        return None
    return year, month, day


def parse_date(text: str) -> datetime.date | None:
    """An RFC 3339 full-date (``YYYY-MM-DD``) as a date, or None when it is not one.

    >>> parse_date("2024-02-29"), parse_date("2023-02-29")
    (datetime.date(2024, 2, 29), None)
    """
    parts = _date_parts(text)
    if parts is None or not _IN_DATE_RANGE(text):
        return None
    return datetime.date(*parts)


def _time(text: str, *, zone_required: bool) -> tuple[int, int, int, int, int] | None:
    """(hour, minute, second, microsecond, UTC offset in minutes) of an RFC 3339 time."""
    match = _TIME.fullmatch(text)
    if match is None:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    zulu, sign, zone_hours, zone_minutes = match[5], match[6], match[7], match[8]
    if zulu is None and sign is None and zone_required:
        return None
    offset_hours, offset_minutes = int(zone_hours or 0), int(zone_minutes or 0)
    if offset_hours > 23 or offset_minutes > 59 or hour > 23 or minute > 59 or second > 59:
        # a leap second (23:59:60 UTC) is valid RFC 3339, but no datetime holds it
        return None
    offset = (offset_hours * 60 + offset_minutes) * (-1 if sign == "-" else 1)
    # the fraction is kept to the millisecond, as LoopBack (a JavaScript Date) keeps it
    millis = int((match[4] or "0")[:3].ljust(3, "0"))
    return hour, minute, second, millis * 1000, offset


def parse_datetime(text: str) -> datetime.datetime | None:
    """An RFC 3339 date-time as an aware UTC datetime (to the millisecond), or None.

    >>> parse_datetime("2024-01-01T10:00:00.123456+02:00")
    datetime.datetime(2024, 1, 1, 8, 0, 0, 123000, tzinfo=datetime.timezone.utc)
    >>> parse_datetime("2024-01-01") is None
    True
    """
    if not _IN_DATETIME_RANGE(text):
        return None
    found = _datetime_parts(text)
    if found is None:
        return None
    (year, month, day), (hour, minute, second, micro, offset) = found
    zone = datetime.timezone(datetime.timedelta(minutes=offset))
    moment = datetime.datetime(year, month, day, hour, minute, second, micro, tzinfo=zone)
    return moment.astimezone(_UTC)


def _datetime_parts(
    text: str,
) -> tuple[tuple[int, int, int], tuple[int, int, int, int, int]] | None:
    """The date and time parts of an RFC 3339 date-time (any year), or None."""
    parts = _SEPARATOR.split(text)
    if len(parts) != 2:
        return None
    day, time = _date_parts(parts[0]), _time(parts[1], zone_required=True)
    if day is None or time is None:
        return None
    return day, time


def _base64(text: str) -> bool:
    # LoopBack's check: decoding and encoding again gives the same text
    try:
        return base64.b64encode(base64.b64decode(text, validate=True)).decode() == text
    except (binascii.Error, ValueError):
        return False


_HOSTNAME = _re2(
    r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$",
    case_sensitive=False,
)


def _hostname(text: str) -> bool:
    return 1 <= len(text.removesuffix(".")) <= 253 and _HOSTNAME(text)


_IPV4 = r"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$"
# ajv-formats' patterns, as written there
_URI_PATTERN = (
    r"^(?:[a-z][a-z0-9+\-.]*:)(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?:"
    r"\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-9"
    r"a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:("
    r"?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){0"
    r",3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:[0"
    r"-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]"
    r"\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a"
    r"-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?"
    r":25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$"
    r"&'()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})*"
    r")*|\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'()*+,;=:"
    r"@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-."
    r"_~!$&'()*+,;=:@]|%[0-9a-f]{2})*)*)(?:\?(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})"
    r"*)?(?:#(?:[a-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-f]{2})*)?$"
)
_URI_REFERENCE = (
    r"^(?:[a-z][a-z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9a-f]{2})*@)?(?"
    r":\[(?:(?:(?:(?:[0-9a-f]{1,4}:){6}|::(?:[0-9a-f]{1,4}:){5}|(?:[0-9a-f]{1,4})?::(?:[0-"
    r"9a-f]{1,4}:){4}|(?:(?:[0-9a-f]{1,4}:){0,1}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){3}|(?:"
    r"(?:[0-9a-f]{1,4}:){0,2}[0-9a-f]{1,4})?::(?:[0-9a-f]{1,4}:){2}|(?:(?:[0-9a-f]{1,4}:){"
    r"0,3}[0-9a-f]{1,4})?::[0-9a-f]{1,4}:|(?:(?:[0-9a-f]{1,4}:){0,4}[0-9a-f]{1,4})?::)(?:["
    r"0-9a-f]{1,4}:[0-9a-f]{1,4}|(?:(?:25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]"
    r"\d|[01]?\d\d?))|(?:(?:[0-9a-f]{1,4}:){0,5}[0-9a-f]{1,4})?::[0-9a-f]{1,4}|(?:(?:[0-9a"
    r"-f]{1,4}:){0,6}[0-9a-f]{1,4})?::)|[Vv][0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?"
    r":25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d\d?)|(?:[a-z0-9\-._~!$"
    r"&'\"()*+,;=]|%[0-9a-f]{2})*)(?::\d*)?(?:\/(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2}"
    r")*)*|\/(?:(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0-9\-._~!$&'\"()*+"
    r",;=:@]|%[0-9a-f]{2})*)*)?|(?:[a-z0-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})+(?:\/(?:[a-z0"
    r"-9\-._~!$&'\"()*+,;=:@]|%[0-9a-f]{2})*)*)?(?:\?(?:[a-z0-9\-._~!$&'\"()*+,;=:@/?]|%[0-9"
    r"a-f]{2})*)?(?:#(?:[a-z0-9\-._~!$&'\"()*+,;=:@/?]|%[0-9a-f]{2})*)?$"
)
_IPV6 = (
    r"^((([0-9a-f]{1,4}:){7}([0-9a-f]{1,4}|:))|(([0-9a-f]{1,4}:){6}(:[0-9a-f]{1,4}|((25[0-"
    r"5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{"
    r"1,4}:){5}(((:[0-9a-f]{1,4}){1,2})|:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0"
    r"-4]\d|1\d\d|[1-9]?\d)){3})|:))|(([0-9a-f]{1,4}:){4}(((:[0-9a-f]{1,4}){1,3})|((:[0-9a"
    r"-f]{1,4})?:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3"
    r"}))|:))|(([0-9a-f]{1,4}:){3}(((:[0-9a-f]{1,4}){1,4})|((:[0-9a-f]{1,4}){0,2}:((25[0-5"
    r"]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{"
    r"1,4}:){2}(((:[0-9a-f]{1,4}){1,5})|((:[0-9a-f]{1,4}){0,3}:((25[0-5]|2[0-4]\d|1\d\d|[1"
    r"-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(([0-9a-f]{1,4}:){1}(((:[0-9a-"
    r"f]{1,4}){1,6})|((:[0-9a-f]{1,4}){0,4}:((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|"
    r"2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:))|(:(((:[0-9a-f]{1,4}){1,7})|((:[0-9a-f]{1,4}){0,5}"
    r":((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}))|:)))$"
)

_URI = _re2(_URI_PATTERN, case_sensitive=False)

#: string format -> check (a format not listed checks nothing)
STRING_FORMATS: dict[str, Callable[[str], bool]] = {
    "date": lambda text: _date_parts(text) is not None,
    "date-time": lambda text: _datetime_parts(text) is not None,
    "time": lambda text: _time(text, zone_required=True) is not None,
    "email": _re2(
        r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
        r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
        case_sensitive=False,
    ),
    "hostname": _hostname,
    "ipv4": _re2(_IPV4),
    "ipv6": _re2(_IPV6, case_sensitive=False),
    "uri": lambda text: ("/" in text or ":" in text) and _URI(text),
    "uri-reference": _re2(_URI_REFERENCE, case_sensitive=False),
    "uuid": _re2(
        r"^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$", case_sensitive=False
    ),
    "byte": _base64,
}

_INT32, _SAFE = 2**31, 2**53 - 1
_DOUBLE = 1.7976931348623157e308


def _integral(value: Any) -> bool:
    return isinstance(value, int) or float(value).is_integer()


#: number format -> check
NUMBER_FORMATS: dict[str, Callable[[Any], bool]] = {
    "int32": lambda value: _integral(value) and -_INT32 <= value < _INT32,
    "int64": lambda value: _integral(value) and -_SAFE <= value <= _SAFE,
    "float": lambda value: -(2.0**128) <= value <= 2.0**128,
    "double": lambda value: -_DOUBLE <= value <= _DOUBLE,
}
