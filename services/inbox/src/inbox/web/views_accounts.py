"""Ops > Accounts (admins): the platform accounts connected through OAuth and a "Connect" link per platform.

The connectors own the flow and the tokens (`/api/accounts` there, with `INBOX_WEB_CONNECTORS_ADMIN_TOKEN` as its
bearer token); this page lists what is connected (never a token) and sends the admin's browser to the
platform's consent page. "Connect" is a link, not a form: the page's Content-Security-Policy allows forms to
post only to this site, and browsers apply that to the redirect that follows a form."""

import logging

import httpx
from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from inbox.auth.principal import Principal
from inbox.web import render
from inbox.web.session import WebPrincipal, error_page

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
PLATFORMS = {"x": "X", "youtube": "YouTube", "meta": "Facebook Page (with Messenger and Instagram)"}


class AccountSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INBOX_WEB_", extra="ignore")

    connectors_admin_token: SecretStr | None = Field(
        default=None, description="The connectors' `CONNECTORS_ADMIN_API_TOKEN`, for listing and connecting accounts.")


def _settings(request: Request) -> AccountSettings:
    if not hasattr(request.app.state, "account_settings"):
        request.app.state.account_settings = AccountSettings()
    return request.app.state.account_settings


async def _connectors(request: Request, method: str, path: str, **kwargs) -> httpx.Response:
    token = _settings(request).connectors_admin_token
    if token is None:
        raise RuntimeError("INBOX_WEB_CONNECTORS_ADMIN_TOKEN is not set")
    base = request.app.state.web_settings.connectors_url.rstrip("/")
    transport = getattr(request.app.state, "connectors_transport", None)  # tests: the connectors app in process
    async with httpx.AsyncClient(timeout=5.0, transport=transport) as client:
        return await client.request(method, base + path, headers={"Authorization": f"Bearer {token.get_secret_value()}"},
                                    **kwargs)


def _admin_only(request: Request, principal: Principal) -> Response | None:
    return None if principal.role == "admin" else error_page(request, principal, 403, "Connecting accounts is for admins.")


@router.get("/ops/accounts")
async def accounts(request: Request, principal: WebPrincipal, connected: str | None = None) -> Response:
    if (refused := _admin_only(request, principal)) is not None:
        return refused
    listed, problem = {"accounts": [], "platforms": []}, None
    try:
        response = await _connectors(request, "GET", "/api/accounts")
        response.raise_for_status()
        listed = response.json()
    except (httpx.HTTPError, ValueError, RuntimeError) as exc:
        problem = f"The connectors did not list the accounts ({type(exc).__name__}: {exc})."
    connectable = {p["platform"]: p["connectable"] for p in listed.get("platforms", [])}
    return render.render(request, "accounts.html", principal=principal, title="Accounts", problem=problem,
                         accounts=listed.get("accounts", []), connected=(connected or "")[:200],
                         platforms=[(p, name, connectable.get(p, False)) for p, name in PLATFORMS.items()])


@router.get("/ops/accounts/{platform}/connect")
async def connect(request: Request, principal: WebPrincipal, platform: str) -> Response:
    if (refused := _admin_only(request, principal)) is not None:
        return refused
    if platform not in PLATFORMS:
        return error_page(request, principal, 404, "No such platform.")
    try:
        response = await _connectors(request, "POST", f"/api/accounts/{platform}/authorizations",
                                     json={"requested_by": principal.user_id})
    except (httpx.HTTPError, RuntimeError) as exc:
        return error_page(request, principal, 502, f"The connectors could not start the connection ({type(exc).__name__}).")
    if response.status_code != 201:
        detail = response.json().get("detail") if response.headers.get("content-type", "").startswith("application/json") else ""
        return error_page(request, principal, 409, f"{PLATFORMS[platform]} cannot be connected now: {detail}")
    log.info("accounts: %s started connecting a %s account", principal.user_id, platform)
    return RedirectResponse(response.json()["authorization_url"], status_code=303)
