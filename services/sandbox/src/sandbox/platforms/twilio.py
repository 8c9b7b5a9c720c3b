"""Twilio Messages API stand-in (SMS and WhatsApp) and Mailgun sending stand-in: HTTP Basic auth, the
platforms' JSON answers and error bodies (Twilio 20429 / 20003; Mailgun 429 / 401)."""

import base64
from datetime import UTC, datetime
from email.utils import format_datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sandbox.platforms import body_of, state

router = APIRouter(tags=["twilio and mailgun stand-ins"])


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization") or ""
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except ValueError:
        return None
    return (user, password) if user and password else None


def _twilio_error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
                         "status": status}, status_code=status)


@router.post("/twilio/2010-04-01/Accounts/{account_sid}/Messages.json", summary="Twilio: send a message")
async def twilio_send(request: Request, account_sid: str) -> JSONResponse:
    auth = _basic(request)
    if auth is None or auth[0] != account_sid:
        return _twilio_error(401, 20003, "Authenticate")
    fault = state(request).take_fault("twilio", request.url.path)
    if fault is not None:
        if fault.kind == "rate_limit":
            return _twilio_error(429, 20429, "Too Many Requests")
        if fault.kind == "token_expired":
            return _twilio_error(401, 20003, "Authenticate")
        return _twilio_error(500, 20500, "Internal Server Error")
    body = await body_of(request)
    if not body.get("To") or not (body.get("Body") or body.get("ContentSid") or body.get("MediaUrl")):
        return _twilio_error(400, 21602, "Message body is required.")
    sid = f"SM{state(request).next_id():032x}"
    state(request).record("twilio", "POST", request.url.path, body, result_id=sid, account=body.get("From"))
    now = format_datetime(datetime.now(UTC), usegmt=True)
    return JSONResponse({"sid": sid, "account_sid": account_sid, "to": body["To"], "from": body.get("From"),
                         "body": body.get("Body"), "status": "queued", "direction": "outbound-api",
                         "num_segments": "1", "error_code": None, "error_message": None, "date_created": now,
                         "api_version": "2010-04-01"}, status_code=201)


@router.post("/mailgun/v3/{domain}/messages", summary="Mailgun: send an email")
async def mailgun_send(request: Request, domain: str) -> JSONResponse:
    auth = _basic(request)
    if auth is None or auth[0] != "api":
        return JSONResponse({"message": "Invalid private key"}, status_code=401)
    fault = state(request).take_fault("mailgun", request.url.path)
    if fault is not None:
        if fault.kind == "rate_limit":
            return JSONResponse({"message": "Too many requests"}, status_code=429)
        if fault.kind == "token_expired":
            return JSONResponse({"message": "Invalid private key"}, status_code=401)
        return JSONResponse({"message": "Internal server error"}, status_code=500)
    body = await body_of(request)
    if not body.get("to") or not body.get("from"):
        return JSONResponse({"message": "'to' and 'from' parameters are missing"}, status_code=400)
    message_id = f"{datetime.now(UTC):%Y%m%d%H%M%S}.{state(request).next_id()}@{domain}"
    state(request).record("mailgun", "POST", request.url.path, body, result_id=message_id, account=domain)
    return JSONResponse({"id": f"<{message_id}>", "message": "Queued. Thank you."})
