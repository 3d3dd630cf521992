"""``hasMany`` with ``through``: a join model links sources to targets
(``Doctor.patients`` through ``Appointment.doctorId``/``patientId``). Included as a
list of targets in the scope's order, left out when a parent has none: one query reads
the links of every parent, one the targets; ``limit``/``skip`` then apply per parent."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import Any

from composer.repository.backend import Row
from composer.repository.query import Filter
from composer.repository.relations.base import Resolve, distinct_keys
from composer.repository.relations.info import RelationInfo

__all__ = ["include"]


async def include(relation: RelationInfo, rows: list[Row], scope: Filter, resolve: Resolve) -> None:
    """Attach to each row of ``rows`` the targets its links lead to."""
    keys = distinct_keys(row.get(relation.source_key) for row in rows)
    if not keys or relation.through is None:
        return
    links = await resolve(relation.through).find_by_keys(
        relation.through_from, keys, Filter(), per_key=False
    )
    linked: dict[Any, set[Any]] = defaultdict(set)
    for link in links:
        if link.get(relation.through_to) is not None:
            linked[link[relation.through_from]].add(link[relation.through_to])
    wanted = distinct_keys(link.get(relation.through_to) for link in links)
    if not wanted:
        return
    related = resolve(relation.target)
    whole = dataclasses.replace(scope, limit=None, skip=0)
    targets = await related.find_by_keys(relation.target_key, wanted, whole, per_key=False)
    shown = related.trimmed(targets, scope)
    end = None if scope.limit is None else scope.skip + scope.limit
    for row in rows:
        mine = linked.get(row.get(relation.source_key))
        if not mine:
            continue
        found = [
            shown[index]
            for index, target in enumerate(targets)
            if target[relation.target_key] in mine
        ][scope.skip : end]
        if found:
            row[relation.name] = found
