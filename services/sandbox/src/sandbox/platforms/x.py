"""X API v2 stand-in: mentions timeline (since_id + pagination_token), posts (replies), DMs, hide replies.
Every answer carries `x-rate-limit-*` headers; a rate-limit fault answers 429 with the reset time."""

import time

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from sandbox.platforms import bearer, body_of, state

router = APIRouter(prefix="/x/2", tags=["x stand-in"])
LIMIT = 450


def _headers(remaining: int = LIMIT - 1, reset_in: int = 900) -> dict[str, str]:
    return {"x-rate-limit-limit": str(LIMIT), "x-rate-limit-remaining": str(remaining),
            "x-rate-limit-reset": str(int(time.time()) + reset_in)}


def _problem(status: int, title: str, detail: str, kind: str = "about:blank", headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"title": title, "detail": detail, "type": kind, "status": status}, status_code=status,
                        headers=headers or _headers())


def guard(request: Request) -> JSONResponse | None:
    if not bearer(request):
        return _problem(401, "Unauthorized", "Unauthorized")
    fault = state(request).take_fault("x", request.url.path)
    if fault is None:
        return None
    if fault.kind == "rate_limit":
        return _problem(429, "Too Many Requests", "Too Many Requests",
                        "https://api.x.com/2/problems/rate-limit-exceeded",
                        headers=_headers(0, fault.retry_after_seconds))
    if fault.kind == "token_expired":
        return _problem(401, "Unauthorized", "Unauthorized")
    return _problem(503, "Service Unavailable", "Service Unavailable")


@router.get("/users/{user_id}/mentions", summary="Mentions of a user, newest first")
async def mentions(
    request: Request, user_id: str, since_id: str | None = None, until_id: str | None = None,
    max_results: int = Query(default=10, ge=5, le=100), pagination_token: str | None = None,
) -> JSONResponse:
    if (refused := guard(request)) is not None:
        return refused
    posts = [p for p in reversed(state(request).mentions.get(user_id, []))
             if (since_id is None or int(p["id"]) > int(since_id)) and (until_id is None or int(p["id"]) < int(until_id))]
    start = int(pagination_token) if pagination_token and pagination_token.isdigit() else 0
    page = posts[start:start + max_results]
    meta: dict = {"result_count": len(page)}
    if page:
        meta.update(newest_id=page[0]["id"], oldest_id=page[-1]["id"])
    if start + max_results < len(posts):
        meta["next_token"] = str(start + max_results)
    body: dict = {"meta": meta}
    if page:
        users = state(request).users
        body["data"] = page
        body["includes"] = {"users": [users[a] for a in dict.fromkeys(p["author_id"] for p in page) if a in users]}
    return JSONResponse(body, headers=_headers())


@router.post("/tweets", summary="Create a post (a reply)")
async def create_post(request: Request) -> JSONResponse:
    if (refused := guard(request)) is not None:
        return refused
    body = await body_of(request)
    if not body.get("text"):
        return _problem(400, "Invalid Request", "One or more parameters to your request was invalid.",
                        "https://api.x.com/2/problems/invalid-request")
    post_id = str(1_900_000_000_000_000_000 + state(request).next_id())
    state(request).record("x", "POST", request.url.path, body, result_id=post_id)
    return JSONResponse({"data": {"id": post_id, "text": body["text"], "edit_history_tweet_ids": [post_id]}},
                        status_code=201, headers=_headers())


@router.post("/dm_conversations/with/{participant_id}/messages", summary="Send a DM")
async def send_dm(request: Request, participant_id: str) -> JSONResponse:
    if (refused := guard(request)) is not None:
        return refused
    body = await body_of(request)
    event_id = str(1_800_000_000_000_000_000 + state(request).next_id())
    state(request).record("x", "POST", request.url.path, body, result_id=event_id, account=participant_id)
    return JSONResponse({"data": {"dm_conversation_id": f"{participant_id}-sandbox", "dm_event_id": event_id}},
                        status_code=201, headers=_headers())


@router.put("/tweets/{post_id}/hidden", summary="Hide or unhide a reply")
async def hide(request: Request, post_id: str) -> JSONResponse:
    if (refused := guard(request)) is not None:
        return refused
    body = await body_of(request)
    state(request).record("x", "PUT", request.url.path, body, result_id=post_id)
    return JSONResponse({"data": {"hidden": bool(body.get("hidden"))}}, headers=_headers())
