"""The shape of a filter, checked as LoopBack 4's REST layer checks it.

LoopBack validates ``?filter=`` against a JSON schema with AJV before any
clause is read: only the keys ``where, fields, order, limit, skip, offset,
include``; ``limit`` an integer >= 1, ``skip``/``offset`` integers >= 0;
``order`` a string or an array of strings; ``where`` an object; ``fields`` an
object of booleans over the model's properties or an array of distinct
property names. AJV coerces as it goes (``"2"`` becomes 2, ``"true"`` true).
:func:`check_shape` does the same and, on failure, raises LoopBack's 400
(``Invalid data {...} for parameter "filter".``) with AJV's ``details``.
"""

from __future__ import annotations

import re
from typing import Any

from composer.errors import KeyPath
from composer.repository.entity import EntityInfo
from composer.repository.query_error import FilterError, invalid_data, js_json

__all__ = ["MAX_SAFE_INTEGER", "check_shape"]

#: the largest limit or skip a JavaScript client can write exactly (2**53 - 1)
MAX_SAFE_INTEGER = 2**53 - 1

#: the filter keys, in the order LoopBack's schema lists them (AJV reports in this order)
_KEYS = ("offset", "limit", "skip", "order", "where", "fields", "include")
_ALLOWED = ("where", "fields", "order", "limit", "skip", "offset", "include")
_MINIMUM = {"offset": 0, "limit": 1, "skip": 0}
_INTEGER = re.compile(r"\s*[+-]?[0-9]{1,20}\s*", re.ASCII)
_ONE_OF = {"code": "oneOf", "message": "must match exactly one schema in oneOf"}


def _detail(path: str, code: str, message: str, info: dict[str, Any]) -> dict[str, Any]:
    return {"path": path, "code": code, "message": message, "info": info}


def _type(path: str, expected: str) -> dict[str, Any]:
    return _detail(path, "type", f"must be {expected}", {"type": expected})


def _one_of(path: str) -> dict[str, Any]:
    return {"path": path, **_ONE_OF, "info": {"passingSchemas": None}}


def _integer(value: Any) -> int | None:
    """AJV's integer coercion: an integer, an integral float, or a string of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value):
        return int(value)
    return None


def _boolean(value: Any) -> bool | None:
    """AJV's boolean coercion: a boolean, ``"true"``/``"false"``, 1 or 0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    return None


def check_shape(
    raw: dict[str, Any], info: EntityInfo, *, parameter: str, exclude_where: bool
) -> dict[str, Any]:
    """``raw`` with AJV's coercions applied, or LoopBack's 400 listing every problem.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> from composer.repository.entity import entity_info
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True)})})
    >>> check_shape({"limit": "2"}, entity_info(app, "Todo"), parameter="filter",
    ...             exclude_where=False)
    {'limit': 2}
    """
    keys = [key for key in _KEYS if not (exclude_where and key == "where")]
    shaped = dict(raw)
    details = [
        _detail(
            "",
            "additionalProperties",
            "must NOT have additional properties",
            {"additionalProperty": key},
        )
        for key in raw
        if key not in keys
    ]
    for key in keys:
        if key not in raw:
            continue
        if key in _MINIMUM:
            details.extend(_check_integer(key, raw[key], shaped))
        elif key == "order":
            details.extend(_check_order(raw[key]))
        elif key == "where" and not isinstance(raw[key], dict):
            details.append(_type("/where", "object"))
        elif key == "fields":
            details.extend(_check_fields(raw[key], info, shaped))
    if details:
        raise _shape_error(shaped, details, parameter)
    return shaped


def _check_integer(key: str, value: Any, shaped: dict[str, Any]) -> list[dict[str, Any]]:
    number = _integer(value)
    if number is None:
        return [_type(f"/{key}", "integer")]
    shaped[key] = number
    minimum = _MINIMUM[key]
    if number < minimum:
        return [
            _detail(
                f"/{key}",
                "minimum",
                f"must be >= {minimum}",
                {"comparison": ">=", "limit": minimum},
            )
        ]
    if number > MAX_SAFE_INTEGER:
        return [
            _detail(
                f"/{key}",
                "maximum",
                f"must be <= {MAX_SAFE_INTEGER}",
                {"comparison": "<=", "limit": MAX_SAFE_INTEGER},
            )
        ]
    return []


def _check_order(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, str):
        return []
    if not isinstance(value, list):
        return [_type("/order", "string"), _type("/order", "array"), _one_of("/order")]
    wrong = [
        _type(f"/order/{i}", "string") for i, item in enumerate(value) if not isinstance(item, str)
    ]
    return [_type("/order", "string"), *wrong, _one_of("/order")] if wrong else []


def _check_fields(value: Any, info: EntityInfo, shaped: dict[str, Any]) -> list[dict[str, Any]]:
    names = list(info.names)
    if isinstance(value, dict):
        problems, coerced = [], {}
        for key, item in value.items():
            flag = _boolean(item)
            if key not in names:
                problems.append(
                    _detail(
                        "/fields",
                        "additionalProperties",
                        "must NOT have additional properties",
                        {"additionalProperty": key},
                    )
                )
            elif flag is None:
                problems.append(_type(f"/fields/{key}", "boolean"))
            coerced[key] = item if flag is None else flag
        shaped["fields"] = coerced
        if problems:
            return [*problems, _type("/fields", "array"), _one_of("/fields")]
        return []
    if isinstance(value, list):
        problems = []
        for index, item in enumerate(value):
            if not isinstance(item, str):
                problems.append(_type(f"/fields/{index}", "string"))
            elif item not in names:
                problems.append(
                    _detail(
                        f"/fields/{index}",
                        "enum",
                        "must be equal to one of the allowed values",
                        {"allowedValues": names},
                    )
                )
        problems.extend(_duplicates(value))
        if problems:
            return [_type("/fields", "object"), *problems, _one_of("/fields")]
        return []
    return [_type("/fields", "object"), _type("/fields", "array"), _one_of("/fields")]


def _duplicates(items: list[Any]) -> list[dict[str, Any]]:
    """AJV's uniqueItems report: the first pair found scanning from the end."""
    seen: dict[str, int] = {}
    for index in range(len(items) - 1, -1, -1):
        item = items[index]
        if not isinstance(item, str):
            continue
        if item in seen:
            later = seen[item]
            return [
                _detail(
                    "/fields",
                    "uniqueItems",
                    f"must NOT have duplicate items (items ## {later} and {index} are identical)",
                    {"i": index, "j": later},
                )
            ]
        seen[item] = index
    return []


def _path(pointer: str) -> KeyPath:
    return tuple(int(p) if p.isdigit() else p for p in pointer.split("/")[1:])


def _summary(detail: dict[str, Any]) -> str:
    """The first problem in words, for a manifest issue (its key path shows where)."""
    if detail["code"] == "additionalProperties":
        extra = detail["info"]["additionalProperty"]
        if detail["path"] == "":
            return f"unknown filter key '{extra}'; allowed: {', '.join(_ALLOWED)}"
        return f"'{extra}' is not a property"
    if detail["code"] == "enum":
        return f"not a property; properties: {', '.join(detail['info']['allowedValues'])}"
    return str(detail["message"])


def _shape_error(
    shaped: dict[str, Any], details: list[dict[str, Any]], parameter: str
) -> FilterError:
    first = details[0]
    path = _path(first["path"])
    if first["code"] == "additionalProperties":
        path = (*path, first["info"]["additionalProperty"])
    error = invalid_data(
        js_json(shaped), parameter, details=details, path=path, summary=_summary(first)
    )
    error.at_key = first["code"] == "additionalProperties"
    return error
