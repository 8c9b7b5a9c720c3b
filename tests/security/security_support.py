"""Helpers of the security tests: the connectors app with in-memory fakes (no infrastructure), clients that
call from a chosen address, and signed requests to every webhook."""

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
from connectors.config import Settings
from connectors.main import create_app
from connectors.platforms import email, meta, twilio, x
from support.connector_fakes import FakePublisher, FakeStores

PAYLOADS = Path(__file__).parents[1] / "connectors" / "payloads"
PUBLIC_BASE = "https://inbox.example.gov.uk"
SECRETS = {"meta_app_secret": "test_app_secret", "meta_verify_token": "test_verify_token",
           "x_consumer_secret": "test_consumer_secret", "twilio_auth_token": "test_auth_token",
           "twilio_account_sid": "AC00000000000000000000000000000001", "mailgun_signing_key": "test_signing_key",
           "open311_api_keys": ["test_open311_key"]}


def payload(name: str) -> bytes:
    return (PAYLOADS / f"{name}.json").read_bytes()


def connectors_app(**overrides):
    app = create_app(Settings(**{**SECRETS, "public_base_url": PUBLIC_BASE, **overrides}))
    app.state.publisher = FakePublisher()
    app.state.stores = FakeStores()
    return app


def client_for(app, *, address: str = "203.0.113.10", base_url: str = "http://127.0.0.1:8081") -> httpx.AsyncClient:
    """A client whose requests arrive from `address` (the peer address the app sees)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url=base_url)


def signed_meta(body: bytes, secret: str = "test_app_secret") -> dict:  # noqa: S107 - test secret
    return {meta.SIGNATURE_HEADER: meta.sign(body, secret), "Content-Type": "application/json"}


def signed_x(body: bytes, secret: str = "test_consumer_secret") -> dict:  # noqa: S107 - test secret
    return {x.SIGNATURE_HEADER: x.sign(body, secret), "Content-Type": "application/json"}


def signed_twilio(params: dict[str, str], token: str = "test_auth_token") -> tuple[bytes, dict]:  # noqa: S107
    signature = twilio.compute_signature(f"{PUBLIC_BASE}/webhooks/twilio", {k: [v] for k, v in params.items()}, token)
    return urlencode(params).encode(), {"Content-Type": "application/x-www-form-urlencoded",
                                        twilio.SIGNATURE_HEADER: signature}


def signed_mailgun(*, token: str, timestamp: int | None = None, key: str = "test_signing_key") -> tuple[bytes, dict]:
    fields = json.loads(payload("email_mailgun_inbound"))
    fields["timestamp"], fields["token"] = str(timestamp or int(time.time())), token
    fields["signature"] = email.sign(fields["timestamp"], token, key)
    return urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}
