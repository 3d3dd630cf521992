"""``hasOne``: one target holds the source's key (``User.profile`` by
``Profile.userId``; the key column gets a unique index). Included as the target object
(the first in the scope's order), left out when there is none."""

from __future__ import annotations

import dataclasses

from composer.repository.backend import Row
from composer.repository.query import Filter
from composer.repository.relations.base import Resolve
from composer.repository.relations.has_many import group_by_key
from composer.repository.relations.info import RelationInfo

__all__ = ["include"]


async def include(relation: RelationInfo, rows: list[Row], scope: Filter, resolve: Resolve) -> None:
    """Attach to each row of ``rows`` the target holding its key."""
    first = dataclasses.replace(scope, limit=1, skip=0)
    grouped = await group_by_key(relation, rows, first, resolve)
    for row in rows:
        found = grouped.get(row.get(relation.source_key))
        if found:
            row[relation.name] = found[0]
