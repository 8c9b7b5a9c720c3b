"""The publisher a webhook answers through: every record of a delivery is handed to the producer before any
acknowledgement is awaited (so they share a batch), and the webhook is refused (PublishFailed -> 503) unless
Kafka acknowledges every record within the timeout. The broker is a stand-in that resolves acks on demand."""

import asyncio
import warnings
from datetime import UTC, datetime

import pytest
from civic_contracts import Author, Channel, InboundMessage, MessageKind
from connectors.publishing import Publisher, PublishFailed


class Broker:
    """Hands back one ack future per record, resolved (or failed) only when the test says so."""

    def __init__(self) -> None:
        self.handed: list[dict] = []
        self.acks: list[asyncio.Future] = []
        self.refuse_at: int | None = None
        self.changed = asyncio.Event()

    async def handed_over(self, count: int) -> None:
        while len(self.acks) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 2)

    async def publish(self, message, *, topic: str, key: bytes, no_confirm: bool = False, correlation_id=None):
        assert no_confirm, "the publisher must not wait for each ack while handing records over"
        if self.refuse_at is not None and len(self.handed) == self.refuse_at:
            raise RuntimeError("producer buffer closed")
        self.handed.append({"topic": topic, "key": key, "id": correlation_id, "acked_before": sum(f.done() for f in self.acks)})
        ack = asyncio.get_running_loop().create_future()
        self.acks.append(ack)
        self.changed.set()
        return ack


class Keeper:
    def __init__(self, broker: Broker, *, connected: bool = True) -> None:
        self.broker = broker
        self.connected = asyncio.Event()
        self.last_error = None
        if connected:
            self.connected.set()


def message(n: int) -> InboundMessage:
    now = datetime.now(UTC)
    return InboundMessage(id=f"facebook:1:c{n}", channel=Channel.FACEBOOK, account_id="1", platform_message_id=f"c{n}",
                          conversation_key=f"facebook:1:t{n % 2}", kind=MessageKind.PUBLIC_COMMENT,
                          author=Author(platform_id="p"), text="hello", sent_at=now, received_at=now, raw_payload="{}")


async def test_every_record_is_handed_over_before_any_ack_is_awaited_and_all_acks_are_awaited() -> None:
    broker = Broker()
    publisher = Publisher(Keeper(broker), timeout_seconds=5)
    task = asyncio.create_task(publisher.messages([message(1), message(2), message(3)]))
    await broker.handed_over(3)
    assert [h["acked_before"] for h in broker.handed] == [0, 0, 0]
    assert [h["key"] for h in broker.handed] == [b"facebook:1:t1", b"facebook:1:t0", b"facebook:1:t1"]
    assert [h["id"] for h in broker.handed] == ["facebook:1:c1", "facebook:1:c2", "facebook:1:c3"]
    broker.acks[0].set_result(None)
    broker.acks[2].set_result(None)
    await asyncio.sleep(0.05)
    assert not task.done(), "answered before Kafka acknowledged the second record"
    broker.acks[1].set_result(None)
    await asyncio.wait_for(task, 1)


async def test_an_ack_that_never_comes_fails_the_publish_within_the_timeout() -> None:
    broker = Broker()
    publisher = Publisher(Keeper(broker), timeout_seconds=0.2)
    with pytest.raises(PublishFailed, match="Timeout"):
        await asyncio.wait_for(publisher.messages([message(1)]), 2)


async def test_a_refused_record_fails_the_publish() -> None:
    broker = Broker()
    publisher = Publisher(Keeper(broker), timeout_seconds=5)
    task = asyncio.create_task(publisher.messages([message(1), message(2)]))
    await broker.handed_over(2)
    broker.acks[0].set_result(None)
    broker.acks[1].set_exception(RuntimeError("NotEnoughReplicas"))
    with pytest.raises(PublishFailed, match="NotEnoughReplicas"):
        await task


async def test_a_failure_while_handing_over_closes_the_rest_without_warnings() -> None:
    broker = Broker()
    broker.refuse_at = 1
    publisher = Publisher(Keeper(broker), timeout_seconds=5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "coroutine ... was never awaited" would be a RuntimeWarning
        with pytest.raises(PublishFailed, match="buffer closed"):
            await publisher.messages([message(1), message(2), message(3)])
    assert len(broker.handed) == 1


async def test_kafka_not_connected_fails_at_once_and_publishes_nothing() -> None:
    broker = Broker()
    publisher = Publisher(Keeper(broker, connected=False), timeout_seconds=5)
    with pytest.raises(PublishFailed, match="not connected"):
        await publisher.messages([message(1)])
    assert broker.handed == []
