"""What a platform sender needs: the HTTP client, settings, stores and the clock."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx

from connectors.adapters import Stores
from connectors.config import Settings


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, kw_only=True)
class Context:
    client: httpx.AsyncClient
    settings: Settings
    stores: Stores
    now: Callable[[], datetime] = _utcnow
    tokens: object | None = None  # accounts.tokens.TokenBook: connected accounts' tokens, renewed before expiry

    def later(self, seconds: float | None = None) -> datetime:
        return self.now() + timedelta(seconds=self.settings.default_backoff_seconds if seconds is None else seconds)


def serves(settings: Settings, command, tokens=None) -> bool:
    """This process holds the credentials of the account `command` acts from (configured, or connected)."""
    account, channel = command.account_id, command.channel.value
    platform = "meta" if channel in ("facebook", "messenger", "instagram") else channel
    if tokens is not None and platform in ("meta", "x", "youtube") and tokens.connected(platform, account):
        return True
    if channel in ("facebook", "messenger", "instagram"):
        return account in settings.meta_page_tokens
    if channel == "x":
        return account in settings.x_user_tokens
    if channel == "youtube":
        return account in settings.youtube_access_tokens
    if channel in ("sms", "whatsapp"):
        return settings.twilio_auth_token is not None and (not settings.twilio_numbers or account in settings.twilio_numbers)
    if channel == "email":
        return settings.mailgun_api_key is not None and (
            not settings.email_mailboxes or account.lower() in {m.lower() for m in settings.email_mailboxes})
    return account == settings.open311_jurisdiction_id


def json_or_empty(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def thread_of(conversation_key: str) -> str:
    """The last part of a conversation key (`<channel>:<account>:<thread>`): comment, request or person."""
    return conversation_key.split(":", 2)[-1]
