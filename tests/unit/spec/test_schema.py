"""The manifest's JSON Schema: generated from the spec, committed in schemas/, never stale."""

from __future__ import annotations

import json
from pathlib import Path

from composer.spec import json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "schemas" / "manifest.schema.json"


def test_the_committed_schema_is_the_generated_one() -> None:
    expected = json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, (
        "schemas/manifest.schema.json is stale: "
        "run `composer schema --out schemas/manifest.schema.json`"
    )


def test_the_schema_is_draft_2020_12_in_manifest_key_names() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert "basePath" in schema["$defs"]["RestSpec"]["properties"]
    assert "maxBodySize" in schema["$defs"]["RestSpec"]["properties"]
    assert "foreignKey" in schema["$defs"]["BelongsToSpec"]["properties"]
    assert "principalType" in schema["$defs"]["AclSpec"]["properties"]


def test_the_schema_knows_use_and_not_parameters() -> None:
    properties = json_schema()["properties"]
    assert "use" in properties
    assert "parameters" not in properties
    assert json_schema()["additionalProperties"] is False


def test_the_schema_lets_a_number_be_an_env_expression() -> None:
    port = json_schema()["$defs"]["RestSpec"]["properties"]["port"]
    assert port["anyOf"][0] == {"type": "integer"}
    assert port["anyOf"][1]["pattern"] == r"^\$\{[^}]+\}$"


def test_the_schema_validates_an_example_manifest() -> None:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

    manifest = {
        "apiVersion": "composer/v1",
        "name": "todo",
        "use": [{"stack": "auth", "with": {"datasource": "db"}}, "audit"],
        "rest": {"port": "${PORT:-3000}", "explorer": False, "maxBodySize": "2MiB"},
        "datasources": {"db": {"connector": "sql", "url": "sqlite:///todo.db"}},
        "models": {
            "Todo": {
                "datasource": "db",
                "rest": False,
                "properties": {"id": {"type": "integer", "id": True}, "title": "string"},
                "relations": {"list": {"type": "belongsTo", "model": "TodoList"}},
            }
        },
    }
    validator = Draft202012Validator(json_schema())
    assert [error.message for error in validator.iter_errors(manifest)] == []
    manifest["rest"] = {"prot": 1}
    assert [error.message for error in validator.iter_errors(manifest)] == [
        "Additional properties are not allowed ('prot' was unexpected)"
    ]


def test_the_schema_takes_options_for_an_installed_connector_only() -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(json_schema())

    def valid(datasource: dict[str, object]) -> bool:
        return validator.is_valid({"datasources": {"db": datasource}})

    assert valid({"connector": "notebook", "pages": "notes.json", "shelf": {"rows": 3}})
    assert valid({"connector": "sql", "url": "sqlite://"})
    assert not valid({"connector": "sql", "url": "sqlite://", "pages": "notes.json"})
    assert not valid({"connector": "memory", "url": "sqlite://"})
    assert not valid({"pages": "notes.json"})
