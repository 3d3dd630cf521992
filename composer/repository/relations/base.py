"""What every relation kind's inclusion builds on: the related model's side of a batch.

An inclusion resolves one relation for a whole page of parent rows with one
query per relation (per chunk of :data:`CHUNK` keys), never one per parent:
each kind module (:mod:`.belongs_to`, :mod:`.has_many`, :mod:`.has_one`,
:mod:`.has_many_through`, :mod:`.references_many`) gathers the parents' keys,
asks the related model's repository for the rows holding them
(:meth:`Related.find_by_keys`) and hands each parent its share.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from typing import Any, Protocol

from composer.repository.backend import Row
from composer.repository.query import Filter
from composer.repository.relations.info import RelationInfo

__all__ = ["CHUNK", "Include", "Related", "Resolve", "distinct_keys"]

#: the most keys one statement of an inclusion asks for (the filter language's maxInq);
#: more parents' keys than that take one statement per chunk
CHUNK = 1000


class Related(Protocol):
    """The repository of a related model, as an inclusion uses it."""

    async def find_by_keys(
        self, key: str, values: Sequence[Any], scope: Filter, *, per_key: bool
    ) -> list[Row]:
        """The rows whose ``key`` is one of ``values`` and that match ``scope`` (the model's
        default scope too), its inclusions resolved, untrimmed (``key`` always present).
        ``per_key``: the scope's ``limit``/``skip`` apply per key value; else they are
        ignored (the caller pages)."""
        ...

    def trimmed(self, rows: list[Row], scope: Filter) -> list[Row]:
        """``rows`` cut to the scope's fields and inclusions."""
        ...


#: the repository of a model, by name
Resolve = Callable[[str], Related]

#: one kind's inclusion: attach ``relation``'s rows (matching ``scope``) to each parent row
Include = Callable[[RelationInfo, list[Row], Filter, Resolve], Awaitable[None]]


def distinct_keys(values: Iterable[Any]) -> list[Any]:
    """The present values, each once, in first-seen order.

    >>> distinct_keys([3, None, 1, 3])
    [3, 1]
    """
    seen: dict[Hashable, None] = {}
    for value in values:
        if value is not None:
            seen.setdefault(value, None)
    return list(seen)
