"""OAuth 2.0 authorisation code grant (RFC 6749 section 4.1) with PKCE (RFC 7636), and refreshing (section 6).

PKCE: a `code_verifier` of 64 unreserved characters from `secrets`, sent as its S256 challenge
(`BASE64URL(SHA256(verifier))`, no padding) on the authorisation request and as itself on the token request.
Token errors are the RFC's JSON (`{"error": "invalid_grant", "error_description": ...}`). A 400 or 401 answer
means the grant is gone for good (reconnect the account): `invalid_grant` per the RFC, but X answers a spent or
revoked refresh token with `invalid_request`, so the status decides, except for the RFC's own transient codes
(`temporarily_unavailable`, `server_error`). 5xx, 429 and network failures are transient."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx

TRANSIENT = {"temporarily_unavailable", "server_error", "slow_down"}


class OAuthError(Exception):
    """A token request that failed; `permanent` when only a new authorisation can fix it."""

    def __init__(self, error: str, description: str, *, permanent: bool) -> None:
        super().__init__(f"{error}: {description}")
        self.error, self.description, self.permanent = error, description, permanent


@dataclass(frozen=True)
class Grant:
    access_token: str
    refresh_token: str | None
    expires_at: datetime | None
    scope: str | None


def new_verifier() -> str:
    return secrets.token_urlsafe(48)  # 64 characters of [A-Za-z0-9_-]


def challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


def authorization_url(base: str, *, client_id: str, redirect_uri: str, scope: str, state: str,
                      verifier: str | None, extra: dict[str, str] | None = None) -> str:
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri, "scope": scope,
              "state": state, **(extra or {})}
    if verifier is not None:
        params.update(code_challenge=challenge(verifier), code_challenge_method="S256")
    return f"{base}{'&' if '?' in base else '?'}{urlencode(params)}"


def grant_of(body: dict, now: datetime, *, refresh_token: str | None = None) -> Grant:
    """The grant in a successful token response (a refresh may omit `refresh_token`: the old one stays)."""
    token = body.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuthError("invalid_response", "the token response has no access_token", permanent=False)
    expires_in = body.get("expires_in")
    try:
        expires_at = now + timedelta(seconds=int(expires_in)) if expires_in not in (None, "") else None
    except (TypeError, ValueError):
        expires_at = None
    return Grant(access_token=token, refresh_token=body.get("refresh_token") or refresh_token,
                 expires_at=expires_at, scope=body.get("scope"))


async def token_request(client: httpx.AsyncClient, url: str, form: dict[str, str], *,
                        basic: tuple[str, str] | None) -> dict:
    """POSTs a token request; the JSON body, or OAuthError."""
    try:
        response = await client.post(url, data=form, auth=basic, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise OAuthError("network", f"{type(exc).__name__}: {exc}", permanent=False) from exc
    try:
        body = response.json()
    except ValueError:
        body = {}
    body = body if isinstance(body, dict) else {}
    if response.is_success:
        return body
    error = body.get("error")
    if isinstance(error, dict):  # Graph API style: {"error": {"message", "type", "code"}}
        code = "invalid_grant" if error.get("code") in (190, 100) else f"graph_{error.get('code')}"
        raise OAuthError(code, str(error.get("message") or response.reason_phrase), permanent=code == "invalid_grant")
    error = str(error or f"http_{response.status_code}")
    description = str(body.get("error_description") or response.text[:200] or response.reason_phrase)
    permanent = response.status_code in (400, 401) and error not in TRANSIENT
    raise OAuthError(error, description, permanent=permanent)


def now_utc() -> datetime:
    return datetime.now(UTC)
