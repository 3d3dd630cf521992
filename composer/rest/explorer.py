"""The API explorer: Swagger UI from the installed ``swagger_ui_bundle`` package, no CDN.

At ``rest.explorer.path`` (``/explorer`` by default), outside the sequence:

- ``/explorer`` redirects (301) to ``/explorer/``;
- ``/explorer/`` is Swagger UI's page, titled after the app;
- ``/explorer/swagger-initializer.js`` points Swagger UI at ``/openapi.json``
  with the online validator switched off (nothing leaves the server);
- every other name under ``/explorer/`` is the package's asset of that name
  (scripts, style sheets, source maps, icons); anything else is a JSON 404.

``rest.explorer.enabled: false`` (or ``explorer: false``) serves none of it.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web
from swagger_ui_bundle import swagger_ui_path

from composer.rest.router import not_found

if TYPE_CHECKING:
    from composer.spec import AppSpec

__all__ = ["INITIALIZER", "SWAGGER_UI", "add_explorer", "explorer_page"]

#: where the installed swagger_ui_bundle keeps Swagger UI's files
SWAGGER_UI = Path(str(swagger_ui_path))

_ASSET_SUFFIXES = frozenset({".css", ".html", ".js", ".map", ".png"})

#: the Swagger UI start-up script: the document at /openapi.json, no external validator
INITIALIZER = b"""window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: "StandaloneLayout",
  });
};
"""


def explorer_page(title: str) -> bytes:
    """The package's ``index.html`` with the app's title; its assets are relative URLs.

    >>> b"<title>todo API Explorer</title>" in explorer_page("todo API Explorer")
    True
    """
    page = (SWAGGER_UI / "index.html").read_text(encoding="utf-8")
    page = page.replace("<title>Swagger UI</title>", f"<title>{html.escape(title)}</title>")
    return page.encode("utf-8")


def _assets() -> dict[str, Path]:
    # the package's files, by name; index.j2 is a server-side template, not an asset
    return {
        entry.name: entry
        for entry in SWAGGER_UI.iterdir()
        if entry.is_file() and entry.suffix in _ASSET_SUFFIXES
    }


def add_explorer(app: web.Application, spec: AppSpec) -> None:
    """Serve the explorer on ``app`` as ``spec.rest.explorer`` says.

    >>> from composer.spec import AppSpec
    >>> app = web.Application()
    >>> add_explorer(app, AppSpec(api_version="composer/v1", name="todo"))
    >>> [r.canonical for r in app.router.resources()]
    ['/explorer', '/explorer/{name}']
    """
    explorer = spec.rest.explorer
    if not explorer.enabled:
        return
    path = "/" + explorer.path.strip("/")
    page = explorer_page(f"{spec.name} API Explorer")
    assets = _assets()

    async def redirect(request: web.Request) -> web.Response:
        query = request.rel_url.raw_query_string
        location = f"{path}/?{query}" if query else f"{path}/"
        return web.Response(status=301, headers={"Location": location})

    async def asset(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name in ("", "index.html"):
            return web.Response(body=page, content_type="text/html", charset="utf-8")
        if name == "swagger-initializer.js":
            return web.Response(body=INITIALIZER, content_type="text/javascript", charset="utf-8")
        file = assets.get(name)
        if file is None:
            raise not_found(request.method, request.rel_url.raw_path)
        return web.FileResponse(file)

    app.router.add_get(path, redirect)
    app.router.add_get(path + "/{name:[^/]*}", asset)
