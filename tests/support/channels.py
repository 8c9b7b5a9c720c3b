"""Every channel's test credentials, the connectors' settings that use them (platform APIs answered by the
sandbox in process), and signed requests to each webhook, for integration and end-to-end tests."""

import json
import time
import uuid
from urllib.parse import urlencode

import httpx

META_APP_SECRET = "test_app_secret"
META_VERIFY_TOKEN = "test_verify_token"
PAGE_ID = "104729113"
INSTAGRAM_ID = "17841400000000001"
X_CONSUMER_SECRET = "test_consumer_secret"
X_ACCOUNT = "1456000000000000001"
YOUTUBE_CHANNEL = "UCcivicInboxCouncil000001"
TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000001"
TWILIO_AUTH_TOKEN = "test_auth_token"
SMS_NUMBER = "+447700900100"
MAILGUN_SIGNING_KEY = "test_signing_key"
MAILBOX = "contact@council.example.gov.uk"
OPEN311_API_KEY = "test_open311_key"
SANDBOX = "http://sandbox.test"


def connector_settings(*, kafka: str, mongodb_uri: str, database: str, run_id: str) -> dict:
    """Keyword arguments of the connectors' Settings for a test session: every channel configured, platform
    APIs at the sandbox, automatic polling off (tests poll on demand), fast retries."""
    return dict(
        kafka_bootstrap_servers=kafka, mongodb_uri=mongodb_uri, database=f"{database}_connectors",
        group_id=f"connectors-{run_id}", meta_app_secret=META_APP_SECRET, meta_verify_token=META_VERIFY_TOKEN,
        meta_page_tokens={PAGE_ID: "sandbox-page-token", INSTAGRAM_ID: "sandbox-ig-token"},
        meta_api_base_url=f"{SANDBOX}/meta/v25.0", x_consumer_secret=X_CONSUMER_SECRET, x_bearer_token="sandbox-bearer",
        x_user_tokens={X_ACCOUNT: "sandbox-x-user"}, x_poll_accounts=[X_ACCOUNT], x_api_base_url=f"{SANDBOX}/x",
        youtube_api_key="sandbox-yt-key", youtube_channel_ids=[YOUTUBE_CHANNEL],
        youtube_access_tokens={YOUTUBE_CHANNEL: "sandbox-yt-token"}, youtube_api_base_url=f"{SANDBOX}/youtube",
        twilio_account_sid=TWILIO_ACCOUNT_SID, twilio_auth_token=TWILIO_AUTH_TOKEN, twilio_api_base_url=f"{SANDBOX}/twilio",
        mailgun_signing_key=MAILGUN_SIGNING_KEY, mailgun_api_key="sandbox-mailgun-key",
        mailgun_api_base_url=f"{SANDBOX}/mailgun", open311_api_keys=[OPEN311_API_KEY],
        poll_interval_seconds=0, default_backoff_seconds=1.0, retry_scan_seconds=0.2, health_interval_seconds=5,
    )


def sandbox_settings():
    from sandbox.config import Settings

    return Settings(x_account_id=X_ACCOUNT, youtube_channel_id=YOUTUBE_CHANNEL, seeded=False)


async def post_x(connectors: httpx.AsyncClient, payload: dict) -> httpx.Response:
    from connectors.platforms import x

    body = json.dumps(payload).encode()
    return await connectors.post("/webhooks/x", content=body, headers={
        "Content-Type": "application/json", x.SIGNATURE_HEADER: x.sign(body, X_CONSUMER_SECRET)})


async def post_twilio(connectors: httpx.AsyncClient, params: dict[str, str]) -> httpx.Response:
    from connectors.platforms import twilio

    url = f"{connectors.base_url}".rstrip("/") + "/webhooks/twilio"
    signature = twilio.compute_signature(url, {k: [v] for k, v in params.items()}, TWILIO_AUTH_TOKEN)
    return await connectors.post("/webhooks/twilio", content=urlencode(params), headers={
        "Content-Type": "application/x-www-form-urlencoded", twilio.SIGNATURE_HEADER: signature})


async def post_email(connectors: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    from connectors.platforms import email

    timestamp, token = str(int(time.time())), uuid.uuid4().hex
    signed = {**fields, "timestamp": timestamp, "token": token,
              "signature": email.sign(timestamp, token, MAILGUN_SIGNING_KEY)}
    return await connectors.post("/webhooks/email", content=urlencode(signed),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})


async def post_open311(connectors: httpx.AsyncClient, fields: dict[str, str]) -> httpx.Response:
    return await connectors.post("/open311/v2/requests.json", content=urlencode({"api_key": OPEN311_API_KEY, **fields}),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
