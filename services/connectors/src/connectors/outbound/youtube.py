"""Sending on YouTube: replies with `comments.insert`, hiding with `comments.setModerationStatus`
(heldForReview; unhide: published), with the channel's OAuth token (PLATFORMS.md 3).

`quotaExceeded` pauses the channel until the quota resets (midnight Pacific time); `rateLimitExceeded`
and `userRateLimitExceeded` (or HTTP 429) pause it for the default backoff."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from civic_contracts.outbound import OutboundAction, OutboundCommand

from connectors.accounts.tokens import credential
from connectors.outbound import ids
from connectors.outbound.context import Context, json_or_empty, thread_of
from connectors.outbound.errors import RateLimited, Rejected, Sent, Transient

PACIFIC = ZoneInfo("America/Los_Angeles")


def quota_reset(now: datetime) -> datetime:
    """The next midnight in Pacific time, when YouTube's daily quota resets."""
    local = now.astimezone(PACIFIC)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def check(ctx: Context, response: httpx.Response) -> dict:
    body = json_or_empty(response)
    if response.is_success:
        return body
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    reasons = [e.get("reason") for e in error.get("errors") or [] if isinstance(e, dict)]
    reason = reasons[0] if reasons else f"http_{response.status_code}"
    message = error.get("message") or response.reason_phrase
    if "quotaExceeded" in reasons:
        raise RateLimited(reason, message, until=quota_reset(ctx.now()))
    if response.status_code == 429 or {"rateLimitExceeded", "userRateLimitExceeded"} & set(reasons):
        raise RateLimited(reason, message, until=ctx.later())
    if response.status_code == 401:
        raise Rejected(reason, message, credentials=True)
    if response.status_code >= 500:
        raise Transient(reason, message)
    raise Rejected(reason, message)


async def send(ctx: Context, command: OutboundCommand) -> Sent:
    token = await credential(ctx, "youtube", command.account_id)
    if token is None:
        raise Rejected("no_credentials", f"no YouTube token configured for channel {command.account_id}", credentials=True)
    base = ctx.settings.youtube_api_base_url.rstrip("/") + "/youtube/v3"
    headers = {"Authorization": f"Bearer {token}"}
    if command.action is OutboundAction.PUBLIC_REPLY:
        # Replies attach to the top-level comment, which names the thread.
        parent = ids.youtube_id(thread_of(command.conversation_key), "comment to reply to")
        response = await ctx.client.post(f"{base}/comments", params={"part": "snippet"}, headers=headers,
                                         json={"snippet": {"parentId": parent, "textOriginal": command.text or ""}})
        return Sent(check(ctx, response).get("id"))
    if command.action in (OutboundAction.HIDE_COMMENT, OutboundAction.UNHIDE_COMMENT) and command.target_id:
        status = "heldForReview" if command.action is OutboundAction.HIDE_COMMENT else "published"
        response = await ctx.client.post(f"{base}/comments/setModerationStatus", headers=headers,
                                         params={"id": ids.youtube_id(command.target_id, "comment"),
                                                 "moderationStatus": status})
        check(ctx, response)
        return Sent(command.target_id)
    raise Rejected("unsupported_action", f"{command.action.value} is not possible on youtube")
