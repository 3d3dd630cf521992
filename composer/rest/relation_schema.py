"""The OpenAPI side of relations: which relations have endpoints, their names and schemas.

A relation has REST endpoints (:mod:`composer.rest.relation_routes`) when it
is exposed (its ``rest:`` flag), its source model is served over REST and
its target (and join model) is persisted. Its names follow LoopBack 4's
``lb4 relation`` controllers, for ``TodoList.todos`` (hasMany Todo):

=============================  ================================================
``TodoListTodoController``     the tag, and the operation ids' prefix
                               (``TodoListTodoController.find``)
``NewTodoInTodoList``          what ``POST /todo-lists/{id}/todos`` takes: a new
                               Todo, its foreign key optional and read-only
``TodoPartialInTodoList``      what ``PATCH /todo-lists/{id}/todos`` takes:
                               ``TodoPartial`` with the foreign key read-only
=============================  ================================================

A read-only key is one the body may leave out or repeat (the path gives it):
any other value is a 400. When a model has two exposed relations to the same
target, the relation's name stands for the target in its names
(``CategoryParentController``, ``NewCategoryInCategoryParent``), so no two
operations share an id.

``<Model>WithRelations``, what reads answer, lists the model's exposed
relations beside its properties: a to-one relation as the target's
``WithRelations`` schema, a to-many one as an array of them (what
``?filter={"include": [...]}`` adds).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from composer.rest.crud_schema import crud_components, ref, scope_components
from composer.rest.model_schema import model_schema
from composer.spec import rest_path

if TYPE_CHECKING:
    from composer.repository.entity import Catalog, EntityInfo
    from composer.repository.relations.info import RelationInfo
    from composer.spec import AppSpec

__all__ = [
    "RelationNames",
    "relation_components",
    "relation_names",
    "routed_relations",
    "with_relations_schema",
    "writable",
]

#: the kinds whose endpoints write: their source constrains the target's foreign key
_FOREIGN_KEY_KINDS = ("hasMany", "hasOne")


@dataclass(frozen=True, slots=True)
class RelationNames:
    """The names a relation's endpoints and schemas go by."""

    #: the tag and the operation ids' prefix, ``TodoListTodoController``
    controller: str
    #: the create body's component, ``NewTodoInTodoList``
    new_body: str
    #: the PATCH body's component, ``TodoPartialInTodoList``
    partial_body: str


def _persisted(app: AppSpec, catalog: Catalog, name: str | None) -> bool:
    if name is None or name not in app.models or app.models[name].datasource is None:
        return False
    return catalog(name) is not None


def routed_relations(app: AppSpec, info: EntityInfo, catalog: Catalog) -> tuple[RelationInfo, ...]:
    """The relations of ``info`` with endpoints (the model must be served over REST; a
    read-only model without one id has none: no ``/{id}`` to reach them from).

    >>> from composer.repository.entity import Catalog
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident, relations={
    ...         "todos": HasManySpec(type="hasMany", model="Todo"),
    ...         "hidden": HasManySpec(type="hasMany", model="Todo", rest=False)}),
    ...     "Todo": ModelSpec(datasource="db", properties=ident)})
    >>> catalog = Catalog(app)
    >>> [r.name for r in routed_relations(app, catalog.require("TodoList"), catalog)]
    ['todos']
    """
    if not info.addressable:
        return ()
    return tuple(
        relation
        for relation in info.relations
        if relation.exposed
        and _persisted(app, catalog, relation.target)
        and (relation.through is None or _persisted(app, catalog, relation.through))
    )


def writable(app: AppSpec, relation: RelationInfo) -> bool:
    """Whether the relation has write endpoints: a kind that writes (not belongsTo, not
    referencesMany), neither model ``rest.readonly``.

    >>> from composer.repository.relations.info import RelationInfo
    >>> from composer.spec import AppSpec, ModelSpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "A": ModelSpec(datasource="db"), "B": ModelSpec(datasource="db")})
    >>> writable(app, RelationInfo("b", "belongsTo", "A", "B", "bId", "id"))
    False
    """
    if relation.kind not in (*_FOREIGN_KEY_KINDS, "hasManyThrough"):
        return False
    models = app.models
    return not models[relation.source].rest.readonly and not models[relation.target].rest.readonly


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def relation_names(info: EntityInfo, relation: RelationInfo) -> RelationNames:
    """The controller and body schema names of ``relation``, a relation of ``info``.

    >>> from composer.repository.entity import Catalog
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident,
    ...                           relations={"todos": HasManySpec(type="hasMany", model="Todo")}),
    ...     "Todo": ModelSpec(datasource="db", properties=ident)})
    >>> info = Catalog(app).require("TodoList")
    >>> relation_names(info, info.relations[0])  # doctest: +NORMALIZE_WHITESPACE
    RelationNames(controller='TodoListTodoController', new_body='NewTodoInTodoList',
                  partial_body='TodoPartialInTodoList')
    """
    source, target = relation.source, relation.target
    twins = [r for r in info.relations if r.exposed and r.target == target]
    if len(twins) > 1:
        stem = _capitalised(relation.name)
        return RelationNames(
            controller=f"{source}{stem}Controller",
            new_body=f"New{target}In{source}{stem}",
            partial_body=f"{target}PartialIn{source}{stem}",
        )
    return RelationNames(
        controller=f"{source}{target}Controller",
        new_body=f"New{target}In{source}",
        partial_body=f"{target}PartialIn{source}",
    )


def _read_only(schema: dict[str, Any], key: str) -> dict[str, Any]:
    """``schema`` with ``key`` optional and read-only (the path gives its value)."""
    properties = dict(schema["properties"])
    if key in properties:
        properties[key] = {**properties[key], "readOnly": True}
    result = {**schema, "properties": properties}
    required = [name for name in schema.get("required", ()) if name != key]
    if required:
        result["required"] = required
    else:
        result.pop("required", None)
    return result


def _body_schemas(
    app: AppSpec, info: EntityInfo, relation: RelationInfo
) -> dict[str, dict[str, Any]]:
    names = relation_names(info, relation)
    target = relation.target
    # the foreign key (hasMany, hasOne) or the key the links refer to (hasManyThrough)
    key = relation.target_key
    new = model_schema(app, target, new=True, title=names.new_body)
    if relation.kind in _FOREIGN_KEY_KINDS:
        new = _read_only(new, key)
    partial = model_schema(app, target, partial=True, title=names.partial_body)
    return {names.new_body: new, names.partial_body: _read_only(partial, key)}


def with_relations_schema(app: AppSpec, info: EntityInfo, catalog: Catalog) -> dict[str, Any]:
    """``<Model>WithRelations``: every property optional, and each exposed relation whose
    target is persisted, as its target's ``WithRelations`` (an array for a to-many one).

    >>> from composer.repository.entity import Catalog
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, BelongsToSpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident),
    ...     "Todo": ModelSpec(datasource="db", properties=ident, relations={
    ...         "todoList": BelongsToSpec(type="belongsTo", model="TodoList")})})
    >>> catalog = Catalog(app)
    >>> with_relations_schema(app, catalog.require("Todo"), catalog)["properties"]["todoList"]
    {'$ref': '#/components/schemas/TodoListWithRelations'}
    """
    name = info.name
    schema = model_schema(app, name, partial=True, title=f"{name}WithRelations")
    properties = dict(schema["properties"])
    for relation in info.relations:
        if not relation.exposed or not _persisted(app, catalog, relation.target):
            continue
        target = ref(f"{relation.target}WithRelations")
        properties[relation.name] = {"type": "array", "items": target} if relation.many else target
    return {**schema, "properties": properties}


def relation_components(
    app: AppSpec, catalog: Catalog, *, max_limit: int | None = None
) -> dict[str, Any]:
    """The component schemas relations bring to the document, by name.

    The body schemas of every relation with write endpoints; the CRUD
    components of a target not served over REST (its filters, bodies and
    answers, which its relation endpoints refer to) and the scope filters its
    filter's ``include`` refers to; and the
    ``<Model>WithRelations`` of every model served or reached through an
    exposed relation, which replaces the one without relations.

    >>> from composer.repository.entity import Catalog
    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident,
    ...                           relations={"todos": HasManySpec(type="hasMany", model="Todo")}),
    ...     "Todo": ModelSpec(datasource="db", properties=ident)})
    >>> sorted(relation_components(app, Catalog(app)))  # doctest: +NORMALIZE_WHITESPACE
    ['NewTodoInTodoList', 'TodoListWithRelations', 'TodoPartialInTodoList',
     'TodoWithRelations']
    """
    schemas: dict[str, Any] = {}
    reached: list[str] = []
    unserved: set[str] = set()
    for name, model in app.models.items():
        info = catalog(name)
        if rest_path(name, model) is None or info is None:
            continue
        reached.append(name)
        for relation in routed_relations(app, info, catalog):
            target = relation.target
            if rest_path(target, app.models[target]) is None:
                unserved.add(target)
            if writable(app, relation):
                schemas.update(_body_schemas(app, info, relation))
    for target in sorted(unserved):
        for component, schema in crud_components(app, target, max_limit=max_limit).items():
            schemas.setdefault(component, schema)
    if unserved:
        # the scopes the unserved targets' filters include
        scopes = scope_components(app, max_limit=max_limit, roots=sorted(unserved))
        for component, schema in scopes.items():
            schemas.setdefault(component, schema)
    seen: set[str] = set()
    while reached:
        name = reached.pop()
        info = catalog(name)
        if name in seen or info is None:
            continue
        seen.add(name)
        schemas[f"{name}WithRelations"] = with_relations_schema(app, info, catalog)
        reached.extend(
            relation.target
            for relation in info.relations
            if relation.exposed and _persisted(app, catalog, relation.target)
        )
    return schemas
