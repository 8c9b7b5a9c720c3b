"""Conversations and messages in MongoDB (FerretDB locally): idempotent, order-independent writes.

Every write is an upsert keyed by a stable id, so a duplicate delivery or a replay changes nothing, and a
triage result that arrives before its message is kept and joined when the message lands. No transactions,
change streams or `$lookup` are used (FerretDB has none). Every conversation write increments `rev`, so a
staff action can compare-and-set: it applies only to the revision it was decided on.

Reads and writes of the message path go by `_id` only: FerretDB's SQLite backend serves a filter from an
index only when it is exactly `{"_id": <string>}`, and scans the collection for anything else (`{"_id": k,
"rev": r}` included). So on FerretDB a conditional write reads the document by `_id`, checks the condition
and writes by `_id`; responder serialises the writes of one conversation in-process, and FerretDB v1 does
not apply a conditional update atomically anyway. On MongoDB the condition goes into the filter (atomic,
served by the `_id` index), which is what makes several replicas safe there. Every conversation write
reports its before and after to `Counters`, which keeps the counted aggregates (loads, queues)."""

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum

from civic_contracts import InboundMessage, TriageResult
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError

from responder.adapters.mongo_counters import Counters
from responder.domain.states import NEEDS_REVIEW, NEW, UNTOUCHED, routing_update


def _stored(value):
    """A value as the store gives it back: datetimes in UTC to the millisecond, enums as their value."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(microsecond=value.microsecond // 1000 * 1000)
    if isinstance(value, Enum):
        return value.value
    return value


def applied(before: dict | None, key: str, update: dict) -> dict:
    """The document an update of `$setOnInsert`, `$set`, `$min`, `$max` and `$inc` on top-level fields makes of
    `before` (None: the upsert inserted it), as the store would return it; saves reading it back."""
    doc = dict(before) if before is not None else {"_id": key, **{f: _stored(v) for f, v in update.get("$setOnInsert", {}).items()}}
    doc.update({f: _stored(v) for f, v in update.get("$set", {}).items()})
    for f, v in update.get("$min", {}).items():
        doc[f] = _stored(v) if doc.get(f) is None or _stored(v) < doc[f] else doc[f]
    for f, v in update.get("$max", {}).items():
        doc[f] = _stored(v) if doc.get(f) is None or _stored(v) > doc[f] else doc[f]
    for f, n in update.get("$inc", {}).items():
        doc[f] = (doc.get(f) or 0) + n
    return doc


def _message_doc(message: InboundMessage) -> dict:
    doc = message.model_dump(mode="python", exclude={"id", "received_at"})
    doc.update(channel=message.channel.value, kind=message.kind.value, counted=True)
    return doc


def matches(doc: dict | None, condition: dict) -> bool:
    """Whether `doc` satisfies an equality-only condition (None matches a missing field)."""
    if doc is None:
        return False
    for field, wanted in condition.items():
        if isinstance(wanted, dict):
            raise ValueError(f"only equality conditions are supported, not {field}: {wanted}")
        if doc.get(field) != wanted:
            return False
    return True


class Conflict(Exception):
    """The conversation changed between reading and writing it; decide again."""


class ConversationStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.client = client
        self.messages = db["messages"]
        self.conversations = db["conversations"]
        self.notes = db["notes"]
        self.counters = Counters(client, database)
        # Whether conditions can go into a write's filter (MongoDB) or are checked after a read by `_id`
        # (FerretDB, which scans for any filter other than `{"_id": ...}`); found out by `ensure_indexes`.
        self.atomic_filters = False

    async def ensure_indexes(self) -> None:
        info = await self.client.admin.command("buildInfo")
        self.atomic_filters = "ferretdbVersion" not in info
        await self.messages.create_index([("conversation_key", ASCENDING), ("sent_at", ASCENDING)])
        await self.messages.create_index([("channel", ASCENDING), ("author.platform_id", ASCENDING)])
        await self.conversations.create_index([("last_message_at", DESCENDING)])
        await self.notes.create_index([("conversation_key", ASCENDING), ("at", ASCENDING)])
        for field in ("department", "status", "channel", "assignee"):
            await self.conversations.create_index([(field, ASCENDING), ("last_message_at", DESCENDING)])

    async def insert_message(self, message: InboundMessage) -> dict | None:
        """Store a new message in one write; returns None when it is new, or the document already there (a
        redelivery, or its triage result arrived first and waits on it), left unchanged: see `update_message`."""
        doc = _message_doc(message)
        doc.update(_id=message.id, received_at=message.received_at)
        try:
            await self.messages.insert_one(doc)
            return None
        except DuplicateKeyError:
            return await self.message(message.id) or {}

    async def update_message(self, message: InboundMessage) -> None:
        """Write the message over the document already there (keeping its triage result and first receipt)."""
        await self.messages.update_one({"_id": message.id},
                                       {"$set": _message_doc(message), "$min": {"received_at": message.received_at}})

    async def store_message(self, message: InboundMessage, *, counted: bool) -> dict:
        """Thread the stored message into its conversation (created here, never by a triage result, so a
        conversation is never seen without its first message), in one write that returns the conversation as
        it was (the counters need both); returns the conversation as written. `counted`: threaded before."""
        key = message.conversation_key
        update = {
            # The author of the conversation is whoever wrote first.
            "$setOnInsert": {"status": NEW, "author": message.author.model_dump()},
            # Where the newest inbound message is, so replies find it by `_id` (no query over messages).
            "$set": {"channel": message.channel.value, "account_id": message.account_id, "kind": message.kind.value,
                     "last_inbound_id": message.id, "last_inbound_at": message.sent_at},
            "$min": {"first_message_at": message.sent_at},
            "$max": {"last_message_at": message.sent_at},
            "$inc": {"rev": 1, "message_count": 0 if counted else 1},
        }
        before = await self._find_and_upsert(key, update, ReturnDocument.BEFORE)
        after = applied(before, key, update)
        newest = (before or {}).get("last_inbound_at")
        if newest is not None and message.sent_at < newest:  # an older message arrived late: keep the newest
            keep = {"last_inbound_id": before.get("last_inbound_id"), "last_inbound_at": newest}
            await self.conversations.update_one({"_id": key}, {"$set": keep})
            after.update(keep)
        self.counters.changed(before, after)
        return after

    async def store_triage(self, result: TriageResult, decide: Callable[[dict], dict]) -> dict | None:
        """Store the result and route the conversation with routing fields plus what `decide(conversation as
        it will be)` adds (the SLA clocks); returns the conversation after, or None when the message (and so
        the conversation) has not landed yet."""
        fields = {"triage": result.model_dump(mode="python"), "conversation_key": result.conversation_key}
        try:
            await self.messages.update_one({"_id": result.message_id}, {"$set": fields}, upsert=True)
        except DuplicateKeyError:  # the message landed at the same moment: update it
            await self.messages.update_one({"_id": result.message_id}, {"$set": fields})
        status = NEEDS_REVIEW if result.needs_review else NEW
        for _ in range(10):
            current = await self.get(result.conversation_key)
            if current is None:
                return None  # the message has not landed yet: its intake applies the stored result
            fields = routing_update(current, result)
            # The status moves only while no person has the conversation.
            if current.get("status") in UNTOUCHED and current.get("assignee") is None and not current.get("rerouted"):
                fields["status"] = status
            fields.update(decide({**current, **fields}))
            after = await self._write(current, {"$set": fields, "$inc": {"rev": 1}}, only_if={"rev": current.get("rev")})
            if after is not None:
                return after
        raise Conflict(result.conversation_key)

    async def _write(self, before: dict, update: dict, *, only_if: dict | None = None) -> dict | None:
        """Apply `update` to the conversation read as `before` if it still satisfies `only_if` (equality
        conditions); returns it as written, or None when the condition no longer held."""
        key = before["_id"]
        query: dict = {"_id": key}
        if only_if and self.atomic_filters:
            query.update(only_if)
        elif only_if and not matches(before, only_if):
            return None
        after = await self.conversations.find_one_and_update(query, update, return_document=ReturnDocument.AFTER)
        if after is not None:
            self.counters.changed(before, after)
        return after

    async def _find_and_upsert(self, key: str, update: dict, returned: ReturnDocument = ReturnDocument.AFTER) -> dict | None:
        try:
            return await self.conversations.find_one_and_update({"_id": key}, update, upsert=True, return_document=returned)
        except DuplicateKeyError:  # a concurrent upsert inserted it first: apply ours to it
            update = {k: v for k, v in update.items() if k != "$setOnInsert"}
            return await self.conversations.find_one_and_update({"_id": key}, update, return_document=returned)

    # Reads and compare-and-set writes used by the staff actions and jobs.

    async def get(self, key: str) -> dict | None:
        return await self.conversations.find_one({"_id": key})

    async def message(self, message_id: str) -> dict | None:
        return await self.messages.find_one({"_id": message_id})

    async def last_inbound(self, key: str) -> dict | None:
        """The newest message the citizen sent on the conversation (by `_id` when the conversation says which)."""
        conversation = await self.get(key)
        if conversation and conversation.get("last_inbound_id"):
            found = await self.messages.find_one({"_id": conversation["last_inbound_id"]}, projection={"raw_payload": False})
            if found is not None:
                return found
        cursor = (  # conversations stored before `last_inbound_id` existed
            self.messages.find({"conversation_key": key, "platform_message_id": {"$exists": True}},
                               projection={"raw_payload": False})
            .sort([("sent_at", DESCENDING)])
            .limit(1)
        )
        return next(iter([m async for m in cursor]), None)

    async def change(self, conversation: dict, *, set_: dict | None = None, unset: list[str] | None = None,
                     add_to_set: dict | None = None) -> dict:
        """Apply the change to the revision `conversation` was read at; raises `Conflict` if it moved on.
        Returns the conversation as written."""
        update: dict = {"$inc": {"rev": 1}}
        if set_:
            update["$set"] = set_
        if unset:
            update["$unset"] = {f: "" for f in unset}
        if add_to_set:
            update["$addToSet"] = add_to_set
        current = await self.get(conversation["_id"])
        after = None if current is None else await self._write(current, update, only_if={"rev": conversation.get("rev")})
        if after is None:
            raise Conflict(conversation["_id"])
        return after

    async def set_fields(self, key: str, fields: dict, *, only_if: dict | None = None) -> bool:
        """An unconditional (or `only_if`-conditional, equality only) update of fields no staff action decides on."""
        return await self.update_fields(key, fields, only_if=only_if) is not None

    async def update_fields(self, key: str, fields: dict, *, only_if: dict | None = None) -> dict | None:
        """`set_fields`, returning the conversation as written (None when missing or the condition failed)."""
        current = await self.get(key)
        if current is None:
            return None
        return await self._write(current, {"$set": fields, "$inc": {"rev": 1}}, only_if=only_if)

    async def find(self, query: dict, *, limit: int = 500) -> list[dict]:
        return [c async for c in self.conversations.find(query).limit(limit)]

    async def count(self, query: dict) -> int:
        return await self.conversations.count_documents(query)

    async def add_note(self, note: dict) -> None:
        """A private note (its `_id` is the command id, so a replay adds nothing)."""
        try:
            await self.notes.insert_one(note)
        except DuplicateKeyError:
            pass

    async def block_author(self, channel: str, platform_id: str, *, blocked: bool) -> list[str]:
        """Mark (or unmark) every conversation of that author; returns their keys."""
        query = {"channel": channel, "author.platform_id": platform_id}
        keys = [c["_id"] async for c in self.conversations.find(query, projection={"_id": True})]
        for key in keys:
            await self.set_fields(key, {"routing_blocked": blocked})
        return keys
