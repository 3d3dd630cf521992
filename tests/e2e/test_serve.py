"""`composer serve` as a process: the example answers, a busy port is one line, SIGTERM stops it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.process import REPO, composer_env, free_port, run_composer

pytestmark = pytest.mark.e2e


def _get(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _wait_ready(proc: subprocess.Popen[str], url: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"server exited early: {proc.stderr.read() if proc.stderr else ''}"
            )
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    raise AssertionError("server did not become ready")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str, Path]]:
    port = free_port()
    data_dir = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "composer", "serve", "examples/todo", "--port", str(port)],
        cwd=REPO,
        env=composer_env(COMPOSER_DATA_DIR=str(data_dir)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(proc, url)
        yield proc, url, data_dir
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate(timeout=10)


def test_served_example_answers_health_openapi_ping_and_explorer(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    _proc, url, data_dir = served
    assert _get(url + "/health/live") == (200, {"status": "UP"})
    status, ready = _get(url + "/health/ready")
    assert status == 200
    assert ready["status"] == "UP"
    status, document = _get(url + "/openapi.json")
    assert status == 200
    assert document["info"]["title"] == "todo"  # type: ignore[index]
    status, ping = _get(url + "/ping")
    assert status == 200
    assert ping["greeting"] == "Hello from composer"
    with urllib.request.urlopen(url + "/explorer/", timeout=5) as response:
        assert response.status == 200
        assert "swagger-ui" in response.read().decode()
    assert _get(url + "/nope") == (
        404,
        {
            "error": {
                "statusCode": 404,
                "name": "NotFoundError",
                "message": 'Endpoint "GET /nope" not found.',
            }
        },
    )
    assert (data_dir / "todo.db").is_file()


def test_sigterm_stops_the_server_gracefully(
    served: tuple[subprocess.Popen[str], str, Path],
) -> None:
    proc, url, _data_dir = served
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "composer: stopped"
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/health/live", timeout=1)


def test_sigint_stops_the_server_too(served: tuple[subprocess.Popen[str], str, Path]) -> None:
    proc, _url, _data_dir = served
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_serve_on_a_busy_port_is_one_line_and_exit_1(busy_port: int, tmp_path: Path) -> None:
    result = run_composer(
        "serve", "examples/todo", "--port", str(busy_port), COMPOSER_DATA_DIR=str(tmp_path)
    )
    assert result.code == 1
    assert result.err == (
        f"composer: error: cannot listen on 127.0.0.1:{busy_port}: address already in use\n"
    )


def test_serve_of_a_bad_manifest_prints_the_errors_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "composer.yaml").write_text(
        "apiVersion: composer/v1\nname: x\nrest: {port: true}\n", encoding="utf-8"
    )
    result = run_composer("serve", str(tmp_path))
    assert result.code == 1
    assert result.err.startswith("composer.yaml:3:14: error[CMP100] rest.port:")
    assert "Traceback" not in result.err
