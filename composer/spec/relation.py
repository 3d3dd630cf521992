"""Relations between models, one spec per kind, chosen by ``type:``.

Keys left out take LoopBack's defaults (see :func:`composer.spec.relation_keys`):

- ``belongsTo``: the source holds ``foreignKey`` (default ``<relationName>Id``),
  referring to the target's ``keyTo`` (default the target's id); written as a
  mapping, ``foreignKey: {property, onDelete, onUpdate}`` also declares the
  database constraint (see :class:`ForeignKeySpec`);
- ``hasMany`` / ``hasOne``: the target holds ``foreignKey`` / ``keyTo`` (default
  ``<sourceModel>Id`` in camelCase, ``TodoList`` -> ``todoListId``), referring to the
  source's ``keyFrom`` (default the source's id);
- ``hasMany`` with ``through``: the through model holds ``through.keyFrom``
  (default ``<sourceModel>Id``) and ``through.keyTo`` (default ``<targetModel>Id``),
  referring to the source's and the target's ids;
- ``referencesMany``: the source holds the array ``foreignKey`` (default
  ``<targetModel>Ids``, ``Account`` -> ``accountIds``), of the target's ``keyTo``
  (default the target's id).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from composer.spec.base import SpecModel
from composer.spec.scalars import Bool, Shorthand

__all__ = [
    "BelongsToSpec",
    "ForeignKeyAction",
    "ForeignKeySpec",
    "HasManySpec",
    "HasOneSpec",
    "ReferencesManySpec",
    "RelationSpec",
    "ThroughSpec",
]


ForeignKeyAction = Literal["restrict", "cascade", "setNull", "noAction"]
"""What the database does to the rows referring to a deleted or re-keyed row."""


class ForeignKeySpec(SpecModel):
    """A belongsTo's foreign key and, when it gives an action, its database constraint.

    ``foreignKey: todoListId`` is short for ``foreignKey: {property: todoListId}``.
    Giving ``onDelete`` or ``onUpdate`` declares the constraint (an action left
    out is the database's default, ``noAction``).

    >>> ForeignKeySpec.model_validate({"property": "todoListId", "onDelete": "cascade"})
    ForeignKeySpec(property='todoListId', on_delete='cascade', on_update=None)
    """

    property: str | None = None
    """the property on this model holding the target's key; default <relationName>Id"""
    on_delete: ForeignKeyAction | None = None
    """when the target row is deleted: restrict, cascade, setNull or noAction"""
    on_update: ForeignKeyAction | None = None
    """when the target row's key changes: restrict, cascade, setNull or noAction"""


def _property_shorthand(value: Any) -> Any:
    return {"property": value} if isinstance(value, str) else value


#: ``foreignKey: todoListId`` means ``foreignKey: {property: todoListId}``
_ForeignKeyShorthand = Shorthand(_property_shorthand, lambda: {"type": "string"})


class BelongsToSpec(SpecModel):
    """The source holds a foreign key to one target: ``Todo.todoList``.

    >>> spec = BelongsToSpec(type="belongsTo", model="TodoList", foreign_key="listId")
    >>> spec.key, spec.constraint
    ('listId', None)
    """

    type: Literal["belongsTo"]
    model: str
    """the target model"""
    foreign_key: Annotated[ForeignKeySpec, _ForeignKeyShorthand] | None = None
    """the property on this model holding the target's key, or {property, onDelete, onUpdate}"""
    key_to: str | None = None
    """the target's property the foreign key refers to; default the target's id"""
    rest: Bool = True
    """serve the relation's REST endpoint"""
    description: str | None = None

    @property
    def key(self) -> str | None:
        """The foreign key property as written; None when it takes the default."""
        return self.foreign_key.property if self.foreign_key is not None else None

    @property
    def constraint(self) -> ForeignKeySpec | None:
        """The foreign key when it declares a database constraint (onDelete or onUpdate)."""
        fk = self.foreign_key
        if fk is None or (fk.on_delete is None and fk.on_update is None):
            return None
        return fk


class ThroughSpec(SpecModel):
    """The join model of a many-to-many ``hasMany``.

    >>> ThroughSpec(model="Appointment").key_from is None
    True
    """

    model: str
    """the join model"""
    key_from: str | None = None
    """the join model's property referring to the source; default <sourceModel>Id"""
    key_to: str | None = None
    """the join model's property referring to the target; default <targetModel>Id"""


class HasManySpec(SpecModel):
    """Many targets hold a foreign key to the source: ``TodoList.todos``.

    >>> HasManySpec(type="hasMany", model="Todo", foreign_key="todoListId").through is None
    True
    """

    type: Literal["hasMany"]
    model: str
    """the target model"""
    foreign_key: str | None = None
    """the target's property referring to the source; default <sourceModel>Id (same as keyTo)"""
    key_to: str | None = None
    """LoopBack 4's name for foreignKey"""
    key_from: str | None = None
    """the source's property the foreign key refers to; default the source's id"""
    through: ThroughSpec | None = None
    """a join model, for many-to-many"""
    rest: Bool = True
    """serve the relation's REST endpoints"""
    description: str | None = None


class HasOneSpec(SpecModel):
    """One target holds a foreign key to the source: ``User.profile``.

    >>> HasOneSpec(type="hasOne", model="Profile").key_from is None
    True
    """

    type: Literal["hasOne"]
    model: str
    """the target model"""
    foreign_key: str | None = None
    """the target's property referring to the source; default <sourceModel>Id (same as keyTo)"""
    key_to: str | None = None
    """LoopBack 4's name for foreignKey"""
    key_from: str | None = None
    """the source's property the foreign key refers to; default the source's id"""
    rest: Bool = True
    """serve the relation's REST endpoints"""
    description: str | None = None


class ReferencesManySpec(SpecModel):
    """The source holds an array of target keys: ``User.accounts`` via ``accountIds``.

    >>> ReferencesManySpec(type="referencesMany", model="Account").rest
    True
    """

    type: Literal["referencesMany"]
    model: str
    """the target model"""
    foreign_key: str | None = None
    """the array property on this model holding target keys; default <targetModel>Ids"""
    key_to: str | None = None
    """the target's property the keys refer to; default the target's id"""
    rest: Bool = True
    """serve the relation's REST endpoint"""
    description: str | None = None


RelationSpec = Annotated[
    BelongsToSpec | HasManySpec | HasOneSpec | ReferencesManySpec, Field(discriminator="type")
]
"""A relation, by its ``type:``."""
