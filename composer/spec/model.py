"""The ``models:`` section: properties, relations, indexes, REST exposure."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field

from composer.spec.acl import AclSpec
from composer.spec.base import SpecModel
from composer.spec.relation import RelationSpec
from composer.spec.scalars import Bool, NonNegativeInt, Number, Seq, Shorthand, bool_shorthand

__all__ = [
    "PROPERTY_TYPES",
    "IndexSpec",
    "ModelRestSpec",
    "ModelSpec",
    "PropertySpec",
    "PropertyType",
]

PropertyType = Literal[
    "string",
    "number",
    "integer",
    "boolean",
    "date",
    "datetime",
    "object",
    "array",
    "any",
    "buffer",
]
PROPERTY_TYPES: tuple[str, ...] = get_args(PropertyType)


def _type_shorthand(value: Any) -> Any:
    return {"type": value} if isinstance(value, str) else value


#: ``title: string`` means ``title: {type: string}``
_PropertyShorthand = Shorthand(_type_shorthand, lambda: {"enum": list(PROPERTY_TYPES)})


class PropertySpec(SpecModel):
    """One property of a model; the manifest may say just the type (``title: string``).

    ``default`` may be ``now`` for a date or datetime and ``uuid`` for a
    string. ``format`` is an OpenAPI annotation (``email``, ``uri``, ...)
    shown in the API document.

    >>> PropertySpec(type="string", required=True).id
    False
    """

    type: PropertyType
    """string, number, integer, boolean, date, datetime, object, array, any or buffer"""
    items: Annotated[PropertySpec, _PropertyShorthand] | None = None
    """the type of an array's items"""
    id: Bool = False
    """this property is the model's id"""
    generated: Bool = False
    """the database or composer generates the value"""
    required: Bool = False
    """a value must be given on create"""
    default: Any = None
    """the value when none is given; 'now' for dates, 'uuid' for strings"""
    description: str | None = None
    minimum: Number | None = None
    """the smallest allowed number"""
    maximum: Number | None = None
    """the largest allowed number"""
    min_length: NonNegativeInt | None = None
    """the fewest characters (or array items)"""
    max_length: NonNegativeInt | None = None
    """the most characters (or array items)"""
    pattern: str | None = None
    """a regular expression a string must match (Rust regex syntax: no look-around)"""
    enum: Seq[Any] | None = None
    """the allowed values"""
    format: str | None = None
    """an OpenAPI format annotation: email, uri, uuid, ..."""
    hidden: Bool = False
    """stored and accepted on write, never returned"""
    column: str | None = None
    """the database column; default the property name"""
    nullable: Bool = False
    """null is an accepted value (otherwise a property is either set or omitted)"""


PropertyField = Annotated[PropertySpec, _PropertyShorthand]


class ModelRestSpec(SpecModel):
    """How a model is served over REST; the manifest may say ``rest: false``.

    >>> ModelRestSpec().exposed
    True
    """

    exposed: Bool = True
    """serve CRUD endpoints for the model (when it has a datasource)"""
    path: str | None = None
    """the path under basePath; default / + the kebab-case plural of the name"""
    readonly: Bool = False
    """serve only the reads: find, findById and count"""


class IndexSpec(SpecModel):
    """A database index over one or more properties.

    >>> IndexSpec(properties=("email",), unique=True).unique
    True
    """

    properties: Annotated[Seq[str], Field(min_length=1)]
    """the indexed properties, in order"""
    unique: Bool = False
    """no two rows may share the indexed values"""


class ModelSpec(SpecModel):
    """A model: its properties, relations and how it is stored and served.

    >>> ModelSpec(datasource="db", properties={"id": PropertySpec(type="integer", id=True)}).strict
    True
    """

    base: str | None = None
    """a model whose properties this one inherits"""
    datasource: str | None = None
    """where instances are stored; a model without one is not persisted nor served"""
    description: str | None = None
    properties: dict[str, PropertyField] = {}
    """the properties, by name; 'title: string' is short for 'title: {type: string}'"""
    relations: dict[str, RelationSpec] = {}
    """relations to other models, by name"""
    acls: Seq[AclSpec] = ()
    """access control rules"""
    hidden: Seq[str] = ()
    """properties stored but never returned"""
    indexes: dict[str, IndexSpec] = {}
    """database indexes, by name"""
    rest: Annotated[ModelRestSpec, bool_shorthand("exposed")] = ModelRestSpec()
    """REST exposure, or true/false"""
    strict: Bool = True
    """reject properties that are not declared"""
    table: str | None = None
    """the database table; default the model name"""
    force_id: Bool = True
    """a client cannot set a generated id (LoopBack's forceId)"""
    scope: dict[str, Any] | None = None
    """a default filter merged into every query: where, order, limit, skip, fields"""
