"""A model's JSON Schema, as the OpenAPI document shows it (LoopBack's ``getModelSchemaRef``).

Property types map to JSON Schema as follows:

=========  ===========================================
string     ``{"type": "string"}``
number     ``{"type": "number"}``
integer    ``{"type": "integer"}``
boolean    ``{"type": "boolean"}``
date       ``{"type": "string", "format": "date"}``
datetime   ``{"type": "string", "format": "date-time"}``
buffer     ``{"type": "string", "format": "byte"}`` (base64)
object     ``{"type": "object"}``
array      ``{"type": "array", "items": <the items' schema>}``
any        ``{}``
=========  ===========================================

with ``description``, ``default`` (not the generated ``now``/``uuid``),
``enum``, ``minimum``/``maximum`` (an integer's default to the 64-bit range),
``minLength``/``maxLength`` (``minItems``/``maxItems`` for an array),
``pattern``, ``format`` and ``nullable``. A ``date`` and a ``datetime``
also have the pattern of the dates every backend stores (years 1 to 9999,
in UTC for a datetime: ``composer.repository.formats.DATE_RANGE`` and
``DATETIME_RANGE``). No database stores a NUL
character, so a ``string`` property's schema also has the pattern
``^[^\\u0000]*$`` (in ``allOf`` when the property has a pattern of its
own; left out when an ``enum`` already admits only such strings). A lone
surrogate, the other character no database stores, never reaches a schema:
JSON text holding one is refused as malformed. The server checks the
strings inside an ``object`` or ``any`` value too, keys included, which
their schemas do not say (OpenAPI 3.0 has no schema for keys). Hidden
properties are left out,
``required`` lists the required ones, and a strict model has
``additionalProperties: false``. ``New<Model>`` is the schema a create
takes: the same without a generated id the client may not set
(``forceId``); ``<Model>Partial`` requires nothing (what a PATCH takes).
Outside ``New<Model>`` the id is ``readOnly``: a PUT or PATCH names the
instance in its path, and a body may only repeat that id.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.repository.formats import DATE_RANGE, DATETIME_RANGE
from composer.repository.keywords import STORABLE_PATTERN, storable
from composer.spec import base_chain, effective_properties

if TYPE_CHECKING:
    from composer.spec import AppSpec, PropertySpec

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "model_schema",
    "property_schema",
    "visible_properties",
]

#: the range every backend stores an integer in (64 bits), shown unless a property narrows it
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

_TYPES: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date", "pattern": DATE_RANGE},
    "datetime": {"type": "string", "format": "date-time", "pattern": DATETIME_RANGE},
    "buffer": {"type": "string", "format": "byte"},
    "object": {"type": "object"},
    "array": {"type": "array"},
    "any": {},
}


def _generated_default(prop: PropertySpec) -> bool:
    if prop.type in ("date", "datetime"):
        return bool(prop.default == "now")
    return prop.type == "string" and bool(prop.default == "uuid")


def _storable_enum(prop: PropertySpec) -> bool:
    """Whether the property's enum admits only strings every database stores (no NUL)."""
    return prop.enum is not None and all(
        isinstance(value, str) and storable(value) for value in prop.enum
    )


def property_schema(prop: PropertySpec) -> dict[str, Any]:
    """The JSON Schema of one property.

    >>> from composer.spec import PropertySpec
    >>> property_schema(PropertySpec(type="integer", minimum=1, description="how urgent"))
    {'type': 'integer', 'description': 'how urgent', 'minimum': 1, 'maximum': 9223372036854775807}
    >>> property_schema(PropertySpec(type="string", pattern="^[a-z]+$"))
    {'type': 'string', 'pattern': '^[a-z]+$', 'allOf': [{'pattern': '^[^\\\\u0000]*$'}]}
    """
    schema: dict[str, Any] = dict(_TYPES[prop.type])
    if prop.type == "array":
        schema["items"] = property_schema(prop.items) if prop.items is not None else {}
    if prop.format is not None:
        schema["format"] = prop.format
    if prop.description is not None:
        schema["description"] = prop.description
    if prop.default is not None and not _generated_default(prop):
        schema["default"] = prop.default
    if prop.enum is not None:
        schema["enum"] = list(prop.enum)
    if prop.minimum is not None:
        schema["minimum"] = prop.minimum
    elif prop.type == "integer":
        schema["minimum"] = INT64_MIN
    if prop.maximum is not None:
        schema["maximum"] = prop.maximum
    elif prop.type == "integer":
        schema["maximum"] = INT64_MAX
    length_key = "Items" if prop.type == "array" else "Length"
    if prop.min_length is not None:
        schema[f"min{length_key}"] = prop.min_length
    if prop.max_length is not None:
        schema[f"max{length_key}"] = prop.max_length
    if prop.pattern is not None:
        schema["pattern"] = prop.pattern
    if prop.type == "string" and not _storable_enum(prop):
        if prop.pattern is None:
            schema["pattern"] = STORABLE_PATTERN
        else:
            schema["allOf"] = [{"pattern": STORABLE_PATTERN}]
    if prop.nullable:
        schema["nullable"] = True
    return schema


def visible_properties(app: AppSpec, name: str) -> dict[str, PropertySpec]:
    """A model's properties (inherited ones first) without the hidden ones.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"User": ModelSpec(
    ...     hidden=("password",), properties={"email": PropertySpec(type="string"),
    ...                                       "password": PropertySpec(type="string")})})
    >>> list(visible_properties(app, "User"))
    ['email']
    """
    hidden = {prop for model in base_chain(app, name) for prop in app.models[model].hidden}
    return {
        prop_name: prop
        for prop_name, prop in effective_properties(app, name).items()
        if not prop.hidden and prop_name not in hidden
    }


def model_schema(
    app: AppSpec,
    name: str,
    *,
    new: bool = False,
    partial: bool = False,
    title: str | None = None,
) -> dict[str, Any]:
    """The schema of model ``name``: ``new=True`` gives ``New<name>``, ``partial=True``
    ``<name>Partial``; ``title`` overrides the title.

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> tag = ModelSpec(datasource="db", properties={
    ...     "id": PropertySpec(type="integer", id=True, generated=True),
    ...     "label": PropertySpec(type="string", required=True)})
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": tag})
    >>> list(model_schema(app, "Tag", new=True)["properties"])
    ['label']
    >>> "required" in model_schema(app, "Tag", partial=True)
    False
    """
    model = app.models[name]
    properties: dict[str, Any] = {}
    required: list[str] = []
    for prop_name, prop in visible_properties(app, name).items():
        if new and prop.id and prop.generated and model.force_id:
            continue
        properties[prop_name] = property_schema(prop)
        if prop.id and not new:
            # an instance's id comes from the path or the server, never from a body
            properties[prop_name]["readOnly"] = True
        if prop.required and not partial:
            required.append(prop_name)
    if title is None:
        title = f"New{name}" if new else f"{name}Partial" if partial else name
    schema: dict[str, Any] = {"title": title, "type": "object", "properties": properties}
    if model.description is not None:
        schema["description"] = model.description
    if required:
        schema["required"] = required
    if model.strict:
        schema["additionalProperties"] = False
    return schema
