"""Sandbox settings (prefix `SANDBOX_`), read when `load_settings` is called."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SANDBOX_", extra="ignore")

    host: str = Field(default="127.0.0.1", description="Address the stand-in platforms listen on.")
    port: int = Field(default=8090, description="Port the stand-in platforms listen on.")
    x_account_id: str = Field(default="1456000000000000001", description="The organisation's X account (mentions are seeded for it).")
    x_handle: str = Field(default="CivicCouncil", description="The organisation's X handle, mentioned in seeded posts.")
    youtube_channel_id: str = Field(default="UCcivicInboxCouncil000001", description="The organisation's YouTube channel (comment threads are seeded on it).")
    meta_page_id: str = Field(default="104729113", description="The organisation's Facebook Page (its Page token is "
                              "given by the Facebook Login stand-in).")
    instagram_account_id: str | None = Field(default=None, description="Instagram account linked to the Page, if any.")
    oauth_client_secret: str = Field(default="sandbox-oauth-secret",
                                     description="Client secret the OAuth stand-ins accept from any client id.")
    seed: int = Field(default=11, description="Random seed of the seeded mentions and comments.")
    seeded: bool = Field(default=True, description="Seed a day of X mentions and YouTube comments at start-up.")


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)
