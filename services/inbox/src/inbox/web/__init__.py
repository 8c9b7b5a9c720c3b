"""The inbox web app: server-rendered pages for agents, departments, supervisors and ops, on top of the
agents' API (its sign-in, roles and actions), with live updates from Kafka.

`mount(app)` adds it to the inbox FastAPI app: the page routes, `/static` and the security headers. The
live-event hub (Kafka) and the in-memory list (the conversation store) are wired with the rest of the app in
`inbox.main`. Sign-in is throttled by the API's own throttle."""

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inbox.web import (
    i18n,
    render,
    views_accounts,
    views_actions,
    views_auth,
    views_conversation,
    views_dashboard,
    views_inbox,
    views_language,
    views_live,
    views_ops,
    views_outofhours,
    views_reports,
    views_supervision,
    views_traces,
)
from inbox.web.session import SignInRequired, sign_in_required

ROUTERS = (views_auth.router, views_inbox.router, views_actions.router, views_conversation.router,
           views_supervision.router, views_dashboard.router, views_reports.router, views_ops.router,
           views_outofhours.router, views_live.router, views_accounts.router, views_language.router,
           views_traces.router)
# Paths served by the API (and its interactive docs, which need their own inline scripts).
NOT_WEB = ("/api", "/docs", "/redoc", "/openapi.json", "/healthz", "/metrics")
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "cross-origin-opener-policy": "same-origin",
}


class SecurityHeaders:
    """Content-Security-Policy without inline script, and the other headers every page gets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(NOT_WEB):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def mount(app: FastAPI) -> None:
    """Add the web app's pages, static files, security headers and sign-in redirect to the inbox app (its
    live-event hub and in-memory list are wired by `inbox.main`)."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(render.STATIC)), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(i18n.Language)
    app.add_exception_handler(SignInRequired, sign_in_required)
