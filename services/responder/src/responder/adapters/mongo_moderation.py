"""Moderation records: evidence of abusive messages (for the evidence pack), abuse per author across
channels, and banned authors whose messages are not routed to people.

Authors are keyed `<channel>:<platform id>`; the same person on two channels has two keys, and the abuse
report lists each with its channel so a supervisor sees them side by side."""

from datetime import datetime

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, ReturnDocument
from pymongo.errors import DuplicateKeyError


def author_key(channel: str, platform_id: str) -> str:
    return f"{channel}:{platform_id}"


class ModerationStore:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.evidence = db["evidence"]
        self.abuse = db["abuse_events"]
        self.bans = db["banned_authors"]
        self.authors = db["author_abuse"]
        self._touched: set[str] | None = None  # authors counted while a repair is counting

    async def ensure_indexes(self) -> None:
        await self.evidence.create_index([("author_key", ASCENDING), ("captured_at", DESCENDING)])
        await self.abuse.create_index([("author_key", ASCENDING)])
        await self.authors.create_index([("count", DESCENDING)])

    async def keep_evidence(self, doc: dict) -> bool:
        """Keep the evidence (idempotent by `_id`); True when new."""
        try:
            await self.evidence.insert_one(doc)
        except DuplicateKeyError:
            return False
        return True

    async def count_abuse(self, *, message_id: str, author: str, channel: str, label: str, source: str,
                          at: datetime, name: str | None) -> int:
        """Record one abusive message once (by message id) and return the author's total: a counter on the
        author's document, moved by one when the message is new (no count over `abuse_events`, which would
        scan it on FerretDB); `repair_counts` corrects drift."""
        try:
            await self.abuse.insert_one({"_id": message_id, "author_key": author, "channel": channel, "label": label,
                                         "source": source, "at": at})
            new = True
        except DuplicateKeyError:
            new = False
        update: dict = {"$set": {"channel": channel, "name": name}, "$max": {"last_at": at}}
        if new:
            update["$inc"] = {"count": 1}
            if self._touched is not None:
                self._touched.add(author)
        try:
            doc = await self.authors.find_one_and_update({"_id": author}, update, upsert=True,
                                                         return_document=ReturnDocument.AFTER)
        except DuplicateKeyError:
            doc = await self.authors.find_one_and_update({"_id": author}, update, return_document=ReturnDocument.AFTER)
        return int((doc or {}).get("count") or 0)

    async def repair_counts(self) -> dict[str, int]:
        """Recount abuse per author from `abuse_events` (a scan: periodic job only) and correct the authors
        whose count is off, except those counted meanwhile; returns {author: corrected count}."""
        self._touched = set()
        try:
            pipeline = [{"$group": {"_id": "$author_key", "n": {"$sum": 1}}}]
            truth = {d["_id"]: d["n"] async for d in await self.abuse.aggregate(pipeline)}
            stored = {d["_id"]: int(d.get("count") or 0)
                      async for d in self.authors.find({}, projection={"count": True})}
            fixed = {}
            for author in set(truth) | {a for a, n in stored.items() if n}:
                if author in self._touched or stored.get(author, 0) == truth.get(author, 0):
                    continue
                await self.authors.find_one_and_update({"_id": author}, {"$set": {"count": truth.get(author, 0)}},
                                                       upsert=True)
                fixed[author] = truth.get(author, 0)
            return fixed
        finally:
            self._touched = None

    async def is_banned(self, author: str) -> bool:
        return await self.bans.find_one({"_id": author, "banned": True}) is not None

    async def banned_keys(self) -> frozenset[str]:
        return frozenset([b["_id"] async for b in self.bans.find({"banned": True}, projection={"_id": True})])

    async def set_ban(self, author: str, *, banned: bool, reason: str, by: str, at: datetime) -> dict | None:
        """Returns the previous ban record."""
        before = await self.bans.find_one({"_id": author})
        await self.bans.update_one(
            {"_id": author}, {"$set": {"banned": banned, "reason": reason, "by": by, "at": at}}, upsert=True
        )
        await self.authors.update_one({"_id": author}, {"$set": {"banned": banned}}, upsert=banned)
        return before
