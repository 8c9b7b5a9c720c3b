"""The notifier's HTTP side: the acknowledgement page a link opens (GET shows the alert, the button POSTs,
so a mail scanner that follows links acknowledges nothing), Twilio's webhook for SMS replies (signature
checked), and the open alerts for the web app."""

from html import escape
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from notifier.adapters.twilio import SIGNATURE_HEADER
from notifier.domain.links import valid
from notifier.domain.replies import parse_ack
from notifier.domain.texts import conversation_link
from notifier.service import duty
from notifier.service.context import Notifier

router = APIRouter()


def _notifier(request: Request) -> Notifier:
    return request.app.state.notifier


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        f"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        f"content=\"width=device-width, initial-scale=1\"><title>{escape(title)} - Civic Inbox</title></head>"
        f"<body><main><h1>{escape(title)}</h1>{body}</main></body></html>", status_code=status)


async def _checked(n: Notifier, alert_id: str, who: int, sig: str) -> dict:
    if not valid(n.link_secret, alert_id, who, sig):
        raise HTTPException(403, "this acknowledgement link is not valid")
    document = await n.store.get(alert_id)
    if document is None or not 0 <= who < len(document["people"]):
        raise HTTPException(404, "no such alert")
    return document


def _describe(n: Notifier, document: dict) -> str:
    link = conversation_link(n.inbox_url, document["conversation_key"])
    department = (document.get("department") or "unrouted").replace("_", " ")
    return (f"<p>{escape(document['urgency'].upper())} alert for {escape(department)}, raised "
            f"{escape(document['raised_at'].strftime('%H:%M %d %b %Y'))} UTC.</p>"
            f"<p><a href=\"{escape(link)}\">Open the conversation in Civic Inbox</a></p>")


@router.get("/alerts/{alert_id}/ack", response_class=HTMLResponse, summary="The page an acknowledgement link opens")
async def ack_page(request: Request, alert_id: str, who: Annotated[int, Query(ge=0)], sig: Annotated[str, Query(max_length=64)]) -> HTMLResponse:
    n = _notifier(request)
    document = await _checked(n, alert_id, who, sig)
    name = document["people"][who]["name"]
    if document["status"] != "open":
        return _page("Already acknowledged", f"<p>{escape(document.get('acknowledged_by') or '')} has this alert.</p>"
                     + _describe(n, document))
    form = (f"<form method=\"post\"><input type=\"hidden\" name=\"who\" value=\"{who}\">"
            f"<input type=\"hidden\" name=\"sig\" value=\"{escape(sig)}\">"
            f"<button type=\"submit\">I'm on it ({escape(name)})</button></form>")
    return _page("Duty alert", _describe(n, document) + form)


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > 4096:
        raise HTTPException(413, "too large")
    return dict(parse_qsl(raw.decode("utf-8", errors="replace"), keep_blank_values=True))


@router.post("/alerts/{alert_id}/ack", response_class=HTMLResponse, summary="Acknowledge an alert (from its link)")
async def ack(request: Request, alert_id: str) -> HTMLResponse:
    n = _notifier(request)
    form = await _form(request)
    if not form.get("who", "").isdigit():
        raise HTTPException(422, "who: a number is required")
    who, sig = int(form["who"]), form.get("sig", "")[:64]
    await _checked(n, alert_id, who, sig)
    document, done = await duty.acknowledge(n, alert_id, who, via="link")
    if done:
        return _page("Acknowledged", "<p>Thank you: the alert is yours and nobody else will be paged.</p>" + _describe(n, document))
    return _page("Already acknowledged", f"<p>{escape(document.get('acknowledged_by') or '')} has this alert.</p>"
                 + _describe(n, document))


def _twiml(text: str | None) -> Response:
    inner = f"<Message>{escape(text)}</Message>" if text else ""
    return Response(f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{inner}</Response>", media_type="application/xml")


@router.post("/webhooks/twilio", summary="Twilio: an SMS reply to an alert (X-Twilio-Signature checked)")
async def sms_reply(request: Request) -> Response:
    n = _notifier(request)
    params = await _form(request)
    url = n.public_url.rstrip("/") + request.url.path
    if not n.sms.reply_is_genuine(url, params, request.headers.get(SIGNATURE_HEADER)):
        raise HTTPException(403, "signature does not match")
    is_ack, code = parse_ack(params.get("Body", ""))
    if not is_ack:
        return _twiml("Reply ACK and the alert's code to acknowledge it.")
    document, done = await duty.acknowledge_by_sms(n, params.get("From", ""), code)
    if document is None:
        return _twiml("No open alert was sent to this number" + (f" with code {code}." if code else "."))
    if not done:
        return _twiml(f"{document.get('acknowledged_by')} already has alert {document['code']}.")
    return _twiml(f"Acknowledged alert {document['code']}: it is yours. {conversation_link(n.inbox_url, document['conversation_key'])}")


@router.get("/api/alerts", summary="Duty alerts, newest first (open ones with who holds them)")
async def alerts(request: Request, status: Annotated[str | None, Query(pattern="^(open|acknowledged)$")] = None) -> list[dict]:
    found = await _notifier(request).store.recent(status=status)
    return [{"id": d["_id"], "conversation_key": d["conversation_key"], "department": d.get("department"),
             "urgency": d.get("urgency"), "reason": d.get("reason"), "status": d["status"], "level": d["level"],
             "holders": d.get("holders", []), "acknowledged_by": d.get("acknowledged_by"),
             "acknowledged_via": d.get("acknowledged_via"), "raised_at": d["raised_at"],
             "next_escalation_at": d.get("next_escalation_at"), "exhausted": d.get("exhausted", False)}
            for d in found]
