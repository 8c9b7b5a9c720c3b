"""Live updates: one Kafka consumer per process follows `conversation.event.v1` (no consumer group: every
replica sees every event) and fans each event out to the browsers connected to `GET /live/events`
(server-sent events), each filtered by what its person may see.

Events carry no citizen text, only what happened; the page then fetches the changed part as HTML, rendered
and permission-checked like any page. A browser that reconnects sends `Last-Event-ID` and gets the events
it missed from a buffer of recent ones; a page passes `after` (the hub's position when it was rendered) so
nothing between rendering and connecting is lost."""

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from civic_contracts.topics import CHANNEL_HEALTH, CONVERSATION_EVENT

from inbox.auth.principal import Principal
from inbox.web.kafka_tools import partitions_of

log = logging.getLogger(__name__)
BLOCKED_TTL = 10.0


@dataclass(frozen=True)
class LiveEvent:
    seq: int
    body: dict

    @property
    def key(self) -> str | None:
        return self.body.get("conversation_key")


class Subscription:
    def __init__(self, size: int = 1000) -> None:
        self.queue: asyncio.Queue[LiveEvent | None] = asyncio.Queue(maxsize=size)
        self.overflowed = False

    def offer(self, event: LiveEvent | None) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True  # the stream ends; the browser reconnects and catches up from the buffer


class LiveHub:
    def __init__(self, *, bootstrap_servers: str, conversations, buffer: int = 2000, retry_seconds: float = 2.0) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.conversations = conversations  # the conversation store, to check for banned authors
        self.boot = uuid.uuid4().hex[:8]
        self.seq = 0
        self.recent: deque[LiveEvent] = deque(maxlen=buffer)
        self.subscribers: set[Subscription] = set()
        self.health: dict[tuple[str, str], dict] = {}
        self.ready = asyncio.Event()
        self.retry_seconds = retry_seconds
        self.last_error: str | None = None
        self._blocked: dict[str, tuple[bool, float]] = {}
        self._task: asyncio.Task | None = None
        # Called with each conversation event before browsers get it, and each time the consumer is (again)
        # positioned at the end of the topic (events before that moment were not seen).
        self.listeners: list[Callable[[dict], None]] = []
        self.on_positioned: list[Callable[[], None]] = []

    # Lifecycle.

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="inbox-live-events")

    async def stop(self) -> None:
        for sub in list(self.subscribers):
            sub.offer(None)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        topics = (CONVERSATION_EVENT.name, CHANNEL_HEALTH.name)
        while True:
            consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, group_id=None,
                                        enable_auto_commit=False, client_id="inbox-live")
            try:
                partitions = await partitions_of(self.bootstrap_servers, topics)
                if not any(tp.topic == CONVERSATION_EVENT.name for tp in partitions):
                    raise RuntimeError(f"topic {CONVERSATION_EVENT.name} does not exist yet")
                await consumer.start()
                consumer.assign(partitions)
                await consumer.seek_to_end(*partitions)
                for tp in partitions:
                    await consumer.position(tp)
                self.last_error = None
                self.ready.set()
                for callback in self.on_positioned:
                    callback()
                async for record in consumer:
                    self._take(record.topic, record.value)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect and carry on; the pages still work without live updates
                self.last_error = f"{type(exc).__name__}: {exc}"
                log.warning("live updates: %s; retrying in %.0fs", self.last_error, self.retry_seconds)
                await asyncio.sleep(self.retry_seconds)
            finally:
                with contextlib.suppress(Exception):
                    await consumer.stop()

    # Fan-out.

    def _take(self, topic: str, value: bytes | None) -> None:
        try:
            body = json.loads(value or b"")
        except ValueError:
            return
        if not isinstance(body, dict):
            return
        if topic == CHANNEL_HEALTH.name:
            self.health[(str(body.get("channel")), str(body.get("account_id")))] = body
            return
        self.publish(body)

    def publish(self, body: dict) -> LiveEvent:
        """Hand one conversation event to every connected browser (and the buffer)."""
        self.seq += 1
        event = LiveEvent(self.seq, body)
        kind, key = body.get("type"), body.get("conversation_key")
        if key and kind in ("author_banned", "author_unbanned"):
            self._blocked[key] = (kind == "author_banned", time.monotonic() + BLOCKED_TTL)
        for listener in self.listeners:
            try:
                listener(body)
            except Exception:  # noqa: BLE001 - a listener's failure must not stop the stream
                log.exception("live updates: a listener failed")
        self.recent.append(event)
        for sub in list(self.subscribers):
            sub.offer(event)
        return event

    def subscribe(self, after: int | None = None) -> Subscription:
        sub = Subscription()
        if after is not None:
            for event in self.recent:
                if event.seq > after:
                    sub.offer(event)
        self.subscribers.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        self.subscribers.discard(sub)

    def event_id(self, event: LiveEvent) -> str:
        return f"{self.boot}-{event.seq}"

    def parse_event_id(self, value: str | None) -> int | None:
        boot, _, seq = (value or "").partition("-")
        return int(seq) if boot == self.boot and seq.isdigit() else None

    # Who sees what.

    async def _is_blocked(self, key: str) -> bool:
        cached = self._blocked.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        blocked = await self.conversations.routing_blocked(key)
        if len(self._blocked) > 10_000:
            self._blocked.clear()
        self._blocked[key] = (blocked, time.monotonic() + BLOCKED_TTL)
        return blocked

    async def visible(self, principal: Principal, event: LiveEvent) -> bool:
        body = event.body
        if event.key is None:  # staff-wide events (absence): supervisors, and the person concerned
            return principal.privileged or principal.user_id in (body.get("actor_id"), (body.get("data") or {}).get("user_id"))
        if not principal.all_departments and body.get("department") not in principal.departments:
            return False
        return principal.privileged or not await self._is_blocked(event.key)
