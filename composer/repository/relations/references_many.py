"""``referencesMany``: the source row holds an array of target keys (``User.accounts``
by ``accountIds``). Included as the list of targets in the array's order, or the
scope's order when it gives one (keys no target has are skipped), left out when the
array is unset or empty; ``limit``/``skip`` apply per parent."""

from __future__ import annotations

import dataclasses
from typing import Any

from composer.repository.backend import Row
from composer.repository.query import Filter
from composer.repository.relations.base import Resolve, distinct_keys
from composer.repository.relations.info import RelationInfo

__all__ = ["include"]


def _keys(row: Row, relation: RelationInfo) -> list[Any]:
    value = row.get(relation.source_key)
    return list(value) if isinstance(value, list) else []


async def include(relation: RelationInfo, rows: list[Row], scope: Filter, resolve: Resolve) -> None:
    """Attach to each row of ``rows`` the targets its array of keys refers to."""
    keys = distinct_keys(key for row in rows for key in _keys(row, relation))
    if not keys:
        return
    related = resolve(relation.target)
    whole = dataclasses.replace(scope, limit=None, skip=0)
    targets = await related.find_by_keys(relation.target_key, keys, whole, per_key=False)
    by_key = {target[relation.target_key]: target for target in targets}
    shown = dict(zip(by_key, related.trimmed(list(by_key.values()), scope), strict=True))
    end = None if scope.limit is None else scope.skip + scope.limit
    rank = {key: index for index, key in enumerate(by_key)}
    for row in rows:
        found_keys = [key for key in distinct_keys(_keys(row, relation)) if key in shown]
        if scope.order:
            found_keys.sort(key=rank.__getitem__)
        found = [shown[key] for key in found_keys][scope.skip : end]
        if found:
            row[relation.name] = found
