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
    mongodb_uri: str = Field(
        default="mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("TRIAGE_MONGODB_URI", "MONGODB_URI"),
        description="MongoDB (or FerretDB) where staff corrections are kept as labelled examples.",
    )
    database: str = Field(
        default="civic_inbox",
        validation_alias=AliasChoices("TRIAGE_DATABASE", "MONGODB_DATABASE"),
        description="Database of the corrections collection.",
    )
    reload_interval_seconds: float = Field(default=5.0, description="How often to look for a newly trained model or an edited taxonomy.")
    surge_window_minutes: float = Field(default=60.0, description="Messages within this window can form a surge.")
    surge_threshold: int = Field(default=5, description="How many similar messages in the window make an incident.")
    group_id: str = Field(default="triage", description="Kafka consumer group (one name for service and group).")
    model_dir: str | None = Field(default=None, description="Directory of a trained model; the shipped default when unset.")
    taxonomy_path: str | None = Field(default=None, description="The organisation's taxonomy file; the shipped default when unset.")


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
