"""Where a reply goes: which platform action, from which account, to which message or person. Also the
private thread of an offline handover and its case reference."""

import re
from dataclasses import dataclass

from civic_contracts.outbound import OutboundAction
from civic_contracts.people import normalise_contact

PUBLIC_KINDS = ("public_comment",)
# Public channel -> the private channel its private replies open on (and which the citizen answers on).
PRIVATE_REPLY_CHANNEL = {"facebook": "messenger", "instagram": "instagram", "x": "x"}
CONTACT_CHANNELS = ("email", "sms", "whatsapp")


class DeliveryError(ValueError):
    """The reply or handover cannot be delivered as asked."""


@dataclass(frozen=True)
class Delivery:
    channel: str  # the outbound topic's channel
    account_id: str
    action: OutboundAction
    target_id: str | None
    recipient_id: str | None
    private_channel: str | None = None  # where the citizen's answer will arrive (private threads)

    @property
    def public(self) -> bool:
        return self.action == OutboundAction.PUBLIC_REPLY


def reply_delivery(conversation: dict, last_inbound: dict | None, *, private: bool, account_id: str | None) -> Delivery:
    """How to answer the conversation: in public, privately from a public comment, or in its private thread."""
    channel = conversation.get("channel")
    if not channel:
        raise DeliveryError("the conversation has no channel yet")
    account = account_id or conversation.get("account_id")
    author = (conversation.get("author") or {}).get("platform_id")
    target = (last_inbound or {}).get("platform_message_id")
    if conversation.get("kind") in PUBLIC_KINDS:
        if not private:
            return Delivery(channel, account, OutboundAction.PUBLIC_REPLY, target, None)
        if channel not in PRIVATE_REPLY_CHANNEL:
            raise DeliveryError(f"{channel} has no private replies to public comments")
        return Delivery(channel, account, OutboundAction.PRIVATE_REPLY, target, author, PRIVATE_REPLY_CHANNEL[channel])
    return Delivery(channel, account, OutboundAction.DIRECT_MESSAGE, target, author)


def private_thread(
    conversation: dict, last_inbound: dict | None, *, private_channel: str, contact: str | None,
    default_account: str | None,
) -> Delivery:
    """The opening message of a handover's private thread."""
    channel = conversation.get("channel")
    if private_channel in CONTACT_CHANNELS:
        if not contact:
            raise DeliveryError(f"a handover to {private_channel} needs the citizen's contact")
        if not default_account:
            raise DeliveryError(f"no official {private_channel} account is configured")
        return Delivery(private_channel, default_account, OutboundAction.DIRECT_MESSAGE, None,
                        normalise_contact(contact), private_channel)
    if conversation.get("kind") not in PUBLIC_KINDS:
        raise DeliveryError("the conversation is already private: hand over to email, SMS or WhatsApp instead")
    if PRIVATE_REPLY_CHANNEL.get(channel) != private_channel:
        raise DeliveryError(f"a {channel} comment cannot be answered privately on {private_channel}")
    return reply_delivery(conversation, last_inbound, private=True, account_id=None)


def case_reference(prefix: str, year: int, seq: int) -> str:
    """Human-friendly and unique: `CI-2026-000123`."""
    return f"{prefix}-{year}-{seq:06d}"


def find_case_reference(prefix: str, text: str) -> str | None:
    found = re.search(rf"\b{re.escape(prefix)}-\d{{4}}-\d{{6}}\b", text, re.IGNORECASE)
    return found.group(0).upper() if found else None
