"""The filter language: a client's filter parsed once into a validated query.

``?filter={"where": {"priority": {"gte": 2}}, "order": "title DESC", "limit": 10}``
(or its bracket form, see :mod:`composer.repository.querystring`) becomes a
:class:`~composer.repository.query.Filter` whose names are known properties
and whose values have the properties' types, or a 400 in LoopBack 4's words
naming the offending key. The checks run in LoopBack's order: the JSON
itself (``__proto__``/``constructor`` keys), the filter's shape (keys,
``limit``/``skip``/``offset``, ``order`` and ``fields`` types), the nesting
depth, then ``order``, ``where`` and ``fields`` against the model, the
pagination limits, and ``include`` last. ``docs/filter.md`` documents the
language; :func:`check_scopes` runs the same checks on the manifest's default
scopes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import orjson

from composer.errors import Issue, KeyPath
from composer.manifest.raw import RawManifest
from composer.repository.entity import EntityInfo, FieldInfo, Models, entity_info
from composer.repository.filter_shape import check_shape
from composer.repository.query import And, Filter, Inclusion, Order, Where
from composer.repository.query_error import FilterError, invalid_data, js_json
from composer.repository.where import WhereReader, unknown_property
from composer.spec import AppSpec, effective_properties

__all__ = [
    "MAX_INQ",
    "MAX_VALUES",
    "FilterError",
    "FilterLimits",
    "check_scopes",
    "merge_scope",
    "parse_filter",
    "parse_where",
]

#: the most items an ``inq`` or ``nin`` list may hold
MAX_INQ = 1000
#: the most values one where clause may hold (each inq item counts): every statement
#: then stays far below the databases' limits on bound parameters (32,767 for PostgreSQL)
MAX_VALUES = 10_000

# LoopBack splits an order string as JavaScript does: commas between keys, then white space
# (JavaScript's \s) between a key's words
_JS_SPACE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_ORDER_SEPARATOR = re.compile(f"(?:{_JS_SPACE}*,{_JS_SPACE}*)+")
_ORDER_WORDS = re.compile(f"{_JS_SPACE}+")
#: the invalid include entries a message quotes (the rest are counted)
_SHOWN_ENTRIES = 10


@dataclass(frozen=True, slots=True)
class FilterLimits:
    """The bounds a filter must respect.

    >>> FilterLimits(default_limit=20, max_limit=100).max_inq
    1000
    """

    #: the limit of a filter that gives none (``rest.pagination.defaultLimit``)
    default_limit: int | None = None
    #: the largest limit a filter may ask for (``rest.pagination.maxLimit``)
    max_limit: int | None = None
    #: how deeply a filter may nest (LoopBack's ``maxDepthOfQuery``)
    max_depth: int = 32
    #: the most items in one ``inq``/``nin`` list
    max_inq: int | None = MAX_INQ
    #: the most values in one where clause
    max_values: int | None = MAX_VALUES
    #: how many levels of ``include`` a filter may nest (``rest.maxIncludeDepth``)
    max_include_depth: int = 3


def parse_filter(
    raw: object,
    info: EntityInfo,
    *,
    limits: FilterLimits = FilterLimits(),
    parameter: str = "filter",
    exclude_where: bool = False,
    allow_hidden: bool = False,
    models: Models | None = None,
) -> Filter:
    """The validated :class:`Filter` of ``raw``: decoded JSON, bracket dicts or JSON text.

    ``parameter`` names the request parameter in messages; ``exclude_where``
    refuses ``where`` (``findById``'s filter); ``allow_hidden`` lets where and
    order use hidden properties (default scopes, written by the manifest).
    ``models`` looks up the target of a relation (a
    :class:`~composer.repository.entity.Catalog`); without it, ``include`` and
    where clauses through relations are refused.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True),
    ...                 "title": PropertySpec(type="string")})})
    >>> todo = entity_info(app, "Todo")
    >>> parse_filter('{"where": {"id": {"inq": ["1", 2]}}, "order": "title DESC"}', todo)
    Filter(where=Comparison(property='id', op='inq', value=(1, 2)), fields=None, \
order=(Order(property='title', descending=True),), limit=None, skip=0, include=())
    >>> parse_filter({"limit": "0"}, todo)
    Traceback (most recent call last):
      ...
    composer.repository.query_error.FilterError: Invalid data {"limit":0} for parameter "filter".
    """
    value, too_deep = _decode(raw, parameter, limits)
    if value is None:
        return Filter(limit=limits.default_limit)
    shaped = check_shape(value, info, parameter=parameter, exclude_where=exclude_where)
    if too_deep:
        raise _too_deep(value, limits.max_depth)
    order = _order(shaped.get("order"), info, allow_hidden)
    where = None
    if "where" in shaped:
        reader = _reader(info, limits, allow_hidden, models)
        where = reader.read(shaped["where"], ("where",))
    fields = _fields(shaped.get("fields"), info)
    limit = shaped.get("limit")
    if limit is None:
        limit = limits.default_limit
    elif limits.max_limit is not None and limit > limits.max_limit:
        raise _above_max_limit(shaped, limit, limits.max_limit, parameter)
    include = _include(shaped.get("include"), info, limits, models, parameter=parameter, depth=1)
    skip = shaped.get("skip", shaped.get("offset", 0))
    return Filter(
        where=_simplify(where), fields=fields, order=order, limit=limit, skip=skip, include=include
    )


def parse_where(
    raw: object,
    info: EntityInfo,
    *,
    limits: FilterLimits = FilterLimits(),
    parameter: str = "where",
    allow_hidden: bool = False,
    models: Models | None = None,
) -> Where | None:
    """The validated where clause of ``raw`` (``?where=`` of count and updateAll); None for none.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True)})})
    >>> parse_where({"or": [{"id": 1}, {"id": {"gt": "5"}}]}, entity_info(app, "Todo"))
    Or(items=(Comparison(property='id', op='eq', value=1), \
Comparison(property='id', op='gt', value=5)))
    """
    value, too_deep = _decode(raw, parameter, limits)
    if value is None:
        return None
    if too_deep:
        raise _too_deep(value, limits.max_depth)
    return _simplify(_reader(info, limits, allow_hidden, models).read(value, ()))


def merge_scope(scope: Filter, query: Filter) -> Filter:
    """A model's default scope applied to a query.

    The wheres are ANDed (the scope's first); the query's order, limit, skip
    and fields win when it gives them, else the scope's apply. (To make a
    scope's limit the model's page size, parse requests with it as
    ``FilterLimits.default_limit``.)

    >>> from composer.repository.query import Comparison
    >>> scope = Filter(where=Comparison("deleted", "eq", False), limit=10)
    >>> merge_scope(scope, Filter(where=Comparison("id", "gt", 3))).where
    And(items=(Comparison(property='deleted', op='eq', value=False), \
Comparison(property='id', op='gt', value=3)))
    """
    if scope.where is None or query.where is None:
        where = scope.where if query.where is None else query.where
    else:
        where = And((scope.where, query.where))
    return Filter(
        where=where,
        fields=query.fields if query.fields is not None else scope.fields,
        order=query.order or scope.order,
        limit=query.limit if query.limit is not None else scope.limit,
        skip=query.skip or scope.skip,
    )


def check_scopes(app: AppSpec, raw: RawManifest) -> list[Issue]:
    """CMP132 for every model whose ``scope:`` is not a valid filter, with its position.

    A scope may use hidden properties; its limit must respect ``maxLimit``.
    Used after validation, next to the other manifest checks::

        raw = load(project)
        issues = check_scopes(validate(raw), raw)   # [] when every scope is valid
    """
    limits = FilterLimits(max_limit=app.rest.pagination.max_limit)
    issues = []
    for name, model in app.models.items():
        if model.scope is None:
            continue
        info = _scope_info(app, name)
        if info is None:
            continue
        try:
            if isinstance(model.scope, dict) and model.scope.get("include") not in (None, []):
                message = "a default scope cannot include relations (a request's filter can)"
                raise FilterError(message, path=("include",))
            parse_filter(model.scope, info, limits=limits, allow_hidden=True)
        except FilterError as exc:
            path: KeyPath = ("models", name, "scope", *exc.path)
            position = raw.locate(path, key=exc.at_key)
            issues.append(Issue("CMP132", exc.summary, path, position))
    return issues


# ---------------------------------------------------------------------------


def _decode(
    raw: object, parameter: str, limits: FilterLimits
) -> tuple[dict[str, Any] | None, bool]:
    """The filter object (JSON text parsed; prototype keys and non-objects refused) and
    whether it nests deeper than the limit (reported after the shape, as LoopBack does)."""
    text: str | None = raw if isinstance(raw, str) else None
    value: Any = raw
    if text is not None:
        if text.strip() == "":
            return None, False
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise invalid_data(
                js_json(text, limit=2000),
                parameter,
                details={"syntaxError": str(exc)},
                summary=f"not valid JSON: {exc}",
            ) from None
    if value is None:
        return None, False
    prototype, too_deep = _scan(value, limits.max_depth)
    if prototype or not isinstance(value, dict):
        shown = js_json(text if text is not None else js_json(value), limit=2000)
    if prototype:
        message, path = _prototype_key(value, limits.max_depth)
        raise invalid_data(
            shown, parameter, details={"syntaxError": message}, path=path, summary=message
        )
    if not isinstance(value, dict):
        raise invalid_data(shown, parameter, summary="a filter must be an object")
    return value, too_deep


def _scan(value: Any, max_depth: int) -> tuple[bool, bool]:
    """(has a ``__proto__``/``constructor`` key, nests deeper than ``max_depth``), in one pass."""
    prototype = too_deep = False
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            too_deep = True
            continue
        if isinstance(node, dict):
            if "__proto__" in node or "constructor" in node:
                prototype = True
            stack.extend((child, depth + 1) for child in node.values())
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node)
    return prototype, too_deep


def _first(
    value: Any, max_depth: int, found: Callable[[Any, KeyPath], bool]
) -> tuple[KeyPath, Any]:
    """The path and value of the first node, in document order, for which ``found`` holds."""
    stack: list[tuple[Any, KeyPath]] = [(value, ())]
    while stack:
        node, path = stack.pop()
        if found(node, path):
            return path, node
        if len(path) > max_depth:
            continue
        if isinstance(node, dict):
            stack.extend((child, (*path, key)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((node[i], (*path, i)) for i in range(len(node) - 1, -1, -1))
    return (), None


def _prototype_key(value: Any, max_depth: int) -> tuple[str, KeyPath]:
    """LoopBack's guard against prototype pollution, naming the first offending key."""
    path, node = _first(
        value, max_depth, lambda _, path: bool(path) and path[-1] in ("__proto__", "constructor")
    )
    if path[-1] == "constructor":
        name = (
            "constructor.prototype"
            if isinstance(node, dict) and "prototype" in node
            else "constructor"
        )
    else:
        name = "__proto__"
    return f'JSON string cannot contain "{name}" key.', path


def _too_deep(value: Any, max_depth: int) -> FilterError:
    path, _ = _first(value, max_depth, lambda _, path: len(path) > max_depth)
    message = f"The query object exceeds maximum depth {max_depth}"
    return FilterError(
        message, code="QUERY_OBJECT_TOO_DEEP", name="Error", path=path, summary=message
    )


def _reader(
    info: EntityInfo, limits: FilterLimits, allow_hidden: bool, models: Models | None
) -> WhereReader:
    return WhereReader(
        info,
        allow_hidden=allow_hidden,
        max_inq=limits.max_inq,
        max_values=limits.max_values,
        models=models,
    )


def _simplify(where: Where | None) -> Where | None:
    """An empty where object (``{}``) is no where at all."""
    return None if where == And(()) else where


def _queryable(info: EntityInfo, allow_hidden: bool) -> dict[str, FieldInfo]:
    return {f.name: f for f in info.fields if allow_hidden or f.name not in info.hidden}


def _order(raw: Any, info: EntityInfo, allow_hidden: bool) -> tuple[Order, ...]:
    """``"a DESC, b"`` or ``["a DESC", "b ASC"]`` as :class:`Order` items.

    Each key is split as LoopBack splits it: the first word is the property,
    the second its direction (``ASC``/``DESC``, any letter case), so white
    space before the property or after a lone property is an invalid
    direction. A word after the direction is refused (LoopBack ignores it).
    """
    if raw is None:
        return ()
    known = _queryable(info, allow_hidden)
    items = [raw] if isinstance(raw, str) else raw
    order: list[Order] = []
    for index, item in enumerate(items):
        path: KeyPath = ("order",) if isinstance(raw, str) else ("order", index)
        for token in _ORDER_SEPARATOR.split(item):
            if not token:
                continue
            parts = _ORDER_WORDS.split(token)
            direction = parts[1].upper() if len(parts) > 1 else "ASC"
            if direction not in ("ASC", "DESC"):
                message = f"The order {js_json(token)} has invalid direction"
                raise FilterError(message, name="Error", path=path, summary=message)
            if any(parts[2:]):
                message = f"The order {js_json(token)} has words after its direction"
                raise FilterError(message, name="Error", path=path, summary=message)
            if parts[0] not in known:
                raise unknown_property(parts[0], "order", list(known), info.name, path)
            order.append(Order(parts[0], descending=direction == "DESC"))
    return tuple(order)


def _fields(raw: Any, info: EntityInfo) -> tuple[str, ...] | None:
    """The properties to return, in declaration order; None for every visible one."""
    if not raw:
        return None
    if isinstance(raw, dict):
        chosen = {key for key, wanted in raw.items() if wanted}
        if not chosen:
            left_out = set(raw)
            return tuple(n for n in info.names if n not in left_out and n not in info.hidden)
    else:
        chosen = set(raw)
    return tuple(n for n in info.names if n in chosen and n not in info.hidden)


def _above_max_limit(
    shaped: dict[str, Any], limit: int, max_limit: int, parameter: str
) -> FilterError:
    detail = {
        "path": "/limit",
        "code": "maximum",
        "message": f"must be <= {max_limit}",
        "info": {"comparison": "<=", "limit": max_limit},
    }
    return invalid_data(
        js_json(shaped),
        parameter,
        details=[detail],
        path=("limit",),
        summary=f"limit {limit} is above maxLimit {max_limit}",
    )


def _include(
    raw: Any,
    info: EntityInfo,
    limits: FilterLimits,
    models: Models | None,
    *,
    parameter: str,
    depth: int,
) -> tuple[Inclusion, ...]:
    """The inclusions of ``include``: a relation name, ``{"relation", "scope"}``, or a list.

    Every entry must name an exposed relation of the model (LoopBack's 400
    ``INVALID_INCLUSION_FILTER`` lists the entries that do not); a scope is a
    filter of the target model (an object), checked the same way, one level
    deeper. A relation named twice is included as its last entry says.
    """
    if raw is None or raw == []:
        return ()
    entries = raw if isinstance(raw, list) else [raw]
    if depth > limits.max_include_depth:
        message = (
            f"The include nests deeper than {limits.max_include_depth} levels (maxIncludeDepth)"
        )
        raise FilterError(message, code="INVALID_INCLUSION_FILTER", name="Error", path=("include",))
    invalid: list[Any] = []
    chosen: list[tuple[int, str, Any]] = []
    for index, entry in enumerate(entries):
        name, scope = _entry(entry)
        relation = info.relation(name) if name is not None else None
        target = None
        if relation is not None and relation.exposed and models is not None:
            target = models(relation.target)
        if name is None or target is None:
            invalid.append(entry)
        else:
            chosen.append((index, name, scope))
    if invalid:
        shown = "; ".join(js_json(entry, limit=200) for entry in invalid[:_SHOWN_ENTRIES])
        if len(invalid) > _SHOWN_ENTRIES:
            shown += f"; ... ({len(invalid) - _SHOWN_ENTRIES} more)"
        relations = [r.name for r in info.relations if r.exposed]
        known = ", ".join(relations) if relations else "none"
        raise FilterError(
            f'Invalid "filter.include" entries: {shown}',
            code="INVALID_INCLUSION_FILTER",
            name="Error",
            path=("include",),
            summary=f"include names no relation of {info.name} (relations: {known})",
        )
    inclusions = []
    scope_limits = replace(limits, default_limit=None)
    for index, name, scope in chosen:
        relation = info.relation(name)
        assert relation is not None and models is not None
        target = models(relation.target)
        assert target is not None
        path: KeyPath = ("include", index, "scope") if isinstance(raw, list) else ("include",)
        try:
            value, too_deep = _decode(scope, parameter, limits)
            if value is None:
                inclusions.append(Inclusion(name, Filter()))
                continue
            shaped = check_shape(value, target, parameter=parameter, exclude_where=False)
            if too_deep:
                raise _too_deep(value, limits.max_depth)
            where = None
            if "where" in shaped:
                reader = _reader(target, scope_limits, False, models)
                where = reader.read(shaped["where"], ("where",))
            limit = shaped.get("limit")
            if limit is not None and limits.max_limit is not None and limit > limits.max_limit:
                raise _above_max_limit(shaped, limit, limits.max_limit, parameter)
            nested = _include(
                shaped.get("include"), target, limits, models, parameter=parameter, depth=depth + 1
            )
            scoped = Filter(
                where=_simplify(where),
                fields=_fields(shaped.get("fields"), target),
                order=_order(shaped.get("order"), target, False),
                limit=limit,
                skip=shaped.get("skip", shaped.get("offset", 0)),
                include=nested,
            )
        except FilterError as error:
            error.path = (*path, *error.path)
            raise
        inclusions.append(Inclusion(name, scoped))
    return tuple({inclusion.relation: inclusion for inclusion in inclusions}.values())


def _entry(entry: Any) -> tuple[str | None, Any]:
    """(relation name, scope) of one include entry; (None, None) for a malformed one."""
    if isinstance(entry, str):
        return entry, None
    if isinstance(entry, dict) and isinstance(entry.get("relation"), str):
        scope = entry.get("scope", {})
        if set(entry) <= {"relation", "scope"} and isinstance(scope, dict):
            return entry["relation"], scope
    return None, None


def _scope_info(app: AppSpec, name: str) -> EntityInfo | None:
    """The model's :class:`EntityInfo`; a model without an id is read by its first property."""
    try:
        return entity_info(app, name)
    except ValueError:
        properties = effective_properties(app, name)
        if not properties:
            return None
        fields = tuple(FieldInfo(p, spec.column or p, spec) for p, spec in properties.items())
        model = app.models[name]
        return EntityInfo(name, model.datasource, model.table or name, fields, fields[0], ())
