"""``belongsTo``: the source row holds the key of one target (``Todo.todoList`` by
``todoListId``). Included as the target object, left out when the key is unset or no
target has it (as LoopBack does); the scope's ``limit``/``skip`` do not apply."""

from __future__ import annotations

from composer.repository.backend import Row
from composer.repository.query import Filter
from composer.repository.relations.base import Resolve, distinct_keys
from composer.repository.relations.info import RelationInfo

__all__ = ["include"]


async def include(relation: RelationInfo, rows: list[Row], scope: Filter, resolve: Resolve) -> None:
    """Attach to each row of ``rows`` the target its key refers to."""
    keys = distinct_keys(row.get(relation.source_key) for row in rows)
    if not keys:
        return
    related = resolve(relation.target)
    targets = await related.find_by_keys(relation.target_key, keys, scope, per_key=False)
    by_key = {target[relation.target_key]: target for target in targets}
    shown = dict(zip(by_key, related.trimmed(list(by_key.values()), scope), strict=True))
    for row in rows:
        found = shown.get(row.get(relation.source_key))
        if found is not None:
            row[relation.name] = found
