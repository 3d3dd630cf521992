"""The whole flow, start to finish: read this file first.

::

    files ──load──▶ RawManifest ──validate──▶ AppSpec ──check──▶ AppSpec
          ──App()──▶ plan ▶ wire ▶ activate ──start()──▶ connected, listening

:func:`check` is what ``composer validate`` runs: it never connects nor
imports user code. :func:`boot` checks, then returns an
:class:`~composer.ops.App` that is planned, wired and activated but not
started: nothing is connected and no socket is open until
``await app.start()`` (or ``composer.serve(app)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from composer import manifest, spec
from composer.connectors import check_connector_kinds
from composer.errors import ManifestError
from composer.repository.filter import check_scopes

if TYPE_CHECKING:
    from composer.ops import App

__all__ = ["boot", "check"]


def check(
    path: str | Path,
    *,
    data_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> tuple[spec.AppSpec, manifest.RawManifest]:
    """Load and validate the project at ``path``: every problem, or the spec.

    ``data_dir`` moves the data directory (default ``.composer/`` in the
    project); ``env`` replaces ``os.environ`` for ``${VAR}`` interpolation.

    ::

        app_spec, raw = check("examples/todo")
    """
    raw = manifest.load(path, data_dir=data_dir, env=env)  # merged data, file:line:col kept
    app_spec = spec.validate(raw)  # frozen AppSpec, or every problem at once
    issues = check_scopes(app_spec, raw)  # default scopes in the filter language
    issues += check_connector_kinds(app_spec, raw)  # built in, or installed by a package
    if issues:
        raise ManifestError(issues)
    return app_spec, raw


def boot(
    path: str | Path,
    *,
    data_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    debug: bool = False,
) -> App:
    """Check the project at ``path`` and build its App (planned, wired, activated).

    ::

        app = boot("examples/todo")
        async with app:
            await app.start()
            print(app.url)

    Raises :class:`~composer.errors.ManifestError` listing every problem of
    the manifest, or :class:`~composer.errors.PlanCycleError`.
    """
    from composer.ops import App  # the HTTP server and drivers load only when serving

    app_spec, raw = check(path, data_dir=data_dir, env=env)
    return App(app_spec, root=raw.root, data_dir=raw.data_dir, debug=debug)
