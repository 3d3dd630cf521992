"""The model the SQL backend tests store, and a backend over a fresh table of it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData

from composer.connectors import SqlConnector
from composer.repository.entity import EntityInfo, entity_info
from composer.repository.sql.backend import SqlBackend
from composer.repository.sql.schema import dialect_key, table_for
from composer.spec import AppSpec, IndexSpec, ModelSpec, PropertySpec

P = PropertySpec


def item_info() -> EntityInfo:
    """``Item``: a property of every type, a renamed column, a unique index."""
    properties = {
        "id": P(type="integer", id=True, generated=True),
        "title": P(type="string", required=True),
        "code": P(type="string", max_length=20),
        "priority": P(type="number"),
        "rank": P(type="integer", column="item_rank"),
        "done": P(type="boolean"),
        "due": P(type="date"),
        "at": P(type="datetime"),
        "meta": P(type="object"),
        "tags": P(type="array", items=P(type="string")),
        "blob": P(type="buffer"),
        "extra": P(type="any"),
    }
    model = ModelSpec(
        properties=properties, indexes={"byCode": IndexSpec(properties=("code",), unique=True)}
    )
    app = AppSpec(api_version="composer/v1", name="shop", models={"Item": model})
    return entity_info(app, "Item")


@asynccontextmanager
async def item_backend(url: str, tmp_path: Path, **options: Any) -> AsyncIterator[SqlBackend]:
    """A connected SqlBackend over a new, empty ``Item`` table at ``url``."""
    connector = SqlConnector("db", url, data_dir=tmp_path, **options)
    await connector.connect()
    try:
        info = item_info()
        table = table_for(info, MetaData(), dialect_key(connector.engine.dialect))
        async with connector.engine.begin() as connection:
            await connection.run_sync(table.metadata.create_all)
        yield SqlBackend(connector, info, table)
    finally:
        await connector.disconnect()
