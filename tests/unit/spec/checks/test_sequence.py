"""The request sequence: built-in actions only, each once, authenticate before authorize."""

from __future__ import annotations

from composer.spec import BUILTIN_ACTIONS, DEFAULT_SEQUENCE
from tests.unit.spec.conftest import Manifests


def test_the_default_sequence_is_every_builtin_action() -> None:
    assert (
        DEFAULT_SEQUENCE
        == BUILTIN_ACTIONS
        == (
            "cors",
            "findRoute",
            "authenticate",
            "authorize",
            "parseParams",
            "invoke",
            "send",
        )
    )


def test_an_unknown_action_suggests_the_closest(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nsequence: [findRoute, parsParams, invoke, send]\n"
    )
    assert errors == (
        "composer.yaml:3:23: error[CMP124] sequence[1]: unknown action 'parsParams'\n"
        "  hint: did you mean 'parseParams'? built-in actions: "
        "cors, findRoute, authenticate, authorize, parseParams, invoke, send"
    )


def test_an_action_listed_twice_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nsequence: [findRoute, invoke, send, send]\n"
    )
    assert errors == (
        "composer.yaml:3:37: error[CMP125] sequence[3]: action 'send' is already at sequence[2]\n"
        "  hint: list each action once"
    )


def test_authenticate_after_authorize_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\n"
        "sequence: [findRoute, authorize, authenticate, invoke, send]\n"
    )
    assert errors == (
        "composer.yaml:3:34: error[CMP126] sequence[2]: "
        "authenticate comes after authorize (sequence[1])\n"
        "  hint: move authenticate before authorize: "
        "authorization decides on the authenticated user"
    )


def test_an_action_before_the_action_it_needs_is_rejected(manifests: Manifests) -> None:
    errors = manifests.errors(
        "apiVersion: composer/v1\nname: gallery\nsequence: [findRoute, send, invoke]\n"
    )
    assert errors == (
        "composer.yaml:3:23: error[CMP131] sequence[1]: send comes before invoke (sequence[2])\n"
        "  hint: move invoke before send: send works on what invoke found"
    )


def test_a_sequence_that_cannot_answer_names_the_missing_actions(manifests: Manifests) -> None:
    errors = manifests.errors("apiVersion: composer/v1\nname: gallery\nsequence: [cors]\n")
    assert errors == (
        "composer.yaml:3:11: error[CMP131] sequence: the sequence has no findRoute, invoke, send\n"
        "  hint: a sequence needs findRoute, invoke and send to answer a request; "
        "the default is cors, findRoute, authenticate, authorize, parseParams, invoke, send"
    )
