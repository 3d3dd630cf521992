"""The handlers of a model's CRUD routes: parsed parameters in, JSON-ready answers out.

``parseParams`` has already coerced the id and parsed ``filter``/``where``
(:mod:`composer.rest.crud_query`); a handler calls one
:class:`~composer.repository.repository.Repository` method and turns its rows
into JSON with the model's serializer. Bodies are validated by the
repository (422 ``VALIDATION_FAILED`` listing every violation; a JSON
``null`` is "must be object"). An absent body is read as ``{}`` (the routes'
``when_absent``), as LoopBack's optional request bodies are: a create or
replace then answers 422 naming the required properties and ``PATCH /todos``
counts the matches and changes nothing. ``PATCH /todos/{id}`` requires a
body (400 ``MISSING_REQUIRED_PARAMETER`` without one, where LoopBack fails
with a 500) and answers an empty one with LoopBack's 400
``INVALID_BODY_DEFINITION`` "Data is required for the patch request".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.errors import HttpError
from composer.rest.cors import TOTAL_COUNT_HEADER
from composer.rest.crud_query import wants_total_count

if TYPE_CHECKING:
    from composer.repository.query import Filter
    from composer.repository.repository import Repository
    from composer.rest.context import RequestContext

__all__ = ["CrudHandlers"]


class CrudHandlers:
    """The eight handlers of one model, bound to its repository at activation.

    ``default_filter`` is the filter of a ``find`` that gives none (the
    pagination's default limit applied). Without a repository the routes are
    only described (``composer routes``, ``composer openapi``) and a handler
    that runs anyway is a bug.
    """

    __slots__ = ("_default_filter", "_name", "_repository")

    def __init__(self, name: str, repository: Repository | None, *, default_filter: Filter) -> None:
        self._name = name
        self._repository = repository
        self._default_filter = default_filter

    @property
    def repository(self) -> Repository:
        """The repository the handlers run on."""
        if self._repository is None:
            raise RuntimeError(f"the routes of {self._name} are described, not served")
        return self._repository

    async def create(self, ctx: RequestContext) -> Any:
        """``POST /todos``: the created instance."""
        repository = self.repository
        return repository.runtime.to_json(await repository.create(ctx.body))

    async def find(self, ctx: RequestContext) -> Any:
        """``GET /todos?filter=``: the matching instances; ``X-Total-Count`` when asked."""
        repository = self.repository
        query: Filter = ctx.params.get("filter") or self._default_filter
        rows = await repository.find(query)
        if wants_total_count(ctx.params.get("Prefer")):
            total = await repository.count(query.where)
            ctx.response_headers = {TOTAL_COUNT_HEADER: str(total)}
        if not query.include:
            to_json = repository.runtime.to_json
            fields = query.fields
            return [to_json(row, fields) for row in rows]
        return [repository.to_json(row, query) for row in rows]

    async def count(self, ctx: RequestContext) -> Any:
        """``GET /todos/count?where=``: ``{"count": n}``."""
        return {"count": await self.repository.count(ctx.params.get("where"))}

    async def update_all(self, ctx: RequestContext) -> Any:
        """``PATCH /todos?where=``: ``{"count": n}`` of the instances matched."""
        where = ctx.params.get("where")
        return {"count": await self.repository.update_all(ctx.body, where)}

    async def find_by_id(self, ctx: RequestContext) -> Any:
        """``GET /todos/{id}?filter=``: the instance, or 404."""
        repository = self.repository
        query: Filter | None = ctx.params.get("filter")
        row = await repository.find_by_id(ctx.params["id"], query)
        return repository.to_json(row, query)

    async def update_by_id(self, ctx: RequestContext) -> None:
        """``PATCH /todos/{id}``: 204, or 404; no changes at all is a 400, as in LoopBack."""
        body = ctx.body
        if body == {}:
            raise HttpError(
                400,
                "Data is required for the patch request",
                code="INVALID_BODY_DEFINITION",
                name="Error",
            )
        await self.repository.update_by_id(ctx.params["id"], body)

    async def replace_by_id(self, ctx: RequestContext) -> None:
        """``PUT /todos/{id}``: 204, or 404."""
        await self.repository.replace_by_id(ctx.params["id"], ctx.body)

    async def delete_by_id(self, ctx: RequestContext) -> None:
        """``DELETE /todos/{id}``: 204, or 404."""
        await self.repository.delete_by_id(ctx.params["id"])
