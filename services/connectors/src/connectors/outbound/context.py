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

    def later(self, seconds: float | None = None) -> datetime:
        return self.now() + timedelta(seconds=self.settings.default_backoff_seconds if seconds is None else seconds)


def json_or_empty(response: httpx.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def thread_of(conversation_key: str) -> str:
    """The last part of a conversation key (`<channel>:<account>:<thread>`): comment, request or person."""
    return conversation_key.split(":", 2)[-1]
