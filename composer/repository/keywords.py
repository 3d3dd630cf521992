"""JSON Schema keywords as AJV 8 reports a violation: one rule per keyword, built once.

A rule is ``rule(value, path, details)``: it appends ``{path, code, message,
info}`` to ``details`` when ``value`` violates it (the value is already of the
keyword's type). Messages and ``info`` are AJV's, numbers shown as
JavaScript shows them (``must be <= 1.5``, ``must be >= 1e+21``).

>>> details = []
>>> limit("maximum", 3)(4, "/n", details)
>>> details[0]["message"], details[0]["info"]
('must be <= 3', {'comparison': '<=', 'limit': 3})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic_core import SchemaValidator, core_schema

from composer.repository.coercion import check_text

__all__ = [
    "STORABLE_PATTERN",
    "Detail",
    "Rule",
    "format_rule",
    "length",
    "limit",
    "pattern",
    "storable",
    "storable_rule",
]

Detail = dict[str, Any]
Rule = Callable[[Any, str, list[Detail]], None]


def _js(number: float) -> str:
    """A number as JavaScript prints it (``3``, ``1.5``, ``1e+21``)."""
    if isinstance(number, int) or (number.is_integer() and abs(number) < 1e21):
        return str(int(number))
    mantissa, _, exponent = repr(number).partition("e")
    if not exponent:
        return mantissa
    return f"{mantissa}e{'-' if exponent.startswith('-') else '+'}{exponent.lstrip('+-0') or '0'}"


#: the rule of :func:`storable` as the OpenAPI document publishes it on string schemas: no
#: NUL character (a lone surrogate never reaches a schema: JSON holding one is malformed, and
#: the regular expression engines of JSON Schema validators cannot name one)
STORABLE_PATTERN = "^[^\\u0000]*$"
_STORABLE_MESSAGE = "must NOT contain NUL characters or lone surrogates"
_STORABLE_INFO = {"pattern": STORABLE_PATTERN}


def storable(value: Any) -> bool:
    """Whether every string in ``value`` (keys included) can be stored by every database.

    No database keeps a NUL character in text, nor PostgreSQL in JSON, and
    lone surrogates are not UTF-8.

    >>> storable({"a": ["b"]}), storable({"a": ["b\\x00"]})
    (True, False)
    """
    if isinstance(value, str):
        if value.isascii() and "\0" not in value:
            return True
        try:
            check_text(value)
        except ValueError:
            return False
        return True
    if isinstance(value, dict):
        return all(storable(key) and storable(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(storable(item) for item in value)
    return True


def storable_rule(value: Any, path: str, details: list[Detail]) -> None:
    """The rule no database can do without: no NUL character, no lone surrogate."""
    if not storable(value):
        details.append(
            {
                "path": path,
                "code": "pattern",
                "message": _STORABLE_MESSAGE,
                "info": dict(_STORABLE_INFO),
            }
        )


def limit(keyword: str, limit: float) -> Rule:
    """``maximum`` or ``minimum``."""
    comparison = "<=" if keyword == "maximum" else ">="
    message = f"must be {comparison} {_js(limit)}"
    info = {"comparison": comparison, "limit": limit}
    highest = keyword == "maximum"

    def rule(value: Any, path: str, details: list[Detail]) -> None:
        if (value > limit) if highest else (value < limit):
            details.append({"path": path, "code": keyword, "message": message, "info": dict(info)})

    return rule


def length(keyword: str, word: str, limit: int, unit: str) -> Rule:
    """``maxLength``/``minLength`` (``characters``) or ``maxItems``/``minItems`` (``items``)."""
    message = f"must NOT have {word} than {limit} {unit}"
    longest = keyword.startswith("max")

    def rule(value: Any, path: str, details: list[Detail]) -> None:
        if (len(value) > limit) if longest else (len(value) < limit):
            details.append(
                {"path": path, "code": keyword, "message": message, "info": {"limit": limit}}
            )

    return rule


def pattern(pattern: str, matches: Callable[[str], bool] | None = None) -> Rule:
    """``pattern``: a search (not anchored), as JSON Schema means it.

    ``matches`` checks it; by default the engine the manifest check compiled a
    property's pattern with (Rust's regex crate: linear time).
    """
    if matches is None:
        matches = SchemaValidator(core_schema.str_schema(pattern=pattern)).isinstance_python
    message = f'must match pattern "{pattern}"'

    def rule(value: Any, path: str, details: list[Detail]) -> None:
        if not matches(value):
            details.append(
                {"path": path, "code": "pattern", "message": message, "info": {"pattern": pattern}}
            )

    return rule


def format_rule(name: str, ok: Callable[[Any], bool]) -> Rule:
    """``format``, checked by ``ok``."""
    message = f'must match format "{name}"'

    def rule(value: Any, path: str, details: list[Detail]) -> None:
        if not ok(value):
            details.append(
                {"path": path, "code": "format", "message": message, "info": {"format": name}}
            )

    return rule
