"""Integration tests talk to real database servers.

A server that cannot be reached skips its tests with the reason, except in
CI (``CI=true``), where it fails them: there the servers must be up.
"""

from __future__ import annotations

import os
import socket

import pytest

POSTGRESQL = ("127.0.0.1", 5432)
MARIADB = ("127.0.0.1", 3306)


def require_server(what: str, address: tuple[str, int]) -> None:
    """Skip (fail under CI=true) unless ``address`` accepts a TCP connection."""
    host, port = address
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError as exc:
        reason = f"{what} is not reachable at {host}:{port} ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def postgresql() -> str:
    """The URL of the local PostgreSQL test database (user postgres, trust auth)."""
    require_server("PostgreSQL", POSTGRESQL)
    return "postgresql://postgres@127.0.0.1:5432/test"


@pytest.fixture
def mariadb() -> str:
    """The URL of the local MariaDB test database (root, empty password)."""
    require_server("MariaDB", MARIADB)
    return "mysql://root@127.0.0.1:3306/test"
