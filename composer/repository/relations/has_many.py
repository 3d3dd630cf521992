"""``hasMany``: many targets hold the source's key (``TodoList.todos`` by
``Todo.todoListId``). Included as a list in the scope's order, left out when a parent
has none (as LoopBack does); the scope's ``limit``/``skip`` apply per parent, paged by
the database itself (a window function) on SQL."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from composer.repository.backend import Row
from composer.repository.query import Filter
from composer.repository.relations.base import Resolve, distinct_keys
from composer.repository.relations.info import RelationInfo

__all__ = ["group_by_key", "include"]


async def group_by_key(
    relation: RelationInfo, rows: list[Row], scope: Filter, resolve: Resolve
) -> dict[Any, list[Row]]:
    """The targets of ``rows``, trimmed, grouped by the key they hold (the scope's order)."""
    keys = distinct_keys(row.get(relation.source_key) for row in rows)
    if not keys:
        return {}
    related = resolve(relation.target)
    targets = await related.find_by_keys(relation.target_key, keys, scope, per_key=True)
    grouped: dict[Any, list[Row]] = defaultdict(list)
    for target, shown in zip(targets, related.trimmed(targets, scope), strict=True):
        grouped[target[relation.target_key]].append(shown)
    return grouped


async def include(relation: RelationInfo, rows: list[Row], scope: Filter, resolve: Resolve) -> None:
    """Attach to each row of ``rows`` the list of targets holding its key."""
    grouped = await group_by_key(relation, rows, scope, resolve)
    for row in rows:
        found = grouped.get(row.get(relation.source_key))
        if found:
            row[relation.name] = found
