"""Scalar types shared by every spec model: strict, with ``${...}`` typed by the field.

The spec validates in pydantic's strict mode (``port: true`` is not 1, ``"yes"``
is not True). A scalar the loader marked as :class:`~composer.manifest.raw.EnvStr`
(it was exactly one ``${VAR}`` / ``${VAR:-default}``) is the one string a
number or boolean field accepts: it is converted by the field's type, and a
failure names the expression, never the value (values may be secrets)::

    port: ${PORT:-3000}      # -> 3000
    echo: ${SQL_ECHO:-false} # -> False

Lists arrive from YAML as Python lists; spec models hold tuples (they are
frozen), so :data:`Seq` turns a list into a tuple before the strict check.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from pydantic import Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from composer.manifest.raw import EnvStr

__all__ = [
    "ENV_EXPRESSION_SCHEMA",
    "Bool",
    "ByteSize",
    "Float",
    "Int",
    "NonNegativeInt",
    "Number",
    "PositiveInt",
    "PositiveNumber",
    "Seq",
    "Shorthand",
    "bool_shorthand",
    "parse_byte_size",
]

T = TypeVar("T")

#: what an editor accepts in place of a number or boolean: one ``${...}``
ENV_EXPRESSION_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"^\$\{[^}]+\}$",
    "description": "an environment variable: ${VAR} or ${VAR:-default}",
}

_INT = re.compile(r"[+-]?[0-9]+")


def _env_error(value: EnvStr, expected: str) -> PydanticCustomError:
    return PydanticCustomError(
        "env_value",
        "{expression} does not give {expected}",
        {"expression": value.expression, "expected": expected},
    )


def _to_int(value: EnvStr) -> int:
    text = value.strip()
    if not _INT.fullmatch(text):
        raise _env_error(value, "an integer")
    return int(text)


def _to_number(value: EnvStr) -> int | float:
    text = value.strip()
    if _INT.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise _env_error(value, "a number")
    return number


def _to_bool(value: EnvStr) -> bool:
    text = value.strip().lower()
    if text not in ("true", "false"):
        raise _env_error(value, "a boolean (true or false)")
    return text == "true"


@dataclass(frozen=True)
class _FromEnv:
    """Annotation: an :class:`EnvStr` goes through ``convert``; anything else to the strict type."""

    convert: Callable[[EnvStr], Any]

    def _before(self, value: Any) -> Any:
        return self.convert(value) if isinstance(value, EnvStr) else value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._before, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [handler(schema), ENV_EXPRESSION_SCHEMA]}


def _number(value: Any) -> int | float:
    if isinstance(value, EnvStr):
        return _to_number(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number_type", "expected a number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("finite_number", "expected a finite number")
    return value


def _number_json_schema(
    _schema: core_schema.CoreSchema, _handler: GetJsonSchemaHandler
) -> JsonSchemaValue:
    return {"anyOf": [{"type": "number"}, ENV_EXPRESSION_SCHEMA]}


@dataclass(frozen=True)
class _NumberType:
    """Annotation: an int or a float kept as given (``minimum: 1`` stays 1), never a bool."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_number)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return _number_json_schema(schema, handler)


#: a strict int; ``${VAR}`` gives an integer
Int = Annotated[int, _FromEnv(_to_int)]
#: a strict int >= 0; ``${VAR}`` gives one
NonNegativeInt = Annotated[int, Field(ge=0), _FromEnv(_to_int)]
#: a strict int > 0; ``${VAR}`` gives one
PositiveInt = Annotated[int, Field(gt=0), _FromEnv(_to_int)]
#: a strict float (an int is accepted and becomes a float); ``${VAR}`` gives a number
Float = Annotated[float, _FromEnv(_to_number)]
#: a strict float > 0 (an int is accepted); ``${VAR}`` gives one
PositiveNumber = Annotated[float, Field(gt=0), _FromEnv(_to_number)]
#: an int or a float, kept as written; ``${VAR}`` gives a number
Number = Annotated[int | float, _NumberType()]
#: a strict bool; ``${VAR}`` gives ``true`` or ``false``
Bool = Annotated[bool, _FromEnv(_to_bool)]


def _list_to_tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class _ListAsTuple:
    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(_list_to_tuple, handler(source))


#: a YAML list held as a tuple: ``Seq[str]`` is ``tuple[str, ...]``
Seq = Annotated[tuple[T, ...], _ListAsTuple()]

_UNITS = {
    "b": 1,
    "kb": 1024,
    "mb": 1024**2,
    "gb": 1024**3,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
}
_SIZE = re.compile(r"([0-9]+(?:\.[0-9]+)?)\s*([a-z]*)")
_SIZE_PATTERN = r"^\s*[0-9]+(\.[0-9]+)?\s*([bB]|[kKmMgG][iI]?[bB])?\s*$"


def parse_byte_size(text: str) -> int | None:
    """``"1mb"`` -> 1048576; ``None`` when ``text`` is not a size.

    Units (case-insensitive): ``b``, ``kb``/``kib``, ``mb``/``mib``,
    ``gb``/``gib``, all multiples of 1024 as in LoopBack's body-parser
    ``limit``; no unit means bytes. Fractions round down to whole bytes.

    >>> parse_byte_size("512kb"), parse_byte_size("2MiB"), parse_byte_size("10 parsecs")
    (524288, 2097152, None)
    """
    match = _SIZE.fullmatch(text.strip().lower())
    if match is None or match.group(2) not in (*_UNITS, ""):
        return None
    factor = _UNITS.get(match.group(2), 1)
    if "." in match.group(1):
        return int(float(match.group(1)) * factor)
    return int(match.group(1)) * factor


def _byte_size(value: Any) -> int:
    if isinstance(value, bool):
        raise PydanticCustomError("byte_size_type", "expected a size")
    if isinstance(value, int):
        if value < 1:
            raise PydanticCustomError("byte_size", "a size must be at least 1 byte")
        return value
    if isinstance(value, str):
        size = parse_byte_size(value)
        if size is None:
            if isinstance(value, EnvStr):
                raise _env_error(value, "a size such as 1mb")
            raise PydanticCustomError("byte_size", "'{text}' is not a size", {"text": value[:40]})
        if size < 1:
            raise PydanticCustomError("byte_size", "a size must be at least 1 byte")
        return size
    raise PydanticCustomError("byte_size_type", "expected a size")


@dataclass(frozen=True)
class _ByteSizeType:
    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(_byte_size)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "anyOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": _SIZE_PATTERN},
            ],
            "description": "bytes, or a size such as 512kb, 1mb, 2MiB (multiples of 1024)",
        }


#: a size in bytes: an int, or a string such as ``"1mb"`` (see :func:`parse_byte_size`)
ByteSize = Annotated[int, _ByteSizeType()]


@dataclass(frozen=True)
class Shorthand:
    """Annotation: a short form the manifest may use for a mapping.

    ``convert`` turns the short form into the mapping (and leaves anything
    else alone); ``json_schema`` is what the short form looks like, offered
    to editors beside the full mapping.
    """

    convert: Callable[[Any], Any]
    json_schema: Callable[[], dict[str, Any]]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self.convert, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"anyOf": [*_alternatives(self.json_schema()), *_alternatives(handler(schema))]}


def _alternatives(schema: JsonSchemaValue) -> list[JsonSchemaValue]:
    return list(schema["anyOf"]) if set(schema) == {"anyOf"} else [schema]


def bool_shorthand(key: str) -> Shorthand:
    """``explorer: false`` means ``explorer: {enabled: false}`` (for ``key="enabled"``)."""

    def convert(value: Any) -> Any:
        if isinstance(value, EnvStr):
            return {key: _to_bool(value)}
        if isinstance(value, bool):
            return {key: value}
        return value

    return Shorthand(convert, _bool_json_schema)


def _bool_json_schema() -> dict[str, Any]:
    return {"anyOf": [{"type": "boolean"}, ENV_EXPRESSION_SCHEMA]}
