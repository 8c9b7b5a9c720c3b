"""Answering a web-form (Open311) request: the reply becomes the request's `status_notes`, which the citizen
(or the client app that submitted it) reads at `GET /open311/v2/requests/{id}.json`."""

from civic_contracts.outbound import OutboundAction, OutboundCommand

from connectors.outbound.context import Context, thread_of
from connectors.outbound.errors import Rejected, Sent


async def send(ctx: Context, command: OutboundCommand) -> Sent:
    if command.action not in (OutboundAction.DIRECT_MESSAGE, OutboundAction.PUBLIC_REPLY, OutboundAction.PRIVATE_REPLY):
        raise Rejected("unsupported_action", f"{command.action.value} is not possible on webform")
    request_id = command.target_id or thread_of(command.conversation_key)
    if not await ctx.stores.requests.add_note(request_id, command.text or ""):
        raise Rejected("unknown_request", f"no service request {request_id}")
    return Sent(f"{request_id}#{command.id}")
