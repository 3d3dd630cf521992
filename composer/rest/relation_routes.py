"""A model's relation endpoints: LoopBack 4's ``lb4 relation`` controllers, described once.

Every relation with endpoints (:func:`~composer.rest.relation_schema.routed_relations`:
exposed, its target persisted) is served under its source's path, at the
kebab-case of its name (``todoList`` -> ``todo-list``). For ``TodoList.todos``
(hasMany) and ``Todo.todoList`` (belongsTo)::

    GET    /todo-lists/{id}/todos    find        ?filter=          200 [Todo, ...]
    POST   /todo-lists/{id}/todos    create      NewTodoInTodoList 200 the created Todo
    PATCH  /todo-lists/{id}/todos    patch       ?where=, body     200 {"count": n}
    DELETE /todo-lists/{id}/todos    delete      ?where=           200 {"count": n}
    GET    /todos/{id}/todo-list     getTodoList                   200 TodoList, or 404

A hasOne relation (``User.profile``) serves ``get`` (``?filter=``, the target
or 404), ``create``, ``patch`` and ``delete``; a hasManyThrough one the four
of hasMany plus ``link`` (``PUT .../{id}/patients/link/{fk}``) and ``unlink``
(``DELETE`` at the same path), both 204; a referencesMany one ``find``.
Operation ids and tags are LoopBack's (``TodoListTodoController.find``,
``TodoTodoListController.getTodoList``; names in
:mod:`composer.rest.relation_schema`). A model ``rest.readonly`` (the source
or the target) keeps the reads only. Every endpoint answers 404
``ENTITY_NOT_FOUND`` when no source row has the path's id. List endpoints
apply ``rest.pagination`` as ``GET /todos`` does. The handlers are in
:mod:`composer.rest.relation_handlers` and :mod:`composer.rest.relation_through`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from composer.errors import HttpError
from composer.repository.entity import Catalog
from composer.repository.filter import FilterLimits
from composer.rest.crud import error_responses, key_parameter
from composer.rest.crud_query import filter_converter, where_converter
from composer.rest.crud_schema import ref
from composer.rest.relation_handlers import (
    BelongsToHandlers,
    ForeignKeyHandlers,
    ReferencesManyHandlers,
)
from composer.rest.relation_schema import relation_names, routed_relations, writable
from composer.rest.relation_through import ThroughHandlers
from composer.rest.route import Parameter, RequestBody, Route, RouteResponse
from composer.spec import kebab_case, rest_path

if TYPE_CHECKING:
    from composer.repository.entity import EntityInfo
    from composer.repository.query import Filter
    from composer.repository.relations.info import RelationInfo
    from composer.repository.repository import Repository
    from composer.spec import AppSpec

__all__ = ["relation_routes"]

#: the errors of a request with a body, besides 404
_BODY_ERRORS = (400, 409, 413, 415, 422, 503)


def relation_routes(
    spec: AppSpec,
    name: str,
    repository: Repository | None = None,
    catalog: Catalog | None = None,
) -> tuple[Route, ...]:
    """The relation endpoints of model ``name``, served by its ``repository`` (None:
    described only), which reaches the related models' repositories.

    >>> from composer.spec import AppSpec, BelongsToSpec, ModelSpec, PropertySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident),
    ...     "Todo": ModelSpec(datasource="db", properties=ident, relations={
    ...         "todoList": BelongsToSpec(type="belongsTo", model="TodoList")})})
    >>> [(r.method, r.path, r.operation_id) for r in relation_routes(app, "Todo")]
    [('GET', '/todos/{id}/todo-list', 'TodoTodoListController.getTodoList')]
    """
    path = rest_path(name, spec.models[name])
    if path is None:
        return ()
    catalog = catalog or Catalog(spec)
    info = catalog.require(name)
    routes: list[Route] = []
    for relation in routed_relations(spec, info, catalog):
        endpoints = _Endpoints(
            spec, info, relation, repository=repository, catalog=catalog, base=path.rstrip("/")
        )
        routes.extend(endpoints.routes())
    return tuple(routes)


def _target_scope(repository: Repository | None, target: str) -> Filter | None:
    """The default scope of the target's repository (None without one)."""
    if repository is None:
        return None
    try:
        return repository.related(target).scope
    except HttpError:
        # a target without a repository: its handlers answer the error themselves
        return None


class _Endpoints:
    """The routes of one relation: the parameters, bodies and answers they share."""

    def __init__(
        self,
        spec: AppSpec,
        info: EntityInfo,
        relation: RelationInfo,
        *,
        repository: Repository | None,
        catalog: Catalog,
        base: str,
    ) -> None:
        self.spec = spec
        self.relation = relation
        self.repository = repository
        self.source = relation.source
        self.target = relation.target
        self.names = relation_names(info, relation)
        self.tags = (self.names.controller,)
        self.path = f"{base}/{{id}}/{kebab_case(relation.name)}"
        self.id_parameter = key_parameter("id", info.id.type)
        self.target_info = catalog.require(relation.target)
        pagination = spec.rest.pagination
        depth = spec.rest.max_include_depth
        scope = _target_scope(repository, relation.target)
        scope_limit = scope.limit if scope is not None else None
        self.list_limits = FilterLimits(
            default_limit=scope_limit or pagination.default_limit,
            max_limit=pagination.max_limit,
            max_include_depth=depth,
        )
        self.one_limits = FilterLimits(max_limit=pagination.max_limit, max_include_depth=depth)
        self.catalog = catalog

    # -- shared pieces -------------------------------------------------------------------

    def _operation(self, method: str) -> str:
        return f"{self.names.controller}.{method}"

    def _filter(self, limits: FilterLimits) -> Parameter:
        return Parameter(
            "filter",
            "query",
            "object",
            schema=ref(f"{self.target}.Filter"),
            convert=filter_converter(self.target_info, limits, self.catalog),
        )

    def _where(self) -> Parameter:
        return Parameter(
            "where",
            "query",
            "object",
            schema=ref(f"{self.target}.WhereFilter"),
            convert=where_converter(self.target_info, self.list_limits, self.catalog),
        )

    def _not_found(self, also: str = "") -> RouteResponse:
        return RouteResponse(404, f"No {self.source} has this id{also}", ref("Error"))

    def _errors(self, *statuses: int, also: str = "") -> tuple[RouteResponse, ...]:
        return (self._not_found(also), *error_responses(*statuses))

    def _list(self, description: str) -> RouteResponse:
        items = ref(f"{self.target}WithRelations")
        return RouteResponse(200, description, {"type": "array", "items": items})

    def _count(self, verb: str) -> RouteResponse:
        return RouteResponse(
            200, f"{self.source}.{self.target} {verb} success count", ref("loopback.Count")
        )

    def routes(self) -> tuple[Route, ...]:
        """The relation's routes, by its kind."""
        kind = self.relation.kind
        if kind == "belongsTo":
            return self._belongs_to()
        if kind == "referencesMany":
            return self._references_many()
        if kind == "hasOne":
            return self._has_one()
        return self._has_many()

    # -- by kind -------------------------------------------------------------------------

    def _belongs_to(self) -> tuple[Route, ...]:
        handlers = BelongsToHandlers(self.relation, self.repository)
        return (
            Route(
                "GET",
                self.path,
                handlers.get,
                operation_id=self._operation(f"get{self.target}"),
                summary=f"Find the {self.target} the {self.source} with this id belongs to",
                tags=self.tags,
                parameters=(self.id_parameter,),
                responses=(
                    RouteResponse(
                        200,
                        f"{self.target} belonging to {self.source}",
                        ref(f"{self.target}WithRelations"),
                    ),
                    *self._errors(400, 503, also=f", or it refers to no {self.target}"),
                ),
            ),
        )

    def _references_many(self) -> tuple[Route, ...]:
        limits = self.list_limits
        default_filter = filter_converter(self.target_info, limits, self.catalog)(None)
        handlers = ReferencesManyHandlers(
            self.relation, self.repository, default_filter=default_filter
        )
        return (
            Route(
                "GET",
                self.path,
                handlers.find,
                operation_id=self._operation("find"),
                summary=f"Find the {self.relation.name} of the {self.source} with this id",
                tags=self.tags,
                parameters=(self.id_parameter, self._filter(limits)),
                responses=(
                    self._list(f"Array of {self.source} references many {self.target}"),
                    *self._errors(400, 414, 503),
                ),
            ),
        )

    def _has_one(self) -> tuple[Route, ...]:
        handlers = ForeignKeyHandlers(self.relation, self.repository)
        read = Route(
            "GET",
            self.path,
            handlers.get,
            operation_id=self._operation("get"),
            summary=f"Find the {self.relation.name} of the {self.source} with this id",
            tags=self.tags,
            parameters=(self.id_parameter, self._filter(self.one_limits)),
            responses=(
                RouteResponse(
                    200,
                    f"{self.source} has one {self.target}",
                    ref(f"{self.target}WithRelations"),
                ),
                *self._errors(400, 414, 503, also=f", or it has no {self.target}"),
            ),
        )
        if not writable(self.spec, self.relation):
            return (read,)
        return (read, *self._writes(handlers))

    def _has_many(self) -> tuple[Route, ...]:
        relation = self.relation
        limits = self.list_limits
        default_filter = filter_converter(self.target_info, limits, self.catalog)(None)
        handlers: ForeignKeyHandlers | ThroughHandlers
        if relation.kind == "hasManyThrough":
            handlers = ThroughHandlers(relation, self.repository, default_filter=default_filter)
            described = f"Array of {self.source} has many {self.target} through {relation.through}"
        else:
            handlers = ForeignKeyHandlers(relation, self.repository, default_filter=default_filter)
            described = f"Array of {self.source} has many {self.target}"
        read = Route(
            "GET",
            self.path,
            handlers.find,
            operation_id=self._operation("find"),
            summary=f"Find the {relation.name} of the {self.source} with this id",
            tags=self.tags,
            parameters=(self.id_parameter, self._filter(limits)),
            responses=(self._list(described), *self._errors(400, 414, 503)),
        )
        if not writable(self.spec, relation):
            return (read,)
        writes = self._writes(handlers)
        if isinstance(handlers, ThroughHandlers):
            writes = (*writes, *self._links(handlers))
        return (read, *writes)

    def _writes(self, handlers: ForeignKeyHandlers | ThroughHandlers) -> tuple[Route, ...]:
        """``create``, ``patch`` and ``delete`` of hasMany, hasOne and hasManyThrough."""
        name = self.relation.name
        source = self.source
        return (
            Route(
                "POST",
                self.path,
                handlers.create,
                operation_id=self._operation("create"),
                summary=f"Create a {self.target} in the {name} of the {source} with this id",
                tags=self.tags,
                parameters=(self.id_parameter,),
                body=RequestBody(ref(self.names.new_body), when_absent={}),
                responses=(
                    RouteResponse(200, f"{self.target} model instance", ref(self.target)),
                    *self._errors(*_BODY_ERRORS),
                ),
            ),
            Route(
                "PATCH",
                self.path,
                handlers.patch,
                operation_id=self._operation("patch"),
                summary=f"Update the {name} of the {source} with this id matching a where filter",
                tags=self.tags,
                parameters=(self.id_parameter, self._where()),
                body=RequestBody(ref(self.names.partial_body), required=False, when_absent={}),
                responses=(self._count("PATCH"), *self._errors(414, *_BODY_ERRORS)),
            ),
            Route(
                "DELETE",
                self.path,
                handlers.delete,
                operation_id=self._operation("delete"),
                summary=f"Delete the {name} of the {source} with this id matching a where filter",
                tags=self.tags,
                parameters=(self.id_parameter, self._where()),
                responses=(self._count("DELETE"), *self._errors(400, 414, 503)),
            ),
        )

    def _links(self, handlers: ThroughHandlers) -> tuple[Route, ...]:
        """``link`` and ``unlink`` of hasManyThrough, at ``.../link/{fk}``."""
        target_key = self.target_info.field(self.relation.target_key)
        fk = key_parameter("fk", target_key.type)
        path = f"{self.path}/link/{{fk}}"
        source, target = self.source, self.target
        return (
            Route(
                "PUT",
                path,
                handlers.link,
                operation_id=self._operation("link"),
                summary=f"Link the {target} with this key to the {source} with this id",
                tags=self.tags,
                parameters=(self.id_parameter, fk),
                responses=(
                    RouteResponse(204, f"{target} linked to {source}"),
                    *self._errors(400, 409, 503, also=f", or no {target} has this key"),
                ),
            ),
            Route(
                "DELETE",
                path,
                handlers.unlink,
                operation_id=self._operation("unlink"),
                summary=f"Unlink the {target} with this key from the {source} with this id",
                tags=self.tags,
                parameters=(self.id_parameter, fk),
                responses=(
                    RouteResponse(204, f"{target} unlinked from {source}"),
                    *self._errors(
                        400, 503, also=f", no {target} has this key, or they are not linked"
                    ),
                ),
            ),
        )
