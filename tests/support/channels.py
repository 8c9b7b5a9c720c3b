"""Every channel's test credentials, the connectors' settings that use them (platform APIs answered by the
sandbox in process), and signed requests to each webhook, for integration and end-to-end tests.

Test sessions share one Kafka, so each session's organisation accounts are its own (derived from its run
id): its connectors send only for them (`outbound_only_own_accounts`), and no session answers another's
commands. Webhooks accept any account, so inbound tests may use any ids."""

import json
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

META_APP_SECRET = "test_app_secret"
META_VERIFY_TOKEN = "test_verify_token"
X_CONSUMER_SECRET = "test_consumer_secret"
TWILIO_ACCOUNT_SID = "AC00000000000000000000000000000001"
TWILIO_AUTH_TOKEN = "test_auth_token"
MAILGUN_SIGNING_KEY = "test_signing_key"
OPEN311_API_KEY = "test_open311_key"
SANDBOX = "http://sandbox.test"


@dataclass(frozen=True)
class Accounts:
    """The organisation's accounts in one test session."""

    page: str
    instagram: str
    x: str
    youtube: str
    number: str
    mailbox: str
    jurisdiction: str


def session_accounts(run_id: str) -> Accounts:
    n = int(run_id, 16)
    return Accounts(page=f"9{n:010d}", instagram=f"178414{n:010d}", x=f"1456{n:012d}", youtube=f"UCsession{run_id}",
                    number=f"+447700{n % 1000000:06d}", mailbox=f"contact-{run_id}@council.example.gov.uk",
                    jurisdiction=f"civic-inbox-{run_id}")


def connector_settings(*, kafka: str, mongodb_uri: str, database: str, run_id: str) -> dict:
    """Keyword arguments of the connectors' Settings for a test session: every channel configured for the
    session's accounts, platform APIs at the sandbox, automatic polling off (tests poll on demand), fast retries."""
    a = session_accounts(run_id)
    return dict(
        kafka_bootstrap_servers=kafka, mongodb_uri=mongodb_uri, database=f"{database}_connectors",
        group_id=f"connectors-{run_id}", meta_app_secret=META_APP_SECRET, meta_verify_token=META_VERIFY_TOKEN,
        meta_page_tokens={a.page: "sandbox-page-token", a.instagram: "sandbox-ig-token"},
        meta_api_base_url=f"{SANDBOX}/meta/v25.0", x_consumer_secret=X_CONSUMER_SECRET, x_bearer_token="sandbox-bearer",
        x_user_tokens={a.x: "sandbox-x-user"}, x_poll_accounts=[a.x], x_api_base_url=f"{SANDBOX}/x",
        youtube_api_key="sandbox-yt-key", youtube_channel_ids=[a.youtube],
        youtube_access_tokens={a.youtube: "sandbox-yt-token"}, youtube_api_base_url=f"{SANDBOX}/youtube",
        twilio_account_sid=TWILIO_ACCOUNT_SID, twilio_auth_token=TWILIO_AUTH_TOKEN, twilio_numbers=[a.number],
        twilio_api_base_url=f"{SANDBOX}/twilio", mailgun_signing_key=MAILGUN_SIGNING_KEY,
        mailgun_api_key="sandbox-mailgun-key", email_mailboxes=[a.mailbox], mailgun_api_base_url=f"{SANDBOX}/mailgun",
        open311_api_keys=[OPEN311_API_KEY], open311_jurisdiction_id=a.jurisdiction, outbound_only_own_accounts=True,
        poll_interval_seconds=0, default_backoff_seconds=1.0, retry_scan_seconds=0.2, health_interval_seconds=5,
        echo_grace_seconds=0.5, silence_check_seconds=0,
    )


NOTIFIER_LINK_SECRET = "test_link_secret"
NOTIFIER_ACK_TIMEOUT_SECONDS = 6.0  # shortened from 10 minutes, so escalation shows within a test
SLACK_WEBHOOK = f"{SANDBOX}/slack/services/T0CIVIC01/B0DUTY001/testsecret"


def notifier_settings(*, kafka: str, mongodb_uri: str, database: str, run_id: str):
    """The notifier of a test session: SMS, email and Slack through the sandbox, a short escalation timeout,
    acting only on the session's accounts."""
    from notifier.config import Settings

    a = session_accounts(run_id)
    return Settings(
        kafka_bootstrap_servers=kafka, mongodb_uri=mongodb_uri, database=database, group_id=f"notifier-{run_id}",
        public_url="http://notifier.test", inbox_url="http://inbox.test", link_secret=NOTIFIER_LINK_SECRET,
        ack_timeout_seconds=NOTIFIER_ACK_TIMEOUT_SECONDS, escalation_check_seconds=0.5,
        twilio_account_sid=TWILIO_ACCOUNT_SID, twilio_auth_token=TWILIO_AUTH_TOKEN, twilio_from="+447700900999",
        twilio_api_base_url=f"{SANDBOX}/twilio", mailgun_api_key="sandbox-mailgun-key", mailgun_domain="alerts.council.example",
        mailgun_api_base_url=f"{SANDBOX}/mailgun", chat_kind="slack", chat_webhook_url=SLACK_WEBHOOK,
        admins=[{"name": "Test Admin", "phone": "+447700900201", "email": "admin@council.example"}],
        ops=[{"name": "Test Ops", "email": "ops@council.example"}],
        accounts=[*(getattr(a, f) for f in ("page", "instagram", "x", "youtube", "number", "mailbox")), "104729113"],
    )


def sandbox_settings(run_id: str):
    from sandbox.config import Settings

    a = session_accounts(run_id)
    return Settings(x_account_id=a.x, youtube_channel_id=a.youtube, seeded=False)


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
