"""The explorer: Swagger UI from the installed package, never a CDN."""

from __future__ import annotations

import re

from composer.rest import activate
from composer.spec import ExplorerSpec, RestSpec
from tests.unit.rest.conftest import Serve, app_spec

URL_ATTRIBUTE = re.compile(rb"""(?:src|href)\s*=\s*["']([^"']+)["']""")


async def test_explorer_redirects_to_its_trailing_slash(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/explorer", allow_redirects=False)
    assert response.status == 301
    assert response.headers["Location"] == "/explorer/"
    response = await client.get("/explorer?x=1", allow_redirects=False)
    assert response.headers["Location"] == "/explorer/?x=1"


async def test_the_page_references_only_local_assets(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/explorer/")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    page = await response.read()
    assert b"<title>test API Explorer</title>" in page
    urls = URL_ATTRIBUTE.findall(page)
    assert b"./swagger-ui-bundle.js" in urls
    assert b"./swagger-initializer.js" in urls
    assert [url for url in urls if b"//" in url or url.startswith(b"/")] == []
    for url in urls:
        asset = await client.get("/explorer/" + url.decode().removeprefix("./"))
        assert asset.status == 200, url


async def test_the_initializer_points_at_the_local_document(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    script = await (await client.get("/explorer/swagger-initializer.js")).text()
    assert 'url: "/openapi.json"' in script
    assert "validatorUrl: null" in script
    assert "http" not in script


async def test_the_swagger_ui_bundle_is_served_from_the_package(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/explorer/swagger-ui-bundle.js")
    assert response.status == 200
    assert b"SwaggerUIBundle" in await response.read()


async def test_an_unknown_asset_is_a_json_404(serve: Serve) -> None:
    client = await serve(activate(app_spec()))
    response = await client.get("/explorer/nope.js")
    assert response.status == 404
    assert (await response.json())["error"][
        "message"
    ] == 'Endpoint "GET /explorer/nope.js" not found.'


async def test_a_disabled_explorer_is_a_json_404(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=RestSpec(explorer=ExplorerSpec(enabled=False)))))
    for path in ("/explorer", "/explorer/", "/explorer/swagger-ui-bundle.js"):
        response = await client.get(path, allow_redirects=False)
        assert response.status == 404
        assert (await response.json())["error"]["message"] == f'Endpoint "GET {path}" not found.'


async def test_the_explorer_path_comes_from_the_spec(serve: Serve) -> None:
    client = await serve(activate(app_spec(rest=RestSpec(explorer=ExplorerSpec(path="/docs/")))))
    assert (await client.get("/docs", allow_redirects=False)).headers["Location"] == "/docs/"
    assert (await client.get("/docs/")).status == 200
    assert (await client.get("/explorer/")).status == 404
