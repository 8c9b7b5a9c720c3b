"""Stand-ins for the platforms' APIs, one module each, following PLATFORMS.md: the same paths, bodies, success
answers, rate-limit headers and error bodies, so the connectors' code talks to them as to the real thing."""

import json
from urllib.parse import parse_qs

from fastapi import Request

from sandbox.state import State


def state(request: Request) -> State:
    return request.app.state.sandbox


async def body_of(request: Request) -> dict:
    """A JSON or form body as a dict (form fields with one value are unwrapped)."""
    raw = await request.body()
    if not raw:
        return {}
    if (request.headers.get("content-type") or "").startswith("application/json"):
        try:
            value = json.loads(raw)
        except ValueError:
            return {"_unparsed": raw.decode("utf-8", "replace")}
        return value if isinstance(value, dict) else {"_value": value}
    fields = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in fields.items()}


def bearer(request: Request) -> str | None:
    header = request.headers.get("authorization") or ""
    if not header.lower().startswith("bearer "):
        return None
    token = header[7:].strip() or None
    if token and token.startswith("sbx-"):  # issued by the OAuth stand-ins (platforms/oauth.py): must be current
        oauth = getattr(request.app.state, "oauth", None)
        if oauth is None or not oauth.valid(token):
            return None
    return token
