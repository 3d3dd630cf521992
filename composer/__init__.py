"""composer: a declarative API composer.

A manifest (YAML/JSON files) becomes a running aiohttp service in five stages,
each a package with one job::

    files ──load──▶ RawManifest ──validate──▶ AppSpec ──plan──▶ Graph
          ──wire──▶ dependency-injector container ──activate──▶ App (aiohttp, connectors)

    composer.manifest   load: files -> merged data + file:line:column of every key
    composer.spec       validate: frozen pydantic models + semantic checks
    composer.container  plan + wire: the artifact graph and its container
    composer.connectors datasources (memory, sql)
    composer.rest       the sequence, routes, OpenAPI, explorer, error JSON
    composer.ops        App (one generation), health, graceful serving

From Python, the same objects the YAML produces::

    from composer import App, AppSpec
    spec = AppSpec(api_version="composer/v1", name="hello")
    app = App(spec, root=Path("."), data_dir=Path(".composer"))

or from a manifest: ``composer.boot.boot("examples/todo")``.

Names are imported when first used, so ``composer validate`` does not pay for
the HTTP server and database drivers.
"""

from __future__ import annotations

import importlib
import typing

if typing.TYPE_CHECKING:  # the names __getattr__ resolves, for type checkers
    from composer.container import Graph, plan
    from composer.errors import (
        BootError,
        ComposerError,
        ConnectorError,
        HttpError,
        Issue,
        ManifestError,
        PlanCycleError,
        Position,
        ShutdownError,
    )
    from composer.manifest import RawManifest, load
    from composer.ops import App, serve
    from composer.spec import (
        AppSpec,
        ModelSpec,
        PropertySpec,
        RestSpec,
        json_schema,
        validate,
    )

_LOCATIONS = {
    "App": "composer.ops",
    "AppSpec": "composer.spec",
    "BootError": "composer.errors",
    "ComposerError": "composer.errors",
    "ConnectorError": "composer.errors",
    "Graph": "composer.container",
    "HttpError": "composer.errors",
    "Issue": "composer.errors",
    "ManifestError": "composer.errors",
    "ModelSpec": "composer.spec",
    "PlanCycleError": "composer.errors",
    "Position": "composer.errors",
    "PropertySpec": "composer.spec",
    "RawManifest": "composer.manifest",
    "RestSpec": "composer.spec",
    "ShutdownError": "composer.errors",
    "json_schema": "composer.spec",
    "load": "composer.manifest",
    "plan": "composer.container",
    "serve": "composer.ops",
    "validate": "composer.spec",
}

__all__ = [
    "App",
    "AppSpec",
    "BootError",
    "ComposerError",
    "ConnectorError",
    "Graph",
    "HttpError",
    "Issue",
    "ManifestError",
    "ModelSpec",
    "PlanCycleError",
    "Position",
    "PropertySpec",
    "RawManifest",
    "RestSpec",
    "ShutdownError",
    "json_schema",
    "load",
    "plan",
    "serve",
    "validate",
]


def __getattr__(name: str) -> typing.Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'composer' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
