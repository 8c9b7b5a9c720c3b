"""Connecting platform accounts (admins, through the inbox): start an OAuth 2.0 flow, the platform's redirect
back, the list of connected accounts and a forced renewal.

- `POST /api/accounts/{platform}/authorizations` (bearer `CONNECTORS_ADMIN_API_TOKEN`): a new flow: `state`
  (random, single use, ten minutes) and a PKCE verifier kept sealed; answers the URL to send the admin to.
- `GET /oauth/{platform}/callback?code&state`: the redirect URI registered with the platform. The code is
  exchanged with the verifier, the accounts are read from the platform, their tokens stored sealed.
- `GET /api/accounts`, `POST /api/accounts/{platform}/{account}/renew` (bearer): what is connected (never the
  tokens), and renewing one now."""

import hmac
import html
import logging
import secrets
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from connectors.accounts import oauth
from connectors.accounts.crypto import TokenKeyError
from connectors.accounts.oauth import OAuthError
from connectors.accounts.providers import PLATFORMS, provider

log = logging.getLogger(__name__)
router = APIRouter(tags=["accounts"])
PUBLIC = ("platform", "account_id", "name", "state", "expires_at", "refreshed_at", "connected_by", "connected_at",
          "last_error", "also")


class StartFlow(BaseModel):
    requested_by: str = Field(min_length=1, max_length=128, description="The admin connecting the account (audit).")


def _refused(request: Request) -> JSONResponse | None:
    expected = request.app.state.settings.admin_api_token
    if expected is None:
        return JSONResponse({"detail": "connecting accounts is off: set CONNECTORS_ADMIN_API_TOKEN"}, status_code=403)
    given = request.headers.get("authorization", "")
    if not given.startswith("Bearer ") or not hmac.compare_digest(given[7:].encode(), expected.get_secret_value().encode()):
        return JSONResponse({"detail": "missing or invalid bearer token"}, status_code=401)
    return None


def _redirect_uri(request: Request, platform: str) -> str:
    base = (request.app.state.settings.public_base_url or str(request.base_url)).rstrip("/")
    return f"{base}/oauth/{platform}/callback"


def _public(doc: dict) -> dict:
    return jsonable_encoder({k: doc.get(k) for k in PUBLIC})


@router.get("/api/accounts", summary="Connected accounts and which platforms can be connected")
async def accounts(request: Request) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    settings, book = request.app.state.settings, request.app.state.tokens
    await book.load()
    return JSONResponse({
        "platforms": [{"platform": p, "connectable": provider(settings, p) is not None and bool(settings.token_keys)}
                      for p in PLATFORMS],
        "accounts": [_public(d) for d in book.accounts()],
    }, headers={"Cache-Control": "no-store"})


@router.post("/api/accounts/{platform}/authorizations", status_code=201, summary="Start connecting an account")
async def start(request: Request, platform: str, body: StartFlow) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    settings = request.app.state.settings
    if platform not in PLATFORMS:
        return JSONResponse({"detail": f"unknown platform {platform[:20]!r}"}, status_code=404)
    server = provider(settings, platform)
    if server is None or request.app.state.tokens.cipher is None:
        return JSONResponse({"detail": f"{platform} accounts cannot be connected: its OAuth client id or "
                             "CONNECTORS_TOKEN_KEYS is not set"}, status_code=409)
    state = secrets.token_urlsafe(32)
    verifier = oauth.new_verifier() if server.pkce else None
    expires_at = await request.app.state.stores.connections.start_flow(
        state, platform=platform, verifier=request.app.state.tokens.cipher.seal(verifier) if verifier else None,
        requested_by=body.requested_by)
    url = oauth.authorization_url(server.authorize_url, client_id=server.client_id, state=state, scope=server.scope,
                                  redirect_uri=_redirect_uri(request, platform), verifier=verifier, extra=server.extra)
    return JSONResponse({"authorization_url": url, "state": state, "expires_at": expires_at.isoformat()}, status_code=201,
                        headers={"Cache-Control": "no-store"})


def _page(title: str, text: str, status: int) -> HTMLResponse:
    return HTMLResponse(f'<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>{html.escape(title)}'
                        f"</title></head><body><main><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></main>"
                        "</body></html>", status_code=status, headers={"Cache-Control": "no-store"})


@router.get("/oauth/{platform}/callback", summary="The platform's redirect back after an admin authorised")
async def callback(request: Request, platform: str, code: str | None = None, state: str | None = None,
                   error: str | None = None, error_description: str | None = None) -> Response:
    settings, book = request.app.state.settings, request.app.state.tokens
    flow = await request.app.state.stores.connections.take_flow(state[:128], platform) if state else None
    if error:
        return _page("Account not connected", f"The platform said: {error[:100]} {(error_description or '')[:300]}", 400)
    server = provider(settings, platform)
    if flow is None or not code or server is None:
        return _page("Account not connected", "This sign-in link is unknown, used or expired; start again.", 400)
    try:
        verifier = book.cipher.open(flow["verifier"]) if flow.get("verifier") else None
        grant = await server.exchange(book.client, code=code[:2048], redirect_uri=_redirect_uri(request, platform),
                                      verifier=verifier)
        found = await server.accounts(book.client, grant)
    except (OAuthError, TokenKeyError) as exc:
        log.warning("accounts: connecting a %s account failed: %s", platform, exc)
        return _page("Account not connected", f"The platform refused: {exc}", 400)
    if not found:
        return _page("Account not connected", "The platform gave access to no account.", 400)
    for account in found:
        await book.connect(account, connected_by=flow["requested_by"])
    names = ", ".join(f"{a.platform}:{a.account_id}" for a in found)
    if settings.accounts_return_url:
        return RedirectResponse(f"{settings.accounts_return_url}?{urlencode({'connected': names})}", status_code=303)
    return _page("Account connected", f"Connected {names}. You can close this page.", 200)


@router.post("/api/accounts/{platform}/{account}/renew", summary="Renew a connected account's token now")
async def renew(request: Request, platform: str, account: str) -> Response:
    if (refused := _refused(request)) is not None:
        return refused
    book = request.app.state.tokens
    doc = await request.app.state.stores.connections.get(platform, account)
    if doc is None:
        return JSONResponse({"detail": "no such connected account"}, status_code=404)
    return JSONResponse(_public(await book.renew(doc, force=True)))
