"""The OpenAPI schemas of a model's CRUD routes: bodies, answers, filters, counts, errors.

For a model ``Todo`` served over REST, the document's components hold
(LoopBack's names, from ``getModelSchemaRef`` and ``@param.filter``):

========================  ==============================================================
``Todo``                  the whole model: what ``PUT /todos/{id}`` takes
``NewTodo``               what ``POST /todos`` takes: without a generated id (forceId)
``TodoPartial``           what ``PATCH`` takes: every property optional
``TodoWithRelations``     what reads answer: every property optional, since ``fields``
                          may leave any out (relations are added by inclusion)
``Todo.WhereFilter``      ``?where=`` and a filter's ``where``: each scalar property with
                          a value or an operator object, and ``and``/``or`` lists
``Todo.Filter``           ``GET /todos?filter=``: where, fields, order, limit, skip, offset
``Todo.FilterExcludingWhere``  ``GET /todos/{id}?filter=``: the same without ``where``
``loopback.Count``        ``{"count": n}``
``Error``                 LoopBack's error body, answered by every 4xx and 5xx
========================  ==============================================================

Hidden properties appear in none of them. Only the properties a filter can
compare (strings, numbers, integers, booleans, dates, datetimes) are in
``WhereFilter`` and ``order``. A where value is the property's type or what
the server converts to it (``"2"`` for an integer, ``5`` for a string: see
:mod:`composer.repository.coercion`); every string a where compares with (a
value, a ``like`` or ``regexp`` pattern) refuses NUL characters, and
``inq``/``nin`` lists have ``maxItems`` ``maxInq``. The one limit JSON
Schema cannot state in a form tools can use, the nesting depth, is in
``WhereFilter``'s description.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.repository.coercion import BOOLEAN_TEXT, INTEGER_TEXT, NUMBER_TEXT
from composer.repository.filter import MAX_INQ, FilterLimits
from composer.repository.formats import DATE_RANGE, DATETIME_RANGE
from composer.repository.keywords import STORABLE_PATTERN
from composer.repository.where import REGEXP_TEXT
from composer.rest.coercion import MAX_SAFE_INTEGER
from composer.rest.include_schema import (
    RELATION_KEY_NOTE,
    SCHEMA_INCLUDE_LEVELS,
    SCOPE_NOTE,
    includable,
    include_schema,
    scope_name,
    where_relations,
)
from composer.rest.model_schema import (
    INT64_MAX,
    INT64_MIN,
    model_schema,
    visible_properties,
)
from composer.spec import rest_path

if TYPE_CHECKING:
    from collections.abc import Iterable

    from composer.spec import AppSpec, PropertySpec

__all__ = [
    "COUNT_SCHEMA",
    "ERROR_SCHEMA",
    "LIKE_PATTERN",
    "crud_components",
    "filter_schema",
    "ref",
    "where_schema",
]

#: ``{"count": n}``, as LoopBack's ``CountSchema``
COUNT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "loopback.Count",
    "properties": {"count": {"type": "number"}},
}

#: LoopBack's error body: ``{"error": {statusCode, name, message, code?, details?}}``
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["statusCode", "message"],
            "properties": {
                "statusCode": {"type": "integer"},
                "name": {"type": "string"},
                "message": {"type": "string"},
                "code": {"type": "string"},
                "details": {},
            },
        }
    },
}

#: the values a where clause compares a property of each filterable type with: its own
#: type, or what the server converts to it (composer.repository.coercion)
_VALUES: dict[str, dict[str, Any]] = {
    "string": {
        "anyOf": [
            {"type": "string", "pattern": STORABLE_PATTERN},
            {"type": "number", "description": "compared as its JSON text"},
            {"type": "boolean", "description": "compared as its JSON text"},
        ]
    },
    "number": {
        "anyOf": [
            {"type": "number"},
            {
                "type": "string",
                "pattern": NUMBER_TEXT,
                "description": "at most 200 digits before the point and a 2-digit exponent",
            },
        ]
    },
    "integer": {
        "anyOf": [
            {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX},
            {"type": "string", "pattern": INTEGER_TEXT, "description": "within 64 bits"},
        ]
    },
    "boolean": {
        "anyOf": [
            {"type": "boolean"},
            {"type": "number", "enum": [0, 1]},
            {"type": "string", "pattern": BOOLEAN_TEXT},
        ]
    },
    "date": {"type": "string", "format": "date", "pattern": DATE_RANGE},
    "datetime": {
        "type": "string",
        "pattern": DATETIME_RANGE,
        "anyOf": [{"format": "date-time"}, {"format": "date"}],
    },
}

#: the description of ``<Model>.WhereFilter``: its depth limit (LoopBack's), which JSON
#: Schema could state only by repeating the schema once per level
DEPTH_NOTE = (
    f"A filter nests at most {FilterLimits().max_depth} levels deep, counted from the filter "
    "object (for `?where=`, from the where object): "
    '`{"where": {"id": {"inq": [1]}}}` holds 1 at level 4, '
    "and each `and`/`or` adds 2 (the list and the clause in it). A deeper one is a 400 "
    "`QUERY_OBJECT_TOO_DEEP`."
)


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` admitting null too (OpenAPI 3.0's ``nullable`` goes with a ``type``)."""
    if "anyOf" not in schema:
        return {**schema, "nullable": True}
    first, *others = schema["anyOf"]
    return {**schema, "anyOf": [{**first, "nullable": True}, *others]}


#: a LIKE pattern: every ``\`` escapes a next character (and, as in every string, no NUL
#: character, which no database stores)
LIKE_PATTERN = "^(?:[^\\\\\\u0000]|\\\\[^\\u0000])*$"


def ref(name: str) -> dict[str, str]:
    """A reference to the component schema ``name``.

    >>> ref("NewTodo")
    {'$ref': '#/components/schemas/NewTodo'}
    """
    return {"$ref": f"#/components/schemas/{name}"}


def _filterable(app: AppSpec, name: str) -> dict[str, PropertySpec]:
    return {
        prop_name: prop
        for prop_name, prop in visible_properties(app, name).items()
        if prop.type in _VALUES
    }


def _operators(prop: PropertySpec) -> dict[str, Any]:
    value = _VALUES[prop.type]
    nullable = _nullable(value)
    listed = {"type": "array", "items": value, "maxItems": MAX_INQ}
    operators: dict[str, Any] = {
        "eq": nullable,
        "neq": nullable,
        "gt": value,
        "gte": value,
        "lt": value,
        "lte": value,
        "between": {"type": "array", "items": value, "minItems": 2, "maxItems": 2},
        "inq": listed,
        "nin": listed,
        "exists": _VALUES["boolean"],
    }
    if prop.type == "string":
        for op in ("like", "nlike", "ilike", "nilike"):
            operators[op] = {"type": "string", "pattern": LIKE_PATTERN}
        operators["regexp"] = {
            "type": "string",
            "format": "regex",
            "pattern": REGEXP_TEXT,
            "description": "a regular expression of the portable subset (docs/filter.md: no "
            "look-around, back-references or named groups), optionally /pattern/flags with "
            "flags i, m, s",
        }
    return {
        "type": "object",
        "properties": operators,
        "additionalProperties": False,
        "minProperties": 1,
    }


def where_schema(app: AppSpec, name: str) -> dict[str, Any]:
    """``<Model>.WhereFilter``: a property's value (null: unset) or operators; ``and``/``or``.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", properties={"id": PropertySpec(type="integer", id=True)})})
    >>> sorted(where_schema(app, "Tag")["properties"])
    ['and', 'id', 'or']
    """
    title = f"{name}.WhereFilter"
    properties: dict[str, Any] = {
        prop_name: {"anyOf": [_nullable(_VALUES[prop.type]), _operators(prop)]}
        for prop_name, prop in _filterable(app, name).items()
    }
    for relation in where_relations(app, name):
        for prop_name, prop in _filterable(app, relation.target).items():
            properties[f"{relation.name}.{prop_name}"] = {
                **_nullable(_VALUES[prop.type]),
                "description": RELATION_KEY_NOTE,
            }
    properties["and"] = {"type": "array", "items": ref(title)}
    properties["or"] = {"type": "array", "items": ref(title)}
    return {
        "type": "object",
        "title": title,
        "description": DEPTH_NOTE,
        "properties": properties,
        "additionalProperties": False,
    }


def filter_schema(
    app: AppSpec,
    name: str,
    *,
    where: bool = True,
    max_limit: int | None = None,
    level: int = 1,
) -> dict[str, Any]:
    """``<Model>.Filter`` (``where=False``: ``<Model>.FilterExcludingWhere``).

    ``max_limit`` is ``rest.pagination.maxLimit``, the largest ``limit``;
    ``level`` the include level of the filter's own inclusions' scopes (a scope
    at level n is titled ``<Model>.ScopeFilter``, see :mod:`.include_schema`).

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", properties={"id": PropertySpec(type="integer", id=True)})})
    >>> sorted(filter_schema(app, "Tag", where=False)["properties"])
    ['fields', 'limit', 'offset', 'order', 'skip']
    """
    names = list(visible_properties(app, name))
    keys = [
        f"{prop}{direction}"
        for prop in _filterable(app, name)
        for direction in ("", " ASC", " DESC")
    ]
    order_key = {"type": "string", "enum": keys}
    limit: dict[str, Any] = {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_SAFE_INTEGER if max_limit is None else max_limit,
        "example": 100,
    }
    skip = {"type": "integer", "minimum": 0, "maximum": MAX_SAFE_INTEGER}
    properties: dict[str, Any] = {
        "offset": skip,
        "limit": limit,
        "skip": skip,
        "order": {"oneOf": [order_key, {"type": "array", "items": order_key}]},
        "fields": {
            "title": f"{name}.Fields",
            "oneOf": [
                {
                    "type": "object",
                    "properties": {prop: {"type": "boolean"} for prop in names},
                    "additionalProperties": False,
                },
                {
                    "type": "array",
                    "items": {"type": "string", "enum": names},
                    "uniqueItems": True,
                },
            ],
        },
    }
    if where:
        properties["where"] = ref(f"{name}.WhereFilter")
    include = include_schema(app, name, level)
    if include is not None:
        properties["include"] = include
    title = f"{name}.Filter" if where else f"{name}.FilterExcludingWhere"
    return {
        "type": "object",
        "title": title if level == 1 else scope_name(name, level - 1),
        "properties": properties,
        "additionalProperties": False,
    }


def scope_components(
    app: AppSpec, *, max_limit: int | None = None, roots: Iterable[str] = ()
) -> dict[str, Any]:
    """The ``<Target>.ScopeFilter[.n]`` schemas every include reaches, and the
    ``<Target>.WhereFilter`` of a target not served over REST (whose CRUD components
    are not in the document).

    The includes start from the filters of the models served over REST and of
    ``roots``, further models whose ``<Model>.Filter`` the document holds (the
    targets of relation endpoints that are not served themselves).

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident,
    ...                           relations={"todos": HasManySpec(type="hasMany", model="Todo")}),
    ...     "Todo": ModelSpec(datasource="db", properties=ident)})
    >>> sorted(scope_components(app))
    ['Todo.ScopeFilter']
    """
    components: dict[str, Any] = {}
    pending = [(name, 1) for name, model in app.models.items() if rest_path(name, model)]
    pending.extend((name, 1) for name in roots)
    seen: set[tuple[str, int]] = set()
    while pending:
        name, level = pending.pop()
        if level > min(app.rest.max_include_depth, SCHEMA_INCLUDE_LEVELS):
            continue
        for relation in includable(app, name):
            reached = (relation.target, level)
            if reached in seen:
                continue
            seen.add(reached)
            target = relation.target
            components[scope_name(target, level)] = {
                **filter_schema(app, target, max_limit=max_limit, level=level + 1),
                "description": SCOPE_NOTE,
            }
            if rest_path(target, app.models[target]) is None:
                components[f"{target}.WhereFilter"] = where_schema(app, target)
            pending.append((target, level + 1))
    return components


def crud_components(app: AppSpec, name: str, *, max_limit: int | None = None) -> dict[str, Any]:
    """Every component schema the CRUD routes of model ``name`` refer to, by component name.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": ModelSpec(
    ...     datasource="db", properties={"id": PropertySpec(type="integer", id=True)})})
    >>> list(crud_components(app, "Tag"))  # doctest: +NORMALIZE_WHITESPACE
    ['Tag', 'NewTag', 'TagPartial', 'TagWithRelations', 'Tag.WhereFilter', 'Tag.Filter',
     'Tag.FilterExcludingWhere', 'loopback.Count', 'Error']
    """
    return {
        name: model_schema(app, name),
        f"New{name}": model_schema(app, name, new=True),
        f"{name}Partial": model_schema(app, name, partial=True),
        f"{name}WithRelations": model_schema(app, name, partial=True, title=f"{name}WithRelations"),
        f"{name}.WhereFilter": where_schema(app, name),
        f"{name}.Filter": filter_schema(app, name, max_limit=max_limit),
        f"{name}.FilterExcludingWhere": filter_schema(app, name, where=False, max_limit=max_limit),
        "loopback.Count": COUNT_SCHEMA,
        "Error": ERROR_SCHEMA,
    }
