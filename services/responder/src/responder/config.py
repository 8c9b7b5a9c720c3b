"""Responder settings, read from the environment (prefix `RESPONDER_`) when `load_settings` is called."""

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RESPONDER_", extra="ignore", populate_by_name=True)

    host: str = Field(default="127.0.0.1", description="Address of the health and metrics server.")
    port: int = Field(default=8083, description="Port of the health and metrics server.")
    kafka_bootstrap_servers: str = Field(
        default="127.0.0.1:9092",
        validation_alias=AliasChoices("RESPONDER_KAFKA_BOOTSTRAP_SERVERS", "KAFKA_BOOTSTRAP_SERVERS"),
        description="Kafka bootstrap servers.",
    )
    startup_wait_seconds: float = Field(
        default=10.0, description="How long start-up waits for Kafka before serving anyway (and retrying in the background)."
    )
    mongodb_uri: str = Field(
        default="mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("RESPONDER_MONGODB_URI", "MONGODB_URI"),
        description="MongoDB (or FerretDB) connection string.",
    )
    database: str = Field(
        default="civic_inbox",
        validation_alias=AliasChoices("RESPONDER_DATABASE", "MONGODB_DATABASE"),
        description="Database holding conversations.",
    )
    group_id: str = Field(default="responder", description="Kafka consumer group (one name for service and group).")


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
