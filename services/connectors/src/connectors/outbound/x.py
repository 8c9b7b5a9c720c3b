"""Sending on X: replies (`POST /2/tweets`), DMs (`POST /2/dm_conversations/with/:id/messages`) and hiding
replies (`PUT /2/tweets/:id/hidden`), with the account's OAuth 2.0 user token (PLATFORMS.md 2f-2g).

A 429 pauses the account until `x-rate-limit-reset` (epoch seconds)."""

from datetime import UTC, datetime

import httpx
from civic_contracts.outbound import OutboundAction, OutboundCommand

from connectors.accounts.tokens import credential
from connectors.outbound import ids
from connectors.outbound.context import Context, json_or_empty, thread_of
from connectors.outbound.errors import RateLimited, Rejected, Sent, Transient


def reset_time(ctx: Context, response: httpx.Response) -> datetime:
    try:
        return datetime.fromtimestamp(int(response.headers["x-rate-limit-reset"]) + 1, tz=UTC)
    except (KeyError, ValueError):
        return ctx.later()


def check(ctx: Context, response: httpx.Response) -> dict:
    body = json_or_empty(response)
    if response.is_success and not (body.get("errors") and not body.get("data")):
        return body
    errors = body.get("errors") if isinstance(body.get("errors"), list) else []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    kind = body.get("type") or first.get("type") or ""
    code = kind.rsplit("/", 1)[-1] or str(first.get("code") or f"http_{response.status_code}")
    message = body.get("detail") or first.get("message") or first.get("detail") or body.get("title") or response.reason_phrase
    if response.status_code == 429 or code in ("rate-limit-exceeded", "88"):
        raise RateLimited(code, message, until=reset_time(ctx, response))
    if response.status_code == 401:
        raise Rejected(code, message, credentials=True)
    if response.status_code >= 500:
        raise Transient(code, message)
    raise Rejected(code, message)


async def _call(ctx: Context, command: OutboundCommand, method: str, path: str, payload: dict) -> dict:
    token = await credential(ctx, "x", command.account_id)
    if token is None:
        raise Rejected("no_credentials", f"no X user token configured for account {command.account_id}", credentials=True)
    response = await ctx.client.request(method, ctx.settings.x_api_base_url.rstrip("/") + path, json=payload,
                                        headers={"Authorization": f"Bearer {token}"})
    return check(ctx, response)


async def send(ctx: Context, command: OutboundCommand) -> Sent:
    action = command.action
    ids.x_id(command.account_id, "account")
    if action is OutboundAction.PUBLIC_REPLY:
        target = ids.x_id(command.target_id or thread_of(command.conversation_key), "post to reply to")
        body = await _call(ctx, command, "POST", "/2/tweets",
                           {"text": command.text or "", "reply": {"in_reply_to_tweet_id": target}})
        return Sent((body.get("data") or {}).get("id"))
    if action in (OutboundAction.PRIVATE_REPLY, OutboundAction.DIRECT_MESSAGE):
        recipient = ids.x_id(command.recipient_id or thread_of(command.conversation_key).removeprefix("dm:"),
                             "DM recipient")
        body = await _call(ctx, command, "POST", f"/2/dm_conversations/with/{recipient}/messages",
                           {"text": command.text or ""})
        return Sent((body.get("data") or {}).get("dm_event_id"))
    if action is OutboundAction.POST:  # a post of the account's own (a holding statement)
        body = await _call(ctx, command, "POST", "/2/tweets", {"text": command.text or ""})
        return Sent((body.get("data") or {}).get("id"))
    if action in (OutboundAction.HIDE_COMMENT, OutboundAction.UNHIDE_COMMENT) and command.target_id:
        await _call(ctx, command, "PUT", f"/2/tweets/{ids.x_id(command.target_id, 'post to hide')}/hidden",
                    {"hidden": action is OutboundAction.HIDE_COMMENT})
        return Sent(command.target_id)
    raise Rejected("unsupported_action", f"{action.value} is not possible on x without a target")
