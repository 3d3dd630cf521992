"""What a backend needs to know of a model: its stored fields, table and id.

Built once per generation from the spec (:func:`entity_info`), so a backend
never reads the manifest.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass

from composer.repository.constraints import (
    ForeignKeyInfo,
    foreign_keys,
    key_indexes,
    referring_keys,
)
from composer.repository.relations.info import RelationInfo, relation_infos
from composer.spec import AppSpec, PropertySpec, base_chain, effective_properties, id_property

__all__ = ["Catalog", "EntityInfo", "FieldInfo", "IndexInfo", "Models", "entity_info"]


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One stored property of a model."""

    name: str
    #: the database column (``column:`` in the manifest, else the property name)
    column: str
    spec: PropertySpec

    @property
    def type(self) -> str:
        return self.spec.type

    @property
    def is_id(self) -> bool:
        return self.spec.id


@dataclass(frozen=True, slots=True)
class IndexInfo:
    """An index, declared or needed by a relation: its name, properties, whether unique."""

    name: str
    properties: tuple[str, ...]
    unique: bool


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """A persisted model as a backend sees it.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True, generated=True),
    ...                 "title": PropertySpec(type="string", column="todo_title")})})
    >>> info = entity_info(app, "Todo")
    >>> info.table, info.id.name, info.field("title").column
    ('Todo', 'id', 'todo_title')
    """

    name: str
    datasource: str | None
    table: str
    #: every property, base models' first, in declaration order
    fields: tuple[FieldInfo, ...]
    #: the id; a read-only model without exactly one has the first of :attr:`key` (see
    #: :attr:`addressable`)
    id: FieldInfo
    indexes: tuple[IndexInfo, ...]
    #: properties stored but never returned (``hidden: true`` or the model's ``hidden:`` list)
    hidden: frozenset[str] = frozenset()
    #: the model's relations (its base models' too), keys resolved
    relations: tuple[RelationInfo, ...] = ()
    #: the database constraints of the model's table (its constrained belongsTo relations)
    foreign_keys: tuple[ForeignKeyInfo, ...] = ()
    #: the database constraints referring to the model's rows
    referred_by: tuple[ForeignKeyInfo, ...] = ()

    def relation(self, name: str) -> RelationInfo | None:
        """The relation called ``name``; None when the model has none by that name."""
        for candidate in self.relations:
            if candidate.name == name:
                return candidate
        return None

    def field(self, name: str) -> FieldInfo:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def key(self) -> tuple[FieldInfo, ...]:
        """The fields that order rows when all else ties: the id (the several properties of
        a read-only model's composite key), or for a read-only model without an id every
        field the databases can order (JSON ones left out)."""
        return tuple(f for f in self.fields if f.is_id) or _row_key(self.fields)

    @property
    def addressable(self) -> bool:
        """Whether one id addresses a row (``/{id}`` routes); a read-only model may have none,
        or a composite key."""
        return sum(1 for f in self.fields if f.is_id) == 1


def _row_key(fields: tuple[FieldInfo, ...]) -> tuple[FieldInfo, ...]:
    """Every field of a model without an id that a database can order by (not JSON)."""
    return tuple(f for f in fields if f.type not in ("object", "array", "any")) or fields


#: the infos built for each live spec, by ``id(spec)`` (an entry goes with its spec)
_BUILT: dict[int, dict[str, EntityInfo]] = {}


def entity_info(app: AppSpec, name: str) -> EntityInfo:
    """The :class:`EntityInfo` of model ``name``, which must have an id property unless it
    is served read-only (``rest: {readonly: true}``): then ``id`` is the first of ``key``.

    Built once per spec and model (a spec is frozen): the container, the routes and the
    migrations of a generation all ask for it.
    """
    built = _BUILT.get(id(app))
    if built is None:
        built = _BUILT[id(app)] = {}
        weakref.finalize(app, _BUILT.pop, id(app), None)
    info = built.get(name)
    if info is None:
        info = built[name] = _entity_info(app, name)
    return info


def _entity_info(app: AppSpec, name: str) -> EntityInfo:
    model = app.models[name]
    fields = tuple(
        FieldInfo(prop, spec.column or prop, spec)
        for prop, spec in effective_properties(app, name).items()
    )
    found = id_property(app, name)
    if found is None and not (model.rest.readonly and fields):
        raise ValueError(f"model {name!r} has no id property")
    # a read-only model without an id has its first key field here, never used to address a row
    id_field = next(f for f in fields if f.name == found[0]) if found else _row_key(fields)[0]
    indexes = tuple(
        IndexInfo(index, tuple(spec.properties), spec.unique)
        for index, spec in model.indexes.items()
    )
    indexes += _key_indexes(app, name, indexes)
    listed = {prop for base in base_chain(app, name) for prop in app.models[base].hidden}
    hidden = frozenset(f.name for f in fields if f.spec.hidden or f.name in listed)
    return EntityInfo(
        name,
        model.datasource,
        model.table or name,
        fields,
        id_field,
        indexes,
        hidden,
        relation_infos(app, name),
        foreign_keys=foreign_keys(app, name),
        referred_by=referring_keys(app, name),
    )


def _key_indexes(app: AppSpec, name: str, declared: tuple[IndexInfo, ...]) -> tuple[IndexInfo, ...]:
    """The indexes relations need on ``name``'s keys that no declared index provides."""
    added = []
    taken = {(index.name, index.unique) for index in declared}
    for prop, unique in key_indexes(app, name).items():
        if any(i.properties == (prop,) and (i.unique or not unique) for i in declared):
            continue
        index = prop if (prop, unique) not in taken else f"{prop}Key"
        added.append(IndexInfo(index, (prop,), unique))
    return tuple(added)


#: looks up a model's :class:`EntityInfo` by name (None: unknown, or without an id and
#: not read-only); a :class:`Catalog` is one
Models = Callable[[str], "EntityInfo | None"]


class Catalog:
    """The :class:`EntityInfo` of any model of one spec, each built on first use.

    Relations name their target by model; a filter that follows a relation
    (``include``, ``{"todoList.color": "red"}``) looks the target up here.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Todo": ModelSpec(
    ...     properties={"id": PropertySpec(type="integer", id=True)})})
    >>> catalog = Catalog(app)
    >>> catalog("Todo") is catalog.require("Todo"), catalog("Nope")
    (True, None)
    """

    __slots__ = ("_app", "_infos")

    def __init__(self, app: AppSpec) -> None:
        self._app = app
        self._infos: dict[str, EntityInfo] = {}

    def __call__(self, name: str) -> EntityInfo | None:
        """The info of model ``name``, or None when it is unknown or has no id (and is not
        read-only)."""
        try:
            return self.require(name)
        except (KeyError, ValueError):
            return None

    def require(self, name: str) -> EntityInfo:
        """The info of model ``name``: KeyError when unknown, ValueError without an id (and
        not read-only)."""
        info = self._infos.get(name)
        if info is None:
            if name not in self._app.models:
                raise KeyError(name)
            info = self._infos[name] = entity_info(self._app, name)
        return info
