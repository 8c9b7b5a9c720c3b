"""Team-channel incoming webhooks: Slack (`POST /services/T…/B…/<secret>`, JSON with `text` and/or `blocks`;
answers `ok` as plain text, `invalid_payload` 400, `no_text` 400, `no_service` 404) and Microsoft Teams
(`POST /webhookb2/…`, a `message` whose attachments are cards; answers `1`). Both are recorded under
`/_sandbox/sent` as platform `slack` or `teams`."""

import json

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse

from sandbox.platforms import state

router = APIRouter(tags=["slack and teams incoming webhook stand-ins"])


async def _json(request: Request) -> dict | None:
    try:
        value = json.loads(await request.body())
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


@router.post("/slack/services/{team}/{bot}/{secret}", summary="Slack: post to a channel through an incoming webhook")
async def slack(request: Request, team: str, bot: str, secret: str) -> PlainTextResponse:
    if not (team.startswith("T") and bot.startswith("B") and secret):
        return PlainTextResponse("no_service", status_code=404)
    fault = state(request).take_fault("slack", request.url.path)
    if fault is not None:
        return PlainTextResponse("rate_limited" if fault.kind == "rate_limit" else "internal_error",
                                 status_code=429 if fault.kind == "rate_limit" else 500)
    body = await _json(request)
    if body is None:
        return PlainTextResponse("invalid_payload", status_code=400)
    if not body.get("text") and not body.get("blocks") and not body.get("attachments"):
        return PlainTextResponse("no_text", status_code=400)
    state(request).record("slack", "POST", request.url.path, body, result_id=None, account=team)
    return PlainTextResponse("ok")


@router.post("/teams/webhookb2/{path:path}", summary="Microsoft Teams: post a card to a channel through an incoming webhook")
async def teams(request: Request, path: str) -> PlainTextResponse:
    fault = state(request).take_fault("teams", request.url.path)
    if fault is not None:
        return PlainTextResponse("Webhook message delivery failed", status_code=429 if fault.kind == "rate_limit" else 500)
    body = await _json(request)
    attachments = (body or {}).get("attachments")
    if body is None or body.get("type") != "message" or not isinstance(attachments, list) or not attachments:
        return PlainTextResponse("Bad payload received by generic incoming webhook.", status_code=400)
    if any(not isinstance(a, dict) or a.get("contentType") != "application/vnd.microsoft.card.adaptive"
           or (a.get("content") or {}).get("type") != "AdaptiveCard" for a in attachments):
        return PlainTextResponse("Summary or Text is required.", status_code=400)
    state(request).record("teams", "POST", request.url.path, body, result_id=None, account=path.split("/")[0])
    return PlainTextResponse("1")
