"""The base of every spec model: frozen, strict, closed, camelCase in the manifest."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["SpecModel"]


class SpecModel(BaseModel):
    """Frozen, strict, ``extra="forbid"``; snake_case in Python, camelCase in the manifest.

    >>> from composer.spec import RestSpec
    >>> RestSpec(base_path="/api") == RestSpec.model_validate({"basePath": "/api"})
    True
    """

    model_config = ConfigDict(
        frozen=True,
        strict=True,
        extra="forbid",
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        use_attribute_docstrings=True,
    )
