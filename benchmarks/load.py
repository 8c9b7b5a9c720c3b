"""Load on the pipeline and what comes out of it: signed Facebook comment webhooks posted to the connectors
over keep-alive HTTP/1.1 to 127.0.0.1 (closed loop: as fast as they are accepted; open loop: at a fixed
rate, timed from when each was due so a slow answer is not hidden), and a watcher of `conversation.event.v1`
that notes when each message's `routed` event arrives."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import random
import time
import uuid
from dataclasses import dataclass, field

from aiokafka import AIOKafkaConsumer
from history import NAMES, TEXTS, comment_payload
from stack import PAGE_ID


@dataclass
class Webhook:
    message_id: str
    request: bytes


@dataclass
class Sent:
    due: float = 0.0  # wall clock when it was due (open loop) or sent (closed loop)
    answered: float = 0.0
    status: int = 0


def webhooks(count: int, app_secret: str, *, threads: list[str], reply_share: float, seed: int) -> list[Webhook]:
    """`count` signed comment webhooks, one comment each: new top-level comments (new conversations), and
    `reply_share` of them replies in an earlier thread (`threads`, which grows with the new ones)."""
    rng = random.Random(seed)
    run = uuid.uuid4().int % 10**8
    out = []
    for i in range(count):
        at = int(time.time())
        _, text = rng.choice(TEXTS)
        if threads and rng.random() < reply_share:
            thread = rng.choice(threads)
            comment = f"{thread.rsplit('_', 1)[0]}_{3 * 10**11 + run * 10**3 + i}"
        else:
            thread = comment = f"{PAGE_ID}_{2 * 10**9 + run}_{4 * 10**11 + i}"
            threads.append(thread)
        body = json.dumps(comment_payload(thread, comment, str(10**9 + rng.randrange(50_000)), rng.choice(NAMES), text, at)).encode()
        signature = "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
        head = (f"POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"X-Hub-Signature-256: {signature}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        out.append(Webhook(f"facebook:{PAGE_ID}:{comment}", head + body))
    return out


class Connection:
    """One keep-alive HTTP/1.1 connection; `post` sends a prepared request and returns the status code."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def post(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


async def closed_loop(port: int, hooks: list[Webhook], *, concurrency: int) -> dict[str, Sent]:
    """Post every webhook from `concurrency` connections, each posting its next as soon as one is answered."""
    sent: dict[str, Sent] = {}
    queue = iter(hooks)

    async def worker() -> None:
        conn = await Connection.open(port)
        try:
            for hook in queue:
                s = sent[hook.message_id] = Sent(due=time.time())
                s.status = await conn.post(hook.request)
                s.answered = time.time()
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sent


async def open_loop(port: int, hooks: list[Webhook], *, rate: float, max_connections: int = 256) -> dict[str, Sent]:
    """Post the webhooks at `rate` per second whatever the answers take (more connections open as needed)."""
    sent: dict[str, Sent] = {}
    idle: list[Connection] = []
    opened = 0
    slots = asyncio.Semaphore(max_connections)

    async def one(hook: Webhook, due: float) -> None:
        nonlocal opened
        async with slots:
            conn = idle.pop() if idle else None
            if conn is None:
                conn = await Connection.open(port)
                opened += 1
            s = sent[hook.message_id] = Sent(due=due)
            try:
                s.status = await conn.post(hook.request)
            except (asyncio.IncompleteReadError, ConnectionError):  # the server closed an idle keep-alive one
                conn.close()
                conn = await Connection.open(port)
                opened += 1
                s.status = await conn.post(hook.request)
            s.answered = time.time()
            idle.append(conn)

    start = time.time() + 0.2
    tasks = []
    for i, hook in enumerate(hooks):
        due = start + i / rate
        delay = due - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(hook, due)))
    await asyncio.gather(*tasks)
    for conn in idle:
        conn.close()
    return sent


@dataclass
class Watcher:
    """Follows `conversation.event.v1` from its end at start: message id -> wall clock its `routed` arrived."""

    bootstrap: str
    topic: str = "conversation.event.v1"
    routed: dict[str, float] = field(default_factory=dict)
    events: int = 0

    async def start(self) -> None:
        self.consumer = AIOKafkaConsumer(self.topic, bootstrap_servers=self.bootstrap, enable_auto_commit=False,
                                         auto_offset_reset="latest", fetch_max_wait_ms=20, max_poll_records=2000)
        await self.consumer.start()
        for _ in range(300):  # without a group, every partition is assigned once the topic's metadata is in
            if self.consumer.assignment():
                break
            await asyncio.sleep(0.1)
        for tp in self.consumer.assignment():
            await self.consumer.position(tp)  # fixes "latest" now, before anything is posted
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=200)
            now = time.time()
            for records in batches.values():
                for record in records:
                    self.events += 1
                    if b'"routed"' not in record.value:
                        continue
                    event = json.loads(record.value)
                    if event.get("type") == "routed":
                        self.routed.setdefault(event["data"].get("message_id"), now)

    async def wait_for(self, ids: list[str], *, timeout: float, idle: float, progress: float = 0) -> float:
        """Wait until every id is routed, or `timeout` passes, or nothing new is routed for `idle` seconds;
        returns when it stopped waiting. With `progress`, says every that many seconds how many are routed (a
        long drain's figures survive an interrupted run)."""
        started = time.time()
        deadline = started + timeout
        pending = list(ids)  # only the ids not seen routed yet are looked up again
        last_count, last_change, last_said = -1, started, started
        while time.time() < deadline:
            pending = [i for i in pending if i not in self.routed]
            done = len(ids) - len(pending)
            if not pending:
                break
            if done != last_count:
                last_count, last_change = done, time.time()
            elif time.time() - last_change > idle:
                break
            if progress and time.time() - last_said >= progress:
                last_said = time.time()
                print(f"    {done:,} of {len(ids):,} routed after {last_said - started:.0f}s", flush=True)
            await asyncio.sleep(0.25)
        return time.time()

    async def stop(self) -> None:
        self.task.cancel()
        await asyncio.gather(self.task, return_exceptions=True)
        await self.consumer.stop()
