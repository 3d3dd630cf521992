"""Names derived from model names: REST paths, default foreign keys.

A model with a datasource is served at ``/`` + the kebab-case plural of its
name unless ``rest.path`` says otherwise. The plural is English-lite, applied
to the last word only:

- a word ending in ``s``, ``x``, ``z``, ``ch`` or ``sh`` takes ``es``
  (``Address`` -> ``addresses``, ``Box`` -> ``boxes``, ``Match`` -> ``matches``);
- a consonant + ``y`` becomes ``ies`` (``Category`` -> ``categories``);
- any other word takes ``s`` (``TodoList`` -> ``todo-lists``, ``Key`` -> ``keys``).

Irregular plurals (``Person`` -> ``people``) are not derived: set ``rest.path``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from composer.spec.model import ModelSpec

__all__ = ["camel_case", "kebab_case", "plural", "rest_path"]

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_\-\s]+")


def _words(name: str) -> list[str]:
    return [word.lower() for word in _WORD_BOUNDARY.split(name) if word]


def kebab_case(name: str) -> str:
    """``TodoList`` -> ``todo-list``; ``HTTPRequest`` -> ``http-request``.

    >>> kebab_case("TodoList")
    'todo-list'
    """
    return "-".join(_words(name))


def camel_case(name: str) -> str:
    """``TodoList`` -> ``todoList``; ``HTTPRequest`` -> ``httpRequest``.

    >>> camel_case("TodoList")
    'todoList'
    """
    words = _words(name)
    return "".join(words[:1] + [word.capitalize() for word in words[1:]])


def plural(word: str) -> str:
    """The plural of one lower-case word (see the module docstring for the rules).

    >>> plural("category"), plural("address"), plural("list")
    ('categories', 'addresses', 'lists')
    """
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def rest_path(name: str, model: ModelSpec) -> str | None:
    """Where a model's CRUD routes are served, under ``rest.basePath``; None when not served.

    A model is served when it has a datasource and ``rest`` is not false.

    >>> from composer.spec import ModelSpec
    >>> rest_path("TodoList", ModelSpec(datasource="db"))
    '/todo-lists'
    >>> rest_path("TodoList", ModelSpec()) is None
    True
    """
    if model.datasource is None or not model.rest.exposed:
        return None
    if model.rest.path is not None:
        return model.rest.path
    words = _words(name)
    if not words:
        return "/"
    return "/" + "-".join([*words[:-1], plural(words[-1])])
