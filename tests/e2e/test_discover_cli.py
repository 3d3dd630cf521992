"""``composer discover`` as a user runs it: the files written, exit codes, no password anywhere."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.e2e.process import REPO, run_composer
from tests.integration.discover.schema import create
from tests.integration.sql.conftest import isolated_database

pytestmark = pytest.mark.e2e

SHOP_SQL = REPO / "examples" / "discover" / "shop.sql"


@pytest.fixture
def shop_db(tmp_path: Path) -> Path:
    database = tmp_path / "shop.db"
    with sqlite3.connect(database) as connection:
        connection.executescript(SHOP_SQL.read_text(encoding="utf-8"))
    connection.close()
    return database


def _written(folder: Path) -> list[str]:
    return sorted(
        path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()
    )


def test_discover_writes_a_project_that_validates(shop_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "shop"
    result = run_composer("discover", "--url", "sqlite:///shop.db", "--out", str(out), cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out == f"wrote 6 files to {out}\nnext: composer serve {out}\n"
    assert result.err.splitlines() == [
        "discovered table customers (5 columns, 0 foreign keys)",
        "discovered table order_lines (4 columns, 2 foreign keys)",
        "discovered table orders (4 columns, 1 foreign key)",
        "discovered table products (4 columns, 0 foreign keys)",
        "note: column products.price: NUMERIC(10, 2) is read as a floating-point number",
        "note: OrderLine is served read-only (find and count): "
        "a composite primary key (order_id, line_no)",
    ]
    assert _written(out) == [
        "composer.yaml",
        "datasources/db.yaml",
        "models/customer.yaml",
        "models/order-line.yaml",
        "models/order.yaml",
        "models/product.yaml",
    ]
    assert f"url: ${{DATABASE_URL:-sqlite:///{shop_db}}}" in (
        (out / "datasources" / "db.yaml").read_text(encoding="utf-8")
    )
    assert not (tmp_path / "shop.db-wal").exists()  # opened read-only, left as it was
    check = run_composer("validate", str(out))
    assert check.code == 0, check.err
    assert check.out == f"{out}: ok (shop: 4 models, 1 datasource)\n"


def test_discover_refuses_to_overwrite_unless_forced(shop_db: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{shop_db}"
    assert run_composer("discover", "--url", url, "--out", str(tmp_path / "p")).code == 0
    again = run_composer("discover", "--url", url, "--out", str(tmp_path / "p"))
    assert again.code == 1
    assert again.err.splitlines()[-1].startswith("composer: error: not overwriting ")
    assert again.err.splitlines()[-1].endswith(": remove them or pass --force")
    forced = run_composer("discover", "--url", url, "--out", str(tmp_path / "p"), "--force")
    assert forced.code == 0, forced.err
    assert forced.out.startswith("wrote 5 files")  # the project's composer.yaml is kept


def test_tables_limits_the_models_and_an_unknown_one_is_exit_1(
    shop_db: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{shop_db}"
    out = tmp_path / "p"
    result = run_composer(
        "discover", "--url", url, "--tables", "orders,customers", "--out", str(out)
    )
    assert result.code == 0, result.err
    assert _written(out / "models") == ["customer.yaml", "order.yaml"]
    unknown = run_composer("discover", "--url", url, "--tables", "ordres", "--out", str(out))
    assert unknown.code == 1
    assert unknown.err == (
        "composer: error: unknown table 'ordres' "
        "(tables: customers, order_lines, orders, products)\n"
    )


def test_a_database_that_cannot_be_read_is_one_line_and_exit_1(tmp_path: Path) -> None:
    missing = run_composer("discover", "--url", "sqlite:///nope.db", cwd=tmp_path)
    assert missing.code == 1
    assert missing.err == f"composer: error: no SQLite database at {tmp_path / 'nope.db'}\n"
    assert not (tmp_path / "nope.db").exists()
    refused = run_composer("discover", "--url", "postgresql://app:s3cret@127.0.0.1:1/shop")
    assert refused.code == 1
    assert len(refused.err.splitlines()) == 1
    assert refused.err.startswith("composer: error: ")
    assert "s3cret" not in refused.err
    assert "Traceback" not in refused.err
    usage = run_composer("discover")
    assert usage.code == 2
    assert "Missing option '--url'" in usage.err


async def test_the_password_of_a_postgresql_url_is_written_nowhere(tmp_path: Path) -> None:
    async with isolated_database("postgresql", tmp_path) as url:
        # trust authentication ignores the password, so the URL with one still connects
        role = url.split("//")[1].split("@")[0]
        with_password = url.replace(f"{role}@", f"{role}:s3cret-pw@")
        await create(url, "postgresql")
        out = tmp_path / "p"
        result = run_composer(
            "discover", "--url", with_password, "--tables", "customers", "--out", str(out)
        )
        assert result.code == 0, result.err
        assert "s3cret-pw" not in result.out + result.err
        assert "note: the password is not written" in result.err
        for path in out.rglob("*"):
            if path.is_file():
                assert "s3cret-pw" not in path.read_text(encoding="utf-8"), path
        assert f"${{DATABASE_URL:-{url}}}" in (out / "datasources" / "db.yaml").read_text()
