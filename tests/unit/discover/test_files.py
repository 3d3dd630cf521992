"""The files of a discovered project: their text, the datasource URL, never clobbering."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from composer.boot import check
from composer.discover import app_name, manifest_url, project_files, write_files
from composer.errors import ComposerError

MODELS = {
    "OrderLine": {
        "datasource": "db",
        "table": "order_lines",
        "rest": {"readonly": True},
        "properties": {"qty": {"type": "integer", "enum": [1, 2]}},
    }
}


def _files(url: str = "${DATABASE_URL:-sqlite:////data/shop.db}") -> dict[str, str]:
    return project_files(
        "shop", "db", url, MODELS, sources={"OrderLine": "table order_lines"}, header="test"
    )


def test_a_project_is_a_root_manifest_a_datasource_and_a_file_per_model() -> None:
    files = _files()
    assert list(files) == ["composer.yaml", "datasources/db.yaml", "models/order-line.yaml"]
    assert files["datasources/db.yaml"] == (
        "# Found by test. A password is never written here: DATABASE_URL gives it.\n"
        "# migrate: none: composer reads and writes the tables, never changes the schema.\n"
        "datasources:\n"
        "  db:\n"
        "    connector: sql\n"
        "    url: ${DATABASE_URL:-sqlite:////data/shop.db}\n"
        "    migrate: none\n"
    )
    assert files["models/order-line.yaml"] == (
        "# The table order_lines, as test found it.\n"
        "models:\n"
        "  OrderLine:\n"
        "    datasource: db\n"
        "    table: order_lines\n"
        "    properties:\n"
        "      qty:\n"
        "        type: integer\n"
        "        enum: [1, 2]\n"
        "    rest: {readonly: true}\n"
    )


def test_written_files_validate_and_an_existing_root_manifest_is_kept(tmp_path: Path) -> None:
    (tmp_path / "composer.yaml").write_text("apiVersion: composer/v1\nname: mine\n")
    written = write_files(_files(), tmp_path, force=False)
    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        "datasources/db.yaml",
        "models/order-line.yaml",
    ]
    app, _raw = check(tmp_path, env={})
    assert (app.name, list(app.models)) == ("mine", ["OrderLine"])


def test_existing_files_are_not_overwritten_without_force(tmp_path: Path) -> None:
    write_files(_files(), tmp_path, force=False)
    model = tmp_path / "models" / "order-line.yaml"
    model.write_text("# mine\n")
    with pytest.raises(ComposerError) as caught:
        write_files(_files(), tmp_path, force=False)
    assert str(caught.value) == (
        f"not overwriting {tmp_path / 'datasources/db.yaml'}, {model}: remove them or pass --force"
    )
    assert model.read_text() == "# mine\n"
    write_files(_files(), tmp_path, force=True)
    assert model.read_text().startswith("# The table order_lines")


def test_files_that_would_not_validate_are_not_written(tmp_path: Path) -> None:
    files = _files(url="not a url")
    with pytest.raises(ComposerError, match="does not validate \\(a bug\\)"):
        write_files(files, tmp_path, force=False)
    assert list(tmp_path.iterdir()) == []


def test_the_datasource_url_never_holds_the_password() -> None:
    assert (
        manifest_url(make_url("postgresql://app:s3cret@db:5432/shop?sslmode=require"))
        == "${DATABASE_URL:-postgresql://app@db:5432/shop?sslmode=require}"
    )
    assert manifest_url(make_url("mysql://root:pw@db/test"), "erp") == (
        "${DATABASE_URL:-mysql://root@db/erp}"
    )


def test_a_url_with_braces_is_written_escaped_and_reads_back(tmp_path: Path) -> None:
    written = manifest_url(make_url("sqlite:////data/a${b}.db"))
    assert written == "${DATABASE_URL:-sqlite:////data/a%24%7Bb%7D.db}"
    files = _files(url=written)
    write_files(files, tmp_path, force=False)
    app, _raw = check(tmp_path, env={})
    assert make_url(app.datasources["db"].url).database == "/data/a${b}.db"  # type: ignore[union-attr]


def test_the_application_is_named_after_the_database() -> None:
    assert app_name(make_url("sqlite:////data/My Shop.db")) == "my-shop"
    assert app_name(make_url("postgresql://h/erp_prod")) == "erp-prod"
    assert app_name(make_url("postgresql://h/___")) == "app"
