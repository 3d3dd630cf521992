"""The handlers of relation endpoints: the source row first, then the related rows.

Every handler first reads the source row of the path's ``{id}`` (a 404
``ENTITY_NOT_FOUND`` when there is none, where LoopBack answers ``[]`` or
creates an orphan), then works on the target model's repository with the
relation's constraint ANDed to the client's filter or where:

- hasMany, hasOne (:class:`ForeignKeyHandlers`): the targets whose foreign
  key holds the source's key. A create sets the foreign key; a body may leave
  it out or repeat it, and any other value is LoopBack's ``Property
  "todoListId" cannot be changed!``, as a 400 (LoopBack fails with a 500).
  A PATCH may not change it either.
- belongsTo (:class:`BelongsToHandlers`): the target the source's key refers
  to; an unset key or one no target has is LoopBack's 404 ``Entity not found:
  TodoList with id "constraint {\\"id\\":99}"``.
- referencesMany (:class:`ReferencesManyHandlers`): the targets the source's
  array of keys refers to, in the array's order unless the filter orders
  them (keys no target has are skipped).

hasManyThrough's handlers are in :mod:`composer.rest.relation_through`.
Bodies are validated before the foreign key is compared (an invalid body is
the 422 it is on the target's own endpoints), so navigational properties (a
relation's name in a body) are 422 ``additionalProperties`` here too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

from composer.errors import HttpError
from composer.repository.query import And, Comparison, Filter, Where
from composer.repository.relations.base import distinct_keys
from composer.repository.repository import not_found

if TYPE_CHECKING:
    from composer.repository.relations.info import RelationInfo
    from composer.repository.repository import Repository
    from composer.rest.context import RequestContext

__all__ = [
    "BelongsToHandlers",
    "ForeignKeyHandlers",
    "ReferencesManyHandlers",
    "RelationHandlers",
    "both",
    "constrained",
    "constraint_not_found",
    "key_changed",
]


def both(first: Where | None, second: Where | None) -> Where | None:
    """The where clause matching ``first`` and ``second`` (either may be None).

    >>> both(Comparison("a", "eq", 1), None)
    Comparison(property='a', op='eq', value=1)
    """
    if first is None:
        return second
    if second is None:
        return first
    return And((first, second))


def constraint_not_found(model: str, constraint: Mapping[str, Any]) -> HttpError:
    """LoopBack's 404 for a related row found by a constraint rather than an id.

    An unset value is left out of the constraint, as ``JSON.stringify`` leaves
    out ``undefined``.

    >>> constraint_not_found("TodoList", {"id": 99}).message
    'Entity not found: TodoList with id "constraint {\\\\"id\\\\":99}"'
    >>> constraint_not_found("TodoList", {"id": None}).message
    'Entity not found: TodoList with id "constraint {}"'
    """
    present = {key: value for key, value in constraint.items() if value is not None}
    return not_found(model, "constraint " + orjson.dumps(present).decode())


def key_changed(name: str) -> HttpError:
    """LoopBack's message for a body giving a constrained key another value, as a 400.

    >>> key_changed("todoListId").body()["error"]["message"]
    'Property "todoListId" cannot be changed!'
    """
    return HttpError(400, f'Property "{name}" cannot be changed!')


def constrained(query: Filter, where: Where) -> Filter:
    """``query`` with ``where`` ANDed to its own where clause.

    >>> constrained(Filter(limit=2), Comparison("a", "eq", 1)).where
    Comparison(property='a', op='eq', value=1)
    """
    return dataclasses.replace(query, where=both(where, query.where))


class RelationHandlers:
    """What every relation's handlers share: the source repository and the source row.

    Without a repository the routes are only described (``composer routes``,
    ``composer openapi``) and a handler that runs anyway is a bug.
    """

    __slots__ = ("_default_filter", "_repository", "relation")

    def __init__(
        self,
        relation: RelationInfo,
        repository: Repository | None,
        *,
        default_filter: Filter | None = None,
    ) -> None:
        self.relation = relation
        self._repository = repository
        self._default_filter = default_filter or Filter()

    @property
    def source(self) -> Repository:
        """The repository of the relation's source model."""
        if self._repository is None:
            raise RuntimeError(
                f"the routes of {self.relation.source}.{self.relation.name} are described, "
                "not served"
            )
        return self._repository

    def related(self, model: str) -> Repository:
        """The repository of another model of the generation (the target, the join model)."""
        return self.source.related(model)

    @property
    def target(self) -> Repository:
        """The repository of the relation's target model."""
        return self.related(self.relation.target)

    def filter(self, ctx: RequestContext) -> Filter:
        """The request's ``filter`` (the default one, pagination applied, when it gives none)."""
        query: Filter | None = ctx.params.get("filter")
        return query or self._default_filter

    async def source_key(self, ctx: RequestContext) -> Any:
        """The source key of the row with the path's id (None when unset); 404 when no row
        has that id."""
        key = self.relation.source_key
        row = await self.source.find_by_id(ctx.params["id"], Filter(fields=(key,)))
        return row.get(key)

    async def writable_key(self, ctx: RequestContext) -> Any:
        """:meth:`source_key` for a write, which needs it set (409 otherwise)."""
        value = await self.source_key(ctx)
        if value is None:
            relation = self.relation
            raise HttpError(
                409,
                f"The {relation.source} with id {orjson.dumps(ctx.params['id']).decode()} has no "
                f"{relation.source_key} for its {relation.name} to refer to",
            )
        return value


class ForeignKeyHandlers(RelationHandlers):
    """hasMany and hasOne: the targets whose foreign key holds the source's key.

    ``find`` answers hasMany's list, ``get`` hasOne's one target (or 404);
    ``create``, ``patch`` and ``delete`` serve both.
    """

    __slots__ = ()

    def _owned(self, key: Any) -> Where:
        return Comparison(self.relation.target_key, "eq", key)

    async def find(self, ctx: RequestContext) -> Any:
        """``GET /todo-lists/{id}/todos?filter=``: the source's targets matching the filter."""
        key = await self.source_key(ctx)
        query = self.filter(ctx)
        if key is None:
            return []
        target = self.target
        rows = await target.find(constrained(query, self._owned(key)))
        return [target.to_json(row, query) for row in rows]

    async def get(self, ctx: RequestContext) -> Any:
        """``GET /users/{id}/profile?filter=``: the source's one target, or 404."""
        key = await self.source_key(ctx)
        query = self.filter(ctx)
        target = self.target
        if key is not None:
            row = await target.find_one(constrained(query, self._owned(key)))
            if row is not None:
                return target.to_json(row, query)
        raise constraint_not_found(self.relation.target, {self.relation.target_key: key})

    async def create(self, ctx: RequestContext) -> Any:
        """``POST /todo-lists/{id}/todos``: a target created with the source's key."""
        key = await self.writable_key(ctx)
        target = self.target
        body = ctx.body
        foreign_key = self.relation.target_key
        if isinstance(body, dict):
            data = body if foreign_key in body else {**body, foreign_key: key}
            # the body's own violations first (a 422), as LoopBack validates before constraining
            if target.runtime.validate_create(data).get(foreign_key) != key:
                raise key_changed(foreign_key)
            body = data
        return target.runtime.to_json(await target.create(body))

    async def patch(self, ctx: RequestContext) -> Any:
        """``PATCH /todo-lists/{id}/todos?where=``: ``{"count": n}`` of the targets changed."""
        key = await self.source_key(ctx)
        target = self.target
        foreign_key = self.relation.target_key
        changes = target.runtime.validate_patch(ctx.body)
        if foreign_key in changes and changes[foreign_key] != key:
            raise key_changed(foreign_key)
        if key is None:
            return {"count": 0}
        where = both(self._owned(key), ctx.params.get("where"))
        return {"count": await target.update_all(ctx.body, where)}

    async def delete(self, ctx: RequestContext) -> Any:
        """``DELETE /todo-lists/{id}/todos?where=``: ``{"count": n}`` of the targets deleted."""
        key = await self.source_key(ctx)
        if key is None:
            return {"count": 0}
        where = both(self._owned(key), ctx.params.get("where"))
        return {"count": await self.target.delete_all(where)}


class BelongsToHandlers(RelationHandlers):
    """belongsTo: the one target the source's key refers to."""

    __slots__ = ()

    async def get(self, ctx: RequestContext) -> Any:
        """``GET /todos/{id}/todo-list``: the target, or 404 (no source, or an orphan)."""
        relation = self.relation
        key = await self.source_key(ctx)
        target = self.target
        if key is not None:
            row = await target.find_one(Filter(where=Comparison(relation.target_key, "eq", key)))
            if row is not None:
                return target.to_json(row)
        raise constraint_not_found(relation.target, {relation.target_key: key})


class ReferencesManyHandlers(RelationHandlers):
    """referencesMany: the targets the source's array of keys refers to."""

    __slots__ = ()

    async def find(self, ctx: RequestContext) -> Any:
        """``GET /users/{id}/accounts?filter=``: the targets, in the array's order unless the
        filter gives one."""
        relation = self.relation
        value = await self.source_key(ctx)
        query = self.filter(ctx)
        keys = distinct_keys(value) if isinstance(value, list) else []
        if not keys:
            return []
        target = self.target
        chosen = Comparison(relation.target_key, "inq", tuple(keys))
        if query.order:
            rows = await target.find(constrained(query, chosen))
        else:
            fields = query.fields
            if fields is not None and relation.target_key not in fields:
                # the key places each row; to_json leaves it out again
                fields = (*fields, relation.target_key)
            whole = dataclasses.replace(query, fields=fields, limit=None, skip=0)
            rank = {key: index for index, key in enumerate(keys)}
            rows = await target.find(constrained(whole, chosen))
            rows.sort(key=lambda row: rank.get(row.get(relation.target_key), len(rank)))
            end = None if query.limit is None else query.skip + query.limit
            rows = rows[query.skip : end]
        return [target.to_json(row, query) for row in rows]
