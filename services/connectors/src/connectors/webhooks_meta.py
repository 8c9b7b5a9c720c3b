"""HTTP routes for Meta: the GET handshake and signed POST deliveries."""

import logging

from fastapi import APIRouter, Query, Request, Response

from connectors.platforms import PayloadError, meta
from connectors.publishing import Publisher, PublishFailed

log = logging.getLogger(__name__)
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
        return Response("verification failed", status_code=403, media_type="text/plain")
    return Response(answer, media_type="text/plain")


@router.post("", summary="Meta webhook delivery (Page feed comments, Messenger)")
async def receive(request: Request) -> Response:
    body = await request.body()
    secret = request.app.state.settings.meta_app_secret.get_secret_value()
    if not meta.signature_valid(body, request.headers.get(meta.SIGNATURE_HEADER), secret):
        return Response("missing or invalid X-Hub-Signature-256", status_code=401, media_type="text/plain")
    publisher: Publisher = request.app.state.publisher
    try:
        try:
            messages = meta.parse(body)
        except PayloadError as exc:
            log.warning("meta: dead-lettering an unparseable delivery: %s", exc)
            headers = {"content-type": request.headers.get("content-type", "")}
            await publisher.unparseable(source=SOURCE, body=body, reason=str(exc), headers=headers)
            return Response("accepted; payload dead-lettered", status_code=200, media_type="text/plain")
        await publisher.messages(messages)
    except PublishFailed as exc:
        log.error("meta: publish failed, asking Meta to retry: %s", exc)
        return Response("temporarily unavailable", status_code=503, media_type="text/plain")
    return Response("EVENT_RECEIVED", media_type="text/plain")
