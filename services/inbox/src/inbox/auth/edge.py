"""The inbox's edge, installed by `main.create_app`: the request-body limit, `/metrics` on the internal
listener only, headers that keep personal data out of caches and frames, the API description for signed-in
people only (no Swagger UI: it loads its script from a CDN), and the shared sign-in throttle."""

from datetime import timedelta

from civic_eventing.http_edge import InternalOnly, ResponseHeaders, parse_networks
from civic_eventing.http_limits import BodyLimits, BodyPolicy
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from pymongo.asynchronous.database import AsyncDatabase

from inbox.auth.deps import CurrentPrincipal
from inbox.auth.throttle import SignInThrottle
from inbox.config import Settings

INTERNAL_PATHS = ("/metrics",)
API_HEADERS = {"cache-control": "no-store", "x-content-type-options": "nosniff", "x-frame-options": "DENY",
               "content-security-policy": "default-src 'none'; frame-ancestors 'none'", "referrer-policy": "same-origin"}
# Every page and answer of the inbox may carry personal data: no shared or browser cache keeps it.
EVERYTHING = {"cache-control": "no-store"}


def install(app: FastAPI, settings: Settings, database: AsyncDatabase) -> None:
    parse_networks(settings.trusted_proxies)  # a bad entry stops start-up, not a request
    app.state.signin_throttle = SignInThrottle(
        database["signin_throttle"], per_account_address=settings.signin_attempts_per_account_address,
        per_address=settings.signin_attempts_per_address, window=timedelta(minutes=settings.signin_window_minutes))

    @app.get("/openapi.json", include_in_schema=False)
    async def api_description(principal: CurrentPrincipal) -> JSONResponse:
        """The OpenAPI description, for signed-in people and token holders only."""
        return JSONResponse(app.openapi())

    app.add_middleware(ResponseHeaders, rules=[("/api", API_HEADERS), ("/openapi.json", API_HEADERS),
                                               ("/static", {"cache-control": "public, max-age=3600"}), ("", EVERYTHING)])
    app.add_middleware(InternalOnly, paths=INTERNAL_PATHS, internal_port=settings.internal_port)
    app.add_middleware(BodyLimits, policy=BodyPolicy(max_bytes=settings.max_body_bytes, routes=settings.body_limits))
