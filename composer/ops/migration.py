"""``composer migrate``: plan, print and apply the schema of every SQL datasource.

Unlike ``migrate: autoupdate`` at start, this runs whatever a datasource's
``migrate:`` mode says, and ``--rebuild`` drops and recreates every model
table (the only way composer ever drops data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from composer.connectors import SqlConnector
from composer.repository.entity import EntityInfo, entity_info
from composer.repository.sql.migrate import (
    MigrationPlan,
    apply_migration,
    plan_migration,
    refuse,
)
from composer.spec import AppSpec, SqlDatasourceSpec, id_property

__all__ = ["DatasourceMigration", "entities_of", "migrate_datasources", "render_plan"]


@dataclass(frozen=True, slots=True)
class DatasourceMigration:
    """One SQL datasource's plan, as planned (and applied unless a dry run)."""

    datasource: str
    backend: str
    plan: MigrationPlan


def entities_of(app: AppSpec, datasource: str) -> list[EntityInfo]:
    """The models stored in ``datasource`` that have an id or are read-only (the ones with a
    table)."""
    return [
        entity_info(app, name)
        for name, model in app.models.items()
        if model.datasource == datasource
        and (id_property(app, name) is not None or model.rest.readonly)
    ]


async def migrate_datasources(
    app: AppSpec,
    *,
    root: Path,
    data_dir: Path,
    rebuild: bool,
    dry_run: bool,
    report: Callable[[DatasourceMigration], None],
) -> None:
    """Plan every SQL datasource of ``app``; apply each plan unless ``dry_run``.

    ``report`` is called with each plan as soon as it is made (and applied),
    so the output of the datasources before a failing one is not lost. A plan
    with problems raises the BootError that lists them; nothing of that
    datasource is changed.

    ::

        await migrate_datasources(spec, root=root, data_dir=data, rebuild=False,
                                  dry_run=True, report=lambda m: print(render_plan(m)))
    """
    for name, spec in app.datasources.items():
        if not isinstance(spec, SqlDatasourceSpec):
            continue
        connector = SqlConnector.from_spec(name, spec, root=root, data_dir=data_dir)
        await connector.connect()
        try:
            plan = await plan_migration(connector, entities_of(app, name), rebuild=rebuild)
            migration = DatasourceMigration(name, connector.engine.dialect.name, plan)
            if plan.problems:
                report(migration)
                refuse(connector, plan)
            if not dry_run:
                await apply_migration(connector, plan)
            report(migration)
        finally:
            await connector.disconnect()


def render_plan(migration: DatasourceMigration) -> str:
    """The text ``composer migrate`` prints for one datasource.

    >>> print(render_plan(DatasourceMigration("db", "sqlite", MigrationPlan([], []))))
    -- datasources.db (sqlite): up to date
    """
    plan = migration.plan
    head = f"-- datasources.{migration.datasource} ({migration.backend})"
    lines = [f"-- warning: {warning}" for warning in plan.warnings]
    if plan.problems:
        return "\n".join([f"{head}: cannot be migrated", *lines])
    if not plan.ddl:
        return "\n".join([f"{head}: up to date", *lines])
    count = len(plan.ddl)
    lines.insert(0, f"{head}: {count} statement{'s' if count != 1 else ''}")
    lines.extend(f"{statement};" for statement in plan.ddl)
    return "\n".join(lines)
