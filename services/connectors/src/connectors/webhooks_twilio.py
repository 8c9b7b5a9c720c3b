"""HTTP route for Twilio SMS and WhatsApp: signed form POSTs, answered with empty TwiML (replies go out through
the REST API). The signed URL is the public one Twilio called: `CONNECTORS_PUBLIC_BASE_URL` + path + query
when a proxy sits in front, else the URL as received."""

import logging
from datetime import datetime

from fastapi import APIRouter, Request, Response

from connectors.delivery import deliver, text
from connectors.formdata import FormError, parse_form
from connectors.platforms import PayloadError, twilio

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks/twilio", tags=["twilio"])
SOURCE = "POST /webhooks/twilio"
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def public_url(request: Request) -> str:
    base = request.app.state.settings.public_base_url
    if not base:
        return str(request.url)
    query = request.url.query
    return base.rstrip("/") + request.url.path + (f"?{query}" if query else "")


async def _first_seen(request: Request, message_id: str, now: datetime) -> datetime:
    """Twilio sends no time: a retry keeps the time of the first delivery (best effort: now if MongoDB is away)."""
    try:
        return await request.app.state.stores.first_seen.at(message_id, now)
    except Exception as exc:  # noqa: BLE001 - a time is not worth refusing a message for
        log.warning("twilio: first-seen time unavailable, using now: %s", exc)
        return now


@router.post("", summary="Twilio inbound SMS or WhatsApp message")
async def receive(request: Request) -> Response:
    body = await request.body()
    token = request.app.state.settings.twilio_auth_token
    if token is None:
        return text("Twilio webhook not configured", 403)
    is_json = (request.headers.get("content-type") or "").lower().startswith("application/json")
    try:
        params = {} if is_json else parse_form(body, request.headers.get("content-type")).fields
    except FormError:
        params = None  # cannot be verified: answered 403 below
    valid = params is not None and twilio.signature_valid(
        public_url(request), params, request.headers.get(twilio.SIGNATURE_HEADER), token.get_secret_value(),
        json_body=body if is_json else None,
        algorithm=twilio.algorithm_of(request.headers.get(twilio.SETTINGS_HEADER)),
    )
    if not valid:
        return text("missing or invalid X-Twilio-Signature", 403)

    async def parse():
        if is_json:
            raise PayloadError("a JSON body is not an inbound message webhook")
        message = twilio.parse(params, raw=body.decode("utf-8", errors="replace"))
        return [message.model_copy(update={"sent_at": await _first_seen(request, message.id, message.received_at)})]

    return await deliver(request, source=SOURCE, body=body, parse=parse,
                         ok=lambda: text(TWIML_EMPTY, media_type="text/xml"))
