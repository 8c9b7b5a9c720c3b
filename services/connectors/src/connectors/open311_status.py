"""An Open311 request's status follows its conversation, and the citizen hears of a change by email.

How the connectors learn a conversation's status: they consume `conversation.event.v1` (every event carries
the conversation's status after it) and update the request by `_id`. Reading the conversation from
responder's store when a request is fetched was the alternative; it is not chosen because `GET requests` with
`status=closed` filters on the status, which then would need a join with every conversation in the window,
and because the citizen's email on a change needs something to notice the change as it happens. The event
consumer costs one read by `_id` per event of a web-form conversation (others are skipped by their Kafka key
without parsing) and a write only when something changed.

Mapping: a conversation `resolved` or `closed` makes the request `closed`; any other status (reopened by a
new message, for example) makes it `open` again. The note is the organisation's public reply, which the
web-form sender writes into `status_notes` when the reply is sent (`outbound/webform.py`); private notes
that come with resolve or close are never shown. A change is emailed (through Mailgun) to a citizen who gave
an address; a failed send leaves the notice pending and raises, so the consumer retries and finally
dead-letters the event, which carries no citizen text."""

import logging

from civic_contracts import ConversationEvent

from connectors.outbound import email as mailgun
from connectors.outbound.context import Context

log = logging.getLogger(__name__)
FINISHED = ("resolved", "closed")


def open311_status(conversation_status: str) -> str:
    return "closed" if conversation_status in FINISHED else "open"


def request_id_of(conversation_key: str | None, jurisdiction: str) -> str | None:
    """The request id of one of our web-form conversations (`webform:<jurisdiction>:<id>`), else None."""
    prefix = f"webform:{jurisdiction}:"
    if not conversation_key or not conversation_key.startswith(prefix):
        return None
    return conversation_key[len(prefix):] or None


def notice_text(doc: dict, *, status: str) -> tuple[str, str]:
    """Subject and plain text of the email telling the citizen their request changed status."""
    reference, service = doc["_id"], doc.get("service_name") or "your report"
    if status == "closed":
        subject = f"Your report {reference} has been closed"
        lines = [f"Your report to us about {service.lower()} (reference {reference}) has been closed."]
        if doc.get("status_notes"):
            lines += ["", "Our answer:", doc["status_notes"]]
    else:
        subject = f"Your report {reference} is open again"
        lines = [f"Your report to us about {service.lower()} (reference {reference}) is open again; "
                 "we will be in touch."]
    lines += ["", "Quote the reference if you contact us about it. This message was sent automatically."]
    return subject, "\n".join(lines)


class StatusFollower:
    """Consumes conversation events for web-form conversations (see the module's description)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def wants(self, key: bytes | None) -> bool:
        """Cheap pre-filter on the Kafka key (the conversation key), before any parsing."""
        jurisdiction = self.ctx.settings.open311_jurisdiction_id
        return key is None or key.startswith(f"webform:{jurisdiction}:".encode())

    async def on_event(self, event: ConversationEvent) -> None:
        request_id = request_id_of(event.conversation_key, self.ctx.settings.open311_jurisdiction_id)
        if request_id is None or event.status is None:
            return
        doc = await self.ctx.stores.requests.follow(
            request_id, status=open311_status(event.status), conversation_status=event.status,
            department=event.department, at=event.at, notice_id=event.id)
        if doc is not None and doc.get("pending_notice"):
            await self.notify(doc)

    async def notify(self, doc: dict) -> None:
        notice = doc["pending_notice"]
        sender = self.ctx.settings.open311_notify_from or next(iter(self.ctx.settings.email_mailboxes), None)
        if sender is None or self.ctx.settings.mailgun_api_key is None:
            log.warning("open311: no mailbox or Mailgun key to tell citizens of status changes; notice %s dropped",
                        notice["id"])
            await self.ctx.stores.requests.notice_sent(doc["_id"], notice["id"])
            return
        subject, text = notice_text(doc, status=notice["status"])
        await mailgun.send_notice(self.ctx, sender=sender, to=doc["email"], subject=subject, text=text)
        await self.ctx.stores.requests.notice_sent(doc["_id"], notice["id"])
        log.info("open311: request status %s emailed (notice %s)", notice["status"], notice["id"])
