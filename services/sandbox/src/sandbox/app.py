"""The sandbox service: stand-ins for Meta, X, YouTube, Twilio, Mailgun, Slack and Teams on one port (8090), following
PLATFORMS.md, their OAuth 2.0 authorisation servers (connecting accounts), plus `/_sandbox` routes to read what
they were sent and to inject faults."""

from fastapi import FastAPI

from sandbox import control, seed
from sandbox.config import Settings
from sandbox.platforms import chat, meta, oauth, twilio, x, youtube
from sandbox.state import State


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="Civic Inbox sandbox", version="0.1.0",
                  description="Local stand-ins for the platforms, for demos and tests. Never exposed publicly.")
    app.state.settings = settings
    app.state.sandbox = State()
    if settings.seeded:
        seed.seed(app.state.sandbox, settings)
    for module in (oauth, meta, x, youtube, twilio, chat, control):
        app.include_router(module.router)

    @app.get("/healthz", tags=["ops"])
    async def healthz() -> dict:
        return {"status": "ok"}

    return app
