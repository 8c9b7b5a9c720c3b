"""HTTP route for email: Mailgun inbound-route deliveries (urlencoded, or multipart with attachments).

Refused (nothing published): a bad or missing signature (401), a stale timestamp (401), a token already used
(403: a replay; the signature covers only timestamp and token, so a token must never be accepted twice).
Mailgun signs each delivery attempt afresh, so its own retries carry new tokens."""

import json
import logging
from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response

from connectors.delivery import deliver, text
from connectors.formdata import Form, FormError, parse_form
from connectors.platforms import email

log = logging.getLogger(__name__)
router = APIRouter(prefix="/webhooks/email", tags=["email"])
SOURCE = "POST /webhooks/email"


MAX_RAW_MIME = 256 * 1024


def _raw(body: bytes, form: Form, content_type: str) -> str:
    """The payload kept for replay: the body itself, or for multipart its fields (attachments described only,
    so a large file never reaches Kafka); a raw MIME message larger than MAX_RAW_MIME is described too."""
    mime = form.first("body-mime") or ""
    if len(mime) > MAX_RAW_MIME:
        fields = {k: v for k, v in form.fields.items() if k != "body-mime"}
        return json.dumps({"fields": fields, "body-mime": {"omitted": True, "size": len(mime)}}, ensure_ascii=False)
    if not content_type.lower().startswith("multipart/"):
        return body.decode("utf-8", errors="replace")
    files = [{"field": f.name, "filename": f.filename, "content_type": f.content_type, "size": f.size} for f in form.files]
    return json.dumps({"fields": form.fields, "files": files}, ensure_ascii=False)


@router.post("", summary="Mailgun inbound email")
async def receive(request: Request) -> Response:
    settings = request.app.state.settings
    if settings.mailgun_signing_key is None:
        return text("email webhook not configured", 403)
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    try:
        form = parse_form(body, content_type)
    except FormError as exc:
        return text(f"cannot verify: {exc}", 401)
    timestamp, token = form.first("timestamp"), form.first("token")
    if not email.signature_valid(timestamp, token, form.first("signature"), settings.mailgun_signing_key.get_secret_value()):
        return text("missing or invalid Mailgun signature", 401)
    if not email.fresh(timestamp, datetime.now(UTC), settings.email_max_age_seconds):
        return text("stale timestamp", 401)
    stores = request.app.state.stores
    try:
        if not await stores.tokens.claim(token):
            return text("token already used", 403)
    except Exception as exc:  # noqa: BLE001 - cannot rule out a replay: let Mailgun retry
        log.error("email: token store unavailable: %s", exc)
        return text("temporarily unavailable", 503)

    async def parse():
        message, headers = email.parse(form, raw=_raw(body, form, content_type))
        await stores.emails.save(headers)  # a failure here is a 5xx: Mailgun retries with a new token
        return [message]

    try:
        return await deliver(request, source=SOURCE, body=body, parse=parse, ok=lambda: text("ok"))
    except Exception as exc:  # noqa: BLE001 - storage failed: retry later rather than lose the thread headers
        log.error("email: could not keep the thread headers: %s", exc)
        return text("temporarily unavailable", 503)
