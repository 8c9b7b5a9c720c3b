"""The inbox list held in memory, per process: the list fields of every open conversation (and of those
active in the last `keep_days`), with each one's newest message as a snippet.

Why: the list is filtered and sorted on every page view by many people; FerretDB (the local MongoDB-wire
server) neither uses indexes for sorts nor counts without scanning, so a page of a 10,000-conversation inbox
costs seconds there. Here it costs milliseconds on any backend, and the database sees `_id` reads only.

How it stays right: it is loaded once the live-event consumer is positioned at the end of
`conversation.event.v1`, so every change after the load began arrives as an event; each event re-reads its
conversation by `_id` (and, for a new message, that message), in order. If the consumer had to reconnect
(events may have been missed) the index loads again. Until it is loaded the pages query the database. It is
a cache of what responder wrote, never a writer: N replicas each keep their own."""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

from inbox.web import matching

log = logging.getLogger(__name__)
OPEN = ("new", "needs_review", "assigned", "waiting_on_citizen", "replied", "handed_over")
MESSAGE_EVENTS = ("message_received", "reopened", "routed")


class InboxIndex:
    def __init__(self, db, *, fields: tuple[str, ...], keep_days: int = 30) -> None:
        self.db = db
        self.fields = fields
        self.keep_days = keep_days
        self.entries: dict[str, dict] = {}
        self.version = 0  # changes with every change of `entries`: sorted orders are cached per version
        self._sorted: dict[tuple, tuple[int, list[dict]]] = {}
        self.ready = asyncio.Event()
        self.loaded_at: datetime | None = None
        self.load_seconds: float | None = None
        self._queue: asyncio.Queue[tuple[str, str | None] | None] = asyncio.Queue()
        self._pending: dict[str, int] = {}
        self._settled = asyncio.Condition()
        self._task: asyncio.Task | None = None
        self._reload = asyncio.Event()

    # Lifecycle: `start()` after the live consumer is positioned (`LiveHub.on_positioned`).

    def positioned(self) -> None:
        """The live consumer is (again) at the end of the event topic: (re)load from the database."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="inbox-index")
        else:
            self._reload.set()

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            self._reload.clear()
            try:
                await self._load()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the pages fall back to querying the database
                self.ready.clear()
                log.warning("inbox index: load failed (%s); retrying in 10s", exc)
                await asyncio.sleep(10)
                continue
            while not self._reload.is_set():
                getter = asyncio.ensure_future(self._queue.get())
                reload = asyncio.ensure_future(self._reload.wait())
                done, _ = await asyncio.wait({getter, reload}, return_when=asyncio.FIRST_COMPLETED)
                if getter not in done:
                    getter.cancel()
                    break
                reload.cancel()
                item = getter.result()
                if item is not None:
                    await self._apply(*item)

    async def _load(self) -> None:
        started = time.monotonic()
        since = datetime.now(UTC) - timedelta(days=self.keep_days)
        entries: dict[str, dict] = {}
        cursor = self.db["conversations"].find({}, projection=dict.fromkeys(self.fields, True))
        async for doc in cursor:
            if doc.get("status") in OPEN or (doc.get("last_message_at") and doc["last_message_at"] >= since):
                entries[doc["_id"]] = doc
        messages = self.db["messages"].find({"platform_message_id": {"$exists": True}},
                                            projection={"conversation_key": True, "text": True, "sent_at": True,
                                                        "triage.abuse": True})
        async for m in messages:
            entry = entries.get(m.get("conversation_key"))
            if entry is not None:
                _set_snippet(entry, m)
        self.entries = entries
        self.version += 1
        self.loaded_at = datetime.now(UTC)
        self.load_seconds = time.monotonic() - started
        self.ready.set()
        log.info("inbox index: %d conversations loaded in %.1fs", len(entries), self.load_seconds)

    # Events.

    def on_event(self, body: dict) -> None:
        """Called by the live hub for every conversation event, before browsers hear of it."""
        key = body.get("conversation_key")
        if not key:
            return
        data = body.get("data") or {}
        message_id = data.get("message_id") if body.get("type") in MESSAGE_EVENTS else None
        self._pending[key] = self._pending.get(key, 0) + 1
        self._queue.put_nowait((key, message_id if isinstance(message_id, str) else None))

    async def _apply(self, key: str, message_id: str | None) -> None:
        try:
            doc = await self.db["conversations"].find_one({"_id": key}, projection=dict.fromkeys(self.fields, True))
            self.version += 1
            if doc is None:
                self.entries.pop(key, None)
            else:
                old = self.entries.get(key) or {}
                for name in ("_snippet", "_snippet_at", "_snippet_abuse"):
                    if name in old:
                        doc[name] = old[name]
                if message_id:
                    message = await self.db["messages"].find_one(
                        {"_id": message_id}, projection={"conversation_key": True, "text": True, "sent_at": True,
                                                         "triage.abuse": True})
                    if message is not None:
                        _set_snippet(doc, message, replace_same=True)
                self.entries[key] = doc
                self.version += 1
        except Exception as exc:  # noqa: BLE001 - one failed refresh: reload everything rather than be wrong
            log.warning("inbox index: refreshing %s failed (%s); reloading", key, exc)
            self._reload.set()
        finally:
            async with self._settled:
                left = self._pending.get(key, 1) - 1
                if left <= 0:
                    self._pending.pop(key, None)
                else:
                    self._pending[key] = left
                self._settled.notify_all()

    async def settled(self, key: str, timeout: float = 3.0) -> bool:
        """Wait until every event received for `key` has been applied."""
        async def wait() -> None:
            async with self._settled:
                await self._settled.wait_for(lambda: key not in self._pending)

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            return False
        return True

    # Reads.

    def one(self, key: str, query: dict) -> list[dict]:
        entry = self.entries.get(key)
        return [entry] if entry is not None and matching.matches(entry, query) else []

    def select(self, query: dict, sort: list[tuple[str, int]]) -> list[dict]:
        """The entries matching `query`, in `sort` order."""
        spec = tuple(sort)
        cached = self._sorted.get(spec)
        if cached is None or cached[0] != self.version:
            cached = (self.version, matching.sort_docs(list(self.entries.values()), sort))
            self._sorted[spec] = cached
        predicate = matching.compile_query(query)
        return [d for d in cached[1] if predicate(d)]


def _set_snippet(entry: dict, message: dict, *, replace_same: bool = False) -> None:
    at = message.get("sent_at")
    seen = entry.get("_snippet_at")
    if seen is None or (at is not None and (at > seen or (replace_same and at >= seen))):
        entry["_snippet"] = " ".join((message.get("text") or "").split())[:180]
        entry["_snippet_at"] = at
        entry["_snippet_abuse"] = (message.get("triage") or {}).get("abuse")
