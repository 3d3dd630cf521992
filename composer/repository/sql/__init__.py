"""SQL storage: a model's table, its migrations, and the SQL backend."""

from __future__ import annotations

from composer.repository.sql.backend import SqlBackend
from composer.repository.sql.compile import compile_where
from composer.repository.sql.migrate import (
    MigrationPlan,
    MigrationReport,
    apply_migration,
    autoupdate,
    plan_migration,
)
from composer.repository.sql.schema import DIALECTS, dialect_key, index_name, table_for

__all__ = [
    "DIALECTS",
    "MigrationPlan",
    "MigrationReport",
    "SqlBackend",
    "apply_migration",
    "autoupdate",
    "compile_where",
    "dialect_key",
    "index_name",
    "plan_migration",
    "table_for",
]
