"""The model the filter tests query: one property of every type, two hidden ones."""

from __future__ import annotations

from composer.repository.entity import EntityInfo, entity_info
from composer.spec import AppSpec, ModelSpec, PropertySpec

APP = AppSpec(
    api_version="composer/v1",
    name="filters",
    models={
        "Todo": ModelSpec(
            properties={
                "id": PropertySpec(type="integer", id=True, generated=True),
                "title": PropertySpec(type="string", required=True),
                "desc": PropertySpec(type="string"),
                "isComplete": PropertySpec(type="boolean"),
                "priority": PropertySpec(type="number"),
                "createdAt": PropertySpec(type="datetime"),
                "due": PropertySpec(type="date"),
                "meta": PropertySpec(type="object"),
                "tags": PropertySpec(type="array", items=PropertySpec(type="string")),
                "secret": PropertySpec(type="string", hidden=True),
                "token": PropertySpec(type="string"),
            },
            hidden=("token",),
        )
    },
)

TODO: EntityInfo = entity_info(APP, "Todo")

#: the properties a client may name, as error messages list them
VISIBLE = "id, title, desc, isComplete, priority, createdAt, due, meta, tags"
