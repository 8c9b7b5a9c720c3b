"""HTTP routes for Meta: the GET handshake and signed POST deliveries (Page feed comments, Messenger,
Instagram comments and DMs)."""

from civic_contracts import Channel
from fastapi import APIRouter, Query, Request, Response

from connectors.delivery import deliver, text
from connectors.echoes import meta_echoes
from connectors.platforms import meta

router = APIRouter(prefix="/webhooks/meta", tags=["meta"])
SOURCE = "POST /webhooks/meta"


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


@router.post("", summary="Meta webhook delivery (Page feed comments, Messenger, Instagram comments and DMs)")
async def receive(request: Request) -> Response:
    body = await request.body()
    secret = request.app.state.settings.meta_app_secret.get_secret_value()
    if not meta.signature_valid(body, request.headers.get(meta.SIGNATURE_HEADER), secret):
        for channel in (Channel.FACEBOOK, Channel.MESSENGER, Channel.INSTAGRAM):
            request.app.state.health.signature_failure(channel)
        return text("missing or invalid X-Hub-Signature-256", 401)
    request.app.state.echoes.observe(meta_echoes(body))  # the accounts' own posts: did we send them?

    async def parse():
        return meta.parse(body)

    return await deliver(request, source=SOURCE, body=body, parse=parse, ok=lambda: text("EVENT_RECEIVED"),
                         accepted=lambda: text("accepted; payload dead-lettered"))
