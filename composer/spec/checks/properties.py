"""Checks on properties: bounds, defaults, enums, patterns, ids, hidden names, indexes."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from pydantic import StringConstraints, TypeAdapter
from pydantic_core import SchemaError

from composer.errors import KeyPath
from composer.spec.checks.context import Context
from composer.spec.lookup import base_chain
from composer.spec.model import ModelSpec, PropertySpec
from composer.spec.naming import rest_path
from composer.spec.shape import did_you_mean

__all__ = ["check_properties", "fits_type", "pattern_problem"]

_ID_TYPES = ("string", "integer", "number")
_APPLIES = {
    "minimum": ("number", "integer"),
    "maximum": ("number", "integer"),
    "minLength": ("string", "array"),
    "maxLength": ("string", "array"),
    "pattern": ("string",),
    "items": ("array",),
}


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` does not compile in the engine request validation runs it with, or None.

    Request validation uses pydantic's string constraints (Rust's ``regex``
    crate): no look-around, no backreferences.

    >>> pattern_problem("^[a-z]+$") is None, pattern_problem("(?=a)")
    (True, 'look-around, including look-ahead and look-behind, is not supported')
    """
    try:
        TypeAdapter(Annotated[str, StringConstraints(pattern=pattern)])
    except SchemaError as exc:
        reasons = re.findall(r"^error: (.*)$", str(exc), re.MULTILINE)
        return reasons[-1] if reasons else str(exc).splitlines()[-1].strip()
    return None


def _iso(parse: Any, text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def fits_type(prop: PropertySpec, value: Any) -> bool:
    """Whether ``value`` is a value of ``prop``'s type (items included for arrays).

    >>> fits_type(PropertySpec(type="integer"), 3), fits_type(PropertySpec(type="integer"), True)
    (True, False)
    """
    kind = prop.type
    if kind in ("string", "buffer"):
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "date":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return True
        return isinstance(value, str) and _iso(datetime.date.fromisoformat, value)
    if kind == "datetime":
        if isinstance(value, datetime.datetime):
            return True
        return isinstance(value, str) and _iso(datetime.datetime.fromisoformat, value)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        items = prop.items
        return isinstance(value, list | tuple) and (
            items is None or all(fits_type(items, item) for item in value)
        )
    return True


def _type_name(prop: PropertySpec) -> str:
    if prop.type == "array" and prop.items is not None:
        return f"array of {_type_name(prop.items)}"
    return prop.type


def check_properties(ctx: Context) -> None:
    """Bounds (CMP112), defaults and enums (CMP113), patterns (CMP114), options that do not apply
    to the type (CMP129), ids of served models (CMP115, CMP128), hidden and index names (CMP130)."""
    if not ctx.has("models"):
        return
    for name, model in ctx.app.models.items():
        for prop_name, prop in model.properties.items():
            _check_property(ctx, ("models", name, "properties", prop_name), prop)
        if ctx.complete(name):
            _check_names(ctx, name, model)
            if rest_path(name, model) is not None:
                _check_id(ctx, name)


def _check_property(ctx: Context, path: KeyPath, prop: PropertySpec) -> None:
    options = {
        "minimum": prop.minimum,
        "maximum": prop.maximum,
        "minLength": prop.min_length,
        "maxLength": prop.max_length,
        "pattern": prop.pattern,
        "items": prop.items,
    }
    for option, value in options.items():
        if value is not None and prop.type not in _APPLIES[option]:
            kinds = " and ".join(_APPLIES[option])
            ctx.report(
                "CMP129",
                f"{option} applies only to {kinds} properties, not {prop.type}",
                (*path, option),
            )
    for low, high in (("minimum", "maximum"), ("minLength", "maxLength")):
        lower, upper = options[low], options[high]
        if isinstance(lower, int | float) and isinstance(upper, int | float) and lower > upper:
            ctx.report("CMP112", f"{low} {lower} is above {high} {upper}", (*path, low))
    if prop.pattern is not None:
        problem = pattern_problem(prop.pattern)
        if problem is not None:
            ctx.report(
                "CMP114",
                f"pattern does not compile: {problem}",
                (*path, "pattern"),
                "patterns use Rust regex syntax: no look-around, no backreferences",
            )
    for index, value in enumerate(prop.enum or ()):
        if not fits_type(prop, value):
            where = (*path, "enum", index)
            ctx.report(
                "CMP113",
                f"enum value {ctx.show(where, value)} is not of type {_type_name(prop)}",
                where,
            )
    if prop.default is not None:
        _check_default(ctx, (*path, "default"), prop)
    if prop.items is not None:
        _check_property(ctx, (*path, "items"), prop.items)


def _check_default(ctx: Context, path: KeyPath, prop: PropertySpec) -> None:
    value = prop.default
    shown = ctx.show(path, value)
    if value == "now" and prop.type in ("date", "datetime"):
        return
    if not fits_type(prop, value):
        hint = {"date": "use now or YYYY-MM-DD", "datetime": "use now or an ISO 8601 datetime"}
        ctx.report(
            "CMP113",
            f"default {shown} is not of type {_type_name(prop)}",
            path,
            hint.get(prop.type),
        )
    elif prop.enum is not None and value not in prop.enum:
        ctx.report("CMP113", f"default {shown} is not one of the enum values", path)
    elif prop.type not in ("number", "integer"):
        return
    elif prop.minimum is not None and value < prop.minimum:
        ctx.report("CMP113", f"default {shown} is below minimum {prop.minimum}", path)
    elif prop.maximum is not None and value > prop.maximum:
        ctx.report("CMP113", f"default {shown} is above maximum {prop.maximum}", path)


def _check_names(ctx: Context, name: str, model: ModelSpec) -> None:
    known = list(ctx.properties(name))
    named: list[tuple[KeyPath, str]] = [
        (("hidden", index), prop) for index, prop in enumerate(model.hidden)
    ]
    for index_name, index in model.indexes.items():
        named += [
            (("indexes", index_name, "properties", at), prop)
            for at, prop in enumerate(index.properties)
        ]
    for where, prop in named:
        if prop not in known:
            ctx.report(
                "CMP130",
                f"unknown property '{prop}'",
                ("models", name, *where),
                did_you_mean(prop, known, f"properties of {name}"),
            )


def _check_id(ctx: Context, name: str) -> None:
    properties = ctx.properties(name)
    ids = [prop_name for prop_name, prop in properties.items() if prop.id]
    # a read-only model is never addressed by id: it may have none, or a composite key
    readonly = ctx.app.models[name].rest.readonly
    if not ids:
        if readonly and not properties:
            ctx.report(
                "CMP115",
                f"model '{name}' is served read-only but has no properties",
                ("models", name),
                "declare its properties (the columns to read)",
                key=True,
            )
        if readonly:
            return
        ctx.report(
            "CMP115",
            f"model '{name}' is served over REST but has no id property",
            ("models", name),
            "mark one property 'id: true' (e.g. id: {type: integer, id: true, generated: true}), "
            "set rest: false, or serve it read-only (rest: {readonly: true})",
            key=True,
        )
        return
    if len(ids) > 1 and readonly:
        return
    for extra in ids[1:]:
        ctx.report(
            "CMP128",
            f"model '{name}' has more than one id property: {', '.join(ids)}",
            ("models", ctx.defined_in(name, extra), "properties", extra, "id"),
            "keep 'id: true' on one property; a composite key is allowed only on a read-only "
            "model (rest: {readonly: true})",
        )
    id_name = ids[0]
    id_path = ("models", ctx.defined_in(name, id_name), "properties", id_name)
    prop = properties[id_name]
    hidden = {hidden for model in _chain_models(ctx, name) for hidden in model.hidden}
    if prop.hidden or id_name in hidden:
        ctx.report(
            "CMP115",
            f"id property '{id_name}' of '{name}' is hidden",
            id_path,
            "clients need the id to address an instance: do not hide it",
            key=True,
        )
    if prop.type not in _ID_TYPES:
        ctx.report(
            "CMP115",
            f"id property '{id_name}' of '{name}' has type {prop.type}",
            (*id_path, "type") if ctx.written((*id_path, "type")) is not None else id_path,
            f"an id is one of: {', '.join(_ID_TYPES)}",
        )


def _chain_models(ctx: Context, name: str) -> list[ModelSpec]:
    return [ctx.app.models[model] for model in base_chain(ctx.app, name)]
