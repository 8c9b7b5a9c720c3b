"""Triage settings, read from the environment (prefix `TRIAGE_`) when `load_settings` is called."""

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", description="Address of the health and metrics server.")
    port: int = Field(default=8082, description="Port of the health and metrics server.")
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("TRIAGE_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
        description="Kafka bootstrap servers.",
    )
    startup_wait_seconds: float = Field(
        default=10.0, description="How long start-up waits for Kafka before serving anyway (and retrying in the background)."
    )
    group_id: str = Field(default="triage", description="Kafka consumer group (one name for service and group).")
    model_dir: str | None = Field(default=None, description="Directory of a trained model; the shipped default when unset.")
    taxonomy_path: str | None = Field(default=None, description="The organisation's taxonomy file; the shipped default when unset.")


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
