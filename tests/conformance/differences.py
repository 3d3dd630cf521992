# ruff: noqa: E501 -- pinned messages are data, kept whole so they can be searched for
"""Where composer answers the conformance scenario differently from LoopBack 4.

``DIFFERENCES`` maps a case id of ``scenario.py`` to a :class:`Difference`:
the name of the entry in ``docs/loopback-differences.md`` that explains it
(the bold lead of a bullet, without its final period, or a heading) and
composer's answer, pinned: its status and normalised body (a list of rows is
pinned by its ids, ``Ids(1, 3)``). A case not listed must match the recording
exactly.

``BUGS`` lists cases where composer differs by accident; each runs as a
strict xfail, so fixing the bug makes the suite fail until its line is
removed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["BUGS", "DIFFERENCES", "Difference", "Ids", "digest"]


@dataclass(frozen=True)
class Ids:
    """A list answer, pinned by the ids of its rows in order."""

    ids: tuple[int, ...]

    def __init__(self, *ids: int) -> None:
        object.__setattr__(self, "ids", ids)


@dataclass(frozen=True)
class Difference:
    """A deliberate difference: the doc entry that explains it and composer's answer."""

    entry: str
    status: int
    body: Any


def digest(body: Any, like: Any) -> Any:
    """``body`` in the form ``like`` is pinned in (a list of rows becomes its Ids)."""
    if isinstance(like, Ids) and isinstance(body, list):
        return Ids(*(row["id"] for row in body if isinstance(row, dict)))
    return body


def error(status: int, name: str, message: str, **extra: Any) -> dict[str, Any]:
    """LoopBack's error JSON: ``{"error": {statusCode, name, message, code?, details?}}``."""
    return {"error": {"statusCode": status, "name": name, "message": message, **extra}}


_UNPROCESSABLE = "UnprocessableEntityError"
_INVALID_BODY = "The request body is invalid. See error object `details` property for more info."

# the names of the entries in docs/loopback-differences.md
_INTEGERS = "Integer properties reject fractions"
_MISSING_BODY = "A missing body is an empty object"
_JSON_SYNTAX = "JSON syntax errors are described by composer's parser"
_NULLS = "neq and nin never match a missing value"
_ANDED = "Several operators on one property are ANDed"
_FILTER_CODE = "Every filter error carries a code"
_EXISTS = "exists works on every backend"
_LIKE = "like is anchored on every backend"
_REGEXP = "regexp is a portable, linear-time subset"
_UNKNOWN_PROPERTY = "Unknown properties in filters are rejected"
_UNKNOWN_OPERATOR = "Unknown operators are rejected"
_DOLLAR = "Dollar-prefixed keys are rejected anywhere in a where"
_COERCION = "Values that cannot be coerced are rejected"
_ID_CHANGE = "PATCH cannot change the id"
_PING = "The ping greeting"
_NUL = "Strings cannot hold NUL characters or lone surrogates"
_WORD_AFTER_DIRECTION = "A word after an order's direction is refused"
_DATE_RANGE = "Dates keep to the years 0001 to 9999"
_INCLUDE_FORMS = "include takes a lone name or object"
_INCLUSION_FILTER = "An unknown relation is INVALID_INCLUSION_FILTER in every form"
_INCLUDE_FIELDS = "An inclusion survives `fields`"
_RELATION_SOURCE = "A relation endpoint needs its source"
_RELATION_KEY = "A body may not change the foreign key a relation endpoint sets"
_HOME = {"id": 1, "title": "Home", "color": "red"}

# the pattern the OpenAPI document publishes for a datetime property
_DATE_PATTERN = (
    "^(?!0000-)(?!0001-01-01[Tt ].*\\+(?!00(?::?00)?$))(?!9999-12-31[Tt ].*-(?!00(?::?00)?$))"
)


def _date_out_of_range(path: str) -> Difference:
    """A body whose datetime at ``path`` leaves the years 0001 to 9999 in UTC: 422 ``pattern``."""
    return Difference(
        _DATE_RANGE,
        422,
        error(
            422,
            _UNPROCESSABLE,
            _INVALID_BODY,
            code="VALIDATION_FAILED",
            details=[
                {
                    "path": path,
                    "code": "pattern",
                    "message": f'must match pattern "{_DATE_PATTERN}"',
                    "info": {"pattern": _DATE_PATTERN},
                }
            ],
        ),
    )


DIFFERENCES: dict[str, Difference] = {
    "todo-create-list-id-string": Difference(
        _INTEGERS,
        422,
        error(
            422,
            _UNPROCESSABLE,
            _INVALID_BODY,
            code="VALIDATION_FAILED",
            details=[
                {
                    "path": "/todoListId",
                    "code": "type",
                    "message": "must be integer",
                    "info": {"type": "integer"},
                }
            ],
        ),
    ),
    "todo-create-several-errors": Difference(
        _INTEGERS,
        422,
        error(
            422,
            _UNPROCESSABLE,
            _INVALID_BODY,
            code="VALIDATION_FAILED",
            details=[
                {
                    "path": "",
                    "code": "additionalProperties",
                    "message": "must NOT have additional properties",
                    "info": {"additionalProperty": "foo"},
                },
                {
                    "path": "",
                    "code": "additionalProperties",
                    "message": "must NOT have additional properties",
                    "info": {"additionalProperty": "id"},
                },
                {
                    "path": "/title",
                    "code": "minLength",
                    "message": "must NOT have fewer than 1 characters",
                    "info": {"limit": 1},
                },
                {
                    "path": "/todoListId",
                    "code": "type",
                    "message": "must be integer",
                    "info": {"type": "integer"},
                },
            ],
        ),
    ),
    "todo-get-fraction-id": Difference(
        _INTEGERS,
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "1.5" for parameter "id".',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-integer-property-fraction": Difference(
        _INTEGERS,
        400,
        error(
            400,
            "Error",
            "The todoListId property has invalid clause 1.5: Expected an integer",
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "todo-create-no-body": Difference(
        _MISSING_BODY,
        422,
        error(
            422,
            _UNPROCESSABLE,
            _INVALID_BODY,
            code="VALIDATION_FAILED",
            details=[
                {
                    "path": "",
                    "code": "required",
                    "message": "must have required property 'title'",
                    "info": {"missingProperty": "title"},
                },
                {
                    "path": "",
                    "code": "required",
                    "message": "must have required property 'todoListId'",
                    "info": {"missingProperty": "todoListId"},
                },
            ],
        ),
    ),
    "todo-create-malformed-json": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            "The request body is not valid JSON: unexpected end of data: line 1 column 10 (char 9).",
        ),
    ),
    "todo-create-trailing-comma": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            "The request body is not valid JSON: trailing comma is not allowed: line 1 column 13 (char 12).",
        ),
    ),
    "patch-malformed": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            "The request body is not valid JSON: unexpected end of data: line 1 column 2 (char 1).",
        ),
    ),
    "todo-get-filter-bad-json": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "{nope" for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
            details={
                "syntaxError": "unexpected character, expected a string key: line 1 column 2 (char 1)"
            },
        ),
    ),
    "filter-bad-json": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "{\\"where\\":" for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
            details={"syntaxError": "unexpected end of data: line 1 column 10 (char 9)"},
        ),
    ),
    "count-where-bad-json": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "{" for parameter "where".',
            code="INVALID_PARAMETER_VALUE",
            details={"syntaxError": "unexpected end of data: line 1 column 2 (char 1)"},
        ),
    ),
    "patch-where-bad-json": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "{" for parameter "where".',
            code="INVALID_PARAMETER_VALUE",
            details={"syntaxError": "unexpected end of data: line 1 column 2 (char 1)"},
        ),
    ),
    "where-neq": Difference(_NULLS, 200, Ids(1, 3, 10)),
    "where-nin": Difference(_NULLS, 200, Ids(3, 4, 5, 7, 8, 9)),
    "where-two-operators": Difference(_ANDED, 200, Ids(1, 2, 3, 5)),
    "where-between-one-item": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The priority property has invalid clause {"between":[1]}: Expected precisely 2 values, received 1',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-between-three-items": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The priority property has invalid clause {"between":[1,2,3]}: Expected precisely 2 values, received 3',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-inq-not-array": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The id property has invalid clause {"inq":1}: Error: Value is not an array or object with sequential numeric indices',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-like-number": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The title property has invalid clause {"like":5}: Expected a string or RegExp',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-regexp-bad-flag": Difference(
        _FILTER_CODE,
        400,
        error(400, "Error", "Invalid regex flags: q", code="INVALID_PARAMETER_VALUE"),
    ),
    "where-regexp-number": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            "Invalid argument, must be a string, regex literal, or RegExp object",
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-and-not-array": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The and operator has invalid clauses {"title":"Buy milk"}: Value is not an array or object with sequential numeric indices',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "order-bad-direction": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The order "priority SIDEWAYS" has invalid direction',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "order-word-after-direction": Difference(
        _WORD_AFTER_DIRECTION,
        400,
        error(
            400,
            "Error",
            'The order "title DESC priority" has words after its direction',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "order-injection": Difference(
        _FILTER_CODE,
        400,
        error(
            400,
            "Error",
            'The order "priority; DROP TABLE todo" has invalid direction',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-exists-true": Difference(_EXISTS, 200, Ids(1, 2, 4, 5, 7, 8, 10)),
    "where-exists-false": Difference(_EXISTS, 200, Ids(3, 6, 9)),
    "where-like-unanchored": Difference(_LIKE, 200, Ids()),
    "where-regexp-flag-g": Difference(
        _REGEXP,
        400,
        error(400, "Error", "Invalid regex flags: g", code="INVALID_PARAMETER_VALUE"),
    ),
    "where-regexp-invalid-pattern": Difference(
        _REGEXP,
        400,
        error(
            400,
            "Error",
            'The title property has invalid clause {"regexp":"(unclosed"}: Unsupported regexp: missing ")" (at 0)',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-unknown-property": Difference(
        _UNKNOWN_PROPERTY,
        400,
        error(
            400,
            "BadRequestError",
            'Unknown property "nope" in where. Properties of Todo: id, title, desc, isComplete, priority, createdAt, todoListId.',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "brackets-where-unknown": Difference(
        _UNKNOWN_PROPERTY,
        400,
        error(
            400,
            "BadRequestError",
            'Unknown property "nope" in where. Properties of Todo: id, title, desc, isComplete, priority, createdAt, todoListId.',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "count-where-unknown": Difference(
        _UNKNOWN_PROPERTY,
        400,
        error(
            400,
            "BadRequestError",
            'Unknown property "nope" in where. Properties of Todo: id, title, desc, isComplete, priority, createdAt, todoListId.',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "patch-where-unknown": Difference(
        _UNKNOWN_PROPERTY,
        400,
        error(
            400,
            "BadRequestError",
            'Unknown property "nope" in where. Properties of Todo: id, title, desc, isComplete, priority, createdAt, todoListId.',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "order-unknown-property": Difference(
        _UNKNOWN_PROPERTY,
        400,
        error(
            400,
            "BadRequestError",
            'Unknown property "nope" in order. Properties of Todo: id, title, desc, isComplete, priority, createdAt, todoListId.',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-unknown-operator": Difference(
        _UNKNOWN_OPERATOR,
        400,
        error(
            400,
            "Error",
            'The title property has invalid clause {"foo":"x"}: unknown operator "foo". Operators: eq, neq, gt, gte, lt, lte, between, inq, nin, like, nlike, ilike, nilike, regexp, exists.',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "where-dollar-key": Difference(
        _DOLLAR,
        400,
        error(
            400,
            "Error",
            'Operators "$where" are not allowed in query',
            code="OPERATOR_NOT_ALLOWED_IN_QUERY",
            details={"operators": ["$where"], "where": {"$where": "1 == 1"}},
        ),
    ),
    "count-where-dollar": Difference(
        _DOLLAR,
        400,
        error(
            400,
            "Error",
            'Operators "$or" are not allowed in query',
            code="OPERATOR_NOT_ALLOWED_IN_QUERY",
            details={"operators": ["$or"], "where": {"$or": []}},
        ),
    ),
    "where-string-for-number": Difference(
        _COERCION,
        400,
        error(
            400,
            "Error",
            'The priority property has invalid clause "high": Expected a number',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "include-object-unknown": Difference(
        _INCLUSION_FILTER,
        400,
        error(
            400,
            "Error",
            'Invalid "filter.include" entries: {"relation":"nope"}',
            code="INVALID_INCLUSION_FILTER",
        ),
    ),
    "include-object-extra-key": Difference(
        _INCLUSION_FILTER,
        400,
        error(
            400,
            "Error",
            'Invalid "filter.include" entries: {"relation":"todoList","x":1}',
            code="INVALID_INCLUSION_FILTER",
        ),
    ),
    "include-string": Difference(
        _INCLUDE_FORMS,
        200,
        [
            {"id": 1, "todoListId": 1, "todoList": _HOME},
            {"id": 2, "todoListId": 1, "todoList": _HOME},
        ],
    ),
    "list-include-brackets-string": Difference(_INCLUDE_FORMS, 200, Ids(2)),
    "include-fields-without-key": Difference(
        _INCLUDE_FIELDS,
        200,
        [
            {"id": 1, "title": "Buy milk", "todoList": _HOME},
            {"id": 2, "title": "buy bread", "todoList": _HOME},
        ],
    ),
    "patch-change-id": Difference(
        _ID_CHANGE,
        400,
        error(400, "Error", "id property (id) cannot be updated from 1 to 2"),
    ),
    "ping": Difference(
        _PING,
        200,
        {
            "greeting": "Hello from composer",
            "date": "<date>",
            "url": "/ping",
            "headers": {
                "host": "<host>",
                "user-agent": "composer-conformance",
                "accept": "application/json",
                "accept-encoding": "identity",
            },
        },
    ),
    "ping-query": Difference(
        _PING,
        200,
        {
            "greeting": "Hello from composer",
            "date": "<date>",
            "url": "/ping?x=1&y=%C3%A9",
            "headers": {
                "host": "<host>",
                "user-agent": "composer-conformance",
                "accept": "application/json",
                "accept-encoding": "identity",
            },
        },
    ),
    "filter-invalid-utf8": Difference(
        _JSON_SYNTAX,
        400,
        error(
            400,
            "BadRequestError",
            'Invalid data "%7B%22where%22%3A%7B%22title%22%3A%22%FF%22%7D%7D" for parameter "filter".',
            code="INVALID_PARAMETER_VALUE",
            details={
                "syntaxError": "unexpected character, expected a JSON value: line 1 column 1 (char 0)"
            },
        ),
    ),
    "where-nul-character": Difference(
        _NUL,
        400,
        error(
            400,
            "Error",
            'The title property has invalid clause "a\\u0000b": Strings cannot contain NUL characters or lone surrogates',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "todo-create-nul-character": Difference(
        _NUL,
        422,
        error(
            422,
            _UNPROCESSABLE,
            _INVALID_BODY,
            code="VALIDATION_FAILED",
            details=[
                {
                    "path": "/title",
                    "code": "pattern",
                    "message": "must NOT contain NUL characters or lone surrogates",
                    "info": {"pattern": "^[^\\u0000]*$"},
                }
            ],
        ),
    ),
    "todo-create-lone-surrogate": Difference(
        _NUL,
        400,
        error(
            400,
            "BadRequestError",
            "The request body is not valid JSON: no low surrogate in string: line 1 column 11 (char 10).",
        ),
    ),
    "where-date-year-zero": Difference(
        _DATE_RANGE,
        400,
        error(
            400,
            "Error",
            'The createdAt property has invalid clause {"gt":"0000-01-01T00:00:00.000Z"}: Expected a date-time in the years 1 to 9999 (in UTC: on 0001-01-01 no time zone east of UTC, on 9999-12-31 none west of it)',
            code="INVALID_PARAMETER_VALUE",
        ),
    ),
    "todo-create-date-year-zero": _date_out_of_range("/createdAt"),
    "todo-create-date-before-year-one-in-utc": _date_out_of_range("/createdAt"),
    "todo-create-date-after-year-9999-in-utc": _date_out_of_range("/createdAt"),
}

# the relation endpoints; by then LoopBack stored five todos composer refused (a NUL
# character, a lone surrogate and three dates out of range), so composer's new ids are
# five lower
DIFFERENCES.update(
    {
        "rel-list-todos-missing-list": Difference(
            _RELATION_SOURCE,
            404,
            error(404, "Error", "Entity not found: TodoList with id 42", code="ENTITY_NOT_FOUND"),
        ),
        "rel-create-todo": Difference(
            _NUL, 200, {"id": 12, "title": "Through the list", "todoListId": 2}
        ),
        "rel-create-todo-same-key": Difference(
            _NUL, 200, {"id": 13, "title": "Same", "todoListId": 2}
        ),
        "rel-create-todo-other-key": Difference(
            _RELATION_KEY,
            400,
            error(400, "BadRequestError", 'Property "todoListId" cannot be changed!'),
        ),
        "rel-create-todo-missing-list": Difference(
            _RELATION_SOURCE,
            404,
            error(404, "Error", "Entity not found: TodoList with id 42", code="ENTITY_NOT_FOUND"),
        ),
        "rel-patch-todos-key": Difference(
            _RELATION_KEY,
            400,
            error(400, "BadRequestError", 'Property "todoListId" cannot be changed!'),
        ),
        "rel-list-todos-after": Difference(_NUL, 200, Ids(3, 4, 5, 12)),
    }
)

#: accidental differences still open: case id -> what is wrong
BUGS: dict[str, str] = {}
