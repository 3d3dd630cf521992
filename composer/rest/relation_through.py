"""The handlers of a hasManyThrough relation's endpoints: targets reached through links.

For ``Doctor.patients`` through ``Appointment`` (``doctorId``, ``patientId``),
the patients of a doctor are those an appointment links to it:

- ``find``, ``patch``, ``delete`` act on the linked targets matching the
  client's filter or where (``{"count": n}`` for the writes); a PATCH may not
  change the key the links refer to (400, as a foreign key). ``delete`` also
  deletes every link to the deleted targets (a link to no target is
  meaningless), before the targets, so a database constraint on the join
  model does not refuse it.
- ``create`` creates the target, then the link; when the link cannot be
  created the target is deleted again and the error answered.
- ``link`` (``PUT .../patients/link/{fk}``) links an existing target: 204, also
  when the link exists already (no second link is made); ``unlink``
  (``DELETE .../patients/link/{fk}``) deletes the links: 204, or 404 when
  there are none. Both answer 404 when the target does not exist. LoopBack's
  ``link``/``unlink`` have no generated endpoints; its ``link`` returns nothing
  either.

Neither LoopBack nor composer runs these steps in one transaction: a
concurrent request may see a target before its link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.errors import HttpError
from composer.repository.model import validation_error
from composer.repository.query import And, Comparison, Filter, Where
from composer.repository.relations.base import distinct_keys
from composer.repository.repository import not_found
from composer.rest.relation_handlers import (
    RelationHandlers,
    both,
    constrained,
    constraint_not_found,
    key_changed,
)

if TYPE_CHECKING:
    from composer.repository.repository import Repository
    from composer.rest.context import RequestContext

__all__ = ["ThroughHandlers"]


def _unset(key: str) -> HttpError:
    """The 422 of a created target without the key its link would refer to."""
    return validation_error(
        [
            {
                "path": "",
                "code": "required",
                "message": f"must have required property '{key}'",
                "info": {"missingProperty": key},
            }
        ]
    )


class ThroughHandlers(RelationHandlers):
    """hasManyThrough: find, create, patch and delete the linked targets; link, unlink."""

    __slots__ = ()

    @property
    def through(self) -> Repository:
        """The repository of the join model."""
        through = self.relation.through
        if through is None:
            raise RuntimeError(f"{self.relation.name} is not a hasManyThrough relation")
        return self.related(through)

    def _link_of(self, key: Any, target_key: Any) -> Where:
        relation = self.relation
        return And(
            (
                Comparison(relation.through_from, "eq", key),
                Comparison(relation.through_to, "eq", target_key),
            )
        )

    async def _linked(self, key: Any) -> list[Any]:
        """The target keys the source's links refer to, each once."""
        relation = self.relation
        links = await self.through.find(
            Filter(
                where=Comparison(relation.through_from, "eq", key),
                fields=(relation.through_to,),
            )
        )
        return distinct_keys(link.get(relation.through_to) for link in links)

    def _among(self, keys: list[Any]) -> Where:
        return Comparison(self.relation.target_key, "inq", tuple(keys))

    async def find(self, ctx: RequestContext) -> Any:
        """``GET /doctors/{id}/patients?filter=``: the linked targets matching the filter."""
        key = await self.source_key(ctx)
        query = self.filter(ctx)
        keys = [] if key is None else await self._linked(key)
        if not keys:
            return []
        target = self.target
        rows = await target.find(constrained(query, self._among(keys)))
        return [target.to_json(row, query) for row in rows]

    async def create(self, ctx: RequestContext) -> Any:
        """``POST /doctors/{id}/patients``: a target created and linked to the source."""
        relation = self.relation
        key = await self.writable_key(ctx)
        target = self.target
        created = await target.create(ctx.body)
        id_name = target.info.id.name
        try:
            linked_key = created.get(relation.target_key)
            if linked_key is None:
                raise _unset(relation.target_key)
            await self.through.create({relation.through_from: key, relation.through_to: linked_key})
        except Exception:
            await target.delete_by_id(created[id_name])
            raise
        return target.runtime.to_json(created)

    async def patch(self, ctx: RequestContext) -> Any:
        """``PATCH /doctors/{id}/patients?where=``: ``{"count": n}`` of the targets changed."""
        key = await self.source_key(ctx)
        target = self.target
        changes = target.runtime.validate_patch(ctx.body)
        if self.relation.target_key in changes:
            raise key_changed(self.relation.target_key)
        keys = [] if key is None else await self._linked(key)
        if not keys:
            return {"count": 0}
        where = both(self._among(keys), ctx.params.get("where"))
        return {"count": await target.update_all(ctx.body, where)}

    async def delete(self, ctx: RequestContext) -> Any:
        """``DELETE /doctors/{id}/patients?where=``: ``{"count": n}`` of the targets deleted,
        their links with them."""
        relation = self.relation
        key = await self.source_key(ctx)
        keys = [] if key is None else await self._linked(key)
        if not keys:
            return {"count": 0}
        target = self.target
        where = both(self._among(keys), ctx.params.get("where"))
        matched = await target.find(Filter(where=where, fields=(relation.target_key,)))
        doomed = distinct_keys(row.get(relation.target_key) for row in matched)
        if not doomed:
            return {"count": 0}
        await self.through.delete_all(Comparison(relation.through_to, "inq", tuple(doomed)))
        return {"count": await target.delete_all(both(self._among(doomed), where))}

    async def _target_exists(self, target_key: Any) -> None:
        """404 (``Entity not found: Patient with id 7``) when no target has this key."""
        relation = self.relation
        found = await self.target.find_one(
            Filter(
                where=Comparison(relation.target_key, "eq", target_key),
                fields=(relation.target_key,),
            )
        )
        if found is None:
            raise not_found(relation.target, target_key)

    async def link(self, ctx: RequestContext) -> None:
        """``PUT /doctors/{id}/patients/link/{fk}``: 204 once the target is linked."""
        relation = self.relation
        key = await self.writable_key(ctx)
        target_key = ctx.params["fk"]
        await self._target_exists(target_key)
        through = self.through
        if await through.count(self._link_of(key, target_key)):
            return
        await through.create({relation.through_from: key, relation.through_to: target_key})

    async def unlink(self, ctx: RequestContext) -> None:
        """``DELETE /doctors/{id}/patients/link/{fk}``: 204, or 404 when not linked."""
        relation = self.relation
        key = await self.source_key(ctx)
        target_key = ctx.params["fk"]
        await self._target_exists(target_key)
        if key is None or not await self.through.delete_all(self._link_of(key, target_key)):
            raise constraint_not_found(
                relation.through or "",
                {relation.through_from: key, relation.through_to: target_key},
            )
