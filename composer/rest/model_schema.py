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
``enum``, ``minimum``/``maximum``, ``minLength``/``maxLength`` (``minItems``/
``maxItems`` for an array), ``pattern`` and ``format``. Hidden properties are
left out, ``required`` lists the required ones, and a strict model has
``additionalProperties: false``. ``New<Model>`` is the schema a create takes:
the same without generated id properties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from composer.spec import base_chain, effective_properties

if TYPE_CHECKING:
    from composer.spec import AppSpec, PropertySpec

__all__ = ["model_schema", "property_schema"]

_TYPES: dict[str, dict[str, str]] = {
    "string": {"type": "string"},
    "number": {"type": "number"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "datetime": {"type": "string", "format": "date-time"},
    "buffer": {"type": "string", "format": "byte"},
    "object": {"type": "object"},
    "array": {"type": "array"},
    "any": {},
}


def _generated_default(prop: PropertySpec) -> bool:
    if prop.type in ("date", "datetime"):
        return bool(prop.default == "now")
    return prop.type == "string" and bool(prop.default == "uuid")


def property_schema(prop: PropertySpec) -> dict[str, Any]:
    """The JSON Schema of one property.

    >>> from composer.spec import PropertySpec
    >>> property_schema(PropertySpec(type="string", min_length=1, description="what to do"))
    {'type': 'string', 'description': 'what to do', 'minLength': 1}
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
    if prop.maximum is not None:
        schema["maximum"] = prop.maximum
    length_key = "Items" if prop.type == "array" else "Length"
    if prop.min_length is not None:
        schema[f"min{length_key}"] = prop.min_length
    if prop.max_length is not None:
        schema[f"max{length_key}"] = prop.max_length
    if prop.pattern is not None:
        schema["pattern"] = prop.pattern
    return schema


def model_schema(app: AppSpec, name: str, *, new: bool = False) -> dict[str, Any]:
    """The schema of model ``name`` (``new=True``: ``New<name>``, without generated ids).

    >>> from composer.spec import AppSpec, ModelSpec, PropertySpec
    >>> tag = ModelSpec(datasource="db", properties={
    ...     "id": PropertySpec(type="integer", id=True, generated=True),
    ...     "label": PropertySpec(type="string", required=True)})
    >>> app = AppSpec(api_version="composer/v1", name="a", models={"Tag": tag})
    >>> model_schema(app, "Tag", new=True)["properties"]
    {'label': {'type': 'string'}}
    """
    hidden = {prop for model in base_chain(app, name) for prop in app.models[model].hidden}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for prop_name, prop in effective_properties(app, name).items():
        if prop.hidden or prop_name in hidden or (new and prop.id and prop.generated):
            continue
        properties[prop_name] = property_schema(prop)
        if prop.required:
            required.append(prop_name)
    model = app.models[name]
    schema: dict[str, Any] = {
        "title": f"New{name}" if new else name,
        "type": "object",
        "properties": properties,
    }
    if model.description is not None:
        schema["description"] = model.description
    if required:
        schema["required"] = required
    if model.strict:
        schema["additionalProperties"] = False
    return schema
