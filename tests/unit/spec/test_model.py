"""Model and property specs: shorthands the manifest may use, defaults, Python construction."""

from __future__ import annotations

from composer.spec import ExplorerSpec, ModelRestSpec, ModelSpec, PropertySpec, RestSpec
from tests.unit.spec.conftest import Manifests


def test_a_property_may_be_just_its_type(manifests: Manifests) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        models:
          Todo:
            properties:
              title: string
              tags: {type: array, items: string}
        """
    )
    properties = app.models["Todo"].properties
    assert properties["title"] == PropertySpec(type="string")
    assert properties["tags"].items == PropertySpec(type="string")


def test_rest_false_hides_a_model_and_explorer_false_disables_the_explorer(
    manifests: Manifests,
) -> None:
    app = manifests.spec(
        """\
        apiVersion: composer/v1
        name: gallery
        rest: {explorer: false}
        models:
          Todo: {rest: false}
        """
    )
    assert app.rest.explorer == ExplorerSpec(enabled=False)
    assert app.models["Todo"].rest == ModelRestSpec(exposed=False)


def test_defaults_follow_loopback() -> None:
    rest = RestSpec()
    assert (rest.host, rest.port, rest.base_path, rest.max_body_size) == (
        "127.0.0.1",
        3000,
        "/",
        1048576,
    )
    assert rest.cors.methods == ("GET", "HEAD", "PUT", "PATCH", "POST", "DELETE")
    assert (rest.cors.credentials, rest.cors.max_age) == (True, 86400)
    assert ModelSpec().strict is True


def test_python_code_builds_specs_by_attribute_name_with_lists_or_tuples() -> None:
    model = ModelSpec(hidden=["password"], properties={"password": "string"})  # type: ignore[arg-type,dict-item]
    assert model.hidden == ("password",)
    assert model.properties["password"] == PropertySpec(type="string")
