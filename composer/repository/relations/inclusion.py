"""Resolving a filter's ``include``: each relation kind's module, chosen by kind.

``{"include": [{"relation": "todos", "scope": {"include": ["tags"]}}]}`` on a
page of TodoLists runs one query for the todos of every list on the page (in
chunks of :data:`~composer.repository.relations.base.CHUNK` keys), then one for
the tags of all those todos: a level of nesting costs one query per relation,
whatever the number of parent rows (a many-to-many relation two: links, then
targets).
"""

from __future__ import annotations

from collections.abc import Iterable

from composer.repository.backend import Row
from composer.repository.entity import EntityInfo
from composer.repository.query import Inclusion
from composer.repository.relations import (
    belongs_to,
    has_many,
    has_many_through,
    has_one,
    references_many,
)
from composer.repository.relations.base import Include, Resolve
from composer.repository.relations.info import RelationKind

__all__ = ["KINDS", "include_related", "keys_needed"]

#: how each kind of relation is included
KINDS: dict[RelationKind, Include] = {
    "belongsTo": belongs_to.include,
    "hasMany": has_many.include,
    "hasOne": has_one.include,
    "hasManyThrough": has_many_through.include,
    "referencesMany": references_many.include,
}


def keys_needed(info: EntityInfo, inclusions: Iterable[Inclusion]) -> set[str]:
    """The properties of ``info``'s rows the inclusions join on (fetched even when the
    filter's ``fields`` leaves them out)."""
    needed = set()
    for inclusion in inclusions:
        relation = info.relation(inclusion.relation)
        if relation is not None:
            needed.add(relation.source_key)
    return needed


async def include_related(
    info: EntityInfo, rows: list[Row], inclusions: Iterable[Inclusion], resolve: Resolve
) -> None:
    """Attach every inclusion's related rows to ``rows`` (in place), under the relation's
    name."""
    if not rows:
        return
    for inclusion in inclusions:
        relation = info.relation(inclusion.relation)
        if relation is None:
            raise ValueError(f"{info.name} has no relation {inclusion.relation!r}")
        await KINDS[relation.kind](relation, rows, inclusion.scope, resolve)
