"""YouTube Data API v3 stand-in: commentThreads.list (order=time, pageToken), comments.insert,
comments.setModerationStatus; errors in Google's shape (quotaExceeded, rateLimitExceeded, authError)."""

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from sandbox.platforms import bearer, body_of, state

router = APIRouter(prefix="/youtube/youtube/v3", tags=["youtube stand-in"])


def _error(status: int, reason: str, message: str, domain: str = "youtube.api") -> JSONResponse:
    return JSONResponse({"error": {"code": status, "message": message,
                                   "errors": [{"message": message, "domain": domain, "reason": reason}]}},
                        status_code=status)


def guard(request: Request, *, api_key_ok: bool) -> JSONResponse | None:
    if not bearer(request) and not (api_key_ok and request.query_params.get("key")):
        return _error(401, "authError", "Request had invalid authentication credentials.", "global")
    fault = state(request).take_fault("youtube", request.url.path)
    if fault is None:
        return None
    if fault.kind == "quota":
        return _error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.",
                      "youtube.quota")
    if fault.kind == "rate_limit":
        return _error(429, "rateLimitExceeded", "The request could not be completed due to rate limiting.")
    if fault.kind == "token_expired":
        return _error(401, "authError", "Request had invalid authentication credentials.", "global")
    return _error(503, "backendError", "The service is currently unavailable.")


@router.get("/commentThreads", summary="commentThreads.list")
async def comment_threads(
    request: Request, part: str, allThreadsRelatedToChannelId: str | None = None,  # noqa: N803 - the API's names
    maxResults: int = Query(default=20, ge=1, le=100), pageToken: str | None = None,  # noqa: N803
    order: str = "time",
) -> JSONResponse:
    if (refused := guard(request, api_key_ok=True)) is not None:
        return refused
    threads = list(reversed(state(request).threads.get(allThreadsRelatedToChannelId or "", [])))
    start = int(pageToken) if pageToken and pageToken.isdigit() else 0
    page = threads[start:start + maxResults]
    body: dict = {"kind": "youtube#commentThreadListResponse", "pageInfo": {"totalResults": len(page),
                                                                             "resultsPerPage": maxResults},
                  "items": page if "replies" in part else [{k: v for k, v in t.items() if k != "replies"} for t in page]}
    if start + maxResults < len(threads):
        body["nextPageToken"] = str(start + maxResults)
    return JSONResponse(body)


@router.post("/comments", summary="comments.insert (a reply)")
async def insert_comment(request: Request) -> JSONResponse:
    if (refused := guard(request, api_key_ok=False)) is not None:
        return refused
    body = await body_of(request)
    snippet = body.get("snippet") if isinstance(body.get("snippet"), dict) else {}
    if not snippet.get("parentId"):
        return _error(400, "parentIdMissing", "No parent ID was specified for the comment.")
    if not snippet.get("textOriginal"):
        return _error(400, "commentTextRequired", "The comment resource must contain the textOriginal property.")
    comment_id = f"{snippet['parentId']}.sandbox{state(request).next_id():06d}"
    state(request).record("youtube", "POST", request.url.path, body, result_id=comment_id)
    return JSONResponse({"kind": "youtube#comment", "id": comment_id, "snippet": {**snippet, "likeCount": 0}})


@router.post("/comments/setModerationStatus", summary="comments.setModerationStatus")
async def moderate(request: Request, id: str, moderationStatus: str) -> Response:  # noqa: A002, N803
    if (refused := guard(request, api_key_ok=False)) is not None:
        return refused
    state(request).record("youtube", "POST", request.url.path, {"id": id, "moderationStatus": moderationStatus},
                          result_id=id)
    return Response(status_code=204)
