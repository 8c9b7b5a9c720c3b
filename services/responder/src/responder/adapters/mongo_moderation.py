"""Moderation records: evidence of abusive messages (for the evidence pack), abuse per author across
channels, and banned authors whose messages are not routed to people.

Authors are keyed `<channel>:<platform id>`; the same person on two channels has two keys, and the abuse
report lists each with its channel so a supervisor sees them side by side."""

from datetime import datetime

from pymongo import ASCENDING, DESCENDING, AsyncMongoClient
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
        """Record one abusive message once (by message id) and return the author's total."""
        try:
            await self.abuse.insert_one({"_id": message_id, "author_key": author, "channel": channel, "label": label,
                                         "source": source, "at": at})
        except DuplicateKeyError:
            pass
        total = await self.abuse.count_documents({"author_key": author})
        fields = {"count": total, "channel": channel, "name": name, "last_at": at}
        try:
            await self.authors.update_one({"_id": author}, {"$set": fields}, upsert=True)
        except DuplicateKeyError:
            await self.authors.update_one({"_id": author}, {"$set": fields})
        return total

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
        if banned:
            await self.authors.update_one({"_id": author}, {"$set": {"banned": True}}, upsert=True)
        else:
            await self.authors.update_one({"_id": author}, {"$set": {"banned": False}})
        return before
