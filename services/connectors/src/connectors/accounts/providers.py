"""Each platform's authorisation server and how to find which account a new token belongs to.

| platform | authorise | token | PKCE | renews |
|---|---|---|---|---|
| X | `https://x.com/i/oauth2/authorize` | `POST {x_api}/2/oauth2/token` (client Basic auth) | S256 | refresh token (`offline.access`), rotated on each use; access tokens last 2 h |
| YouTube | `https://accounts.google.com/o/oauth2/v2/auth` (`access_type=offline`, `prompt=consent`) | `POST https://oauth2.googleapis.com/token` | S256 | refresh token; access tokens last 1 h |
| Meta | `https://www.facebook.com/v25.0/dialog/oauth` | `{graph}/oauth/access_token` (form POST; Graph takes GET too), then `fb_exchange_token` for a long-lived user token, then `GET /me/accounts` | S256 | Page tokens from a long-lived user token do not expire; nothing to refresh |

The account id comes from the platform after the exchange (`GET /2/users/me`, `channels?mine=true`,
`/me/accounts`), never from the browser."""

from dataclasses import dataclass, field

import httpx
from pydantic import SecretStr

from connectors.accounts.oauth import Grant, OAuthError, grant_of, now_utc, token_request
from connectors.config import Settings

PLATFORMS = ("x", "youtube", "meta")


@dataclass(frozen=True)
class Account:
    """One account a grant gives access to: `platform` names the token book ("meta" covers a Page and the
    Instagram account linked to it, which use the Page's token)."""

    platform: str
    account_id: str
    name: str
    grant: Grant
    also: tuple[str, ...] = ()  # other account ids served by the same token (a Page's Instagram account)


@dataclass(frozen=True)
class Provider:
    platform: str
    authorize_url: str
    token_url: str
    client_id: str
    client_secret: SecretStr | None
    scope: str
    pkce: bool = True
    basic_auth: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    api_base: str = ""

    @property
    def refreshes(self) -> bool:
        return self.platform != "meta"

    def _basic(self) -> tuple[str, str] | None:
        return (self.client_id, self.client_secret.get_secret_value()) if self.basic_auth and self.client_secret else None

    def _client_form(self) -> dict[str, str]:
        form = {"client_id": self.client_id}
        if self.client_secret and not self.basic_auth:
            form["client_secret"] = self.client_secret.get_secret_value()
        return form

    async def exchange(self, client: httpx.AsyncClient, *, code: str, redirect_uri: str, verifier: str | None) -> Grant:
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, **self._client_form()}
        if verifier is not None:
            form["code_verifier"] = verifier
        return grant_of(await token_request(client, self.token_url, form, basic=self._basic()), now_utc())

    async def refresh(self, client: httpx.AsyncClient, refresh_token: str) -> Grant:
        form = {"grant_type": "refresh_token", "refresh_token": refresh_token, **self._client_form()}
        body = await token_request(client, self.token_url, form, basic=self._basic())
        return grant_of(body, now_utc(), refresh_token=refresh_token)

    async def accounts(self, client: httpx.AsyncClient, grant: Grant) -> list[Account]:
        """The accounts the new grant gives access to (from the platform itself)."""
        headers = {"Authorization": f"Bearer {grant.access_token}"}
        if self.platform == "x":
            body = await _get(client, f"{self.api_base}/2/users/me", headers=headers)
            user = body.get("data") or {}
            return [Account("x", str(user["id"]), f"@{user.get('username') or user['id']}", grant)] if user.get("id") else []
        if self.platform == "youtube":
            body = await _get(client, f"{self.api_base}/youtube/v3/channels", headers=headers,
                              params={"part": "snippet", "mine": "true"})
            return [Account("youtube", str(c["id"]), (c.get("snippet") or {}).get("title") or str(c["id"]), grant)
                    for c in body.get("items") or [] if c.get("id")]
        long_lived = await token_request(client, self.token_url, {
            "grant_type": "fb_exchange_token", "fb_exchange_token": grant.access_token, **self._client_form()},
            basic=None)
        user_token = grant_of(long_lived, now_utc())
        body = await _get(client, f"{self.api_base}/me/accounts", headers={
            "Authorization": f"Bearer {user_token.access_token}"},
            params={"fields": "id,name,access_token,instagram_business_account"})
        found = []
        for page in body.get("data") or []:
            if page.get("id") and page.get("access_token"):
                instagram = (page.get("instagram_business_account") or {}).get("id")
                found.append(Account("meta", str(page["id"]), page.get("name") or str(page["id"]),
                                     Grant(page["access_token"], None, None, grant.scope),
                                     also=(str(instagram),) if instagram else ()))
        return found


async def _get(client: httpx.AsyncClient, url: str, **kwargs) -> dict:
    try:
        response = await client.get(url, **kwargs)
    except httpx.HTTPError as exc:
        raise OAuthError("network", f"{type(exc).__name__}: {exc}", permanent=False) from exc
    if not response.is_success:
        raise OAuthError(f"http_{response.status_code}", response.text[:200], permanent=response.status_code in (401, 403))
    body = response.json()
    return body if isinstance(body, dict) else {}


def provider(settings: Settings, platform: str) -> Provider | None:
    """The platform's authorisation server as configured; None when its client id is not set."""
    if platform == "x" and settings.x_oauth_client_id:
        return Provider("x", settings.x_oauth_authorize_url, settings.x_api_base_url.rstrip("/") + "/2/oauth2/token",
                        settings.x_oauth_client_id, settings.x_oauth_client_secret,
                        "tweet.read tweet.write users.read dm.read dm.write offline.access", basic_auth=True,
                        api_base=settings.x_api_base_url.rstrip("/"))
    if platform == "youtube" and settings.youtube_oauth_client_id:
        return Provider("youtube", settings.youtube_oauth_authorize_url, settings.youtube_oauth_token_url,
                        settings.youtube_oauth_client_id, settings.youtube_oauth_client_secret,
                        "https://www.googleapis.com/auth/youtube.force-ssl",
                        extra={"access_type": "offline", "prompt": "consent", "include_granted_scopes": "true"},
                        api_base=settings.youtube_api_base_url.rstrip("/"))
    if platform == "meta" and settings.meta_app_id:
        return Provider("meta", settings.meta_oauth_authorize_url, settings.meta_api_base_url.rstrip("/") + "/oauth/access_token",
                        settings.meta_app_id, settings.meta_app_secret,
                        "pages_show_list,pages_manage_metadata,pages_read_engagement,pages_manage_engagement,"
                        "pages_messaging,instagram_basic,instagram_manage_comments,instagram_manage_messages",
                        api_base=settings.meta_api_base_url.rstrip("/"))
    return None
