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
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from composer.errors import HttpError
from composer.repository.backend import Backend, Row, find_partitioned
from composer.repository.filter import merge_scope
from composer.repository.keywords import storable
from composer.repository.model import ModelRuntime, validation_error
from composer.repository.property import Detail
from composer.repository.query import And, Comparison, Filter, Where
from composer.repository.relations.base import CHUNK
from composer.repository.relations.inclusion import include_related, keys_needed

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
        self.info = runtime.info
        self._id = runtime.info.id.name
        self._scope_where = None if scope is None else scope.where
        self._resolve: Callable[[str], Repository] | None = None

    def link(self, resolve: Callable[[str], Repository]) -> None:
        """Give the repository the repositories of its generation's other models (by name),
        which ``include`` reads related rows from."""
        self._resolve = resolve

    def related(self, model: str) -> Repository:
        """The repository of model ``model`` of the same generation."""
        if self._resolve is None:
            raise RuntimeError(f"the repository of {self.model} is not linked to the others")
        return self._resolve(model)

    # -- reads -------------------------------------------------------------------------

    async def find(self, filter: Filter | None = None) -> list[Row]:
        """The rows matching ``filter`` (with the default scope), trimmed to its fields,
        its inclusions attached."""
        query = self._scoped(filter or Filter())
        return self.trimmed(await self._load(query), query)

    async def find_one(self, filter: Filter | None = None) -> Row | None:
        """The first row ``find`` would return, or None."""
        query = dataclasses.replace(self._scoped(filter or Filter()), limit=1)
        rows = self.trimmed(await self._load(query), query)
        return rows[0] if rows else None

    async def find_by_id(self, id: Any, filter: Filter | None = None) -> Row:
        """The row with this id (its ``fields`` and ``include`` from ``filter``); 404 when
        there is none."""
        filter = filter or Filter()
        where = _and(self._by_id(id), filter.where)
        query = Filter(where=where, fields=filter.fields, limit=1, include=filter.include)
        rows = await self._load(query)
        if not rows:
            raise not_found(self.model, id)
        return self.trimmed(rows, query)[0]

    async def find_by_keys(
        self, key: str, values: Sequence[Any], scope: Filter, *, per_key: bool
    ) -> list[Row]:
        """The rows whose ``key`` is one of ``values`` and that match ``scope`` and the default
        scope, inclusions attached, not trimmed (``key`` always present): what including this
        model into another's rows reads. One query per :data:`CHUNK` values. With
        ``per_key``, the scope's ``limit`` and ``skip`` apply per value of ``key`` (in the
        database when the backend can); without, they are ignored."""
        query = self._scoped(scope)
        if query.fields is not None and key not in query.fields:
            query = dataclasses.replace(query, fields=(*query.fields, key))
        paged = per_key and (query.limit is not None or query.skip > 0)
        if not paged:
            query = dataclasses.replace(query, limit=None, skip=0)
        rows: list[Row] = []
        for start in range(0, len(values), CHUNK):
            chunk = Comparison(key, "inq", tuple(values[start : start + CHUNK]))
            chunked = dataclasses.replace(query, where=_and(query.where, chunk))
            rows.extend(await self._load(chunked, partition=key if paged else None))
        return rows

    def to_json(self, row: Row, query: Filter | None = None) -> dict[str, Any]:
        """``row`` as the JSON object a client receives: the query's fields, and each
        included relation as its model's JSON (see :meth:`ModelRuntime.to_json`)."""
        data = self.runtime.to_json(row, None if query is None else query.fields)
        if query is None:
            return data
        for inclusion in query.include:
            value = row.get(inclusion.relation)
            relation = self.info.relation(inclusion.relation)
            if value is None or relation is None:
                continue
            target = self.related(relation.target)
            scope = inclusion.scope
            if isinstance(value, list):
                data[inclusion.relation] = [target.to_json(item, scope) for item in value]
            else:
                data[inclusion.relation] = target.to_json(value, scope)
        return data

    def trimmed(self, rows: list[Row], query: Filter) -> list[Row]:
        """``rows`` cut to the query's fields (when it names some) and included relations."""
        if query.fields is None:
            return rows
        kept = (*query.fields, *(inclusion.relation for inclusion in query.include))
        return [{name: row[name] for name in kept if name in row} for row in rows]

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

    async def _load(self, query: Filter, *, partition: str | None = None) -> list[Row]:
        """The rows of ``query`` (untrimmed: the keys its inclusions join on are fetched),
        inclusions attached; ``partition`` pages per value of that property."""
        fetch = query
        if query.include and query.fields is not None:
            missing = keys_needed(self.info, query.include) - set(query.fields)
            if missing:
                fetch = dataclasses.replace(query, fields=(*query.fields, *sorted(missing)))
        if partition is None:
            rows = await self.backend.find(fetch)
        else:
            rows = await find_partitioned(self.backend, fetch, partition)
        if query.include:
            await include_related(self.info, rows, query.include, self.related)
        return rows

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
