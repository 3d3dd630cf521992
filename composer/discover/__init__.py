"""``composer discover``: manifest files for the tables of an existing SQL database.

::

    database ──reflect──▶ Database (tables, columns, keys) ──build_models──▶ models
             ──add_relations──▶ models with relations ──project_files──▶ files
             ──write_files──▶ composer.yaml, datasources/db.yaml, models/*.yaml

The package sits above ``composer.boot``: it validates what it writes with
``composer.boot.check``. See ``docs/discover.md`` for the naming rules and
the type mapping of each database.
"""

from __future__ import annotations

from composer.discover.discovery import DATASOURCE, Discovery, app_name, discover, manifest_url
from composer.discover.files import ROOT_MANIFEST, project_files, write_files

__all__ = [
    "DATASOURCE",
    "ROOT_MANIFEST",
    "Discovery",
    "app_name",
    "discover",
    "manifest_url",
    "project_files",
    "write_files",
]
