"""Access control rules, in LoopBack 3's keys."""

from __future__ import annotations

from typing import Literal

from composer.spec.base import SpecModel

__all__ = ["BUILTIN_ROLES", "AclSpec"]

#: roles every app knows; custom roles are declared in the top-level ``roles:``
BUILTIN_ROLES: tuple[str, ...] = ("$everyone", "$authenticated", "$unauthenticated", "$owner")


class AclSpec(SpecModel):
    """One rule: who (principal) may or may not (permission) do what (access type, property).

    >>> AclSpec(principal_type="ROLE", principal_id="$everyone", permission="DENY").access_type
    '*'
    """

    principal_type: Literal["ROLE", "USER", "APP"]
    """what principalId names"""
    principal_id: str
    """a role ($everyone, $authenticated, $unauthenticated, $owner, a declared role) or an id"""
    access_type: Literal["READ", "WRITE", "EXECUTE", "*"] = "*"
    """the kind of access the rule is about"""
    property: str = "*"
    """the operation (method name) the rule is about, or '*'"""
    permission: Literal["ALLOW", "DENY"]
    """the decision"""
