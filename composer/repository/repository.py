"""The CRUD repository of one model: LoopBack 4's ``DefaultCrudRepository`` methods.

A :class:`Repository` joins a model's :class:`~composer.repository.model.ModelRuntime`
(validation, JSON) to its :class:`~composer.repository.backend.Backend`
(storage) and the model's default scope. Writes take the client's data (a
decoded JSON object, or Python values) and validate it as LoopBack does; reads
return rows (see :meth:`ModelRuntime.to_json` for their JSON).

=====================  ==========================================  ====================
method                 LoopBack                                    answers
=====================  ==========================================  ====================
create(data)           create                                      the stored row
create_all(items)      createAll (all or none)                     the stored rows
find(filter)           find                                        rows
find_one(filter)       findOne                                     a row or None
find_by_id(id, f)      findById                                    a row, or 404
count(where)           count                                       int
exists(id)             exists                                      bool
update_by_id(id, d)    updateById (PATCH)                          None, or 404
replace_by_id(id, d)   replaceById (PUT)                           None, or 404
update_all(d, where)   updateAll (PATCH /todos)                    int
delete_by_id(id)       deleteById                                  None, or 404
delete_all(where)      deleteAll                                   int
=====================  ==========================================  ====================

The default scope's where is ANDed with every query, update and delete (a
row outside the scope does not exist for this repository); its order,
limit, skip and fields apply to ``find`` and ``find_one`` when the query
gives none. An id the client puts in a PATCH or PUT body must be the id in
the path (LoopBack: ``id property (id) cannot be updated from 3 to 4``, a
400); ``update_all`` accepts no id at all. A string id holding a NUL
character or a lone surrogate is no row's id (no database stores one), so it
is a 404 without asking the backend.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from composer.errors import HttpError
from composer.repository.backend import Backend, Row
from composer.repository.filter import merge_scope
from composer.repository.keywords import storable
from composer.repository.model import ModelRuntime, validation_error
from composer.repository.property import Detail
from composer.repository.query import And, Comparison, Filter, Where

__all__ = ["Repository", "not_found"]


def _possible_id(id: Any) -> bool:
    """Whether some stored row could have this id (no string holding NUL or a lone surrogate)."""
    return not isinstance(id, str) or storable(id)


def not_found(model: str, id: Any) -> HttpError:
    """LoopBack's ``EntityNotFoundError``: 404 ``ENTITY_NOT_FOUND``, the id as JSON.

    >>> not_found("Todo", 99).body()["error"]["message"], not_found("Tag", "a").message
    ('Entity not found: Todo with id 99', 'Entity not found: Tag with id "a"')
    >>> not_found("Tag", "a\\ud800").message  # as JSON.stringify shows a lone surrogate
    'Entity not found: Tag with id "a\\\\ud800"'
    """
    try:
        shown = orjson.dumps(id).decode()
    except TypeError:
        text = str(id)
        # orjson refuses a lone surrogate, which JSON can only show escaped
        shown = orjson.dumps(text).decode() if storable(text) else json.dumps(text)
    return HttpError(
        404, f"Entity not found: {model} with id {shown}", code="ENTITY_NOT_FOUND", name="Error"
    )


def _id_changed(name: str, old: Any, new: Any) -> HttpError:
    # LoopBack's message and name, as juggler raises it (no code)
    return HttpError(
        400, f"id property ({name}) cannot be updated from {old} to {new}", name="Error"
    )


def _and(*clauses: Where | None) -> Where | None:
    present = tuple(clause for clause in clauses if clause is not None)
    if not present:
        return None
    return present[0] if len(present) == 1 else And(present)


class Repository:
    """CRUD over one model.

    >>> import asyncio
    >>> from composer.connectors import MemoryConnector
    >>> from composer.repository.memory import MemoryBackend
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     datasource="db", properties={
    ...         "id": PropertySpec(type="integer", id=True, generated=True),
    ...         "title": PropertySpec(type="string", required=True)})})
    >>> async def demo():
    ...     memory = MemoryConnector("db")
    ...     await memory.connect()
    ...     runtime = ModelRuntime.from_app(app, "Todo")
    ...     todos = Repository(runtime, MemoryBackend(memory, runtime.info))
    ...     milk = await todos.create({"title": "milk"})
    ...     await todos.update_by_id(milk["id"], {"title": "oat milk"})
    ...     return await todos.find_by_id(1), await todos.count()
    >>> asyncio.run(demo())
    ({'id': 1, 'title': 'oat milk'}, 1)
    """

    def __init__(
        self, runtime: ModelRuntime, backend: Backend, *, scope: Filter | None = None
    ) -> None:
        self.runtime = runtime
        self.backend = backend
        self.scope = scope
        self.model = runtime.name
        self._id = runtime.info.id.name
        self._scope_where = None if scope is None else scope.where

    # -- reads -------------------------------------------------------------------------

    async def find(self, filter: Filter | None = None) -> list[Row]:
        """The rows matching ``filter`` (with the default scope), trimmed to its fields."""
        query = self._scoped(filter or Filter())
        rows = await self.backend.find(query)
        return self._trimmed(rows, query.fields)

    async def find_one(self, filter: Filter | None = None) -> Row | None:
        """The first row ``find`` would return, or None."""
        query = dataclasses.replace(self._scoped(filter or Filter()), limit=1)
        rows = await self.backend.find(query)
        return self._trimmed(rows, query.fields)[0] if rows else None

    async def find_by_id(self, id: Any, filter: Filter | None = None) -> Row:
        """The row with this id (its ``fields`` from ``filter``); 404 when there is none."""
        filter = filter or Filter()
        where = _and(self._by_id(id), filter.where)
        rows = await self.backend.find(Filter(where=where, fields=filter.fields, limit=1))
        if not rows:
            raise not_found(self.model, id)
        return self._trimmed(rows, filter.fields)[0]

    async def count(self, where: Where | None = None) -> int:
        """How many rows match ``where`` (and the default scope)."""
        return await self.backend.count(_and(self._scope_where, where))

    async def exists(self, id: Any) -> bool:
        """Whether a row has this id."""
        if not _possible_id(id):
            return False
        return await self.backend.count(self._by_id(id)) > 0

    # -- writes ------------------------------------------------------------------------

    async def create(self, data: Any) -> Row:
        """Validate ``data`` as a new instance (422 listing every violation) and store it."""
        row = self.runtime.validate_create(data)
        return (await self.backend.create([row]))[0]

    async def create_all(self, items: Sequence[Any]) -> list[Row]:
        """Validate every item (one 422 for all, paths prefixed ``/<index>``); store all or none."""
        rows: list[Row] = []
        details: list[Detail] = []
        for index, item in enumerate(items):
            try:
                rows.append(self.runtime.validate_create(item))
            except HttpError as error:
                for detail in error.details or ():
                    details.append({**detail, "path": f"/{index}{detail['path']}"})
        if details:
            raise validation_error(details)
        if not rows:
            return []
        return await self.backend.create(rows)

    async def update_by_id(self, id: Any, data: Any) -> None:
        """Apply the changes in ``data`` (PATCH) to the row with this id; 404 when none."""
        changes = self._without_id(id, self.runtime.validate_patch(data))
        where = self._by_id(id)
        if not changes:
            found = await self.backend.count(where)
        else:
            found = await self.backend.update(where, changes)
        if not found:
            raise not_found(self.model, id)

    async def replace_by_id(self, id: Any, data: Any) -> None:
        """Replace the row with this id by ``data`` whole (PUT); 404 when none."""
        row = self._without_id(id, self.runtime.validate_replace(data))
        if not _possible_id(id):
            raise not_found(self.model, id)
        if self._scope_where is not None and not await self.exists(id):
            raise not_found(self.model, id)
        if not await self.backend.replace(id, {self._id: id, **row}):
            raise not_found(self.model, id)

    async def update_all(self, data: Any, where: Where | None = None) -> int:
        """Apply the changes in ``data`` to every row matching ``where``; how many matched."""
        changes = self.runtime.validate_patch(data)
        if self._id in changes:
            raise HttpError(400, f"id property ({self._id}) cannot be updated", name="Error")
        where = _and(self._scope_where, where)
        if not changes:
            return await self.backend.count(where)
        return await self.backend.update(where, changes)

    async def delete_by_id(self, id: Any) -> None:
        """Delete the row with this id; 404 when there is none."""
        if not await self.backend.delete(self._by_id(id)):
            raise not_found(self.model, id)

    async def delete_all(self, where: Where | None = None) -> int:
        """Delete every row matching ``where``; how many there were."""
        return await self.backend.delete(_and(self._scope_where, where))

    # -- internals -----------------------------------------------------------------------

    def _scoped(self, query: Filter) -> Filter:
        return query if self.scope is None else merge_scope(self.scope, query)

    def _by_id(self, id: Any) -> Where:
        """The where of the row with this id (404 for an id no row can have)."""
        if not _possible_id(id):
            raise not_found(self.model, id)
        by_id = Comparison(self._id, "eq", id)
        return by_id if self._scope_where is None else And((self._scope_where, by_id))

    def _without_id(self, id: Any, row: Mapping[str, Any]) -> Row:
        """``row`` without its id, which must be ``id`` when given (400 otherwise)."""
        given = row.get(self._id)
        if self._id in row and given != id:
            raise _id_changed(self._id, id, given)
        return {name: value for name, value in row.items() if name != self._id}

    def _trimmed(self, rows: list[Row], fields: Sequence[str] | None) -> list[Row]:
        if fields is None:
            return rows
        return [{name: row[name] for name in fields if name in row} for row in rows]
