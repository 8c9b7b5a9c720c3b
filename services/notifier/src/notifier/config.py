"""Notifier settings, read from the environment (prefix `NOTIFIER_`) when `load_settings` is called."""

from typing import Literal

from pydantic import AliasChoices, BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Contact(BaseModel):
    """A person alerted about the accounts (an admin, someone in ops)."""

    name: str = Field(description="Who.")
    phone: str | None = Field(default=None, description="Mobile number (E.164) for SMS.")
    email: str | None = Field(default=None, description="Email address.")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFIER_", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", description="Address of the HTTP server (acknowledgement pages, Twilio replies, health).")
    port: int = Field(default=8084, description="Port of the HTTP server.")
    public_url: str = Field(
        default="http://127.0.0.1:8084",
        description="The notifier's address as people and Twilio reach it: acknowledgement links and the signed URL of SMS replies.",
    )
    inbox_url: str = Field(default="http://127.0.0.1:8080", description="The web app's address, for links to conversations.")
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("NOTIFIER_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
        description="Kafka bootstrap servers.",
    )
    startup_wait_seconds: float = Field(default=10.0, description="How long start-up waits for Kafka before serving anyway.")
    mongodb_uri: str = Field(
        default="mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("NOTIFIER_MONGODB_URI", "MONGODB_URI"),
        description="MongoDB (or FerretDB) connection string.",
    )
    database: str = Field(
        default="civic_inbox",
        validation_alias=AliasChoices("NOTIFIER_DATABASE", "MONGODB_DATABASE"),
        description="Database of the alert collections (`duty_alerts`, `alert_notifications`, `ops_alerts`); the web app reads them.",
    )
    group_id: str = Field(default="notifier", description="Kafka consumer group (one name for service and group).")
    ack_timeout_seconds: float = Field(
        default=600.0, gt=0, description="Unacknowledged this long after a level was alerted, the alert goes to the next level."
    )
    escalation_check_seconds: float = Field(default=5.0, gt=0, description="How often the escalation clock looks for overdue alerts.")
    link_secret: SecretStr = Field(
        default=SecretStr(""), description="Key of the signed acknowledgement links (required; links signed with another key are refused)."
    )
    twilio_account_sid: str = Field(default="", description="Twilio Account SID (SMS alerts); empty: no SMS.")
    twilio_auth_token: SecretStr = Field(default=SecretStr(""), description="Twilio Auth Token: sending, and checking replies' signatures.")
    twilio_from: str = Field(default="", description="The number (E.164) or Messaging Service SID alerts are sent from.")
    twilio_api_base_url: str = Field(default="https://api.twilio.com", description="Twilio REST API (or the sandbox).")
    mailgun_api_key: SecretStr = Field(default=SecretStr(""), description="Mailgun private API key (email alerts); empty: no email.")
    mailgun_domain: str = Field(default="", description="Mailgun sending domain.")
    mailgun_from: str = Field(default="Civic Inbox alerts <alerts@council.example>", description="From address of alert emails.")
    mailgun_api_base_url: str = Field(default="https://api.eu.mailgun.net", description="Mailgun API (EU or US region, or the sandbox).")
    chat_kind: Literal["slack", "teams", "none"] = Field(default="none", description="Team channel for alerts: a Slack or a Teams incoming webhook.")
    chat_webhook_url: SecretStr = Field(default=SecretStr(""), description="The incoming webhook's URL (a secret: anyone holding it can post).")
    admins: list[Contact] = Field(default_factory=list, description="Admins, alerted of every security alert about the accounts.")
    ops: list[Contact] = Field(default_factory=list, description="Ops staff, alerted of channel problems (silence, signature failures).")
    accounts: list[str] = Field(
        default_factory=list,
        description="Official account ids whose alerts this notifier serves (conversation keys are `<channel>:<account>:<thread>`); "
        "empty: every account. Lets several organisations (or test sessions) share one Kafka.",
    )
    http_timeout_seconds: float = Field(default=10.0, description="Timeout of each call to Twilio, Mailgun or the chat webhook.")


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
