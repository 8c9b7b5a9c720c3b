"""HTTP routes for Meta: the GET handshake and signed POST deliveries (Page feed visitor posts and comments,
Messenger, Instagram comments and DMs).

A comment on a visitor post (or a reply to a comment already in a conversation) joins that conversation: the
ledger remembers which conversation every received and sent Facebook id belongs to, and the posts of the same
delivery are looked at first."""

import logging

import pymongo
from civic_contracts import Channel, InboundMessage
from fastapi import APIRouter, Query, Request, Response

from connectors.delivery import deliver, text
from connectors.echoes import meta_echoes
from connectors.platforms import meta, meta_changes
from connectors.revising import publish as publish_revisions

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks/meta", tags=["meta"])
SOURCE = "POST /webhooks/meta"
LOOKUP_SECONDS = 1.0


async def _thread(request: Request, messages: list[InboundMessage]) -> list[InboundMessage]:
    """Moves Facebook comments under a known post or comment into its conversation (best effort)."""
    ledger = request.app.state.stores.ledger
    known: dict[tuple[str, str], str] = {}
    threaded = []
    for m in messages:
        if m.channel is Channel.FACEBOOK and m.in_reply_to:
            key = known.get((m.account_id, m.in_reply_to))
            if key is None:
                try:  # bounded (the driver's own timeout): Meta wants an answer within seconds, even with MongoDB away
                    with pymongo.timeout(LOOKUP_SECONDS):
                        key = await ledger.conversation_of(Channel.FACEBOOK.value, m.account_id, m.in_reply_to)
                except Exception as exc:  # noqa: BLE001 - threading is an improvement, never a reason to refuse
                    log.warning("meta: thread lookup failed, keeping the parsed thread: %s", exc)
            if key and key != m.conversation_key:
                m = m.model_copy(update={"conversation_key": key})
        if m.channel is Channel.FACEBOOK:
            known[(m.account_id, m.platform_message_id)] = m.conversation_key
        threaded.append(m)
    return threaded


@router.get("", summary="Meta verification handshake")
async def verify(
    request: Request,
    mode: str | None = Query(default=None, alias="hub.mode"),
    token: str | None = Query(default=None, alias="hub.verify_token"),
    challenge: str | None = Query(default=None, alias="hub.challenge"),
) -> Response:
    expected = request.app.state.settings.meta_verify_token.get_secret_value()
    answer = meta.handshake(mode, token, challenge, expected)
    if answer is None:
        return text("verification failed", 403)
    return text(answer)


@router.post("", summary="Meta webhook delivery (Page feed posts and comments, their edits and removals; Messenger, "
             "Instagram comments and DMs)")
async def receive(request: Request) -> Response:
    body = await request.body()
    secret = request.app.state.settings.meta_app_secret.get_secret_value()
    if not meta.signature_valid(body, request.headers.get(meta.SIGNATURE_HEADER), secret):
        for channel in (Channel.FACEBOOK, Channel.MESSENGER, Channel.INSTAGRAM):
            request.app.state.health.signature_failure(channel)
        return text("missing or invalid X-Hub-Signature-256", 401)
    request.app.state.echoes.observe(meta_echoes(body))  # the accounts' own posts: did we send them?

    async def parse():
        found = meta_changes.parse_all(body)
        await publish_revisions(request, found.revisions)  # edits and deletions of earlier messages
        return await _thread(request, found.messages)

    return await deliver(request, source=SOURCE, body=body, parse=parse, ok=lambda: text("EVENT_RECEIVED"),
                         accepted=lambda: text("accepted; payload dead-lettered"))
