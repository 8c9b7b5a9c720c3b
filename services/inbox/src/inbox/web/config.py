"""Web app settings, read from the environment (prefix `INBOX_WEB_`) when `load_web_settings` is called."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The default taxonomy's department ids (shared/TAXONOMY.md), in the order people look for them.
DEFAULT_DEPARTMENTS = [
    "waste", "highways", "parks_trees", "street_lighting", "parking", "transport", "housing", "council_tax_benefits",
    "environmental_health_asb", "planning", "libraries_leisure", "social_care", "police", "out_of_scope", "general",
]


class WebSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INBOX_WEB_", extra="ignore")

    trace_url_template: str = Field(
        default="http://127.0.0.1:16686/trace/{trace_id}",
        description="Link to a trace in the trace UI; `{trace_id}` is replaced (Jaeger's default shown). With "
                    "`trace_query_url` set, the inbox's own trace page links on to it (empty: no such link).",
    )
    trace_query_url: str = Field(
        default="",
        description="Base URL of the trace store's query API (Jaeger query, e.g. `http://127.0.0.1:16686`), read by "
                    "the server for the ops trace page `/ops/traces/{trace_id}`, which Trace links then open; empty: "
                    "Trace links go to `trace_url_template`.",
    )
    connectors_url: str = Field(default="http://127.0.0.1:9081",
                                description="Base URL of a connectors process's internal listener, for "
                                "`GET /api/channel-health`.")
    page_size: int = Field(default=50, ge=5, le=200, description="Conversations per inbox page.")
    live_enabled: bool = Field(default=True, description="Follow `conversation.event.v1` and stream it to browsers.")
    live_buffer: int = Field(default=2000, ge=10, description="Recent events kept for browsers that reconnect.")
    index_enabled: bool = Field(default=True, description="Keep the inbox list in memory, fed by live events (needs live).")
    index_keep_days: int = Field(default=30, ge=1, description="Finished conversations stay in the in-memory list this long.")
    heartbeat_seconds: float = Field(default=15.0, gt=0, description="Seconds between keep-alive comments on the stream.")
    departments: list[str] = Field(default_factory=lambda: list(DEFAULT_DEPARTMENTS),
                                   description="Department ids offered for re-routing (the taxonomy's).")
    deadletter_tail: int = Field(default=200, ge=1, le=5000, description="Newest dead letters read per partition.")
    incident_topic: str = Field(default="incident.v1", description="Topic of surge incidents (`civic_contracts.incident`).")
    dashboard_days: int = Field(default=7, ge=1, le=90, description="Days the dashboard covers.")


def load_web_settings(**overrides: object) -> WebSettings:
    return WebSettings(**overrides)
