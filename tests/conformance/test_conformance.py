"""composer answers LoopBack 4's todo scenario as LoopBack 4 does, or as documented.

The scenario (``scenario.py``) is replayed in order against ``examples/todo``
served in-process on a fresh database (SQLite, as shipped, and the memory
connector); each answer is compared with
the recording made from the LoopBack 4 reference app
(``recordings/lb4-todo.json``, re-recorded with ``record.py``). Cases where
composer differs on purpose are listed in ``differences.py``, each naming its
entry in ``docs/loopback-differences.md``.
"""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest

from composer.boot import boot
from tests.conformance.differences import BUGS, DIFFERENCES, digest
from tests.conformance.exchange import replay
from tests.conformance.projects import BACKENDS, todo_project
from tests.conformance.scenario import CASES

REPO = Path(__file__).resolve().parents[2]
RECORDING = Path(__file__).parent / "recordings" / "lb4-todo.json"
DIFFERENCES_DOC = REPO / "docs" / "loopback-differences.md"
CASE_IDS = [case.id for case in CASES]


def _recorded() -> dict[str, dict[str, Any]]:
    data = json.loads(RECORDING.read_text(encoding="utf-8"))
    return {record["id"]: record for record in data["cases"]}


RECORDED = _recorded()


async def _replay_on_composer(project: Path, data_dir: Path) -> list[dict[str, Any]]:
    app = boot(project, data_dir=data_dir, env={})
    async with app:
        await app.start(port=0)
        assert app.url is not None
        return await replay(app.url, CASES)


@pytest.fixture(scope="module", params=BACKENDS)
def answers(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """composer's answer to every case of the scenario, by case id, on one backend."""
    project = todo_project(request.param, tmp_path_factory.mktemp("project"))
    records = asyncio.run(_replay_on_composer(project, tmp_path_factory.mktemp("todo-data")))
    return {record["id"]: record for record in records}


def _doc_entries() -> set[str]:
    entries: set[str] = set()
    for line in DIFFERENCES_DOC.read_text(encoding="utf-8").splitlines():
        bullet = re.match(r"\s*[-*] \*\*(.+?)\*\*", line)
        heading = re.match(r"#+\s+(.+)", line)
        name = bullet.group(1) if bullet else heading.group(1) if heading else None
        if name is not None:
            entries.add(name.strip().rstrip(".").strip())
    return entries


def _marks(case_id: str) -> list[pytest.MarkDecorator]:
    if case_id in BUGS:
        return [pytest.mark.xfail(reason=BUGS[case_id], strict=True)]
    return []


def test_the_scenario_has_at_least_150_requests_with_unique_ids() -> None:
    assert len(CASES) >= 150
    assert len(set(CASE_IDS)) == len(CASE_IDS)


def test_the_recording_was_made_from_this_scenario() -> None:
    recorded = [(r["id"], r["request"]) for r in RECORDED.values()]
    assert recorded == [(case.id, case.request_record()) for case in CASES], (
        "scenario.py changed: re-record with `python -m tests.conformance.record` (see record.py)"
    )


def test_every_deliberate_difference_is_an_entry_of_the_differences_doc() -> None:
    entries = _doc_entries()
    missing = sorted({d.entry for d in DIFFERENCES.values()} - entries)
    assert missing == []


def test_every_listed_difference_and_bug_names_a_case_of_the_scenario() -> None:
    unknown = sorted((set(DIFFERENCES) | set(BUGS)) - set(CASE_IDS))
    assert unknown == []
    assert set(DIFFERENCES) & set(BUGS) == set()


@pytest.mark.parametrize(
    "case_id", [pytest.param(case_id, marks=_marks(case_id)) for case_id in CASE_IDS]
)
def test_composer_answers_like_loopback_or_as_documented(
    case_id: str, answers: dict[str, dict[str, Any]]
) -> None:
    recorded = RECORDED[case_id]
    answer = answers[case_id]
    got = {"status": answer["status"], "body": answer["body"]}
    loopback = {"status": recorded["status"], "body": recorded["body"]}
    difference = DIFFERENCES.get(case_id)
    if difference is None:
        assert got == loopback
    else:
        assert got != loopback, f"no longer differs: drop {case_id!r} from differences.py"
        pinned = {"status": answer["status"], "body": digest(answer["body"], difference.body)}
        assert pinned == {"status": difference.status, "body": difference.body}
