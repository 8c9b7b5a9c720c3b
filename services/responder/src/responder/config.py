"""Responder settings, read from the environment (prefix `RESPONDER_`) when `load_settings` is called."""

from pathlib import Path

import yaml
from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from responder.domain.policy import Policy

DEFAULT_POLICY = Path(__file__).resolve().parent / "policy" / "default.yaml"


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
    policy_path: str | None = Field(
        default=None, description="The organisation's responder policy (YAML: hours, SLA, rota, checks, approval, "
        "assignment, accounts, canned responses); the shipped default when unset."
    )
    bank_holidays: str | None = Field(
        default=None, description="Overrides the policy's bank holiday region: ENG (England and Wales), WLS, SCT or NIR."
    )
    job_interval_seconds: float = Field(
        default=30.0, description="How often the periodic job runs (SLA warnings and breaches, handover SLA, "
        "assignment of waiting conversations, re-publishing sends that were claimed but not published)."
    )
    jobs_enabled: bool = Field(default=True, description="Run the periodic job in this process.")
    counter_repair_seconds: float = Field(
        default=600.0, description="How often the periodic job recounts the kept counters (agents' loads, queues, "
        "abuse per author) from the stored conversations and corrects drift (a full scan: keep it infrequent)."
    )
    batch_size: int = Field(default=500, description="Most records taken from Kafka at once per topic.")
    batch_concurrency: int = Field(
        default=16, description="How many conversations of a batch are handled at once (their records in order)."
    )
    accounts: list[str] = Field(
        default_factory=list,
        description="Official account ids whose conversations this responder serves (conversation keys are "
        "`<channel>:<account>:<thread>`); empty: every account. Lets several organisations (or test sessions) "
        "share one Kafka without acting on each other's conversations.",
    )
    replying_seconds: int = Field(
        default=300, description="How long a person counts as still writing a reply after saying so (collision guard)."
    )


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)


def load_policy(path: str | Path | None = None, *, bank_holidays: str | None = None) -> Policy:
    """The policy in `path` (the shipped default when none), optionally with another bank holiday region."""
    data = yaml.safe_load(Path(path or DEFAULT_POLICY).read_text(encoding="utf-8"))
    if bank_holidays:
        data.setdefault("business_hours", {})["bank_holidays"] = bank_holidays
    return Policy.model_validate(data)
