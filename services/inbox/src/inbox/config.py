"""Inbox settings, read from the environment (prefix `INBOX_`) when `load_settings` is called."""

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INBOX_", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", description="Address the API listens on.")
    port: int = Field(default=8080, description="Port the API listens on.")
    mongodb_uri: str = Field(
        default="mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("INBOX_MONGODB_URI", "MONGODB_URI"),
        description="MongoDB (or FerretDB) connection string.",
    )
    database: str = Field(
        default="civic_inbox",
        validation_alias=AliasChoices("INBOX_DATABASE", "MONGODB_DATABASE"),
        description="Database holding conversations.",
    )
    max_page_size: int = Field(default=100, description="Largest page the API returns.")
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("INBOX_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
        description="Kafka bootstrap servers (staff actions are published as commands).",
    )
    startup_wait_seconds: float = Field(
        default=10.0, description="How long start-up waits for Kafka before serving anyway (and retrying in the background)."
    )
    replying_seconds: int = Field(
        default=300, description="How long someone counts as still writing a reply after saying so (collision guard)."
    )
    # Sessions and tokens.
    session_cookie: str = Field(default="civic_session", description="Name of the session cookie (HttpOnly, SameSite=Lax).")
    session_hours: float = Field(default=10.0, description="How long a sign-in lasts.")
    cookie_secure: bool = Field(
        default=False, description="Send the session cookie over HTTPS only; set true wherever the API is served over TLS."
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (scheme://host:port) allowed to make cookie-authenticated changes besides the API's own.",
    )
    # Security at the edge (README "Security"): sign-in throttle, proxies, listeners, request limits.
    signin_attempts_per_account_address: int = Field(
        default=5, ge=1, description="Sign-in attempts at one username from one address per window (then 429).")
    signin_attempts_per_address: int = Field(
        default=30, ge=1, description="Unsuccessful sign-in attempts from one address (any usernames) per window.")
    signin_window_minutes: float = Field(default=15.0, gt=0, description="The sign-in throttle's window.")
    trusted_proxies: list[str] = Field(
        default_factory=list, description="Addresses or networks of reverse proxies whose `X-Forwarded-For` is believed "
        "(e.g. `[\"10.0.0.0/8\"]`); empty: the header is ignored and the peer address counts.")
    internal_host: str = Field(default="127.0.0.1", description="Address of the internal listener (metrics).")
    internal_port: int | None = Field(default=None, description="Port of the internal listener (default: `port` + 1000); "
                                      "`port` answers 404 for `/metrics`.")
    max_body_bytes: int = Field(default=256 * 1024, description="Largest request body (JSON or form) the API and web app read.")
    body_limits: dict[str, int] = Field(
        default_factory=lambda: {"/api/auth/login": 16 * 1024, "/login": 16 * 1024},
        description="Per path prefix body limits in bytes (sign-in needs little).")
    # OpenID Connect (optional): sign-in through the organisation's identity provider.
    oidc_issuer: str | None = Field(default=None, description="OIDC issuer URL; OIDC sign-in is off when unset.")
    oidc_client_id: str | None = Field(default=None, description="OIDC client id registered for Civic Inbox.")
    oidc_client_secret: SecretStr | None = Field(default=None, description="OIDC client secret.")
    oidc_redirect_uri: str | None = Field(
        default=None, description="Callback registered with the provider, e.g. https://inbox.example/api/auth/oidc/callback."
    )
    oidc_scopes: str = Field(default="openid email profile", description="Scopes asked for.")
    oidc_match_email: bool = Field(
        default=True, description="Match a provider account to a staff account by verified email when no subject is linked yet."
    )
    # Demo accounts created at start-up (never committed: `deploy/run.sh` generates the passwords).
    bootstrap_users: str | None = Field(
        default=None,
        description="Staff accounts to create at start-up if missing: `user:role:password[:departments]` entries "
        "separated by `;` (departments comma-separated, `*` for all).",
    )


    @model_validator(mode="after")
    def _internal_port(self) -> "Settings":
        if self.internal_port is None:
            self.internal_port = self.port + 1000
        return self


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
