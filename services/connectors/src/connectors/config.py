"""Connector settings, read from the environment (prefix `CONNECTORS_`) when `load_settings` is called.

Only the Meta secrets are required (the walking skeleton's channel); every other platform is optional and its
webhook answers 403 (fails closed) until its secret is set. Maps such as `CONNECTORS_META_PAGE_TOKENS` are
JSON objects in the environment: `{"<account id>": "<token>"}`."""

from pathlib import Path

from civic_contracts import Channel
from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONNECTORS_", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", description="Address the webhook server listens on.")
    port: int = Field(default=8081, description="Port the webhook server listens on.")
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("CONNECTORS_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
        description="Kafka bootstrap servers.",
    )
    mongodb_uri: str = Field(
        default="mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("CONNECTORS_MONGODB_URI", "MONGODB_URI"),
        description="MongoDB (or FerretDB) connection string: cursors, idempotency keys, windows, web-form requests.",
    )
    database: str = Field(
        default="civic_connectors",
        description="The connectors' own database (conversation state belongs to responder, not here).",
    )
    group_id: str = Field(
        default="connectors",
        description="Kafka consumer group prefix: `<group_id>-outbound` sends replies, `<group_id>-ledger` records windows.",
    )
    outbound_offset_reset: str = Field(
        default="earliest", description="Where a new consumer group starts on the outbound topics (earliest: miss nothing)."
    )
    startup_wait_seconds: float = Field(
        default=10.0, description="How long start-up waits for Kafka before serving anyway (and retrying in the background)."
    )
    publish_timeout_seconds: float = Field(
        default=5.0,
        description="How long a webhook waits for Kafka to acknowledge before answering 503 so the platform retries.",
    )
    access_log: bool = Field(
        default=False,
        description="Log a line per HTTP request (uvicorn's access log). Off by default: at thousands of webhooks a "
        "second it costs a noticeable share of the process, and failures are logged with their reason anyway.",
    )
    public_base_url: str | None = Field(
        default=None,
        description="Public base URL the platforms call (e.g. `https://inbox.example.gov.uk`), used to rebuild the URL "
        "Twilio signed when a proxy sits in front; unset: the URL of the request as received.",
    )

    # Meta: Facebook Pages, Messenger, Instagram.
    meta_app_secret: SecretStr = Field(description="Meta App Secret: the key of X-Hub-Signature-256.")
    meta_verify_token: SecretStr = Field(description="Token configured in the Meta App Dashboard for the GET handshake.")
    meta_page_tokens: dict[str, SecretStr] = Field(
        default_factory=dict, description="Page or Instagram account id -> access token used to reply from it."
    )
    meta_api_base_url: str = Field(
        default="https://graph.facebook.com/v25.0", description="Graph API base URL (the sandbox's `/meta/v25.0` locally)."
    )

    # X.
    x_consumer_secret: SecretStr | None = Field(
        default=None, description="X app consumer secret: the key of the CRC answer and x-twitter-webhooks-signature."
    )
    x_bearer_token: SecretStr | None = Field(default=None, description="X app-only bearer token, for polling mentions.")
    x_user_tokens: dict[str, SecretStr] = Field(
        default_factory=dict, description="X account id -> OAuth 2.0 user token used to reply and send DMs from it."
    )
    x_poll_accounts: list[str] = Field(
        default_factory=list, description="X account ids without webhooks whose mentions are polled."
    )
    x_api_base_url: str = Field(default="https://api.x.com", description="X API base URL (the sandbox's `/x` locally).")

    # YouTube.
    youtube_api_key: SecretStr | None = Field(default=None, description="YouTube Data API key, for polling comments.")
    youtube_channel_ids: list[str] = Field(
        default_factory=list, description="The organisation's YouTube channel ids whose comment threads are polled."
    )
    youtube_access_tokens: dict[str, SecretStr] = Field(
        default_factory=dict, description="YouTube channel id -> OAuth token used to reply and moderate."
    )
    youtube_api_base_url: str = Field(
        default="https://youtube.googleapis.com", description="YouTube Data API base URL (the sandbox's `/youtube` locally)."
    )

    # Twilio: SMS and WhatsApp.
    twilio_account_sid: str | None = Field(default=None, description="Twilio Account SID (replies are sent from it).")
    twilio_auth_token: SecretStr | None = Field(
        default=None, description="Twilio Auth Token: the key of X-Twilio-Signature and the password of the REST API."
    )
    twilio_numbers: list[str] = Field(
        default_factory=list, description="The organisation's numbers (E.164) this process sends from; empty: any."
    )
    twilio_api_base_url: str = Field(
        default="https://api.twilio.com", description="Twilio REST API base URL (the sandbox's `/twilio` locally)."
    )

    # Email through Mailgun.
    mailgun_signing_key: SecretStr | None = Field(default=None, description="Mailgun webhook signing key.")
    mailgun_api_key: SecretStr | None = Field(default=None, description="Mailgun API key, for sending replies.")
    mailgun_domain: str | None = Field(
        default=None, description="Mailgun sending domain; unset: the domain of the mailbox the citizen wrote to."
    )
    email_mailboxes: list[str] = Field(
        default_factory=list, description="The organisation's mailboxes this process replies from; empty: any."
    )
    mailgun_api_base_url: str = Field(
        default="https://api.eu.mailgun.net", description="Mailgun API base URL (EU region; the sandbox's `/mailgun` locally)."
    )
    email_max_age_seconds: int = Field(
        default=300, description="A Mailgun delivery signed longer ago than this (or this far ahead) is refused as stale."
    )

    # Web forms: Open311 GeoReport v2 and the contact form.
    open311_api_keys: list[SecretStr] = Field(
        default_factory=list, description="API keys accepted on `POST /open311/v2/requests.json` (one per client app)."
    )
    open311_taxonomy_path: Path | None = Field(
        default=None,
        description="Taxonomy YAML whose departments are the Open311 services; unset: the taxonomy shipped with triage, "
        "located as a file (triage is not imported).",
    )
    open311_jurisdiction_id: str = Field(
        default="civic-inbox",
        description="Account id of the web-form channel and the Open311 `jurisdiction_id` (a different one given "
        "by a client is answered 404; none given is fine: one jurisdiction is served).",
    )
    open311_definitions_path: Path | None = Field(
        default=None, description="YAML of Open311 service definitions (extra questions per service); unset: the file "
        "shipped with the connectors (`platforms/open311_definitions.yaml`).",
    )
    open311_public_list: bool = Field(
        default=False,
        description="`GET /open311/v2/requests.{xml,json}` without `service_request_id` lists requests to anyone (the "
        "standard needs no key for it; a public FixMyStreet-style map wants this). Off: only to clients with an "
        "api_key, since reports to a public body may carry personal details. Look-ups by id are always open.",
    )
    open311_contact: str = Field(
        default="Contact the council's customer services.", description="Open311 discovery `contact`: who runs this API."
    )
    open311_key_service: str = Field(
        default="Ask the council's customer services for an Open311 API key.",
        description="Open311 discovery `key_service`: how to get an api_key.",
    )
    open311_endpoint_type: str = Field(default="production", description="Open311 discovery endpoint `type`: production or test.")
    open311_notify_from: str | None = Field(
        default=None, description="Mailbox that emails citizens when their Open311 request is closed or reopened "
        "(through Mailgun); unset: the first of `email_mailboxes`; neither: no emails.",
    )

    # Connected accounts (OAuth 2.0): an admin connects an account; its tokens are stored encrypted and renewed.
    token_keys: list[SecretStr] = Field(
        default_factory=list, description="Fernet keys (newest first) that encrypt stored account tokens; the first "
        "encrypts, every one decrypts (rotation). Unset: accounts cannot be connected (environment tokens still work).",
    )
    admin_api_token: SecretStr | None = Field(
        default=None, description="Bearer token the inbox uses on `/api/accounts` (list, start a connection); "
        "unset: those routes answer 403.",
    )
    accounts_return_url: str | None = Field(
        default=None, description="Where the browser goes after connecting an account (the inbox's accounts page); "
        "unset: a short confirmation page.",
    )
    token_refresh_margin_seconds: float = Field(
        default=600.0, description="Tokens that expire within this are renewed by the periodic scan.")
    token_scan_seconds: float = Field(default=60.0, description="How often connected accounts are reloaded and renewed.")
    x_oauth_client_id: str | None = Field(default=None, description="X app OAuth 2.0 client id (connecting X accounts).")
    x_oauth_client_secret: SecretStr | None = Field(default=None, description="X app OAuth 2.0 client secret.")
    x_oauth_authorize_url: str = Field(
        default="https://x.com/i/oauth2/authorize", description="X authorisation endpoint (the sandbox's locally).")
    youtube_oauth_client_id: str | None = Field(default=None, description="Google OAuth client id (connecting YouTube channels).")
    youtube_oauth_client_secret: SecretStr | None = Field(default=None, description="Google OAuth client secret.")
    youtube_oauth_authorize_url: str = Field(
        default="https://accounts.google.com/o/oauth2/v2/auth", description="Google authorisation endpoint.")
    youtube_oauth_token_url: str = Field(default="https://oauth2.googleapis.com/token", description="Google token endpoint.")
    meta_app_id: str | None = Field(default=None, description="Meta app id: the client id of Facebook Login (connecting Pages).")
    meta_oauth_authorize_url: str = Field(
        default="https://www.facebook.com/v25.0/dialog/oauth", description="Facebook Login dialog (the sandbox's locally).")

    # Pollers, sender, health.
    poll_interval_seconds: float = Field(default=60.0, description="Seconds between polls of each account; 0 turns polling off.")
    outbound_channels: list[Channel] = Field(
        default_factory=lambda: list(Channel), description="Channels whose outbound topic this process sends for."
    )
    outbound_only_own_accounts: bool = Field(
        default=False,
        description="Leave commands for accounts this process has no credentials for to the deployment that has them "
        "(several connector deployments sharing the topics); off: such commands fail with `no_credentials`.",
    )
    send_timeout_seconds: float = Field(default=10.0, description="Timeout of one call to a platform API.")
    default_backoff_seconds: float = Field(
        default=60.0, description="Pause after a rate limit or a transient error when the platform does not say how long."
    )
    max_send_attempts: int = Field(default=5, description="Attempts at a send that fails transiently before it is failed.")
    retry_scan_seconds: float = Field(default=1.0, description="How often waiting sends are checked for being due.")
    health_interval_seconds: float = Field(default=30.0, description="How often channel health is published; 0: only on change.")

    # Watching the accounts (issue 13): hijack, bursts, silence.
    echo_grace_seconds: float = Field(
        default=120.0, description="How long after an own-account echo arrives it is checked against the outbound ledger "
        "(the platform may announce our own send before its answer is recorded).",
    )
    burst_window_seconds: float = Field(default=300.0, description="Window outbound sends are counted in, per account.")
    burst_factor: float = Field(default=5.0, description="A window this many times the account's usual rate is a burst.")
    burst_minimum: int = Field(default=30, description="Fewer sends than this in a window are never a burst.")
    silence_check_seconds: float = Field(default=300.0, description="How often inbound volume is compared with the usual level (0: never).")
    silence_ratio: float = Field(default=0.2, description="An hour with at most this share of the usual inbound is silent.")
    silence_minimum_usual: float = Field(default=10.0, description="Accounts usually quieter than this per hour are not watched for silence.")
    silence_baseline_weeks: int = Field(default=4, description="Weeks of the same hour that make the usual level.")
    # Security at the edge (README "Security"): listeners, request limits, anti-automation.
    internal_host: str = Field(default="127.0.0.1", description="Address of the internal listener (metrics, channel "
                               "health, API description); keep it off the internet.")
    internal_port: int | None = Field(default=None, description="Port of the internal listener (default: `port` + "
                                      "1000, so replicas on port + 100n never collide); `port` answers 404 for internal routes.")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="Addresses or networks of reverse proxies whose `X-Forwarded-For` is believed "
        "(e.g. `[\"10.0.0.0/8\"]`); empty: the header is ignored and the peer address counts.")
    max_body_bytes: int = Field(default=64 * 1024, description="Largest request body on routes without their own limit.")
    body_limits: dict[str, int] = Field(
        default_factory=lambda: {"/webhooks/meta": 4 * 1024 * 1024, "/webhooks/x": 1024 * 1024,
                                 "/webhooks/twilio": 64 * 1024, "/webhooks/email": 32 * 1024 * 1024},
        description="Per path prefix body limits in bytes: Meta batches up to 1000 updates; Mailgun forwards messages "
        "up to 25 MB with their attachments as multipart.")
    max_form_fields: int = Field(default=256, description="Most fields (or multipart parts) in one form body.")
    max_json_depth: int = Field(default=32, description="Deepest nesting of a JSON body.")
    webform_posts_per_address: int = Field(
        default=10, description="Contact-form submissions accepted per client address per `webform_window_seconds`.")
    open311_posts_per_address: int = Field(
        default=60, description="Open311 `POST /requests` accepted per client address per `webform_window_seconds`.")
    webform_window_seconds: float = Field(default=600.0, description="Window of the web-form rate limits.")
    contact_min_fill_seconds: float = Field(
        default=3.0, description="A contact form sent sooner than this after it was shown is treated as automated.")
    contact_max_fill_seconds: float = Field(default=86400.0, description="A contact form older than this is shown again.")
    form_key: SecretStr | None = Field(
        default=None, description="Key signing the contact form's start time and Open311 references (set the same on "
        "every replica); unset: a random key per process, so a reference repeated after a restart is a new one.")


    @model_validator(mode="after")
    def _internal_port(self) -> "Settings":
        if self.internal_port is None:
            self.internal_port = self.port + 1000
        return self


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (tests pass their own)."""
    return Settings(**overrides)
