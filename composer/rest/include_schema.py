"""The OpenAPI schemas of relations inside filters: ``include`` and where keys that follow
a relation.

``<Model>.Filter`` gets an ``include`` property: an entry (a relation name, or
``{"relation", "scope"}``) or a list of entries, for each exposed relation; the
scope of a relation is ``<Target>.ScopeFilter``, a filter of the target.
``<Model>.WhereFilter`` lists ``relation.property`` keys one relation deep, each
with a plain value.

Two things the server accepts are only described, not spelled out in JSON
Schema, for the same reason the where clauses' depth limit is
(:data:`composer.rest.crud_schema.DEPTH_NOTE`): written out, they multiply the
document's schemas (a scope per level and relation, operators per related
property), and schema-driven tools then spend minutes on every operation. The
document spells out :data:`SCHEMA_INCLUDE_LEVELS` level of include (a scope's
own ``include`` works down to ``rest.maxIncludeDepth``; :data:`SCOPE_NOTE`
says so), and a ``relation.property`` key takes operators as a property does
(:data:`RELATION_KEY_NOTE`).
"""

from __future__ import annotations

from typing import Any

from composer.repository.entity import Catalog
from composer.repository.relations.info import RelationInfo
from composer.spec import AppSpec

__all__ = [
    "RELATION_KEY_NOTE",
    "SCHEMA_INCLUDE_LEVELS",
    "SCOPE_NOTE",
    "includable",
    "include_schema",
    "scope_name",
    "where_relations",
]

#: how many levels of include the document's filter schemas spell out
SCHEMA_INCLUDE_LEVELS = 1
#: the description of a scope filter
SCOPE_NOTE = (
    "A filter of the related model. Its own include (not spelled out here) nests further, "
    "down to rest.maxIncludeDepth levels in all (docs/relations.md)."
)
#: the description of a relation.property key of a where filter
RELATION_KEY_NOTE = (
    "A property of a related row (docs/relations.md): a value, or operators as on the "
    "property itself."
)


def includable(app: AppSpec, name: str) -> list[RelationInfo]:
    """The relations of model ``name`` a filter may include: exposed, to a stored model.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(datasource="db", properties=ident,
    ...                           relations={"todos": HasManySpec(type="hasMany", model="Todo")}),
    ...     "Todo": ModelSpec(datasource="db", properties=ident)})
    >>> [relation.name for relation in includable(app, "TodoList")]
    ['todos']
    """
    catalog = Catalog(app)
    info = catalog(name)
    if info is None:
        return []
    return [
        relation
        for relation in info.relations
        if relation.exposed
        and app.models[relation.target].datasource is not None
        and catalog(relation.target) is not None
    ]


def scope_name(target: str, level: int) -> str:
    """The component name of a scope of ``target`` at include ``level`` (1 = top).

    >>> scope_name("Todo", 1), scope_name("Todo", 2)
    ('Todo.ScopeFilter', 'Todo.ScopeFilter.2')
    """
    return f"{target}.ScopeFilter" if level == 1 else f"{target}.ScopeFilter.{level}"


def include_schema(app: AppSpec, name: str, level: int) -> dict[str, Any] | None:
    """The schema of ``include`` in a filter of ``name`` whose scopes are at ``level``
    (None: the model has no includable relation, or ``level`` is past the depth limit)."""
    relations = includable(app, name)
    if not relations or level > min(app.rest.max_include_depth, SCHEMA_INCLUDE_LEVELS):
        return None
    names = [relation.name for relation in relations]
    objects = [
        {
            "type": "object",
            "properties": {
                "relation": {"type": "string", "enum": [relation.name]},
                "scope": {"$ref": f"#/components/schemas/{scope_name(relation.target, level)}"},
            },
            "required": ["relation"],
            "additionalProperties": False,
        }
        for relation in relations
    ]
    item = {"anyOf": [{"type": "string", "enum": names}, *objects]}
    return {
        "title": f"{name}.IncludeFilter",
        "description": "related rows to attach to each instance: a relation name, "
        '{"relation", "scope"}, or a list of them (docs/relations.md)',
        "anyOf": [item, {"type": "array", "items": item}],
    }


def where_relations(app: AppSpec, name: str) -> list[RelationInfo]:
    """The relations a where clause of ``name`` may follow: includable, within one SQL
    datasource, not referencesMany."""
    return [
        relation
        for relation in includable(app, name)
        if relation.joinable and relation.kind != "referencesMany"
    ]
