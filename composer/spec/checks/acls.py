"""Checks on ACL rules: roles are built in or declared."""

from __future__ import annotations

from composer.spec.acl import BUILTIN_ROLES
from composer.spec.checks.context import Context
from composer.spec.shape import did_you_mean

__all__ = ["check_acls"]


def check_acls(ctx: Context) -> None:
    """Unknown ``$`` roles and undeclared custom roles (CMP123)."""
    if not ctx.has("models"):
        return
    declared = list(ctx.app.roles) if ctx.has("roles") else []
    known = [*BUILTIN_ROLES, *declared]
    for name, model in ctx.app.models.items():
        for index, rule in enumerate(model.acls):
            if rule.principal_type != "ROLE":
                continue
            role = rule.principal_id
            where = ("models", name, "acls", index, "principalId")
            shown = ctx.show(where, role)
            if role.startswith("$") and role not in BUILTIN_ROLES:
                ctx.report(
                    "CMP123",
                    f"unknown role {shown}",
                    where,
                    did_you_mean(role, BUILTIN_ROLES, "built-in roles"),
                )
            elif not role.startswith("$") and role not in declared:
                ctx.report(
                    "CMP123",
                    f"role {shown} is not declared",
                    where,
                    "declare it in the top-level roles: list; "
                    + did_you_mean(role, known, "known roles"),
                )
