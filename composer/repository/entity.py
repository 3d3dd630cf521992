"""What a backend needs to know of a model: its stored fields, table and id.

Built once per generation from the spec (:func:`entity_info`), so a backend
never reads the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass

from composer.spec import AppSpec, PropertySpec, base_chain, effective_properties, id_property

__all__ = ["EntityInfo", "FieldInfo", "IndexInfo", "entity_info"]


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
    """A declared index: its name, the properties it covers, whether it is unique."""

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
    id: FieldInfo
    indexes: tuple[IndexInfo, ...]
    #: properties stored but never returned (``hidden: true`` or the model's ``hidden:`` list)
    hidden: frozenset[str] = frozenset()

    def field(self, name: str) -> FieldInfo:
        for candidate in self.fields:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


def entity_info(app: AppSpec, name: str) -> EntityInfo:
    """The :class:`EntityInfo` of model ``name`` (which must have an id property)."""
    model = app.models[name]
    fields = tuple(
        FieldInfo(prop, spec.column or prop, spec)
        for prop, spec in effective_properties(app, name).items()
    )
    found = id_property(app, name)
    if found is None:
        raise ValueError(f"model {name!r} has no id property")
    id_field = next(f for f in fields if f.name == found[0])
    indexes = tuple(
        IndexInfo(index, tuple(spec.properties), spec.unique)
        for index, spec in model.indexes.items()
    )
    listed = {prop for base in base_chain(app, name) for prop in app.models[base].hidden}
    hidden = frozenset(f.name for f in fields if f.spec.hidden or f.name in listed)
    return EntityInfo(
        name, model.datasource, model.table or name, fields, id_field, indexes, hidden
    )
