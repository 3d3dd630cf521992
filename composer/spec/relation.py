"""Relations between models, one spec per kind, chosen by ``type:``.

Keys left out take LoopBack's defaults (see :func:`composer.spec.relation_keys`):

- ``belongsTo``: the source holds ``foreignKey`` (default ``<relationName>Id``),
  referring to the target's ``keyTo`` (default the target's id);
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

from typing import Annotated, Literal

from pydantic import Field

from composer.spec.base import SpecModel
from composer.spec.scalars import Bool

__all__ = [
    "BelongsToSpec",
    "HasManySpec",
    "HasOneSpec",
    "ReferencesManySpec",
    "RelationSpec",
    "ThroughSpec",
]


class BelongsToSpec(SpecModel):
    """The source holds a foreign key to one target: ``Todo.todoList``.

    >>> BelongsToSpec(type="belongsTo", model="TodoList").foreign_key is None
    True
    """

    type: Literal["belongsTo"]
    model: str
    """the target model"""
    foreign_key: str | None = None
    """the property on this model holding the target's key; default <relationName>Id"""
    key_to: str | None = None
    """the target's property the foreign key refers to; default the target's id"""
    rest: Bool = True
    """serve the relation's REST endpoint"""
    description: str | None = None


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
