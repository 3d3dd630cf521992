"""The documented bounds and the public names of the manifest package."""

from __future__ import annotations

import pytest

import composer.manifest
from composer.manifest import Limits


def test_the_default_bounds_are_the_documented_ones() -> None:
    assert Limits() == Limits(
        max_file_bytes=2 * 1024 * 1024, max_aliases=1000, max_nodes=200_000, max_depth=64
    )
    assert "2 MiB" in (Limits.__doc__ or "")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_aliases": 0}, "Limits.max_aliases must be at least 1"),
        ({"max_depth": 401}, "Limits.max_depth must be at most 400"),
    ],
)
def test_bounds_outside_the_workable_range_are_refused(
    options: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Limits(**options)


def test_the_package_exports_the_loader_api() -> None:
    assert composer.manifest.__all__ == [
        "STACK_ENTRY_POINT_GROUP",
        "EnvStr",
        "Limits",
        "RawManifest",
        "load",
    ]
    assert composer.manifest.STACK_ENTRY_POINT_GROUP == "composer.stacks"
