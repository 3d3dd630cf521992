"""examples/discover: shop.sql runs, discovers, boots and answers as its README shows."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import aiohttp

from composer.boot import boot
from composer.discover import discover, write_files
from tests.e2e.process import REPO

EXAMPLE = REPO / "examples" / "discover"


async def test_the_shop_example_is_discovered_and_served_as_its_readme_says(
    tmp_path: Path,
) -> None:
    database = tmp_path / "shop.db"
    with sqlite3.connect(database) as connection:
        connection.executescript((EXAMPLE / "shop.sql").read_text(encoding="utf-8"))
    connection.close()
    found = await discover(f"sqlite:///{database}")
    project = tmp_path / "shop"
    write_files(found.files, project, force=False)
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    order_yaml = re.search(r"```yaml\n(.*?)```", readme, re.S)
    assert order_yaml is not None
    assert (project / "models" / "order.yaml").read_text(encoding="utf-8") == order_yaml.group(1)
    shown = re.search(r"answers:\n\n(.*?)\n\n", readme, re.S)
    assert shown is not None
    app = boot(project, env={})
    await app.start(port=0)
    try:
        async with aiohttp.ClientSession() as session:
            params = {"filter": '{"include":["orders"]}'}
            async with session.get(f"{app.url}/customers", params=params) as response:
                assert response.status == 200
                assert await response.json() == json.loads(shown.group(1))
            params = {"filter": '{"include":["customer",{"relation":"orderLines"}]}'}
            async with session.get(f"{app.url}/orders/1", params=params) as response:
                assert response.status == 200
                order = await response.json()
                assert order["customer"]["fullName"] == "Ada Lovelace"
                assert [line["quantity"] for line in order["orderLines"]] == [6, 1]
            async with session.get(f"{app.url}/order-lines/count") as response:
                assert await response.json() == {"count": 3}
    finally:
        await app.stop()
