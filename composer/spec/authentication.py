"""The ``authentication:`` section: how a request proves who sends it.

Part of the spec so a manifest can be checked against its final shape;
``validate`` rejects a non-empty section with CMP127 until the runtime serves it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from composer.spec.base import SpecModel
from composer.spec.scalars import PositiveInt, Seq

__all__ = ["AuthStrategySpec", "AuthenticationSpec", "BasicStrategySpec", "JwtStrategySpec"]


class JwtStrategySpec(SpecModel):
    """Bearer JSON Web Tokens signed with a shared secret.

    >>> JwtStrategySpec(type="jwt", secret="s").expires_in
    3600
    """

    type: Literal["jwt"]
    secret: str
    """the signing secret; use ${VAR} to keep it out of the manifest"""
    algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    expires_in: PositiveInt = 3600
    """token lifetime in seconds"""
    issuer: str | None = None
    audience: str | None = None


class BasicStrategySpec(SpecModel):
    """HTTP Basic credentials checked against a user model.

    >>> BasicStrategySpec(type="basic", user_model="User").realm
    'composer'
    """

    type: Literal["basic"]
    user_model: str
    """the model holding users (with username and password properties)"""
    realm: str = "composer"


AuthStrategySpec = Annotated[JwtStrategySpec | BasicStrategySpec, Field(discriminator="type")]
"""An authentication strategy, by its ``type:``."""


class AuthenticationSpec(SpecModel):
    """Named strategies and the ones applied when a route says nothing.

    >>> AuthenticationSpec().strategies
    {}
    """

    strategies: dict[str, AuthStrategySpec] = {}
    """strategies by name"""
    default: Seq[str] = ()
    """strategy names tried, in order, for every route"""
