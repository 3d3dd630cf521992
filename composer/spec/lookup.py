"""Questions the runtime asks of an :class:`AppSpec`: inherited properties, ids, relation keys."""

from __future__ import annotations

from dataclasses import dataclass

from composer.spec.app import AppSpec
from composer.spec.model import PropertySpec
from composer.spec.naming import camel_case
from composer.spec.relation import BelongsToSpec, HasManySpec, ReferencesManySpec

__all__ = ["RelationKeys", "base_chain", "effective_properties", "id_property", "relation_keys"]


def base_chain(app: AppSpec, name: str) -> tuple[str, ...]:
    """``name`` and its base models, most basic first; stops at an unknown base or a cycle.

    >>> from composer.spec import AppSpec, ModelSpec
    >>> app = AppSpec(api_version="composer/v1", name="a",
    ...               models={"Base": ModelSpec(), "Todo": ModelSpec(base="Base")})
    >>> base_chain(app, "Todo")
    ('Base', 'Todo')
    """
    chain: list[str] = []
    current: str | None = name
    while current is not None and current in app.models and current not in chain:
        chain.append(current)
        current = app.models[current].base
    return tuple(reversed(chain))


def effective_properties(app: AppSpec, name: str) -> dict[str, PropertySpec]:
    """A model's properties with its base models' first; its own override a base's.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "Base": ModelSpec(properties={"id": PropertySpec(type="integer", id=True)}),
    ...     "Todo": ModelSpec(base="Base", properties={"title": PropertySpec(type="string")})})
    >>> list(effective_properties(app, "Todo"))
    ['id', 'title']
    """
    properties: dict[str, PropertySpec] = {}
    for model in base_chain(app, name):
        properties.update(app.models[model].properties)
    return properties


def id_property(app: AppSpec, name: str) -> tuple[str, PropertySpec] | None:
    """The (first) property marked ``id: true``, inherited ones included; None without one.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "Todo": ModelSpec(properties={"id": PropertySpec(type="integer", id=True)})})
    >>> id_property(app, "Todo")[0]
    'id'
    """
    for prop_name, prop in effective_properties(app, name).items():
        if prop.id:
            return prop_name, prop
    return None


@dataclass(frozen=True, slots=True)
class RelationKeys:
    """The properties a relation joins on, LoopBack's defaults filled in.

    ``source_key`` is on the model declaring the relation, ``target_key`` on
    the related model; for a many-to-many ``hasMany`` the through model's
    ``through_from`` refers to the source and ``through_to`` to the target.
    A key is None only when it defaults to an id the model does not have.
    """

    source_key: str | None
    target_key: str | None
    through_from: str | None = None
    through_to: str | None = None


def _id_name(app: AppSpec, model: str) -> str | None:
    found = id_property(app, model)
    return found[0] if found else None


def relation_keys(app: AppSpec, source: str, relation: str) -> RelationKeys:
    """The join keys of ``models[source].relations[relation]``.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec, HasManySpec
    >>> ident = {"id": PropertySpec(type="integer", id=True)}
    >>> app = AppSpec(api_version="composer/v1", name="a", models={
    ...     "TodoList": ModelSpec(properties=ident,
    ...                           relations={"todos": HasManySpec(type="hasMany", model="Todo")}),
    ...     "Todo": ModelSpec(properties=ident)})
    >>> relation_keys(app, "TodoList", "todos")
    RelationKeys(source_key='id', target_key='todoListId', through_from=None, through_to=None)
    """
    spec = app.models[source].relations[relation]
    target = spec.model
    if isinstance(spec, BelongsToSpec):
        return RelationKeys(spec.key or f"{relation}Id", spec.key_to or _id_name(app, target))
    if isinstance(spec, ReferencesManySpec):
        return RelationKeys(
            spec.foreign_key or f"{camel_case(target)}Ids", spec.key_to or _id_name(app, target)
        )
    source_key = spec.key_from or _id_name(app, source)
    if isinstance(spec, HasManySpec) and spec.through is not None:
        through = spec.through
        return RelationKeys(
            source_key,
            spec.key_to or _id_name(app, target),
            through.key_from or f"{camel_case(source)}Id",
            through.key_to or f"{camel_case(target)}Id",
        )
    return RelationKeys(source_key, spec.key_to or spec.foreign_key or f"{camel_case(source)}Id")
