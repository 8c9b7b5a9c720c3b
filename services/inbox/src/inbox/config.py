"""Inbox settings, read from the environment (prefix `INBOX_`) when `load_settings` is called."""

from pydantic import AliasChoices, Field
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


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
