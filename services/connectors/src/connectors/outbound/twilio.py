"""Sending SMS and WhatsApp through Twilio's Messages API (PLATFORMS.md 4). WhatsApp free-form text only
within 24 hours of the person's last message, else an approved template (`ContentSid`); Twilio's own 63016
refusal is reported the same way. 429 / 20429 pause the account for the default backoff."""

import httpx
from civic_contracts import Channel
from civic_contracts.outbound import OutboundAction, OutboundCommand

from connectors.outbound import ids, windows
from connectors.outbound.context import Context, json_or_empty, thread_of
from connectors.outbound.errors import OutsideWindow, RateLimited, Rejected, Sent, Transient


def check(ctx: Context, response: httpx.Response) -> dict:
    body = json_or_empty(response)
    if response.is_success:
        return body
    code = str(body.get("code") or f"http_{response.status_code}")
    message = body.get("message") or response.reason_phrase
    if response.status_code == 429 or code == "20429":
        raise RateLimited(code, message, until=ctx.later())
    if response.status_code == 401 or code == "20003":
        raise Rejected(code, message, credentials=True)
    if code == "63016":
        raise OutsideWindow(code, message)
    if response.status_code >= 500:
        raise Transient(code, message)
    raise Rejected(code, message)


async def send(ctx: Context, command: OutboundCommand) -> Sent:
    settings = ctx.settings
    if command.action not in (OutboundAction.DIRECT_MESSAGE, OutboundAction.PUBLIC_REPLY, OutboundAction.PRIVATE_REPLY):
        raise Rejected("unsupported_action", f"{command.action.value} is not possible on {command.channel.value}")
    if not settings.twilio_account_sid or settings.twilio_auth_token is None:
        raise Rejected("no_credentials", "no Twilio account configured", credentials=True)
    prefix = "whatsapp:" if command.channel is Channel.WHATSAPP else ""
    recipient = ids.twilio_number(command.recipient_id or thread_of(command.conversation_key), "recipient")
    form = {"To": prefix + recipient, "From": prefix + ids.twilio_number(command.account_id, "sending number")}
    if command.channel is Channel.WHATSAPP:
        last = await ctx.stores.ledger.last_inbound(command.conversation_key)
        template = windows.whatsapp(last, ctx.now(), template=command.template)
        form.update({"ContentSid": template} if template else {"Body": command.text or ""})
    else:
        form["Body"] = command.text or ""
    sid = ids.twilio_account_sid(settings.twilio_account_sid)
    url = f"{settings.twilio_api_base_url.rstrip('/')}/2010-04-01/Accounts/{sid}/Messages.json"
    response = await ctx.client.post(url, data=form,
                                     auth=(settings.twilio_account_sid, settings.twilio_auth_token.get_secret_value()))
    return Sent(check(ctx, response).get("sid"))
