"""Datasource connectors: one module per kind behind one :class:`~composer.keys.Connector`.

::

    memory   in-process collections, optionally persisted to a JSON file   (memory.py)
    sql      SQLite, PostgreSQL, MySQL, MariaDB through SQLAlchemy async    (sql.py)

:data:`CONNECTORS` maps a datasource's ``connector:`` to the factory that
builds its connector. Adding a built-in kind costs one module and one line in
that table. Other packages add kinds through the ``composer.connectors``
entry-point group (``kind = package.module:factory``, the factory a
:class:`~composer.container.ConnectorFactory`); :func:`connector_factories`
merges them with the built-in kinds, and the caller hands the result to
``composer.container.wire``. A third-party connector object offers its
storage through a ``repository_backend(info)`` method (see
``composer.repository.backends``). A manifest names such a kind in
``connector:``; its datasource is a
:class:`~composer.spec.PluginDatasourceSpec` whose ``options`` the factory
reads, and :func:`check_connector_kinds` (run by ``composer.boot.check``)
reports a kind that is neither built in nor installed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from importlib import metadata
from types import MappingProxyType

from composer.connectors.memory import MemoryConnector
from composer.connectors.sql import SQLITE_PRAGMAS, SqlConnector
from composer.container import ConnectorFactory
from composer.errors import BootError, Issue, KeyPath
from composer.keys import Connector
from composer.manifest.raw import RawManifest
from composer.spec import AppSpec
from composer.spec.shape import did_you_mean, show_value, value_at

__all__ = [
    "CONNECTORS",
    "ENTRY_POINT_GROUP",
    "SQLITE_PRAGMAS",
    "Connector",
    "ConnectorRegistry",
    "MemoryConnector",
    "SqlConnector",
    "check_connector_kinds",
    "connector_factories",
]

#: the built-in connector factories by kind: ``factory(name, spec, *, root, data_dir)``
CONNECTORS: Mapping[str, ConnectorFactory] = MappingProxyType(
    {
        "memory": MemoryConnector.from_spec,
        "sql": SqlConnector.from_spec,
    }
)

#: the entry-point group third-party connector kinds register under
ENTRY_POINT_GROUP = "composer.connectors"


class ConnectorRegistry(Mapping[str, ConnectorFactory]):
    """Connector factories by kind: built-in ones, then entry points, each loaded when asked for.

    A kind is loaded at most once per registry; make one registry per
    generation (:func:`connector_factories`), so an installed or upgraded
    package is seen by the next generation.

    >>> registry = ConnectorRegistry(CONNECTORS, [])
    >>> sorted(registry), registry["memory"] is CONNECTORS["memory"]
    (['memory', 'sql'], True)
    """

    def __init__(
        self, builtin: Mapping[str, ConnectorFactory], entry_points: Iterable[metadata.EntryPoint]
    ) -> None:
        self._builtin = dict(builtin)
        self._entry_points: dict[str, metadata.EntryPoint] = {}
        self._loaded: dict[str, ConnectorFactory] = {}
        for entry_point in entry_points:
            kind = entry_point.name
            if kind in self._builtin:
                raise BootError(
                    f"{_origin(entry_point)} registers connector kind {kind!r}, "
                    "which is built in; choose another name",
                    artifact=ENTRY_POINT_GROUP,
                )
            other = self._entry_points.get(kind)
            if other is not None and other.value != entry_point.value:
                raise BootError(
                    f"connector kind {kind!r} is registered twice: "
                    f"{_origin(other)} and {_origin(entry_point)}",
                    artifact=ENTRY_POINT_GROUP,
                )
            self._entry_points[kind] = entry_point

    def __getitem__(self, kind: str) -> ConnectorFactory:
        if kind in self._builtin:
            return self._builtin[kind]
        if kind in self._loaded:
            return self._loaded[kind]
        entry_point = self._entry_points[kind]
        try:
            factory = entry_point.load()
        except Exception as exc:
            raise BootError(
                f"{_origin(entry_point)} cannot be loaded: {type(exc).__name__}: {exc}",
                artifact=ENTRY_POINT_GROUP,
            ) from exc
        if not callable(factory):
            raise BootError(
                f"{_origin(entry_point)} is not a connector factory "
                f"(a {type(factory).__name__}, not a callable)",
                artifact=ENTRY_POINT_GROUP,
            )
        self._loaded[kind] = factory
        return factory  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        yield from self._builtin
        yield from (kind for kind in sorted(self._entry_points) if kind not in self._builtin)

    def __len__(self) -> int:
        return len(self._builtin) + len(self._entry_points)


def _origin(entry_point: metadata.EntryPoint) -> str:
    """``entry point 'kind = module:factory' (package 1.0)``."""
    text = f"entry point '{entry_point.name} = {entry_point.value}'"
    dist = entry_point.dist
    if dist is not None:
        text += f" ({dist.name} {dist.version})"
    return text


def connector_factories() -> ConnectorRegistry:
    """The built-in connector kinds and those installed packages register; call once per generation.

    >>> factories = connector_factories()
    >>> factories["memory"] is CONNECTORS["memory"]
    True
    """
    return ConnectorRegistry(CONNECTORS, metadata.entry_points(group=ENTRY_POINT_GROUP))


def check_connector_kinds(
    app: AppSpec, raw: RawManifest, kinds: Iterable[str] | None = None
) -> list[Issue]:
    """CMP133 for every datasource whose ``connector:`` is neither built in nor installed.

    ``kinds`` are the known kinds, by default those of
    :func:`connector_factories` (entry points are listed, not loaded: no
    package code runs). Used after validation, next to the other manifest
    checks::

        raw = load(project)
        issues = check_connector_kinds(validate(raw), raw)   # [] when every kind is known
    """
    known = list(connector_factories() if kinds is None else kinds)
    issues = []
    for name, datasource in app.datasources.items():
        if datasource.connector in known:
            continue
        path: KeyPath = ("datasources", name, "connector")
        found, written = value_at(raw.data, path)
        kind = written if found else datasource.connector
        issues.append(
            Issue(
                "CMP133",
                f"unknown connector {show_value(kind)}",
                path,
                raw.locate(path),
                did_you_mean(kind, known, "known connectors"),
            )
        )
    return issues
