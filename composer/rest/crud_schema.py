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
``WhereFilter`` and ``order``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.repository.filter import MAX_INQ
from composer.rest.coercion import MAX_SAFE_INTEGER
from composer.rest.model_schema import (
    INT64_MAX,
    INT64_MIN,
    model_schema,
    visible_properties,
)

if TYPE_CHECKING:
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

#: the value schema a where clause compares a property of each filterable type with
_VALUES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
}


#: a LIKE pattern: every ``\`` escapes a next character (and, as in every string, no NUL
#: character nor lone surrogate, which no database stores)
LIKE_PATTERN = "^(?:[^\\\\\\u0000\\uD800-\\uDFFF]|\\\\[^\\u0000\\uD800-\\uDFFF])*$"


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
    nullable = {**value, "nullable": True}
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
        "exists": {"type": "boolean"},
    }
    if prop.type == "string":
        for op in ("like", "nlike", "ilike", "nilike"):
            operators[op] = {"type": "string", "pattern": LIKE_PATTERN}
        operators["regexp"] = {
            "type": "string",
            "description": "a pattern of the portable subset (docs/filter.md), "
            "optionally /pattern/flags with flags i, m, s",
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
        prop_name: {"anyOf": [{**_VALUES[prop.type], "nullable": True}, _operators(prop)]}
        for prop_name, prop in _filterable(app, name).items()
    }
    properties["and"] = {"type": "array", "items": ref(title)}
    properties["or"] = {"type": "array", "items": ref(title)}
    return {
        "type": "object",
        "title": title,
        "properties": properties,
        "additionalProperties": False,
    }


def filter_schema(
    app: AppSpec, name: str, *, where: bool = True, max_limit: int | None = None
) -> dict[str, Any]:
    """``<Model>.Filter`` (``where=False``: ``<Model>.FilterExcludingWhere``).

    ``max_limit`` is ``rest.pagination.maxLimit``, the largest ``limit``.

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
    return {
        "type": "object",
        "title": f"{name}.Filter" if where else f"{name}.FilterExcludingWhere",
        "properties": properties,
        "additionalProperties": False,
    }


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
