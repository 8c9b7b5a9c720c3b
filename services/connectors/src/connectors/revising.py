"""Publishing the edits and deletions platforms report (`message.revised.v1`), keyed by conversation, each
waiting for Kafka's acknowledgement (bounded), so a webhook answers 5xx and the platform retries when Kafka does
not take them. Before publishing, each change is filed under the conversation the ledger says its message is in
(a comment on a visitor post lives in the post's conversation), best effort."""

import asyncio
import logging
from collections.abc import Sequence

import pymongo
from civic_contracts import MessageRevision
from civic_contracts.topics import MESSAGE_REVISED
from civic_eventing import BrokerKeeper

from connectors.publishing import PublishFailed
from connectors.trace_ids import current_trace_id

log = logging.getLogger(__name__)
LOOKUP_SECONDS = 1.0


class RevisionPublisher:
    def __init__(self, keeper: BrokerKeeper, *, timeout_seconds: float) -> None:
        self.keeper = keeper
        self.timeout_seconds = timeout_seconds

    async def revisions(self, revisions: Sequence[MessageRevision]) -> None:
        if not revisions:
            return
        if not self.keeper.connected.is_set():
            raise PublishFailed(f"Kafka is not connected ({self.keeper.last_error or 'connecting'})")
        trace_id = current_trace_id()
        broker = self.keeper.broker
        sends = [broker.publish(r if r.trace_id or trace_id is None else r.model_copy(update={"trace_id": trace_id}),
                                topic=MESSAGE_REVISED.name, key=r.conversation_key.encode()) for r in revisions]
        try:
            await asyncio.wait_for(asyncio.gather(*sends), self.timeout_seconds)
        except Exception as exc:  # noqa: BLE001 - any failure means the platform must retry
            raise PublishFailed(f"{type(exc).__name__}: {exc}") from exc


async def located(ledger, revisions: Sequence[MessageRevision]) -> list[MessageRevision]:
    """The revisions, each keyed by the conversation the ledger knows its message in (else as parsed)."""
    out = []
    for r in revisions:
        try:  # bounded: platforms want an answer within seconds, even with MongoDB away
            with pymongo.timeout(LOOKUP_SECONDS):
                key = await ledger.conversation_of(r.channel.value, r.account_id, r.platform_message_id)
        except Exception as exc:  # noqa: BLE001 - finding the thread is an improvement, never a reason to refuse
            log.warning("revisions: thread lookup failed, keeping the parsed conversation: %s", exc)
            key = None
        if key and key != r.conversation_key:
            update: dict = {"conversation_key": key}
            if r.message is not None:
                update["message"] = r.message.model_copy(update={"conversation_key": key})
            r = r.model_copy(update=update)
        out.append(r)
    return out


async def publish(request, revisions: Sequence[MessageRevision]) -> None:
    """Files and publishes a delivery's revisions (raises PublishFailed for the route to answer 503)."""
    if revisions:
        await request.app.state.revisions.revisions(await located(request.app.state.stores.ledger, revisions))
