"""Authorisation servers of X, Google (YouTube) and Meta, played locally: OAuth 2.0 authorisation code with PKCE
(RFC 6749 section 4.1, RFC 7636), refresh tokens and expiry, on the platforms' own paths and with their own
answers, plus the identity calls a connector makes with a new token.

| platform | authorise | token | after |
|---|---|---|---|
| X | `GET /x/i/oauth2/authorize` (PKCE required) | `POST /x/2/oauth2/token` (client Basic auth); access 2 h; refresh token rotated on use; a bad one: 400 `invalid_request` "Value passed for the token was invalid." | `GET /x/2/users/me` |
| Google | `GET /google/o/oauth2/v2/auth` | `POST /google/token` (client secret in the body); access 3599 s; refresh token kept; a bad one: 400 `invalid_grant` "Token has been expired or revoked." | `GET /youtube/youtube/v3/channels?mine=true` |
| Meta | `GET /meta/www/{version}/dialog/oauth` | `GET or POST /meta/{version}/oauth/access_token` (code, or `fb_exchange_token` for a long-lived token) | `GET /meta/{version}/me/accounts` (Page tokens) |

Consent is given at once (a test double): the authorising user is the sandbox's organisation account. Tokens
the stand-ins issue start `sbx-`; every stand-in refuses them once expired or revoked (`platforms.bearer`).
Faults armed for `x`, `youtube` or `meta` (`/_sandbox/faults`, matching the token path) make the token endpoint
answer 503 `temporarily_unavailable`. `POST /_sandbox/oauth/lifetime {"platform", "seconds"}` shortens access tokens; `POST /_sandbox/oauth/revoke
{"account", "access_only"}` revokes an account's grants (so its refresh fails, as after a password change), or
only its access tokens (so the platform refuses them before they expire)."""

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from sandbox.platforms import body_of, state

router = APIRouter(tags=["oauth stand-ins"])
LIFETIMES = {"x": 7200, "google": 3599, "meta": 3600}
CODE_SECONDS = 600


@dataclass
class Issued:
    platform: str
    account: str
    client_id: str
    scope: str
    expires_at: float | None = None
    revoked: bool = False


@dataclass
class OAuthState:
    codes: dict[str, dict] = field(default_factory=dict)
    access: dict[str, Issued] = field(default_factory=dict)
    refresh: dict[str, Issued] = field(default_factory=dict)
    lifetimes: dict[str, int] = field(default_factory=lambda: dict(LIFETIMES))

    def valid(self, token: str) -> bool:
        issued = self.access.get(token)
        return issued is not None and not issued.revoked and (issued.expires_at is None or issued.expires_at > time.time())


def oauth_state(request: Request) -> OAuthState:
    app_state = request.app.state
    if not hasattr(app_state, "oauth"):
        app_state.oauth = OAuthState()
    return app_state.oauth


def _accounts(request: Request) -> dict[str, str]:
    settings = request.app.state.settings
    return {"x": settings.x_account_id, "google": settings.youtube_channel_id, "meta": settings.meta_page_id}


def _authorize(request: Request, platform: str, *, pkce_required: bool) -> Response:
    q = request.query_params
    redirect_uri, state_value = q.get("redirect_uri"), q.get("state")
    if not redirect_uri or not q.get("client_id"):
        return JSONResponse({"error": "invalid_request", "error_description": "client_id and redirect_uri are required"},
                            status_code=400)
    error = None
    if q.get("response_type") != "code":
        error = ("unsupported_response_type", "response_type must be code")
    elif q.get("code_challenge") and q.get("code_challenge_method") != "S256":
        error = ("invalid_request", "code_challenge_method must be S256")
    elif pkce_required and not q.get("code_challenge"):
        error = ("invalid_request", "code_challenge is required")
    if error:
        return RedirectResponse(f"{redirect_uri}?{urlencode({'error': error[0], 'error_description': error[1], 'state': state_value or ''})}",
                                status_code=302)
    code = secrets.token_urlsafe(24)
    oauth_state(request).codes[code] = {
        "platform": platform, "client_id": q["client_id"], "redirect_uri": redirect_uri, "scope": q.get("scope") or "",
        "challenge": q.get("code_challenge"), "account": _accounts(request)[platform], "expires": time.time() + CODE_SECONDS}
    return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state_value or ''})}", status_code=302)


@router.get("/x/i/oauth2/authorize", summary="X: authorisation (OAuth 2.0 with PKCE)")
async def x_authorize(request: Request) -> Response:
    return _authorize(request, "x", pkce_required=True)


@router.get("/google/o/oauth2/v2/auth", summary="Google: authorisation")
async def google_authorize(request: Request) -> Response:
    return _authorize(request, "google", pkce_required=False)


@router.get("/meta/www/{version}/dialog/oauth", summary="Facebook Login dialog")
async def meta_authorize(request: Request, version: str) -> Response:
    return _authorize(request, "meta", pkce_required=False)


def _client(request: Request, form: dict, platform: str) -> str | None:
    """The authenticated client id (X: HTTP Basic; Google and Meta: `client_secret` in the body)."""
    secret = request.app.state.settings.oauth_client_secret
    header = request.headers.get("authorization") or ""
    if platform == "x":
        if not header.lower().startswith("basic "):
            return None
        try:
            client_id, _, given = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
    else:
        client_id, given = form.get("client_id") or "", form.get("client_secret") or ""
    return client_id if client_id and hmac.compare_digest(given.encode(), secret.encode()) else None


def _bad_grant(platform: str) -> JSONResponse:
    if platform == "x":
        return JSONResponse({"error": "invalid_request", "error_description": "Value passed for the token was invalid."},
                            status_code=400)
    if platform == "meta":
        return JSONResponse({"error": {"message": "Error validating verification code. Please make sure your "
                                       "redirect_uri is identical to the one you used in the OAuth dialog request",
                                       "type": "OAuthException", "code": 100, "fbtrace_id": "Asandbox"}}, status_code=400)
    return JSONResponse({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, status_code=400)


def _issue(request: Request, platform: str, account: str, client_id: str, scope: str, *, refresh: bool,
           lifetime: int | None = None) -> dict:
    oauth = oauth_state(request)
    lifetime = lifetime or oauth.lifetimes[platform]
    access = f"sbx-{platform}-at-{secrets.token_hex(16)}"
    oauth.access[access] = Issued(platform, account, client_id, scope, time.time() + lifetime)
    body = {"access_token": access, "token_type": "bearer" if platform != "google" else "Bearer", "expires_in": lifetime}
    if scope:
        body["scope"] = scope
    if refresh:
        token = f"sbx-{platform}-rt-{secrets.token_hex(16)}"
        oauth.refresh[token] = Issued(platform, account, client_id, scope)
        body["refresh_token"] = token
    return body


async def _token(request: Request, platform: str) -> JSONResponse:
    fault = state(request).take_fault({"google": "youtube"}.get(platform, platform), request.url.path)
    if fault is not None:
        return JSONResponse({"error": "temporarily_unavailable", "error_description": "try again later"}, status_code=503)
    form = dict(request.query_params) if request.method == "GET" else await body_of(request)
    client_id = _client(request, form, platform)
    if client_id is None:
        return JSONResponse({"error": "invalid_client", "error_description": "Client authentication failed."},
                            status_code=401)
    oauth, grant_type = oauth_state(request), form.get("grant_type") or ("authorization_code" if form.get("code") else "")
    if grant_type == "authorization_code":
        code = oauth.codes.pop(form.get("code") or "", None)
        verifier = form.get("code_verifier") or ""
        if code is None or code["expires"] < time.time() or code["client_id"] != client_id or \
                code["redirect_uri"] != form.get("redirect_uri") or code["platform"] != platform:
            return _bad_grant(platform)
        if code["challenge"]:
            made = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not hmac.compare_digest(made, code["challenge"]):
                return _bad_grant(platform)
        return JSONResponse(_issue(request, platform, code["account"], client_id, code["scope"], refresh=platform != "meta"))
    if grant_type == "refresh_token" and platform != "meta":
        issued = oauth.refresh.get(form.get("refresh_token") or "")
        if issued is None or issued.revoked or issued.client_id != client_id:
            return _bad_grant(platform)
        body = _issue(request, platform, issued.account, client_id, issued.scope, refresh=platform == "x")
        if platform == "x":  # X rotates: the refresh token just used is spent
            issued.revoked = True
        return JSONResponse(body)
    if grant_type == "fb_exchange_token" and platform == "meta":
        issued = oauth.access.get(form.get("fb_exchange_token") or "")
        if issued is None or not oauth.valid(form["fb_exchange_token"]):
            return _bad_grant(platform)
        return JSONResponse(_issue(request, platform, issued.account, client_id, issued.scope, refresh=False,
                                   lifetime=5183944))
    return JSONResponse({"error": "unsupported_grant_type", "error_description": f"{grant_type!r}"}, status_code=400)


@router.post("/x/2/oauth2/token", summary="X: token (authorisation code, refresh)")
async def x_token(request: Request) -> JSONResponse:
    return await _token(request, "x")


@router.post("/google/token", summary="Google: token (authorisation code, refresh)")
async def google_token(request: Request) -> JSONResponse:
    return await _token(request, "google")


@router.api_route("/meta/{version}/oauth/access_token", methods=["GET", "POST"], summary="Graph API: access token")
async def meta_token(request: Request, version: str) -> JSONResponse:
    return await _token(request, "meta")


def _holder(request: Request, platform: str) -> Issued | None:
    header = request.headers.get("authorization") or ""
    token = header[7:].strip() if header.lower().startswith("bearer ") else ""
    oauth = oauth_state(request)
    issued = oauth.access.get(token)
    return issued if issued and issued.platform == platform and oauth.valid(token) else None


@router.get("/x/2/users/me", summary="X: the authorising user")
async def x_me(request: Request) -> JSONResponse:
    if (issued := _holder(request, "x")) is None:
        return JSONResponse({"title": "Unauthorized", "detail": "Unauthorized", "type": "about:blank", "status": 401},
                            status_code=401)
    return JSONResponse({"data": {"id": issued.account, "name": "Civic Council", "username": request.app.state.settings.x_handle}})


@router.get("/youtube/youtube/v3/channels", summary="channels.list (mine=true)")
async def youtube_channels(request: Request) -> JSONResponse:
    if (issued := _holder(request, "google")) is None:
        return JSONResponse({"error": {"code": 401, "message": "Request had invalid authentication credentials.",
                                       "errors": [{"reason": "authError", "domain": "global"}]}}, status_code=401)
    return JSONResponse({"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": 1, "resultsPerPage": 5},
                         "items": [{"kind": "youtube#channel", "id": issued.account,
                                    "snippet": {"title": "Civic Council", "description": ""}}]})


@router.get("/meta/{version}/me/accounts", summary="Graph API: the Pages the user manages, with Page tokens")
async def meta_accounts(request: Request, version: str) -> JSONResponse:
    if (issued := _holder(request, "meta")) is None:
        return JSONResponse({"error": {"message": "Invalid OAuth access token.", "type": "OAuthException", "code": 190,
                                       "fbtrace_id": "Asandbox"}}, status_code=400)
    settings = request.app.state.settings
    page_token = f"sbx-meta-page-{secrets.token_hex(16)}"
    oauth_state(request).access[page_token] = Issued("meta", issued.account, issued.client_id, issued.scope, None)
    page = {"access_token": page_token, "category": "Government organization", "name": "Civic Council",
            "id": issued.account, "tasks": ["ANALYZE", "ADVERTISE", "MESSAGING", "MODERATE", "CREATE_CONTENT", "MANAGE"]}
    if settings.instagram_account_id:
        page["instagram_business_account"] = {"id": settings.instagram_account_id}
    return JSONResponse({"data": [page], "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUm"}}})


@router.post("/_sandbox/oauth/lifetime", summary="Set how long new access tokens of a platform last")
async def lifetime(request: Request) -> dict:
    body = await body_of(request)
    platform, seconds = str(body.get("platform")), int(body.get("seconds") or 0)
    if platform not in LIFETIMES or seconds <= 0:
        return JSONResponse({"detail": "platform (x, google, meta) and seconds > 0 are required"}, status_code=422)
    oauth_state(request).lifetimes[platform] = seconds
    return {"platform": platform, "seconds": seconds}


@router.post("/_sandbox/oauth/revoke", summary="Revoke every grant of an account (its refresh tokens stop working)")
async def revoke(request: Request) -> dict:
    body = await body_of(request)
    account = str(body.get("account") or "")
    oauth = oauth_state(request)
    revoked = 0
    grants = [*oauth.access.values()] if body.get("access_only") else [*oauth.refresh.values(), *oauth.access.values()]
    for issued in grants:
        if issued.account == account and not issued.revoked:
            issued.revoked, revoked = True, revoked + 1
    return {"account": account, "revoked": revoked}
