"""One property's value checked as AJV checks it against LoopBack's schema, then converted.

A :class:`PropertyCheck` is compiled once from a :class:`~composer.spec.PropertySpec`.
The property's JSON Schema is the one the OpenAPI document shows
(``composer.rest.model_schema``): ``integer``, ``number``, ``boolean``,
``object`` as themselves; ``string``, ``date`` (format ``date``),
``datetime`` (format ``date-time``) and ``buffer`` (format ``byte``) as
strings; ``array`` with its ``items``; ``any`` without a type; a ``nullable``
property also admits ``null``.

AJV (allErrors) reports a value's violations in this order, and so does this:

1. the type, first, when the schema has no keyword of that type's group
   (``integer``, ``boolean``, ``object``, and every nullable property);
2. ``enum``;
3. the keywords of the value's type group — numbers: ``maximum``,
   ``minimum``, ``format``; strings: ``maxLength``, ``minLength``,
   ``pattern``, ``format``; arrays: ``maxItems``, ``minItems``, then each
   item — or, when the type was not checked first and the value is not of
   that type, the type error in their place.

Messages and ``info`` are AJV 8's (``must be string``, ``{"type": "string"}``).
No database stores a NUL character (nor a lone surrogate), so a string, or
any string inside an object or ``any`` value, holding one is a ``pattern``
violation (``must NOT contain NUL characters or lone surrogates``), checked
after ``pattern``. A ``date`` or ``datetime`` must also match the pattern of
the dates every backend stores (``composer.repository.formats.DATE_RANGE``,
``DATETIME_RANGE``: years 1 to 9999), which the OpenAPI document shows too.
Integers are 64-bit on every backend, so an integer beyond that range is
reported as ``maximum``/``minimum`` 9223372036854775807 / -9223372036854775808.
Values converted: ``date`` -> ``datetime.date``, ``datetime`` -> an aware UTC
``datetime.datetime`` to the millisecond, ``buffer`` -> bytes, ``number`` ->
float. Python callers may also pass those Python values directly.
"""

from __future__ import annotations

import base64
import datetime
import math
import re
from collections.abc import Callable
from typing import Any, Final

from pydantic_core import SchemaValidator, core_schema

from composer.repository import keywords
from composer.repository.formats import (
    DATE_RANGE,
    DATETIME_RANGE,
    NUMBER_FORMATS,
    STRING_FORMATS,
    in_range,
    parse_date,
    parse_datetime,
)
from composer.repository.keywords import Detail, Rule, storable
from composer.spec import PropertySpec

__all__ = ["INVALID", "Detail", "PropertyCheck", "json_equal", "pointer", "storable"]

#: what a check returns for a value with violations
INVALID: Final = object()

_JSON_TYPES: dict[str, str | None] = {
    "string": "string",
    "date": "string",
    "datetime": "string",
    "buffer": "string",
    "number": "number",
    "integer": "integer",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
    "any": None,
}
_TYPE_FORMATS = {"date": "date", "datetime": "date-time", "buffer": "byte"}
#: the pattern of the dates every backend stores, by property type
_RANGES = {"date": DATE_RANGE, "datetime": DATETIME_RANGE}
#: dates on which a date-time may fall outside the years 1 to 9999 (in UTC)
_EDGE_DAYS = ("0001-01-01", "9999-12-31")
_INT64 = (-(2**63), 2**63 - 1)
_DOUBLE_MAX = 1.7976931348623157e308


def pointer(name: str) -> str:
    """The JSON Pointer of a top-level property (``~`` and ``/`` escaped).

    >>> pointer("title"), pointer("a/b")
    ('/title', '/a~1b')
    """
    return "/" + name.replace("~", "~0").replace("/", "~1")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return -_DOUBLE_MAX <= value <= _DOUBLE_MAX
    return isinstance(value, float) and math.isfinite(value)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (
        isinstance(value, float) and math.isfinite(value) and value.is_integer()
    )


_IS_TYPE: dict[str, Callable[[Any], bool]] = {
    "string": lambda value: isinstance(value, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda value: isinstance(value, bool),
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "null": lambda value: value is None,
}


def json_equal(left: Any, right: Any) -> bool:
    """JSON equality, as AJV's ``enum`` compares: ``1 == 1.0`` but ``true != 1``.

    >>> json_equal(1, 1.0), json_equal(True, 1), json_equal({"a": [1]}, {"a": [1.0]})
    (True, False, True)
    """
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(map(json_equal, left, right))
    return type(left) is type(right) and bool(left == right)


class PropertyCheck:
    """The compiled check of one property's value.

    >>> check = PropertyCheck(PropertySpec(type="string", min_length=2))
    >>> details = []
    >>> check("a", "/title", details) is INVALID, details[0]["message"]
    (True, 'must NOT have fewer than 2 characters')
    """

    def __init__(self, spec: PropertySpec) -> None:
        self.spec = spec
        json_type = _JSON_TYPES[spec.type]
        self.types: tuple[str, ...] = () if json_type is None else (json_type,)
        if spec.nullable and json_type is not None:
            self.types += ("null",)
        self.enum: tuple[Any, ...] | None = None
        if spec.enum is not None:
            self.enum = tuple(spec.enum) + ((None,) if spec.nullable else ())
        group = "number" if json_type == "integer" else json_type
        self.group = group
        self.rules: list[Rule] = self._rules(spec, json_type)
        # AJV checks the type up front unless the type's own group has keywords
        checked = [rule for rule in self.rules if rule is not keywords.storable_rule]
        self.type_first = bool(self.types) and not (
            len(self.types) == 1 and group == json_type and checked
        )
        self.items = None
        if spec.type == "array":
            self.items = PropertyCheck(spec.items or PropertySpec(type="any"))
        #: ``value`` converted when it is valid, else INVALID (without saying why): the
        #: common case, checked by code specialised for the property
        self.fast: Callable[[Any], Any] = _fast(spec) or self._checked

    def _rules(self, spec: PropertySpec, json_type: str | None) -> list[Rule]:
        rules: list[Rule] = []
        if json_type in ("number", "integer"):
            low, high = spec.minimum, spec.maximum
            if high is not None:
                rules.append(keywords.limit("maximum", high))
            if low is not None:
                rules.append(keywords.limit("minimum", low))
            number_format = NUMBER_FORMATS.get(spec.format or "")
            if number_format is not None:
                rules.append(keywords.format_rule(spec.format or "", number_format))
            elif json_type == "integer":
                rules.append(keywords.limit("maximum", _INT64[1]))
                rules.append(keywords.limit("minimum", _INT64[0]))
        elif json_type == "string":
            if spec.max_length is not None:
                rules.append(keywords.length("maxLength", "more", spec.max_length, "characters"))
            if spec.min_length is not None:
                rules.append(keywords.length("minLength", "fewer", spec.min_length, "characters"))
            if spec.pattern is not None:
                rules.append(keywords.pattern(spec.pattern))
            kept = _RANGES.get(spec.type)
            if kept is not None:
                rules.append(keywords.pattern(kept, in_range(kept)))
            if spec.type == "string":
                rules.append(keywords.storable_rule)
            name = _TYPE_FORMATS.get(spec.type, spec.format)
            string_format = STRING_FORMATS.get(name or "")
            if name is not None and string_format is not None:
                rules.append(keywords.format_rule(name, string_format))
        elif json_type == "array":
            if spec.max_length is not None:
                rules.append(keywords.length("maxItems", "more", spec.max_length, "items"))
            if spec.min_length is not None:
                rules.append(keywords.length("minItems", "fewer", spec.min_length, "items"))
            rules.append(self._check_items)
        return rules

    def _check_items(self, value: Any, path: str, details: list[Detail]) -> None:
        items = self.items
        if items is not None:
            for index, item in enumerate(value):
                items(item, f"{path}/{index}", details)

    def _type_error(self, path: str, details: list[Detail]) -> None:
        shown: Any = self.types[0] if len(self.types) == 1 else list(self.types)
        details.append(
            {
                "path": path,
                "code": "type",
                "message": "must be " + ",".join(self.types),
                "info": {"type": shown},
            }
        )

    def __call__(self, value: Any, path: str, details: list[Detail]) -> Any:
        """``value`` converted, or :data:`INVALID` after appending its violations to ``details``."""
        native = self._native(value)
        if native is not INVALID:
            return native
        before = len(details)
        if self.type_first and not any(_IS_TYPE[kind](value) for kind in self.types):
            self._type_error(path, details)
        if self.enum is not None and not any(json_equal(value, allowed) for allowed in self.enum):
            details.append(
                {
                    "path": path,
                    "code": "enum",
                    "message": "must be equal to one of the allowed values",
                    "info": {"allowedValues": list(self.enum)},
                }
            )
        group = self.group
        if group is not None and self.rules:
            if _IS_TYPE[group](value):
                for rule in self.rules:
                    rule(value, path, details)
            elif not self.type_first:
                self._type_error(path, details)
        if self.spec.type in ("object", "any") and len(details) == before:
            keywords.storable_rule(value, path, details)
        if len(details) > before:
            return INVALID
        return self._convert(value)

    def _checked(self, value: Any) -> Any:
        return self(value, "", [])

    def _native(self, value: Any) -> Any:
        """A Python value of the property's type, passed by a Python caller; else INVALID."""
        kind = self.spec.type
        if kind == "datetime" and isinstance(value, datetime.datetime):
            if value.tzinfo is None:
                value = value.replace(tzinfo=datetime.UTC)
            value = value.astimezone(datetime.UTC)
            return value.replace(microsecond=value.microsecond // 1000 * 1000)
        if kind == "date" and type(value) is datetime.date:
            return value
        if kind == "buffer" and isinstance(value, bytes | bytearray):
            return bytes(value)
        return INVALID

    def _convert(self, value: Any) -> Any:
        kind = self.spec.type
        if value is None:
            return None
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
        if kind == "date":
            return parse_date(value)
        if kind == "datetime":
            return parse_datetime(value)
        if kind == "buffer":
            return base64.b64decode(value)
        if kind == "array" and self.items is not None:
            return [self.items._converted(item) for item in value]
        return value

    def _converted(self, value: Any) -> Any:
        native = self._native(value)
        return self._convert(value) if native is INVALID else native

    def convert_trusted(self, value: Any) -> Any:
        """A manifest value (a default) converted; YAML dates and naive ISO datetimes accepted."""
        if self.spec.type == "date" and isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        if self.spec.type == "datetime" and isinstance(value, str):
            value = parse_datetime(value) or datetime.datetime.fromisoformat(value)
        if self.spec.type == "datetime" and type(value) is datetime.date:
            value = datetime.datetime(value.year, value.month, value.day, tzinfo=datetime.UTC)
        details: list[Detail] = []
        converted = self(value, "", details)
        if converted is INVALID:
            raise ValueError(f"invalid value {value!r}: {details[0]['message']}")
        return converted


_FAST_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_FAST_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?(?:Z|[+-][0-9]{2}:[0-9]{2})",
    re.ASCII,
)


def _fast_date(value: Any) -> Any:
    if type(value) is str and _FAST_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return INVALID
    return INVALID


def _fast_datetime(value: Any) -> Any:
    if type(value) is str and _FAST_DATETIME.fullmatch(value) and value[:10] not in _EDGE_DAYS:
        try:
            moment = datetime.datetime.fromisoformat(value).astimezone(datetime.UTC)
        except (ValueError, OverflowError):
            return INVALID
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    return INVALID


def _fast_scalar(spec: PropertySpec) -> Callable[[Any], Any] | None:
    """The specialised check of a property without enum or format, or None."""
    kind = spec.type
    if kind == "string" and spec.format is None:
        shortest, longest = spec.min_length or 0, spec.max_length
        pattern = spec.pattern
        matches = (
            None
            if pattern is None
            else SchemaValidator(core_schema.str_schema(pattern=pattern)).isinstance_python
        )

        def string(value: Any) -> Any:
            if type(value) is not str or len(value) < shortest:
                return INVALID
            if (longest is not None and len(value) > longest) or (matches and not matches(value)):
                return INVALID
            return value if storable(value) else INVALID

        return string
    if kind == "integer" and spec.format is None:
        low = _INT64[0] if spec.minimum is None else max(spec.minimum, _INT64[0])
        high = _INT64[1] if spec.maximum is None else min(spec.maximum, _INT64[1])
        return lambda value: value if type(value) is int and low <= value <= high else INVALID
    if kind == "number" and spec.format is None:
        low = -_DOUBLE_MAX if spec.minimum is None else spec.minimum
        high = _DOUBLE_MAX if spec.maximum is None else spec.maximum

        def number(value: Any) -> Any:
            kind = type(value)
            if (kind is float or kind is int) and low <= value <= high:
                return float(value)
            return INVALID

        return number
    if kind == "boolean":
        return lambda value: value if type(value) is bool else INVALID
    if kind == "object":
        return lambda value: value if type(value) is dict and storable(value) else INVALID
    if kind == "date":
        return _fast_date
    if kind == "datetime":
        return _fast_datetime
    if kind == "any":
        return lambda value: value if storable(value) else INVALID
    return None


def _fast(spec: PropertySpec) -> Callable[[Any], Any] | None:
    if spec.enum is not None:
        return None
    scalar = _fast_scalar(spec)
    if scalar is None or not spec.nullable:
        return scalar
    return lambda value: None if value is None else scalar(value)
