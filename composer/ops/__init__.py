"""Running generations: the App, its health probes, graceful serving.

::

    app = App(app_spec, root=root, data_dir=data_dir)   # planned, wired, activated; nothing open
    await app.start(port=0)                             # connect in plan order, listen
    app.url                                             # http://127.0.0.1:40123
    await app.stop()                                    # drain, disconnect in reverse order

    serve(app, on_ready=print_url)                      # blocking; SIGTERM/SIGINT stop it
"""

from __future__ import annotations

from composer.ops.app import DEFAULT_GRACE, App
from composer.ops.health import LIVE_PATH, READY_PATH, Health, add_health_routes
from composer.ops.listener import Listener
from composer.ops.serving import STOP_SIGNALS, serve

__all__ = [
    "DEFAULT_GRACE",
    "LIVE_PATH",
    "READY_PATH",
    "STOP_SIGNALS",
    "App",
    "Health",
    "Listener",
    "add_health_routes",
    "serve",
]
