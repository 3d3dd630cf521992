"""composer.__all__ is the public surface: sorted, complete, and every name resolves."""

from __future__ import annotations

import inspect

import composer


def test_all_is_sorted() -> None:
    assert composer.__all__ == sorted(composer.__all__)


def test_every_name_in_all_has_a_lazy_location_and_nothing_else_does() -> None:
    assert sorted(composer._LOCATIONS) == composer.__all__


def test_every_public_name_in_all_resolves_to_an_object_of_composer() -> None:
    for name in composer.__all__:
        value = getattr(composer, name)
        assert getattr(value, "__module__", "").startswith("composer"), name


def test_all_lists_exactly_the_public_names_of_the_package() -> None:
    for name in composer.__all__:
        getattr(composer, name)
    public = {
        name
        for name, value in vars(composer).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == set(composer.__all__)


def test_an_unknown_attribute_is_an_attribute_error() -> None:
    try:
        composer.nonexistent  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'composer' has no attribute 'nonexistent'"
    else:
        raise AssertionError("expected AttributeError")
