"""The whole flow, start to finish: read this file first.

::

    files ──load──▶ RawManifest ──validate──▶ AppSpec ──App()──▶ plan ▶ wire ▶ activate
                                                      ──start()──▶ connected, listening

:func:`boot` loads a manifest and returns an :class:`~composer.ops.App` that is
planned, wired and activated but not started: nothing is connected and no
socket is open until ``await app.start()`` (or ``composer.serve(app)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from composer import manifest, spec
from composer.ops import App

__all__ = ["boot"]


def boot(
    path: str | Path,
    *,
    data_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    debug: bool = False,
) -> App:
    """Load, validate, plan, wire and activate the project at ``path``.

    ``data_dir`` moves the data directory (default ``.composer/`` in the
    project); ``env`` replaces ``os.environ`` for ``${VAR}`` interpolation.

    ::

        app = boot("examples/todo")
        async with app:
            await app.start()
            print(app.url)

    Raises :class:`~composer.errors.ManifestError` listing every problem of
    the manifest, or :class:`~composer.errors.PlanCycleError`.
    """
    raw = manifest.load(path, data_dir=data_dir, env=env)  # merged data, file:line:col kept
    app_spec = spec.validate(raw)  # frozen AppSpec, or every problem at once
    return App(app_spec, root=raw.root, data_dir=raw.data_dir, debug=debug)
