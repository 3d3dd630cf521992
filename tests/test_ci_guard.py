"""Under CI=true no PostgreSQL or MariaDB test may be skipped: the guard finds every such skip."""

from __future__ import annotations

import pytest

from tests.conftest import skipped_server_tests


def _report(nodeid: str, outcome: str) -> pytest.TestReport:
    longrepr = ("file.py", 1, "Skipped: not reachable") if outcome == "skipped" else None
    return pytest.TestReport(nodeid, ("file.py", 1, "test"), {}, outcome, longrepr, "call")  # type: ignore[arg-type]


def test_the_guard_names_skipped_postgresql_and_mariadb_tests_only() -> None:
    reports = [
        _report("tests/integration/repository/test_contract.py::test_crud[postgresql]", "skipped"),
        _report("tests/integration/repository/test_contract.py::test_crud[mariadb]", "skipped"),
        _report("tests/integration/repository/test_contract.py::test_crud[memory]", "skipped"),
        _report("tests/integration/test_postgresql.py::test_connects", "skipped"),
        _report("tests/integration/repository/test_contract.py::test_x[postgresql]", "passed"),
    ]
    assert skipped_server_tests(reports) == [
        "tests/integration/repository/test_contract.py::test_crud[postgresql]",
        "tests/integration/repository/test_contract.py::test_crud[mariadb]",
        "tests/integration/test_postgresql.py::test_connects",
    ]
