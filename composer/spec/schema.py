"""The JSON Schema of a manifest file, generated from the spec models.

``schemas/manifest.schema.json`` is this schema, written by
``composer schema --out schemas/manifest.schema.json``; editors use it for
completion and checks through a modeline::

    # yaml-language-server: $schema=../schemas/manifest.schema.json

It describes one manifest file: every file of a project has the same
top-level shape, so no top-level key is required here (the merged manifest
needs ``apiVersion`` and ``name``, which ``validate`` checks). A number or
boolean may be written as one ``${VAR}``; the schema allows that string.
"""

from __future__ import annotations

from typing import Any

from composer.spec.app import AppSpec

__all__ = ["SCHEMA_DIALECT", "json_schema"]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_STACK_REFERENCE = {
    "type": "string",
    "minLength": 1,
    "description": "a stack name, or a path relative to this file",
}

_USE_ENTRY = {
    "anyOf": [
        _STACK_REFERENCE,
        {
            "type": "object",
            "properties": {
                "stack": _STACK_REFERENCE,
                "with": {
                    "type": "object",
                    "description": "the stack's parameters and their values",
                },
            },
            "required": ["stack"],
            "additionalProperties": False,
        },
    ]
}

_USE = {
    "description": "stacks to include: a stack, or a list of stacks, each a name or "
    "{stack: NAME, with: {PARAMETER: VALUE}}",
    "anyOf": [_USE_ENTRY, {"type": "array", "items": _USE_ENTRY}],
}


def _tidy(node: Any) -> Any:
    """Drop pydantic's generated titles and keep a description's first paragraph."""
    if isinstance(node, list):
        return [_tidy(item) for item in node]
    if not isinstance(node, dict):
        return node
    tidy: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "description" and isinstance(value, str):
            tidy[key] = value.split("\n\n", 1)[0]
        elif key in ("properties", "$defs") and isinstance(value, dict):
            tidy[key] = {name: _tidy(schema) for name, schema in value.items()}
        elif key in ("default", "enum", "const", "examples"):
            tidy[key] = value
        else:
            tidy[key] = _tidy(value)
    return tidy


def json_schema() -> dict[str, Any]:
    """The manifest's JSON Schema (draft 2020-12), in manifest key names.

    >>> schema = json_schema()
    >>> schema["$schema"], "basePath" in schema["$defs"]["RestSpec"]["properties"]
    ('https://json-schema.org/draft/2020-12/schema', True)
    """
    generated = _tidy(AppSpec.model_json_schema(by_alias=True, mode="validation"))
    generated.pop("required", None)
    properties = dict(generated.pop("properties"))
    properties["use"] = _USE
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "composer manifest",
        "description": "One file of a composer project: composer.yaml or a fragment beside it. "
        "The merged project needs apiVersion and name.",
        **{key: value for key, value in generated.items() if key != "description"},
        "properties": properties,
    }
