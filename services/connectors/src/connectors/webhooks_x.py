"""HTTP routes for X: the CRC challenge (GET) and signed Account Activity deliveries (POST).

A reply to a post already known (one the citizen wrote before, or the organisation's own reply) joins that
post's conversation: the ledger remembers which conversation every received and sent post belongs to."""

import logging

from civic_contracts import Channel
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from connectors.delivery import deliver, text
from connectors.echoes import x_echoes
from connectors.platforms import x
from connectors.revising import publish as publish_revisions

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks/x", tags=["x"])
SOURCE = "POST /webhooks/x"


def _secret(request: Request) -> str | None:
    secret = request.app.state.settings.x_consumer_secret
    return secret.get_secret_value() if secret else None


@router.get("", summary="X CRC challenge")
async def crc(request: Request, crc_token: str | None = Query(default=None, max_length=128)) -> Response:
    """Answers only tokens shaped like X's short random ones (never JSON): the answer is the same HMAC as a
    delivery signature, so signing arbitrary text would let anyone forge deliveries."""
    secret = _secret(request)
    if secret is None:
        return text("X webhook not configured", 403)
    if not crc_token:
        return text("crc_token is required", 400)
    try:
        return JSONResponse(x.crc_response(crc_token, secret))
    except x.NotACrcToken as exc:
        log.warning("x: CRC refused for a token that is not shaped like X's")
        return text(str(exc), 400)


async def _thread(request: Request, messages: list) -> list:
    """Moves replies to a known post into that post's conversation (best effort: the parsed key stands)."""
    ledger = request.app.state.stores.ledger
    threaded = []
    for m in messages:
        if m.in_reply_to and m.kind.value == "public_comment":
            try:
                known = await ledger.conversation_of("x", m.account_id, m.in_reply_to)
            except Exception as exc:  # noqa: BLE001 - threading is an improvement, never a reason to refuse
                log.warning("x: thread lookup failed, keeping the parsed thread: %s", exc)
                known = None
            if known:
                m = m.model_copy(update={"conversation_key": known})
        threaded.append(m)
    return threaded


@router.post("", summary="X account activity delivery (mentions, replies, DMs, deleted posts)")
async def receive(request: Request) -> Response:
    body = await request.body()
    secret = _secret(request)
    if secret is None or not x.signature_valid(body, request.headers.get(x.SIGNATURE_HEADER), secret):
        request.app.state.health.signature_failure(Channel.X)
        return text("missing or invalid x-twitter-webhooks-signature", 401)
    request.app.state.echoes.observe(x_echoes(body))  # the account's own posts and DMs: did we send them?

    async def parse():
        found = x.parse_all(body)
        await publish_revisions(request, found.revisions)  # posts their authors deleted
        return await _thread(request, found.messages)

    return await deliver(request, source=SOURCE, body=body, parse=parse, ok=lambda: text("ok"))
