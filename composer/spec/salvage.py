"""What survives of a value pydantic rejected, so the semantic checks still see the rest.

When a section fails validation, its issues are reported from that first
attempt; then :func:`salvage` rebuilds the parts that are valid on their
own (a model without its one bad field, a dict without its one bad entry)
and records the paths that failed, so that a check skips what it cannot
judge instead of reporting a problem that is only a consequence.
"""

from __future__ import annotations

import functools
import types
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PydanticUserError, TypeAdapter, ValidationError

from composer.errors import KeyPath
from composer.spec.shape import field_type, model_class, strip_type

__all__ = ["NOTHING", "adapter", "salvage"]

#: what :func:`salvage` returns when nothing of the value survives
NOTHING: Any = object()

_STRICT = ConfigDict(strict=True)


@functools.cache
def _cached_adapter(tp: Any) -> TypeAdapter[Any]:
    try:
        return TypeAdapter(tp, config=_STRICT)
    except PydanticUserError:  # a model (maybe annotated) brings its own strict config
        return TypeAdapter(tp)


def adapter(tp: Any) -> TypeAdapter[Any]:
    """A strict TypeAdapter for a spec type, built once per type."""
    try:
        return _cached_adapter(tp)
    except TypeError:  # an unhashable annotation: build it afresh
        return _cached_adapter.__wrapped__(tp)


def _check(tp: Any, value: Any) -> Any:
    return adapter(tp).validate_python(value, by_name=False)


def salvage(tp: Any, value: Any, path: KeyPath, failed: set[KeyPath]) -> Any:
    """``value`` validated as ``tp``, or its valid parts, or :data:`NOTHING`.

    Every path that did not validate is added to ``failed``.
    """
    try:
        return _check(tp, value)
    except ValidationError:
        failed.add(path)
    bare = strip_type(tp)
    if get_origin(bare) in (Union, types.UnionType) and isinstance(value, dict):
        bare = _member_for(bare, value)
    model = model_class(bare)
    if model is not None and isinstance(value, dict):
        return _salvage_model(model, value, path, failed)
    if get_origin(bare) is dict and isinstance(value, dict):
        entry = get_args(bare)[1]
        kept = {k: salvage(entry, v, (*path, k), failed) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v is not NOTHING}
    if get_origin(bare) is tuple and isinstance(value, list):
        item = get_args(bare)[0]
        kept_items = [salvage(item, v, (*path, i), failed) for i, v in enumerate(value)]
        return tuple(v for v in kept_items if v is not NOTHING)
    return NOTHING


def _member_for(union: Any, value: dict[str, Any]) -> Any:
    """The member of a discriminated union whose tag fields ``value`` matches."""
    for member in map(strip_type, get_args(union)):
        model = model_class(member)
        if model is None:
            continue
        tags = [
            (info.alias or name, get_args(info.annotation))
            for name, info in model.model_fields.items()
            if get_origin(info.annotation) is Literal and info.is_required()
        ]
        if tags and all(value.get(key) in allowed for key, allowed in tags):
            return model
    return None


def _salvage_model(
    model: type[BaseModel], value: dict[str, Any], path: KeyPath, failed: set[KeyPath]
) -> Any:
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        key = info.alias or name
        if key in value:
            kept = salvage(field_type(model, key), value[key], (*path, key), failed)
            if kept is not NOTHING:
                fields[name] = kept
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    if any(name not in fields for name in required):
        return NOTHING
    return model.model_construct(**fields)
