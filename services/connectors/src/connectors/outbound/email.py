"""Sending email replies through Mailgun (`POST /v3/{domain}/messages`), threaded per RFC 5322: the reply
carries `In-Reply-To` and `References` built from the stored headers of the message it answers, comes from
the mailbox the citizen wrote to, and is titled `Re: <subject>`."""

import httpx
from civic_contracts.outbound import OutboundAction, OutboundCommand

from connectors.outbound import ids
from connectors.outbound.context import Context, json_or_empty, thread_of
from connectors.outbound.errors import RateLimited, Rejected, Sent, Transient
from connectors.platforms.email import reply_headers


def check(ctx: Context, response: httpx.Response) -> dict:
    body = json_or_empty(response)
    if response.is_success:
        return body
    code, message = f"http_{response.status_code}", body.get("message") or response.text[:300] or response.reason_phrase
    if response.status_code == 429:
        raise RateLimited(code, message, until=ctx.later())
    if response.status_code == 401:
        raise Rejected(code, message, credentials=True)
    if response.status_code >= 500:
        raise Transient(code, message)
    raise Rejected(code, message)


async def send(ctx: Context, command: OutboundCommand) -> Sent:
    settings = ctx.settings
    if command.action not in (OutboundAction.DIRECT_MESSAGE, OutboundAction.PUBLIC_REPLY, OutboundAction.PRIVATE_REPLY):
        raise Rejected("unsupported_action", f"{command.action.value} is not possible on email")
    if settings.mailgun_api_key is None:
        raise Rejected("no_credentials", "no Mailgun API key configured", credentials=True)
    ids.email_address(command.account_id, "mailbox")
    emails = ctx.stores.emails
    parent = (await emails.get(command.target_id) if command.target_id else None) or \
        await emails.get(thread_of(command.conversation_key))
    recipient = command.recipient_id or (parent.sender if parent else None)
    if not recipient:
        raise Rejected("no_recipient", "neither a recipient nor the message answered is known")
    form = {"from": command.account_id, "to": ids.email_address(recipient, "recipient"), "text": command.text or ""}
    if parent is not None:
        headers = reply_headers(parent, command.subject)
        form.update({"subject": headers["Subject"], "h:In-Reply-To": headers["In-Reply-To"],
                     "h:References": headers["References"]})
    else:
        form["subject"] = command.subject or "Your message to us"
    domain = ids.mailgun_domain(settings.mailgun_domain or command.account_id.rsplit("@", 1)[-1])
    response = await ctx.client.post(f"{settings.mailgun_api_base_url.rstrip('/')}/v3/{domain}/messages", data=form,
                                     auth=("api", settings.mailgun_api_key.get_secret_value()))
    return Sent((check(ctx, response).get("id") or "").strip("<>") or None)


async def send_notice(ctx: Context, *, sender: str, to: str, subject: str, text: str) -> str | None:
    """An automatic message to a citizen (an Open311 request's status changed), from `sender`; the Mailgun id.
    Raises the SendError of a refusal (rate limit, bad key, server error)."""
    settings = ctx.settings
    if settings.mailgun_api_key is None:
        raise Rejected("no_credentials", "no Mailgun API key configured", credentials=True)
    domain = settings.mailgun_domain or sender.rsplit("@", 1)[-1]
    form = {"from": sender, "to": to, "subject": subject, "text": text, "h:Auto-Submitted": "auto-generated"}
    response = await ctx.client.post(f"{settings.mailgun_api_base_url.rstrip('/')}/v3/{domain}/messages", data=form,
                                     auth=("api", settings.mailgun_api_key.get_secret_value()))
    return (check(ctx, response).get("id") or "").strip("<>") or None
