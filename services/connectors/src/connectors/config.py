"""Connector settings, read from the environment (prefix `CONNECTORS_`) when `load_settings` is called."""

from pydantic import AliasChoices, Field, SecretStr
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
    startup_wait_seconds: float = Field(
        default=10.0, description="How long start-up waits for Kafka before serving anyway (and retrying in the background)."
    )
    publish_timeout_seconds: float = Field(
        default=5.0,
        description="How long a webhook waits for Kafka to acknowledge before answering 503 so the platform retries.",
    )
    meta_app_secret: SecretStr = Field(description="Meta App Secret: the key of X-Hub-Signature-256.")
    meta_verify_token: SecretStr = Field(description="Token configured in the Meta App Dashboard for the GET handshake.")


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides (tests pass their own)."""
    return Settings(**overrides)
