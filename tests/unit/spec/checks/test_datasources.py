"""SQL URLs parse and name a supported database; the URL itself is never shown."""

from __future__ import annotations

import pytest

from composer.spec.checks.datasources import url_problem
from tests.unit.spec.conftest import Manifests

HINT = (
    "  hint: use dialect[+driver]://user:password@host:port/database "
    "(postgresql, mysql, mariadb) or sqlite:///relative.db, sqlite:////absolute.db"
)


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://",
        "sqlite:///todo.db",
        "sqlite:////var/lib/todo.db",
        "postgresql://app:pw@db:5432/app",
        "postgres://db/app",
        "postgresql+asyncpg://db/app",
        "mysql+aiomysql://app@db:3306/app",
        "mariadb://db/app",
    ],
)
def test_supported_urls_pass(url: str) -> None:
    assert url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("mongodb://db/app", "has the unsupported scheme 'mongodb'"),
        ("postgresql://db:99999/app", "has a port out of range (1-65535)"),
        ("postgresql://db:http/app", "does not parse"),
        ("not a url", "does not parse"),
        ("postgresql://db/app\n", "has a control character"),
        ("sqlite://host/todo.db", "names a host, which sqlite does not have"),
    ],
)
def test_bad_urls_say_why_without_repeating_the_url(url: str, problem: str) -> None:
    assert url_problem(url) == problem


def test_a_bad_url_is_reported_without_its_password(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "postgresql://app:s3cret@db:70000/app"}
        """
    )
    assert errors == (
        "composer.yaml:4:29: error[CMP108] datasources.db.url: "
        "the URL has a port out of range (1-65535)\n" + HINT
    )


def test_a_bad_url_from_the_environment_is_named_by_its_expression(manifests: Manifests) -> None:
    errors = manifests.errors(
        """\
        apiVersion: composer/v1
        name: gallery
        datasources:
          db: {connector: sql, url: "${DATABASE_URL}"}
        """,
        env={"DATABASE_URL": "s3cret"},
    )
    assert errors == (
        "composer.yaml:4:29: error[CMP108] datasources.db.url: ${DATABASE_URL} does not parse\n"
        + HINT
    )
