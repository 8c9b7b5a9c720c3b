"""Sending through the Graph API: Facebook comment replies, private replies, Messenger and Instagram DMs,
Instagram comment replies, hiding and unhiding comments (PLATFORMS.md 1a-1d), and Page posts (`POST
/{page-id}/feed`, a holding statement when a freeze is lifted).

Rate limits: HTTP 429 or codes 4/17/32/613/80000-80008; the pause is the largest
`estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`, else the default backoff."""

import json

import httpx
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand

from connectors.accounts.tokens import credential
from connectors.outbound import ids, windows
from connectors.outbound.context import Context, json_or_empty, thread_of
from connectors.outbound.errors import OutsideWindow, RateLimited, Rejected, Sent, Transient

RATE_LIMIT_CODES = {4, 17, 32, 613, 80000, 80001, 80002, 80003, 80004, 80005, 80006, 80008, 80014}
TRANSIENT_CODES = {1, 2}
TOKEN_CODES = {190, 102, 463, 467}
WINDOW_SUBCODES = {2018278, 2018108, 2534022}  # outside the allowed window / private reply already sent or expired


def regain_seconds(header: str | None) -> float | None:
    """Largest `estimated_time_to_regain_access` (minutes) in X-Business-Use-Case-Usage, in seconds."""
    try:
        usage = json.loads(header or "{}")
        minutes = [float(e.get("estimated_time_to_regain_access") or 0)
                   for entries in usage.values() for e in entries if isinstance(e, dict)]
    except (ValueError, AttributeError, TypeError):
        return None
    return max(minutes) * 60 if minutes and max(minutes) > 0 else None


def check(ctx: Context, response: httpx.Response) -> dict:
    """The JSON body of a successful call; otherwise raises the matching SendError."""
    body = json_or_empty(response)
    if response.is_success:
        return body
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    label = f"{code}" + (f"/{subcode}" if subcode else "") if code is not None else f"http_{response.status_code}"
    message = error.get("message") or response.text[:300] or response.reason_phrase
    if response.status_code == 429 or code in RATE_LIMIT_CODES:
        raise RateLimited(label, message, until=ctx.later(regain_seconds(response.headers.get("x-business-use-case-usage"))))
    if code in TOKEN_CODES or response.status_code == 401:
        raise Rejected(label, message, credentials=True)
    if subcode in WINDOW_SUBCODES:
        raise OutsideWindow(label, message)
    if code in TRANSIENT_CODES or error.get("is_transient") or response.status_code >= 500:
        raise Transient(label, message)
    raise Rejected(label, message)


async def _messages(ctx: Context, command: OutboundCommand, payload: dict) -> Sent:
    body = check(ctx, await _post(ctx, command, f"/{command.account_id}/messages", payload))
    return Sent(body.get("message_id"))


async def _post(ctx: Context, command: OutboundCommand, path: str, payload: dict) -> httpx.Response:
    token = await credential(ctx, "meta", command.account_id)
    if token is None:
        raise Rejected("no_credentials", f"no access token configured for account {command.account_id}", credentials=True)
    return await ctx.client.post(ctx.settings.meta_api_base_url.rstrip("/") + path, json=payload,
                                 headers={"Authorization": f"Bearer {token}"})


async def send(ctx: Context, command: OutboundCommand) -> Sent:
    action, channel = command.action, command.channel
    ids.meta_id(command.account_id, "account")
    target = command.target_id or thread_of(command.conversation_key)
    if action in (OutboundAction.HIDE_COMMENT, OutboundAction.UNHIDE_COMMENT) and channel is not Channel.MESSENGER:
        hidden = action is OutboundAction.HIDE_COMMENT
        field = "is_hidden" if channel is Channel.FACEBOOK else "hide"
        check(ctx, await _post(ctx, command, f"/{ids.meta_id(target, 'comment')}", {field: hidden}))
        return Sent(target)
    if action is OutboundAction.PUBLIC_REPLY and channel is not Channel.MESSENGER:
        edge = "comments" if channel is Channel.FACEBOOK else "replies"
        body = check(ctx, await _post(ctx, command, f"/{ids.meta_id(target, 'comment')}/{edge}",
                                      {"message": command.text or ""}))
        return Sent(body.get("id"))
    if action is OutboundAction.PRIVATE_REPLY and channel is not Channel.MESSENGER:
        ids.meta_id(target, "comment")
        windows.private_reply(await ctx.stores.ledger.last_inbound(command.conversation_key), ctx.now())
        # A visitor post (`<page>_<post>`) is answered privately by `post_id`, a comment by `comment_id`.
        is_post = channel is Channel.FACEBOOK and target.startswith(f"{command.account_id}_") and target.count("_") == 1
        recipient = {"post_id": target} if is_post else {"comment_id": target}
        return await _messages(ctx, command, {"recipient": recipient, "message": {"text": command.text or ""}})
    if action is OutboundAction.DIRECT_MESSAGE and channel is not Channel.FACEBOOK:
        recipient = ids.meta_id(command.recipient_id or thread_of(command.conversation_key).removeprefix("dm:"),
                                "recipient")
        last = await ctx.stores.ledger.last_inbound(command.conversation_key)
        delivery = windows.meta_message(last, ctx.now(), human_agent=command.human_agent)
        payload = {"recipient": {"id": recipient}, "messaging_type": delivery.messaging_type,
                   "message": {"text": command.text or ""}}
        if delivery.tag:
            payload["tag"] = delivery.tag
        return await _messages(ctx, command, payload)
    if action is OutboundAction.POST and channel is Channel.FACEBOOK:
        body = check(ctx, await _post(ctx, command, f"/{command.account_id}/feed", {"message": command.text or ""}))
        return Sent(body.get("id"))
    raise Rejected("unsupported_action", f"{action.value} is not possible on {channel.value}")
