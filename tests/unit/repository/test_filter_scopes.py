"""check_scopes: a model's default scope is checked with the manifest, with its position."""

from __future__ import annotations

from pathlib import Path

from composer.manifest import load
from composer.repository.filter import check_scopes
from composer.spec import validate

HEAD = """\
apiVersion: composer/v1
name: scopes
datasources:
  db: {connector: memory}
"""

TODO = """\
  Todo:
    datasource: db
    properties:
      id: {type: integer, id: true, generated: true}
      title: string
      deleted: {type: boolean, hidden: true}
"""


def rendered(tmp_path: Path, text: str, rest: str = "") -> list[str]:
    """check_scopes' issues for the Todo model followed by ``text`` (indented as written)."""
    manifest = HEAD + rest + "models:\n" + TODO + text
    (tmp_path / "composer.yaml").write_text(manifest, encoding="utf-8")
    raw = load(tmp_path, env={})
    return [issue.render() for issue in check_scopes(validate(raw), raw)]


def test_a_valid_scope_has_no_issue_and_may_use_hidden_properties(tmp_path: Path) -> None:
    scope = """\
    scope:
      where: {deleted: false, title: {like: "a%"}}
      order: title DESC
      limit: 10
      fields: [id, title]
"""
    assert rendered(tmp_path, scope) == []


def test_a_model_without_scope_has_no_issue(tmp_path: Path) -> None:
    assert rendered(tmp_path, "") == []


def test_an_unknown_property_points_at_its_key(tmp_path: Path) -> None:
    scope = """\
    scope:
      where:
        or:
          - title: x
          - titel: y
"""
    assert rendered(tmp_path, scope) == [
        "composer.yaml:16:13: error[CMP132] models.Todo.scope.where.or[1].titel: unknown "
        "property 'titel'; properties of Todo: id, title, deleted"
    ]


def test_a_value_of_the_wrong_type_points_at_the_value(tmp_path: Path) -> None:
    scope = """\
    scope:
      where: {id: {gt: soon}}
"""
    assert rendered(tmp_path, scope) == [
        "composer.yaml:13:24: error[CMP132] models.Todo.scope.where.id.gt: invalid clause for "
        "id: Expected an integer"
    ]


def test_an_unknown_filter_key_points_at_the_key(tmp_path: Path) -> None:
    scope = """\
    scope:
      limit: 5
      sort: title
"""
    assert rendered(tmp_path, scope) == [
        "composer.yaml:14:7: error[CMP132] models.Todo.scope.sort: unknown filter key 'sort'; "
        "allowed: where, fields, order, limit, skip, offset, include"
    ]


def test_a_bad_limit_and_a_bad_order(tmp_path: Path) -> None:
    assert rendered(tmp_path, "    scope: {limit: 0}\n") == [
        "composer.yaml:12:20: error[CMP132] models.Todo.scope.limit: must be >= 1"
    ]
    assert rendered(tmp_path, "    scope: {order: title UP}\n") == [
        'composer.yaml:12:20: error[CMP132] models.Todo.scope.order: The order "title UP" has '
        "invalid direction"
    ]


def test_a_scope_limit_above_max_limit(tmp_path: Path) -> None:
    rest = "rest:\n  pagination: {maxLimit: 50}\n"
    assert rendered(tmp_path, "    scope: {limit: 80}\n", rest=rest) == [
        "composer.yaml:14:20: error[CMP132] models.Todo.scope.limit: limit 80 is above maxLimit 50"
    ]


def test_include_in_a_scope_is_refused(tmp_path: Path) -> None:
    assert rendered(tmp_path, "    scope: {include: [todoList]}\n") == [
        "composer.yaml:12:22: error[CMP132] models.Todo.scope.include: a default scope "
        "cannot include relations (a request's filter can)"
    ]


def test_every_models_scope_is_checked(tmp_path: Path) -> None:
    other = """\
  Note:
    datasource: db
    properties:
      id: {type: integer, id: true}
    scope: {where: {nope: 1}}
"""
    assert rendered(tmp_path, "    scope: {where: {id: {inq: 3}}}\n" + other) == [
        "composer.yaml:12:31: error[CMP132] models.Todo.scope.where.id.inq: invalid clause for "
        "id: Error: Value is not an array or object with sequential numeric indices",
        "composer.yaml:17:21: error[CMP132] models.Note.scope.where.nope: unknown property "
        "'nope'; properties of Note: id",
    ]
