"""Names for discovered things: a table's model, a column's property, a foreign key's relations.

- A **model** is the singular, PascalCase table name: ``order_lines`` ->
  ``OrderLine``, ``people`` -> ``Person``. Only the last word is made
  singular, English-lite: a few irregular plurals (``people``,
  ``children``, ``statuses``, ...), ``-ies`` -> ``-y`` (``categories``),
  ``-sses``/``-xes``/``-zzes``/``-ches``/``-shes`` lose ``-es``
  (``addresses``, ``boxes``, ``matches``), words ending in ``ss``, ``us``
  or ``is`` stay as they are (``address``, ``status``, ``analysis``), and
  any other ``-s`` is dropped (``orders``). A table whose name is already
  singular keeps it (``person`` -> ``Person``).
- A **property** is the camelCase column name: ``customer_id`` ->
  ``customerId``, ``CreatedAt`` -> ``createdAt``.
- A **belongsTo** relation is named after its key column without its
  ``id`` word: ``customer_id`` -> ``customer``, ``parent_id`` -> ``parent``.
- A **hasMany** relation is the camelCase plural of the child model
  (``orderLines``); a **hasOne** the camelCase child model (``profile``).

When a name is taken, :func:`distinct` picks the next candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from composer.spec import camel_case, plural

__all__ = [
    "belongs_to_name",
    "distinct",
    "has_many_name",
    "has_one_name",
    "model_name",
    "property_name",
    "singular",
    "words",
]

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_\-\s]+")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9]*")

#: plurals the rules below get wrong, by their singular
_IRREGULAR = {
    "people": "person",
    "men": "man",
    "women": "woman",
    "children": "child",
    "mice": "mouse",
    "geese": "goose",
    "feet": "foot",
    "teeth": "tooth",
    "oxen": "ox",
    "indices": "index",
    "matrices": "matrix",
    "vertices": "vertex",
    "criteria": "criterion",
    "statuses": "status",
    "buses": "bus",
    "bonuses": "bonus",
    "campuses": "campus",
    "viruses": "virus",
    "aliases": "alias",
    "analyses": "analysis",
    "caches": "cache",
    "niches": "niche",
    "movies": "movie",
    "cookies": "cookie",
    "series": "series",
    "species": "species",
    "news": "news",
}


def words(name: str) -> list[str]:
    """The lower-case words of an identifier, split at ``_``, ``-``, spaces and case changes.

    >>> words("order_lines"), words("OrderLine"), words("HTTPStatus")
    (['order', 'lines'], ['order', 'line'], ['http', 'status'])
    """
    return [word.lower() for word in _WORD_BOUNDARY.split(name) if word]


def singular(word: str) -> str:
    """The singular of one lower-case English word (see the module docstring for the rules).

    >>> [singular(w) for w in ("orders", "categories", "addresses", "people", "status", "data")]
    ['order', 'category', 'address', 'person', 'status', 'data']
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith(("ss", "us", "is")) or len(word) < 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zzes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


def _pascal(parts: Iterable[str]) -> str:
    return "".join(part[:1].upper() + part[1:] for part in parts)


def model_name(table: str) -> str:
    """The model of a table: its last word made singular, PascalCase.

    A name that would not start with a letter is prefixed with ``Table``.

    >>> model_name("order_lines"), model_name("people"), model_name("Person"), model_name("_2024")
    ('OrderLine', 'Person', 'Person', 'Table2024')
    """
    parts = words(table)
    if parts:
        parts[-1] = singular(parts[-1])
    name = _pascal(parts)
    return name if _IDENTIFIER.fullmatch(name) else "Table" + name


def property_name(column: str) -> str:
    """The property of a column: camelCase, or the column name when camelCase would not do.

    >>> property_name("customer_id"), property_name("CreatedAt"), property_name("_2fa")
    ('customerId', 'createdAt', '_2fa')
    """
    name = camel_case(column)
    return name if _IDENTIFIER.fullmatch(name) else column


def belongs_to_name(column: str) -> str | None:
    """The relation a foreign key column names: the column without its ``id`` word.

    None when the column has no other word (``id``) or does not end with ``id``.

    >>> belongs_to_name("customer_id"), belongs_to_name("parentId"), belongs_to_name("owner")
    ('customer', 'parent', None)
    """
    parts = words(column)
    if len(parts) < 2 or parts[-1] != "id":
        return None
    name = camel_case("_".join(parts[:-1]))
    return name if _IDENTIFIER.fullmatch(name) else None


def has_many_name(child_model: str) -> str:
    """The hasMany relation to a child model: its camelCase plural.

    >>> has_many_name("OrderLine"), has_many_name("Category")
    ('orderLines', 'categories')
    """
    parts = words(child_model)
    parts[-1] = plural(parts[-1])
    return camel_case("_".join(parts))


def has_one_name(child_model: str) -> str:
    """The hasOne relation to a child model: the model's name in camelCase.

    >>> has_one_name("CustomerProfile")
    'customerProfile'
    """
    return camel_case(child_model)


def distinct(candidates: Iterable[str], taken: Callable[[str], bool]) -> str:
    """The first candidate that is not ``taken``; else the first one with ``2``, ``3``... added.

    >>> distinct(["customer", "buyer"], {"customer"}.__contains__)
    'buyer'
    >>> distinct(["customer"], {"customer", "customer2"}.__contains__)
    'customer3'
    """
    listed = list(candidates)
    for candidate in listed:
        if not taken(candidate):
            return candidate
    number = 2
    while taken(f"{listed[0]}{number}"):
        number += 1
    return f"{listed[0]}{number}"
