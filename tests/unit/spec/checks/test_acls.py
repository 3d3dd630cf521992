"""ACL rules: LoopBack 3's keys and values, built-in or declared roles."""

from __future__ import annotations

from tests.unit.spec.conftest import Manifests


def test_unknown_builtin_roles_and_undeclared_roles_are_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        roles: [admin]
        models:
          Todo:
            acls:
              - {principalType: ROLE, principalId: $everyon, permission: ALLOW}
              - {principalType: ROLE, principalId: editor, permission: ALLOW}
              - {principalType: ROLE, principalId: admin, permission: ALLOW}
              - {principalType: USER, principalId: alice, permission: DENY}
        """
    )
    assert errors == (
        "composer.yaml:6:5: error[CMP127] models.Todo.acls: acls are not supported yet\n"
        "  hint: this version of composer checks ACL rules but cannot enforce them; remove them\n"
        "composer.yaml:7:44: error[CMP123] models.Todo.acls[0].principalId: "
        "unknown role '$everyon'\n"
        "  hint: did you mean '$everyone'? built-in roles: "
        "$everyone, $authenticated, $unauthenticated, $owner\n"
        "composer.yaml:8:44: error[CMP123] models.Todo.acls[1].principalId: "
        "role 'editor' is not declared\n"
        "  hint: declare it in the top-level roles: list; known roles: "
        "$everyone, $authenticated, $unauthenticated, $owner, admin"
    )


def test_acl_values_outside_loopbacks_are_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Todo:
            acls:
              - {principalType: GROUP, principalId: x, accessType: DELETE, permission: MAYBE}
        """
    )
    assert errors == (
        "composer.yaml:5:5: error[CMP127] models.Todo.acls: acls are not supported yet\n"
        "  hint: this version of composer checks ACL rules but cannot enforce them; remove them\n"
        "composer.yaml:6:25: error[CMP103] models.Todo.acls[0].principalType: "
        "value 'GROUP' is not allowed\n"
        "  hint: allowed values: ROLE, USER, APP\n"
        "composer.yaml:6:60: error[CMP103] models.Todo.acls[0].accessType: "
        "value 'DELETE' is not allowed\n"
        "  hint: allowed values: READ, WRITE, EXECUTE, *\n"
        "composer.yaml:6:80: error[CMP103] models.Todo.acls[0].permission: "
        "value 'MAYBE' is not allowed\n"
        "  hint: allowed values: ALLOW, DENY"
    )
