"""`GET /live/events`: the server-sent event stream of conversation events the signed-in person may see."""

import asyncio
import json
from collections.abc import AsyncIterator

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

from inbox.auth.deps import current_principal
from inbox.auth.principal import Principal
from inbox.web.live import LiveHub
from inbox.web.phrases import said
from inbox.web.session import WebPrincipal

router = APIRouter(include_in_schema=False)
SESSION_RECHECK_SECONDS = 60.0


async def still_signed_in(request: Request) -> bool:
    """The stream's credentials (session cookie or bearer token) still sign someone in: not signed out,
    revoked or expired."""
    try:
        await current_principal(request)
    except HTTPException:
        return False
    return True


async def stream(request: Request, hub: LiveHub, principal: Principal, after: int | None) -> AsyncIterator[str]:
    heartbeat = request.app.state.web_settings.heartbeat_seconds
    sub = hub.subscribe(after)
    loop = asyncio.get_running_loop()
    recheck_at = loop.time() + SESSION_RECHECK_SECONDS
    try:
        yield f"retry: 3000\nevent: hello\ndata: {json.dumps({'seq': hub.seq})}\n\n"
        while not sub.overflowed:
            if loop.time() >= recheck_at:
                if not await still_signed_in(request):
                    yield "event: signed-out\ndata: {}\n\n"
                    return
                recheck_at = loop.time() + SESSION_RECHECK_SECONDS
            try:
                event = await asyncio.wait_for(sub.queue.get(), timeout=heartbeat)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            if event is None:  # the server is stopping
                return
            if not await hub.visible(principal, event):
                continue
            data = json.dumps({**event.body, "summary": said(event.body), "seq": event.seq}, separators=(",", ":"))
            yield f"id: {hub.event_id(event)}\nevent: conversation\ndata: {data}\n\n"
    finally:
        hub.unsubscribe(sub)


@router.get("/live/events")
async def live_events(request: Request, principal: WebPrincipal, after: int | None = None) -> Response:
    hub: LiveHub | None = getattr(request.app.state, "live", None)
    if hub is None:
        return JSONResponse({"detail": "live updates are off"}, status_code=404)
    resumed = hub.parse_event_id(request.headers.get("last-event-id"))
    start = resumed if resumed is not None else after
    if start is not None and (start < 0 or start > hub.seq):
        start = None
    return StreamingResponse(stream(request, hub, principal, start), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
