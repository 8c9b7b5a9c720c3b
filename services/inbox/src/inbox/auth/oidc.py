"""OpenID Connect sign-in (authorization code flow with PKCE) against a configurable issuer, with httpx.

The ID token comes straight from the provider's token endpoint over TLS, which OpenID Connect Core 1.0
§3.1.3.7 (6) allows to stand in for checking its signature; its issuer, audience, expiry and nonce are
checked. Roles stay local: a provider account signs in as the staff account linked to its subject (or, the
first time, the one with the same verified email)."""

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx


class OidcError(Exception):
    """The provider's answer could not be used to sign anyone in."""


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str | None
    redirect_uri: str
    scopes: str


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _claims(id_token: str) -> dict:
    try:
        payload = id_token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as exc:
        raise OidcError("the ID token is not a JWT") from exc


class OidcClient:
    def __init__(self, config: OidcConfig, http: httpx.AsyncClient) -> None:
        self.config = config
        self.http = http
        self._metadata: dict | None = None

    async def metadata(self) -> dict:
        if self._metadata is None:
            url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
            response = await self.http.get(url, timeout=10)
            response.raise_for_status()
            meta = response.json()
            if meta.get("issuer", "").rstrip("/") != self.config.issuer.rstrip("/"):
                raise OidcError("the discovery document names another issuer")
            self._metadata = meta
        return self._metadata

    async def authorization_url(self, *, state: str, nonce: str, challenge: str) -> str:
        meta = await self.metadata()
        query = {"response_type": "code", "client_id": self.config.client_id, "redirect_uri": self.config.redirect_uri,
                 "scope": self.config.scopes, "state": state, "nonce": nonce, "code_challenge": challenge,
                 "code_challenge_method": "S256"}
        return f"{meta['authorization_endpoint']}?{urlencode(query)}"

    async def exchange(self, *, code: str, verifier: str, nonce: str) -> dict:
        """The verified ID token claims for an authorization code."""
        meta = await self.metadata()
        data = {"grant_type": "authorization_code", "code": code, "redirect_uri": self.config.redirect_uri,
                "code_verifier": verifier, "client_id": self.config.client_id}
        auth = (self.config.client_id, self.config.client_secret) if self.config.client_secret else None
        response = await self.http.post(meta["token_endpoint"], data=data, auth=auth, timeout=10)
        if response.status_code != 200:
            raise OidcError(f"the token endpoint answered {response.status_code}")
        id_token = response.json().get("id_token")
        if not id_token:
            raise OidcError("no ID token in the token response")
        claims = _claims(id_token)
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if claims.get("iss", "").rstrip("/") != meta["issuer"].rstrip("/"):
            raise OidcError("the ID token is from another issuer")
        if self.config.client_id not in audiences:
            raise OidcError("the ID token is for another client")
        if not isinstance(claims.get("exp"), int | float) or claims["exp"] < time.time():
            raise OidcError("the ID token has expired")
        if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
            raise OidcError("the ID token's nonce does not match")
        if not claims.get("sub"):
            raise OidcError("the ID token has no subject")
        return claims
