"""Graph API stand-in: comment replies, IG replies, Send API (Messenger/IG DMs, private replies), hide."""

import json
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from sandbox.platforms import bearer, body_of, state

router = APIRouter(prefix="/meta/{version}", tags=["meta stand-in"])


def _usage(object_id: str, minutes: int = 0, count: int = 3) -> str:
    return json.dumps({object_id: [{"type": "messenger", "call_count": count, "total_cputime": 1, "total_time": 1,
                                    "estimated_time_to_regain_access": minutes}]})


def _error(status: int, code: int, message: str, *, subcode: int | None = None, headers: dict | None = None,
           transient: bool = False) -> JSONResponse:
    error = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": f"A{int(time.time())}sandbox"}
    if subcode:
        error["error_subcode"] = subcode
    if transient:
        error["is_transient"] = True
    return JSONResponse({"error": error}, status_code=status, headers=headers)


def guard(request: Request, object_id: str) -> JSONResponse | None:
    if not bearer(request):
        return _error(400, 190, "An active access token must be used to query information about the current user.")
    fault = state(request).take_fault("meta", request.url.path)
    if fault is None:
        return None
    if fault.kind == "rate_limit":
        minutes = -(-fault.retry_after_seconds // 60)
        return _error(400, 80006, "(#80006) There have been too many messages sent to this Messenger user. Please wait a while.",
                      headers={"X-Business-Use-Case-Usage": _usage(object_id, minutes, 100)})
    if fault.kind == "token_expired":
        return _error(400, 190, "Error validating access token: Session has expired.", subcode=463)
    return _error(500, 2, "An unexpected error has occurred. Please retry your request later.", transient=True)


def _ok(body: dict, object_id: str) -> JSONResponse:
    return JSONResponse(body, headers={"X-Business-Use-Case-Usage": _usage(object_id)})


@router.post("/{object_id}/comments", summary="Reply to a Facebook comment")
async def comment_reply(request: Request, object_id: str) -> JSONResponse:
    if (refused := guard(request, object_id)) is not None:
        return refused
    body = await body_of(request)
    new_id = f"{object_id.split('_')[0]}_{state(request).next_id() + 900000}"
    state(request).record("meta", "POST", request.url.path, body, result_id=new_id, account=object_id.split("_")[0])
    return _ok({"id": new_id}, object_id)


@router.post("/{object_id}/feed", summary="Publish a post on a Page")
async def page_post(request: Request, object_id: str) -> JSONResponse:
    if (refused := guard(request, object_id)) is not None:
        return refused
    body = await body_of(request)
    if not body.get("message") and not body.get("link"):
        return _error(400, 100, "(#100) Missing message or attachment")
    new_id = f"{object_id}_{state(request).next_id() + 700000}"
    state(request).record("meta", "POST", request.url.path, body, result_id=new_id, account=object_id)
    return _ok({"id": new_id}, object_id)


@router.post("/{object_id}/replies", summary="Reply to an Instagram comment")
async def ig_reply(request: Request, object_id: str) -> JSONResponse:
    if (refused := guard(request, object_id)) is not None:
        return refused
    body = await body_of(request)
    new_id = str(17_900_000_000_000_000 + state(request).next_id())
    state(request).record("meta", "POST", request.url.path, body, result_id=new_id)
    return _ok({"id": new_id}, object_id)


@router.post("/{object_id}/messages", summary="Send API (Messenger, Instagram DMs, private replies)")
async def send_message(request: Request, object_id: str) -> JSONResponse:
    if (refused := guard(request, object_id)) is not None:
        return refused
    body = await body_of(request)
    recipient = body.get("recipient") if isinstance(body.get("recipient"), dict) else {}
    if not recipient or not isinstance(body.get("message"), dict):
        return _error(400, 100, "(#100) The parameter recipient and message are required")
    mid = f"m_sandbox_{state(request).next_id():08d}"
    state(request).record("meta", "POST", request.url.path, body, result_id=mid, account=object_id)
    return _ok({"recipient_id": recipient.get("id") or f"psid-of-{recipient.get('comment_id')}", "message_id": mid}, object_id)


@router.post("/{object_id}", summary="Update a comment (hide / unhide)")
async def update_comment(request: Request, object_id: str) -> JSONResponse:
    if (refused := guard(request, object_id)) is not None:
        return refused
    body = await body_of(request)
    state(request).record("meta", "POST", request.url.path, body, result_id=object_id)
    return _ok({"success": True}, object_id)
