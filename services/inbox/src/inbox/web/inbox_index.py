"""The inbox list held in memory, per process: the list fields of every open conversation (and of those
active in the last `keep_days`), with each one's newest message as a snippet.

Why: the list is filtered and sorted on every page view by many people; FerretDB (the local MongoDB-wire
server) neither uses indexes for sorts nor counts without scanning, so a page of a 10,000-conversation inbox
costs seconds there. Here it costs milliseconds on any backend, and the database sees `_id` reads only: the
postings and sort orders of `list_index` answer a page without walking every entry, even at 100,000.

How it stays right: it is loaded once the live-event consumer is positioned at the end of
`conversation.event.v1`, so every change after the load began arrives as an event. Each event marks its
conversation for a refresh: one task per conversation re-reads it by `_id` (and, for a new message, that
message), a burst of events for one conversation costing one or two reads, several conversations refreshed
at once. Events that arrive while it loads wait for the load. If the consumer had to reconnect (events may
have been missed) it loads again. Until it is loaded the pages query the database. It is a cache of what
responder wrote, never a writer: N replicas each keep their own."""

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime, timedelta

from civic_contracts.conversation import OPEN

from inbox.adapters.conversations import LIST_FIELDS, ConversationStore, snippet
from inbox.web import matching
from inbox.web.list_index import Postings
from inbox.web.list_page import page
from inbox.web.sort_order import SortOrder

log = logging.getLogger(__name__)
MESSAGE_EVENTS = ("message_received", "reopened", "routed", "message_edited", "message_deleted")


class InboxIndex:
    def __init__(self, store: ConversationStore, *, fields: tuple[str, ...] = LIST_FIELDS, keep_days: int = 30,
                 concurrency: int = 8) -> None:
        self.store = store
        self.fields = fields
        self.keep_days = keep_days
        self.entries: dict[str, dict] = {}
        self.version = 0  # changes with every change of `entries`
        self.postings = Postings()
        self.orders: dict[tuple, SortOrder] = {}  # kept sorted as entries change, one per sort asked for
        self.ready = asyncio.Event()
        self.loaded_at: datetime | None = None
        self.load_seconds: float | None = None
        self._dirty: dict[str, set[str]] = {}  # conversation key -> message ids to read with it
        self._running: dict[str, asyncio.Task] = {}
        self._limit = asyncio.Semaphore(concurrency)
        self._settled = asyncio.Condition()
        self._loader: asyncio.Task | None = None

    # Lifecycle: `positioned()` each time the live consumer is at the end of the topic.

    def positioned(self) -> None:
        """The live consumer is (again) at the end of the event topic: (re)load from the database."""
        self.ready.clear()
        if self._loader is not None and not self._loader.done():
            self._loader.cancel()
        self._loader = asyncio.create_task(self._load_until_done(), name="inbox-index-load")

    async def stop(self) -> None:
        for task in [self._loader, *self._running.values()]:
            if task is not None and not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    async def _load_until_done(self) -> None:
        while True:
            try:
                await self._load()
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the pages query the database meanwhile
                log.warning("inbox index: load failed (%s); retrying in 10s", exc)
                await asyncio.sleep(10)

    async def _load(self) -> None:
        started = time.monotonic()
        since = datetime.now(UTC) - timedelta(days=self.keep_days)
        entries: dict[str, dict] = {}
        async for doc in self.store.scan_list(self.fields):
            if doc.get("status") in OPEN or (doc.get("last_message_at") and doc["last_message_at"] >= since):
                entries[doc["_id"]] = doc
        async for m in self.store.scan_snippets():
            entry = entries.get(m.get("conversation_key"))
            if entry is not None:
                _set_snippet(entry, m)
                entry.setdefault("_message_ids", set()).add(m["_id"])
        self._replace(entries)
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
        message_id = (body.get("data") or {}).get("message_id") if body.get("type") in MESSAGE_EVENTS else None
        ids = self._dirty.setdefault(key, set())
        if isinstance(message_id, str):
            ids.add(message_id)
        if key not in self._running:
            self._running[key] = asyncio.create_task(self._refresh(key), name="inbox-index-refresh")

    async def _refresh(self, key: str) -> None:
        try:
            await self.ready.wait()  # events during a load are applied after it
            async with self._limit:
                while key in self._dirty:
                    await self._apply(key, self._dirty.pop(key))
        finally:
            self._running.pop(key, None)
            async with self._settled:
                self._settled.notify_all()

    async def _apply(self, key: str, message_ids: set[str]) -> None:
        try:
            doc = await self.store.list_entry(key, self.fields)
            if doc is None:
                self._forget(key)
                return
            old = self.entries.get(key) or {}
            for name in ("_snippet", "_snippet_at", "_snippet_abuse"):
                if name in old:
                    doc[name] = old[name]
            doc["_message_ids"] = set(old.get("_message_ids") or ())
            for message_id in message_ids:
                message = await self.store.snippet_message(message_id)
                if message is not None and "platform_message_id" in message:  # not a triage result stored first
                    _set_snippet(doc, message, replace_same=True)
                    doc["_message_ids"].add(message_id)
            self._put(key, doc)
        except Exception as exc:  # noqa: BLE001 - one failed refresh: load everything again rather than be wrong
            log.warning("inbox index: refreshing %s failed (%s); loading again", key, exc)
            self.positioned()

    async def settled(self, key: str, timeout: float = 3.0) -> bool:
        """Wait until every event received for `key` has been applied; False if that took too long."""
        async def wait() -> None:
            async with self._settled:
                await self._settled.wait_for(lambda: key not in self._running)

        try:
            await asyncio.wait_for(wait(), timeout)
        except TimeoutError:
            return False
        return True

    # Reads.

    def message_ids(self, key: str) -> list[str] | None:
        """The ids of the conversation's messages, when every one of them is known here."""
        entry = self.entries.get(key) if self.ready.is_set() else None
        ids = (entry or {}).get("_message_ids")
        return sorted(ids) if ids and len(ids) == entry.get("message_count") else None

    def one(self, key: str, query: dict) -> list[dict]:
        entry = self.entries.get(key)
        return [entry] if entry is not None and matching.matches(entry, query) else []

    def select(self, query: dict, sort: list[tuple[str, int]]) -> list[dict]:
        """The entries matching `query`, in `sort` order."""
        return self.page(query, sort, start=0, size=None)[0]

    def page(self, query: dict, sort: list[tuple[str, int]], *, start: int, size: int | None) -> tuple[list[dict], int]:
        """`size` entries matching `query` in `sort` order from `start` (None: all of them), and how many match."""
        order = self._order(sort)
        if order is None:
            ordered = self.entries.keys() if not sort else [d["_id"] for d in matching.sort_docs(list(self.entries.values()), sort)]
            return page(query, ordered, self.entries, self.postings, start=start, size=size)
        return page(query, order.keys(), self.entries, self.postings, start=start, size=size, rank=order.rank)

    # Upkeep of the postings and sort orders.

    def _order(self, sort: list[tuple[str, int]]) -> SortOrder | None:
        if not sort:
            return None
        spec = tuple(sort)
        order = self.orders.get(spec)
        if order is None:
            order = self.orders[spec] = SortOrder(list(sort))
            order.rebuild(self.entries)
        return None if order.broken else order

    def _replace(self, entries: dict[str, dict]) -> None:
        postings = Postings()
        postings.rebuild(entries)
        for order in self.orders.values():
            order.rebuild(entries)
        self.entries, self.postings = entries, postings
        self.version += 1

    def _put(self, key: str, doc: dict) -> None:
        self.entries[key] = doc
        self.postings.put(key, doc)
        for order in self.orders.values():
            order.put(key, doc)
        self.version += 1

    def _forget(self, key: str) -> None:
        if self.entries.pop(key, None) is None:
            return
        self.postings.remove(key)
        for order in self.orders.values():
            order.remove(key)
        self.version += 1


def _set_snippet(entry: dict, message: dict, *, replace_same: bool = False) -> None:
    at = message.get("sent_at")
    seen = entry.get("_snippet_at")
    if seen is None or (at is not None and (at > seen or (replace_same and at >= seen))):
        entry["_snippet"] = snippet(message)
        entry["_snippet_at"] = at
        entry["_snippet_abuse"] = (message.get("triage") or {}).get("abuse")
