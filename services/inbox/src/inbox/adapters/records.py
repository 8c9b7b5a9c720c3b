"""Read-only access to what responder records: the audit log, handovers, moderation evidence, abuse per
author, absences and the published policy (canned responses, accounts). The inbox has no write path to any
of them: the audit log cannot be edited through the API."""

from collections.abc import AsyncIterator
from datetime import datetime

from civic_contracts.conversation import FINISHED
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient

from inbox.schemas import HandoverView


class RecordReader:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        db = client[database]
        self.audit = db["audit"]
        self.handovers = db["handovers"]
        self.evidence = db["evidence"]
        self.authors = db["author_abuse"]
        self.policy = db["responder_policy"]
        self.absence = db["agent_status"]
        self.conversations = db["conversations"]

    @staticmethod
    def audit_query(*, conversation_key: str | None = None, actor: str | None = None, action: str | None = None,
                    since: datetime | None = None, until: datetime | None = None) -> dict:
        query: dict = {}
        if conversation_key:
            query["conversation_key"] = {"$eq": conversation_key}
        if actor:
            query["actor.user_id"] = {"$eq": actor}
        if action:
            query["action"] = {"$eq": action}
        if since or until:
            query["at"] = {**({"$gte": since} if since else {}), **({"$lt": until} if until else {})}
        return query

    async def audit_page(self, query: dict, *, page: int, page_size: int) -> tuple[list[dict], int]:
        total = await self.audit.count_documents(query)
        cursor = self.audit.find(query).sort([("at", DESCENDING), ("_id", ASCENDING)]).skip((page - 1) * page_size).limit(page_size)
        return [e async for e in cursor], total

    async def audit_stream(self, query: dict, *, limit: int) -> AsyncIterator[dict]:
        async for entry in self.audit.find(query).sort([("at", ASCENDING), ("_id", ASCENDING)]).limit(limit):
            yield entry

    async def handovers_list(self, *, open_only: bool, scope: dict | None = None) -> list[dict]:
        query: dict = {"status": {"$in": ["open", "citizen_replied"]}} if open_only else {}
        if scope and "department" in scope:
            query["department"] = scope["department"]
        return [h async for h in self.handovers.find(query).sort([("opened_at", ASCENDING)]).limit(1000)]

    async def evidence_list(self, *, author_key: str | None, conversation_key: str | None, limit: int = 5000) -> list[dict]:
        query: dict = {}
        if author_key:
            query["author_key"] = {"$eq": author_key}
        if conversation_key:
            query["conversation_key"] = {"$eq": conversation_key}
        return [e async for e in self.evidence.find(query).sort([("sent_at", ASCENDING)]).limit(limit)]

    async def abusive_authors(self, *, min_count: int) -> list[dict]:
        cursor = self.authors.find({"count": {"$gte": min_count}}).sort([("count", DESCENDING), ("_id", ASCENDING)])
        return [a async for a in cursor.limit(500)]

    async def published_policy(self) -> dict:
        return await self.policy.find_one({"_id": "current"}) or {}

    async def absences(self) -> dict[str, dict]:
        return {a["_id"]: a async for a in self.absence.find({})}

    async def loads(self) -> dict[str, int]:
        pipeline = [{"$match": {"assignee": {"$ne": None}, "status": {"$nin": [s.value for s in FINISHED]}}},
                    {"$group": {"_id": "$assignee", "n": {"$sum": 1}}}]
        return {d["_id"]: d["n"] async for d in await self.conversations.aggregate(pipeline)}


def handover_view(doc: dict, now: datetime) -> HandoverView:
    private = doc.get("private") or {}
    return HandoverView(
        id=doc["_id"], case_reference=doc["case_reference"], conversation_key=doc["conversation_key"],
        department=doc.get("department"), status=doc["status"], opened_by=doc.get("opened_by") or {},
        opened_at=doc["opened_at"], age_minutes=int((now - doc["opened_at"]).total_seconds() // 60),
        due_at=doc.get("due_at"), breached=bool(doc.get("breached")), private_channel=private.get("channel"),
        private_conversation_key=private.get("conversation_key"), answered_at=doc.get("answered_at"),
    )
