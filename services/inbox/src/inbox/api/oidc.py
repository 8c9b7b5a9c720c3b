"""OpenID Connect sign-in routes; off unless `INBOX_OIDC_ISSUER` (and client id, secret, redirect URI) are set."""

import secrets

from fastapi import APIRouter, HTTPException, Request, status
from fastapi.responses import RedirectResponse

from inbox.api.auth import set_session_cookie
from inbox.auth.oidc import OidcError, pkce_pair

router = APIRouter(prefix="/api/auth/oidc", tags=["auth"])


def _client(request: Request):
    client = request.app.state.oidc
    if client is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "OpenID Connect sign-in is not configured")
    return client


@router.get("/login", status_code=302, summary="Start signing in with the organisation's identity provider")
async def oidc_login(request: Request, next: str = "/") -> RedirectResponse:
    client = _client(request)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    verifier, challenge = pkce_pair()
    safe_next = next if next.startswith("/") and not next.startswith("//") else "/"
    await request.app.state.users.save_oidc_state(state, {"nonce": nonce, "verifier": verifier, "next": safe_next})
    return RedirectResponse(await client.authorization_url(state=state, nonce=nonce, challenge=challenge), status_code=302)


@router.get("/callback", status_code=302, summary="The identity provider sends the person back here",
            responses={400: {"description": "Unknown or expired sign-in."}, 403: {"description": "No staff account."}})
async def oidc_callback(request: Request, code: str | None = None, state: str | None = None,
                        error: str | None = None) -> RedirectResponse:
    client = _client(request)
    if error or not code or not state:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"sign-in was not completed: {error or 'missing code'}")
    saved = await request.app.state.users.take_oidc_state(state)
    if saved is None:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "unknown or expired sign-in; start again")
    try:
        claims = await client.exchange(code=code, verifier=saved["verifier"], nonce=saved["nonce"])
    except OidcError as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"sign-in failed: {exc}") from exc
    email = claims.get("email") if claims.get("email_verified") and request.app.state.settings.oidc_match_email else None
    user = await request.app.state.users.by_oidc(str(claims["sub"]), email)
    if user is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "there is no Civic Inbox account for you; ask an admin")
    session = await request.app.state.users.open_session(user["_id"], hours=request.app.state.settings.session_hours,
                                                         auth="oidc")
    response = RedirectResponse(saved.get("next") or "/", status_code=302)
    set_session_cookie(request, response, session)
    return response
