"""The whole suite: under CI=true no PostgreSQL or MariaDB test may be skipped.

On a machine without the database servers those tests skip with a reason;
in CI the servers must be up, so :func:`pytest_sessionfinish` turns any
skipped PostgreSQL or MariaDB test into a failed run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pytest

#: the servers whose tests may not be skipped under CI=true
SERVERS = ("postgres", "mariadb", "mysql")


def skipped_server_tests(reports: Iterable[pytest.TestReport | pytest.CollectReport]) -> list[str]:
    """The node ids of the skipped reports that belong to a PostgreSQL or MariaDB test."""
    return [
        report.nodeid
        for report in reports
        if report.skipped and any(server in report.nodeid.lower() for server in SERVERS)
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true, a skipped PostgreSQL or MariaDB test fails the run."""
    if os.environ.get("CI") != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = skipped_server_tests(reporter.stats.get("skipped", []))
    if skipped:
        reporter.write_line(
            f"CI=true: {len(skipped)} PostgreSQL/MariaDB test(s) were skipped; they must run:",
            red=True,
        )
        for nodeid in skipped:
            reporter.write_line(f"  {nodeid}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
