"""The hostile requests of ``test_hostile.py``, with the seed data they are judged against.

A case is answered correctly by a 4xx in the error JSON shape, or -- when
its input is legitimate data -- by the 200 answer given as ``ok``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

__all__ = ["ALL_IDS", "CASES", "REJECT", "SEED_LISTS", "SEED_TODOS", "Hostile", "filt"]

#: the marker of a case only a 4xx answers correctly
REJECT = object()


@dataclass(frozen=True)
class Hostile:
    """One hostile request and what a correct server answers.

    ``ok`` is the correct 200 answer when the input is legitimate data (a list
    answer is compared by its ids); without it only a 4xx is correct. With
    ``or_reject`` both a 4xx and ``ok`` are correct.
    """

    id: str
    method: str
    path: str
    raw: bytes | None = None
    content_type: str | None = "application/json"
    ok: Any = REJECT
    or_reject: bool = False
    #: send the body in chunks, without a Content-Length
    chunked: bool = False


def _json(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def filt(value: object, path: str = "/todos") -> str:
    text = value if isinstance(value, str) else _json(value)
    return f"{path}?filter={quote(text, safe='')}"


def where(value: object, path: str = "/todos") -> str:
    text = value if isinstance(value, str) else _json(value)
    return f"{path}?where={quote(text, safe='')}"


def body(value: object) -> bytes:
    return _json(value).encode()


REDOS_VICTIM = "a" * 48 + "!"
INJECTION_TITLE = "x'; DROP TABLE todo; --"

#: the seeded rows (ids 1.. in this order)
SEED_LISTS = [{"title": "Home", "color": "red"}, {"title": "Work"}]
SEED_TODOS = [
    {"title": "Buy milk", "priority": 2, "isComplete": False, "todoListId": 1},
    {"title": REDOS_VICTIM, "priority": 1, "todoListId": 1},
    {"title": INJECTION_TITLE, "priority": 3, "todoListId": 2},
    {"title": "100% done_", "desc": "a\\b", "isComplete": True, "todoListId": 2},
]
ALL_IDS = [1, 2, 3, 4]


def _nested_and(depth: int) -> dict[str, object]:
    clause: dict[str, object] = {"title": "Buy milk"}
    for _ in range(depth):
        clause = {"and": [clause]}
    return clause


def _bracket_and(depth: int) -> str:
    return "/todos?filter[where]" + "[and][0]" * depth + "[title]=x"


_CATASTROPHIC_LIKE = "%a" * 24 + "%b"

INJECTION = [
    Hostile("sqli-value-quote", "GET", filt({"where": {"title": "' OR '1'='1"}}), ok=[]),
    Hostile(
        "sqli-value-stacked", "GET", filt({"where": {"title": "x'; DELETE FROM todo; --"}}), ok=[]
    ),
    Hostile(
        "sqli-value-matches-literally", "GET", filt({"where": {"title": INJECTION_TITLE}}), ok=[3]
    ),
    Hostile("sqli-value-like", "GET", filt({"where": {"title": {"like": "%' OR 1=1 --"}}}), ok=[]),
    Hostile("sqli-value-inq", "GET", filt({"where": {"title": {"inq": ["') OR 1=1 --"]}}}), ok=[]),
    Hostile(
        "sqli-value-regexp", "GET", filt({"where": {"title": {"regexp": "' OR 1=1 --"}}}), ok=[]
    ),
    Hostile(
        "sqli-value-brackets", "GET", "/todos?filter[where][title]=%27%20OR%20%271%27%3D%271", ok=[]
    ),
    Hostile("sqli-value-number-property", "GET", filt({"where": {"priority": "1 OR 1=1"}})),
    Hostile("sqli-value-id", "GET", filt({"where": {"id": "1; DROP TABLE todo"}})),
    Hostile("sqli-order-stacked", "GET", filt({"order": "title; DROP TABLE todo"})),
    Hostile("sqli-order-after-direction", "GET", filt({"order": "title ASC; DELETE FROM todo"})),
    Hostile("sqli-order-subquery", "GET", filt({"order": "(SELECT 1) ASC"})),
    Hostile("sqli-order-comment", "GET", filt({"order": ["title ASC --", "id DESC"]})),
    Hostile("sqli-order-brackets", "GET", "/todos?filter[order]=id%3B%20DROP%20TABLE%20todo"),
    Hostile("sqli-fields-array", "GET", filt({"fields": ["title; DROP TABLE todo"]})),
    Hostile("sqli-fields-map", "GET", filt({"fields": {'title" FROM todo; --': True}})),
    Hostile("sqli-where-property", "GET", filt({"where": {"title = title OR 1=1 --": "x"}})),
    Hostile("sqli-where-quoted-property", "GET", filt({"where": {'"todo"."title"': "x"}})),
    Hostile("sqli-count-property", "GET", where({"1=1 OR title": "x"}, "/todos/count")),
    Hostile(
        "sqli-patch-where-property", "PATCH", where({"id) OR (1=1": 1}), raw=body({"desc": "pwned"})
    ),
    Hostile(
        "sqli-patch-where-value",
        "PATCH",
        where({"title": "x' OR '1'='1"}),
        raw=body({"desc": "pwned"}),
        ok={"count": 0},
    ),
    Hostile(
        "sqli-body-property",
        "POST",
        "/todos",
        raw=body({"title": "x", "todoListId": 1, 'title"); DROP TABLE todo; --': 1}),
    ),
    Hostile(
        "sqli-body-wrong-type", "PATCH", "/todos/1", raw=body({"priority": "1; DROP TABLE todo"})
    ),
    Hostile("sqli-path-id", "GET", "/todos/1%20OR%201%3D1"),
    Hostile("sqli-delete-path-id", "DELETE", "/todos/1%3B%20DROP%20TABLE%20todo"),
    Hostile(
        "sqli-put-path-id",
        "PUT",
        "/todos/1%20OR%201%3D1",
        raw=body({"title": "x", "todoListId": 1}),
    ),
]

POLLUTION = [
    Hostile(
        "proto-body",
        "POST",
        "/todos",
        raw=b'{"title":"x","todoListId":1,"__proto__":{"isAdmin":true}}',
    ),
    Hostile("proto-body-nested", "PATCH", "/todos/1", raw=b'{"desc":"x","a":[{"__proto__":{}}]}'),
    Hostile(
        "constructor-prototype-body",
        "POST",
        "/todos",
        raw=b'{"title":"x","todoListId":1,"constructor":{"prototype":{"x":1}}}',
    ),
    Hostile("proto-patch-where-body", "PATCH", where({"id": 1}), raw=b'{"__proto__":{"desc":"x"}}'),
    Hostile("proto-filter-where", "GET", filt('{"where":{"__proto__":{"title":"x"}}}')),
    Hostile("proto-filter-top", "GET", filt('{"__proto__":{"where":{}}}')),
    Hostile(
        "constructor-filter-where",
        "GET",
        filt({"where": {"constructor": {"prototype": {"title": "x"}}}}),
    ),
    Hostile("constructor-filter-key", "GET", filt({"where": {"constructor": "x"}})),
    Hostile("proto-fields", "GET", filt('{"fields":{"__proto__":true}}')),
    Hostile("proto-order", "GET", filt({"order": "__proto__ ASC"})),
    Hostile("proto-brackets-where", "GET", "/todos?filter[where][__proto__][title]=x"),
    Hostile("proto-brackets-top", "GET", "/todos?filter[__proto__][limit]=1"),
    Hostile("constructor-brackets", "GET", "/todos/count?where[constructor][prototype][title]=x"),
    Hostile("proto-count-where", "GET", where('{"__proto__":{"id":1}}', "/todos/count")),
]


def _nested_include(depth: int) -> dict[str, Any]:
    """todoList -> todos -> todoList -> ... ``depth`` levels deep."""
    entry: dict[str, Any] = {"relation": "todoList" if depth % 2 else "todos"}
    for level in range(depth - 1, 0, -1):
        relation = "todoList" if level % 2 else "todos"
        entry = {"relation": relation, "scope": {"include": [entry]}}
    return entry


NESTING = [
    Hostile("deep-and-40", "GET", filt({"where": _nested_and(40)})),
    Hostile("deep-and-200", "GET", filt({"where": _nested_and(200)})),
    Hostile("deep-and-400", "GET", filt({"where": _nested_and(400)})),
    Hostile("deep-brackets-40", "GET", _bracket_and(40)),
    Hostile("deep-count-where", "GET", where(_nested_and(100), "/todos/count")),
    Hostile("deep-json-filter", "GET", filt("[" * 3000 + "]" * 3000)),
    Hostile(
        "deep-json-body-array",
        "POST",
        "/todos",
        raw=b'{"title":"x","todoListId":1,"desc":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ),
    Hostile(
        "deep-json-body-object", "PATCH", "/todos/1", raw=b'{"a":' * 50_000 + b"1" + b"}" * 50_000
    ),
    Hostile(
        "wide-or",
        "GET",
        filt({"where": {"or": [{"id": i} for i in range(1, 300)]}, "fields": ["id"]}),
        ok=ALL_IDS,
        or_reject=True,
    ),
    Hostile(
        "wide-and",
        "GET",
        filt({"where": {"and": [{"priority": {"gte": 0}}] * 150}, "fields": ["id"]}),
        ok=[1, 2, 3],
        or_reject=True,
    ),
]

BIG = [
    Hostile(
        "inq-100000",
        "GET",
        filt({"where": {"id": {"inq": list(range(100_000))}}, "fields": ["id"]}),
        ok=ALL_IDS,
        or_reject=True,
    ),
    Hostile(
        "nin-100000",
        "GET",
        filt({"where": {"id": {"nin": list(range(5, 100_005))}}, "fields": ["id"]}),
        ok=ALL_IDS,
        or_reject=True,
    ),
    Hostile(
        "inq-1200",
        "GET",
        filt({"where": {"id": {"inq": list(range(1200))}}, "fields": ["id"]}),
        ok=ALL_IDS,
        or_reject=True,
    ),
    Hostile("body-10mb", "POST", "/todos", raw=body({"title": "x" * 10_000_000, "todoListId": 1})),
    Hostile("body-10mb-patch", "PATCH", "/todos/1", raw=body({"desc": "x" * 10_000_000})),
    Hostile(
        "body-10mb-chunked",
        "POST",
        "/todos",
        raw=body({"title": "x" * 10_000_000, "todoListId": 1}),
        chunked=True,
    ),
    Hostile("long-string-value", "GET", filt({"where": {"title": "x" * 6000}}), ok=[]),
    Hostile(
        "long-like-pattern", "GET", filt({"where": {"title": {"like": "%" * 2000 + "b"}}}), ok=[]
    ),
    Hostile("limit-huge", "GET", filt({"limit": 10**30}), ok=ALL_IDS, or_reject=True),
    Hostile("skip-huge", "GET", filt({"skip": 10**30, "limit": 1}), ok=[], or_reject=True),
    Hostile(
        "skip-huge-brackets",
        "GET",
        "/todos?filter[skip]=99999999999999999999999&filter[limit]=1",
        ok=[],
        or_reject=True,
    ),
    Hostile("id-path-huge", "GET", "/todos/99999999999999999999999"),
    Hostile("id-path-huge-delete", "DELETE", "/todos/99999999999999999999999"),
    Hostile("where-id-huge", "GET", filt({"where": {"id": {"gt": 10**30}}}), ok=[], or_reject=True),
    Hostile(
        "where-id-huge-brackets",
        "GET",
        "/todos?filter[where][id]=99999999999999999999999",
        ok=[],
        or_reject=True,
    ),
]

NUMBERS = [
    Hostile("nan-body", "POST", "/todos", raw=b'{"title":"x","todoListId":1,"priority":NaN}'),
    Hostile("infinity-body", "PATCH", "/todos/1", raw=b'{"priority":Infinity}'),
    Hostile("minus-infinity-body", "PATCH", "/todos/1", raw=b'{"priority":-Infinity}'),
    Hostile("overflow-body", "PATCH", "/todos/1", raw=b'{"priority":1e999}'),
    Hostile("overflow-list-id", "POST", "/todos", raw=b'{"title":"x","todoListId":1e999}'),
    Hostile("nan-filter", "GET", filt('{"where":{"priority":NaN}}')),
    Hostile("infinity-filter", "GET", filt('{"where":{"priority":{"lt":Infinity}}}')),
    Hostile("overflow-filter", "GET", filt('{"where":{"priority":{"gt":1e999}}}')),
    Hostile("nan-limit", "GET", filt('{"limit":NaN}')),
    Hostile("nan-brackets", "GET", "/todos?filter[where][priority]=NaN", ok=[], or_reject=True),
    Hostile(
        "infinity-brackets",
        "GET",
        "/todos?filter[where][priority][lt]=Infinity",
        ok=[1, 2, 3],
        or_reject=True,
    ),
    Hostile(
        "overflow-brackets",
        "GET",
        "/todos?filter[where][priority][gt]=1e999",
        ok=[],
        or_reject=True,
    ),
    Hostile(
        "nan-count-brackets",
        "GET",
        "/todos/count?where[priority]=NaN",
        ok={"count": 0},
        or_reject=True,
    ),
    Hostile("nan-limit-brackets", "GET", "/todos?filter[limit]=NaN"),
    Hostile("infinity-limit-brackets", "GET", "/todos?filter[limit]=Infinity"),
    Hostile("nan-path-id", "GET", "/todos/NaN"),
    Hostile("infinity-path-id", "GET", "/todos/Infinity"),
]

TEXT = [
    Hostile("lone-surrogate-body", "POST", "/todos", raw=b'{"title":"\\ud800","todoListId":1}'),
    Hostile(
        "lone-surrogate-filter", "GET", filt('{"where":{"title":"\\ud800"}}'), ok=[], or_reject=True
    ),
    Hostile("invalid-utf8-body", "POST", "/todos", raw=b'{"title":"\xff\xfe","todoListId":1}'),
    Hostile(
        "invalid-utf8-query",
        "GET",
        "/todos?filter=%7B%22where%22%3A%7B%22title%22%3A%22%FF%22%7D%7D",
    ),
    Hostile("bad-percent-encoding", "GET", "/todos?filter=%ZZ%7B"),
    Hostile(
        "null-byte-value", "GET", filt({"where": {"title": "a\u0000b"}}), ok=[], or_reject=True
    ),
    Hostile("null-byte-property", "GET", filt({"where": {"title\u0000": "x"}})),
    Hostile("null-byte-path-id", "GET", "/todos/1%00"),
]

REDOS = [
    Hostile(
        "redos-nested-plus",
        "GET",
        filt({"where": {"title": {"regexp": "^(a+)+$"}}}),
        ok=[],
        or_reject=True,
    ),
    Hostile(
        "redos-nested-plus-i",
        "GET",
        filt({"where": {"title": {"regexp": "/^(a+)+$/i"}}}),
        ok=[],
        or_reject=True,
    ),
    Hostile(
        "redos-alternation",
        "GET",
        filt({"where": {"title": {"regexp": "^(a|a)*$"}}}),
        ok=[],
        or_reject=True,
    ),
    Hostile(
        "redos-overlap",
        "GET",
        filt({"where": {"title": {"regexp": "^(a|aa)+$"}}}),
        ok=[],
        or_reject=True,
    ),
    Hostile(
        "redos-star-star",
        "GET",
        filt({"where": {"title": {"regexp": "(a*)*b"}}}),
        ok=[],
        or_reject=True,
    ),
    Hostile(
        "redos-dot-repeat",
        "GET",
        filt({"where": {"title": {"regexp": "^(.*a){20}$"}}}),
        ok=[],
        or_reject=True,
    ),
    Hostile("redos-backreference", "GET", filt({"where": {"title": {"regexp": "^(a+)\\1+!$"}}})),
    Hostile("redos-lookahead", "GET", filt({"where": {"title": {"regexp": "^(?=(a+)+$)"}}})),
    Hostile("redos-huge-repeat", "GET", filt({"where": {"title": {"regexp": "a{1000}{1000}"}}})),
    Hostile(
        "redos-count-brackets",
        "GET",
        "/todos/count?where[title][regexp]=%5E(a%2B)%2B%24",
        ok={"count": 0},
        or_reject=True,
    ),
    Hostile(
        "redos-patch-where",
        "PATCH",
        where({"title": {"regexp": "^(a+)+$"}}),
        raw=body({"desc": "x"}),
        ok={"count": 0},
        or_reject=True,
    ),
    Hostile("redos-like", "GET", filt({"where": {"title": {"like": _CATASTROPHIC_LIKE}}}), ok=[]),
    Hostile("redos-ilike", "GET", filt({"where": {"title": {"ilike": _CATASTROPHIC_LIKE}}}), ok=[]),
    Hostile(
        "redos-nlike",
        "GET",
        filt({"where": {"title": {"nlike": _CATASTROPHIC_LIKE}, "id": 2}, "fields": ["id"]}),
        ok=[2],
    ),
    Hostile(
        "redos-nilike",
        "GET",
        filt({"where": {"title": {"nilike": _CATASTROPHIC_LIKE}, "id": 2}, "fields": ["id"]}),
        ok=[2],
    ),
    Hostile(
        "redos-like-underscores",
        "GET",
        filt({"where": {"title": {"like": "%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%_%b"}}}),
        ok=[],
    ),
]

OTHER = [
    Hostile(
        "include-hostile",
        "GET",
        filt({"include": [{"relation": "todoList", "scope": {"where": {"__x": 1}}}] * 50}),
    ),
    Hostile("include-unknown-many", "GET", filt({"include": ["nope"] * 1000})),
    Hostile(
        "include-too-deep",
        "GET",
        filt({"include": [_nested_include(40)]}),
    ),
    Hostile(
        "include-same-relation-many",
        "GET",
        filt({"include": ["todoList"] * 500, "fields": ["id"]}),
        ok=ALL_IDS,
        or_reject=True,
    ),
    Hostile(
        "where-relation-injection",
        "GET",
        filt({"where": {"todoList.color; DROP TABLE todo; --": "red"}}),
    ),
    Hostile(
        "where-relation-prototype",
        "GET",
        filt({"where": {"todoList.__proto__": {"admin": True}}}),
    ),
    Hostile(
        "where-relation-value-injection",
        "GET",
        filt({"where": {"todoList.title": "x' OR '1'='1"}, "fields": ["id"]}),
        ok=[],
        or_reject=True,
    ),
    Hostile("filter-is-array", "GET", filt([{"where": {}}] * 100)),
    Hostile("where-is-array", "GET", where([1, 2, 3], "/todos/count")),
    Hostile(
        "operator-object-for-scalar", "PATCH", "/todos/1", raw=body({"title": {"regexp": "^a"}})
    ),
    Hostile("id-in-body-patch-where", "PATCH", where({"id": 1}), raw=body({"id": 99})),
    Hostile(
        "wrong-content-type-json-text",
        "POST",
        "/todos",
        raw=body({"title": "x", "todoListId": 1}),
        content_type="text/plain",
    ),
]

CASES = [*INJECTION, *POLLUTION, *NESTING, *BIG, *NUMBERS, *TEXT, *REDOS, *OTHER]
