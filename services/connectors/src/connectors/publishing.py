"""Publishing what arrived: messages keyed by conversation, unparseable payloads to the dead-letter topic; and
what happened: reply statuses and channel health.

Every publish waits for Kafka's acknowledgement, bounded by a timeout, so a webhook can answer 5xx and let
the platform retry instead of losing the message. The records of one call are all handed to the producer
first and their acknowledgements awaited after, so they travel in one batch (and concurrent webhooks share
batches) rather than one round trip each."""

import asyncio
from collections.abc import Coroutine, Mapping, Sequence
from typing import Any

from civic_contracts import InboundMessage
from civic_contracts.outbound import ChannelHealth, ReplyStatus
from civic_contracts.topics import CHANNEL_HEALTH, DEAD_LETTER, MESSAGE_RECEIVED, REPLY_STATUS
from civic_eventing import BrokerKeeper, dead_letter

from connectors.trace_ids import with_trace_id

Send = Coroutine[Any, Any, Any]  # `broker.publish(..., no_confirm=True)`: hands the record over, returns its ack


class PublishFailed(RuntimeError):
    """Kafka did not take the events in time; the platform must retry."""


class Publisher:
    def __init__(self, keeper: BrokerKeeper, *, timeout_seconds: float) -> None:
        self.keeper = keeper
        self.timeout_seconds = timeout_seconds

    async def _publish(self, *sends: Send) -> None:
        """Hand every record to the producer, then wait for each acknowledgement, all within the timeout."""
        pending = list(sends)
        if not self.keeper.connected.is_set():
            for send in pending:
                send.close()  # never awaited: close the coroutine so nothing warns
            raise PublishFailed(f"Kafka is not connected ({self.keeper.last_error or 'connecting'})")
        try:
            async with asyncio.timeout(self.timeout_seconds):
                acks = []
                while pending:
                    acks.append(await pending.pop(0))
                for ack in acks:
                    await ack
        except Exception as exc:  # noqa: BLE001 - any failure means the platform must retry
            for send in pending:
                send.close()
            raise PublishFailed(f"{type(exc).__name__}: {exc}") from exc

    async def messages(self, messages: Sequence[InboundMessage]) -> None:
        broker = self.keeper.broker
        messages = with_trace_id(messages)
        await self._publish(
            *(
                # The message id doubles as the correlation id (stable, and no random id to draw per record).
                broker.publish(m, topic=MESSAGE_RECEIVED.name, key=m.conversation_key.encode(), correlation_id=m.id,
                               no_confirm=True)
                for m in messages
            )
        )

    async def unparseable(self, *, source: str, body: bytes, reason: str, headers: Mapping[str, str]) -> None:
        letter = dead_letter(
            service="connectors", source=source, payload=body, reason=reason, error_type="parse_error",
            headers=headers,
        )
        await self._publish(self.keeper.broker.publish(letter, topic=DEAD_LETTER.name, key=letter.id.encode(),
                                                       correlation_id=letter.id, no_confirm=True))

    async def status(self, status: ReplyStatus) -> None:
        await self._publish(
            self.keeper.broker.publish(status, topic=REPLY_STATUS.name, key=status.conversation_key.encode(),
                                       no_confirm=True)
        )

    async def health(self, health: ChannelHealth) -> None:
        key = f"{health.channel.value}:{health.account_id}".encode()
        await self._publish(self.keeper.broker.publish(health, topic=CHANNEL_HEALTH.name, key=key, no_confirm=True))
