"""Helpers for the ops tests: small specs and HTTP calls."""

from __future__ import annotations

from typing import Any

import aiohttp

from composer.spec import AppSpec, MemoryDatasourceSpec, RestSpec


def spec_with(*datasources: str, name: str = "todo", base_path: str = "/") -> AppSpec:
    """An app with memory datasources of these names, listening on an ephemeral port."""
    return AppSpec(
        api_version="composer/v1",
        name=name,
        rest=RestSpec(port=0, base_path=base_path),
        datasources={ds: MemoryDatasourceSpec(connector="memory") for ds in datasources},
    )


async def fetch(url: str) -> tuple[int, Any]:
    """GET ``url``: (status, decoded JSON body)."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def refused(url: str) -> bool:
    """True when nothing accepts a connection at ``url`` any more."""
    try:
        await fetch(url)
    except aiohttp.ClientConnectionError:
        return True
    return False
