"""The semantic checks that run after pydantic accepted the shape of the manifest.

Each check reads the :class:`Context` and reports every problem it finds;
none stops at the first. :func:`run_checks` runs them all.
"""

from __future__ import annotations

from composer.spec.checks.acls import check_acls
from composer.spec.checks.application import check_application
from composer.spec.checks.context import Context
from composer.spec.checks.datasources import check_datasources
from composer.spec.checks.names import check_names
from composer.spec.checks.properties import check_properties
from composer.spec.checks.relations import check_relations
from composer.spec.checks.sequence import check_sequence

__all__ = ["CHECKS", "Context", "run_checks"]

CHECKS = (
    check_application,
    check_datasources,
    check_names,
    check_properties,
    check_relations,
    check_acls,
    check_sequence,
)


def run_checks(ctx: Context) -> None:
    """Run every check over ``ctx``; the issues accumulate in ``ctx.issues``."""
    for check in CHECKS:
        check(ctx)
