"""Publishing what arrived: messages keyed by conversation, unparseable payloads to the dead-letter topic.

Every publish waits for Kafka's acknowledgement, bounded by a timeout, so a webhook can answer 5xx and let
the platform retry instead of losing the message."""

import asyncio
from collections.abc import Mapping, Sequence

from civic_contracts import InboundMessage
from civic_contracts.topics import DEAD_LETTER, MESSAGE_RECEIVED
from civic_eventing import BrokerKeeper, dead_letter


class PublishFailed(RuntimeError):
    """Kafka did not take the events in time; the platform must retry."""


class Publisher:
    def __init__(self, keeper: BrokerKeeper, *, timeout_seconds: float) -> None:
        self.keeper = keeper
        self.timeout_seconds = timeout_seconds

    async def _publish(self, *sends) -> None:
        if not self.keeper.connected.is_set():
            raise PublishFailed(f"Kafka is not connected ({self.keeper.last_error or 'connecting'})")
        try:
            await asyncio.wait_for(asyncio.gather(*sends), self.timeout_seconds)
        except Exception as exc:  # noqa: BLE001 - any failure means the platform must retry
            raise PublishFailed(f"{type(exc).__name__}: {exc}") from exc

    async def messages(self, messages: Sequence[InboundMessage]) -> None:
        broker = self.keeper.broker
        await self._publish(
            *(
                broker.publish(m, topic=MESSAGE_RECEIVED.name, key=m.conversation_key.encode())
                for m in messages
            )
        )

    async def unparseable(self, *, source: str, body: bytes, reason: str, headers: Mapping[str, str]) -> None:
        letter = dead_letter(
            service="connectors", source=source, payload=body, reason=reason, error_type="parse_error",
            headers=headers,
        )
        await self._publish(self.keeper.broker.publish(letter, topic=DEAD_LETTER.name, key=letter.id.encode()))
