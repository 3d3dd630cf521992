"""serve(): start, on_ready, wait for SIGTERM/SIGINT, stop gracefully, return."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest

from composer.errors import BootError
from composer.ops import App, serve
from tests.unit.connectors.recording import Recording
from tests.unit.ops.support import spec_with

REPO = Path(__file__).resolve().parents[3]

SERVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from composer.ops import App, serve
    from composer.spec import AppSpec, RestSpec, SqlDatasourceSpec

    spec = AppSpec(
        api_version="composer/v1",
        name="todo",
        rest=RestSpec(port=0),
        datasources={"db": SqlDatasourceSpec(connector="sql", url="sqlite:///todo.db")},
    )
    app = App(spec, root=Path(sys.argv[1]), data_dir=Path(sys.argv[1]) / ".composer")
    serve(app, on_ready=lambda app: print(app.url, flush=True))
    print("stopped", app.state, flush=True)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_served_app_in_a_process_stops_on_the_signal_exits_0_and_frees_its_port(
    tmp_path: Path, signum: signal.Signals
) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(tmp_path)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        with urllib.request.urlopen(f"{url}/health/ready", timeout=5) as response:
            assert json.loads(response.read()) == {
                "status": "UP",
                "checks": [{"name": "datasources.db", "status": "UP"}],
            }
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert (proc.returncode, stdout, stderr) == (0, "stopped stopped\n", "")
    port = int(url.rsplit(":", 1)[1])
    with socket.socket() as sock:
        # what a new server does: only a socket still listening on the port would stop it
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen()
    assert (tmp_path / ".composer" / "todo.db").is_file()


def test_serve_calls_on_ready_once_started_and_returns_after_a_stop_signal(
    tmp_path: Path,
) -> None:
    recording = Recording()
    app = App(spec_with("db"), root=tmp_path, data_dir=tmp_path, factories=recording.factories())
    seen: list[tuple[str, str | None]] = []

    def ready(app: App) -> None:
        seen.append((app.state, app.url))
        os.kill(os.getpid(), signal.SIGTERM)

    serve(app, host="127.0.0.1", port=0, on_ready=ready)
    assert seen[0][0] == "started"
    assert seen[0][1] is not None
    assert seen[0][1].startswith("http://127.0.0.1:")
    assert recording.journal == ["connect db", "disconnect db"]
    assert app.state == "stopped"
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_serve_raises_a_start_failure_and_restores_the_signal_handlers(
    tmp_path: Path, busy_port: int
) -> None:
    recording = Recording()
    app = App(spec_with("db"), root=tmp_path, data_dir=tmp_path, factories=recording.factories())
    with pytest.raises(BootError) as caught:
        serve(app, port=busy_port, on_ready=lambda _: pytest.fail("not ready"))
    assert str(caught.value) == f"cannot listen on 127.0.0.1:{busy_port}: address already in use"
    assert recording.journal == ["connect db", "disconnect db"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
