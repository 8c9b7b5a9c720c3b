"""The inbox's one store of what responder writes about conversations (conversations, messages, replies,
notes, timeline), read-only: every query on those collections is built here, and documents become the
contracts' `StoredConversation` (through the API's `ConversationView`) here.

Filters are passed as values, never built into query text; every list is narrowed by the caller's scope
(`Principal.scope()`) before it runs, so lists and counts never include what they may not see. No `$lookup`
or `$facet` (FerretDB has neither): joins of conversations and messages are done here. On FerretDB only
reads by `_id` are served from an index, so the pages read lists from the in-memory list
(`inbox/web/inbox_index.py`, loaded through `scan_list`/`scan_snippets`) and come here for a page only
until it is loaded."""

import asyncio
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from civic_contracts import AbuseLabel, ConversationStatus, ReplyState, Urgency
from civic_contracts.conversation import FINISHED, OPEN
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient

from inbox.schemas import ConversationView, MessageView

S = ConversationStatus
# The fields a list row shows (and the in-memory list keeps).
LIST_FIELDS = ("channel", "account_id", "kind", "status", "department", "urgency", "urgency_rank", "sentiment", "abuse",
               "language", "needs_review", "author", "first_message_at", "last_message_at", "message_count", "assignee",
               "assignee_name", "sla", "case_reference", "routing_blocked", "replying", "handover_role", "not_a_request")
FILTERS = ("channel", "department", "urgency", "sentiment", "language", "status")
SORTS = {
    "newest": [("last_message_at", DESCENDING), ("_id", ASCENDING)],
    "urgent": [("urgency_rank", DESCENDING), ("last_message_at", DESCENDING), ("_id", ASCENDING)],
}
OPEN_VALUES = [s.value for s in OPEN]
ABUSIVE = [a.value for a in AbuseLabel if a != AbuseLabel.NONE]
SNIPPET_FIELDS = {"conversation_key": True, "text": True, "sent_at": True, "triage.abuse": True,
                  "platform_message_id": True}
CITIZEN = {"platform_message_id": {"$exists": True}}  # a message, not a triage result stored before it


@dataclass(frozen=True)
class View:
    id: str
    title: str
    open_only: bool = True


VIEWS = (
    View("all", "All open"), View("mine", "Mine"), View("unassigned", "Unassigned"),
    View("my_departments", "My departments"), View("urgent", "Critical and high"), View("sla_risk", "SLA at risk"),
    View("needs_review", "Needs review"), View("not_a_request", "Not a request"), View("handed_over", "Handed over"),
    View("abusive", "Abusive"), View("done", "Recently resolved and closed", open_only=False),
)
VIEW_IDS = {v.id: v for v in VIEWS}
# The views of work waiting for people: a conversation that is not a request is in none of them (it has a view
# of its own, and stays in "Mine" if someone took it, "Abusive" and the finished list).
WORK_VIEWS = ("all", "unassigned", "my_departments", "urgent", "sla_risk", "needs_review")
NOT_A_REQUEST = {"not_a_request": {"$ne": None}}
IS_WORK = {"not_a_request": None}


def view_condition(view: str, *, user_id: str, departments: tuple[str, ...], now: datetime) -> dict:
    """The condition of a saved view, for this person, now."""
    conditions = {
        "mine": {"assignee": {"$eq": user_id}},
        "unassigned": {"assignee": None},
        "urgent": {"urgency": {"$in": [Urgency.CRITICAL.value, Urgency.HIGH.value]}},
        "sla_risk": {"$or": [{"sla.first_response.met_at": None, "sla.first_response.warn_at": {"$lte": now}},
                             {"sla.resolution.met_at": None, "sla.resolution.warn_at": {"$lte": now}}]},
        "needs_review": {"$or": [{"needs_review": True}, {"status": S.NEEDS_REVIEW.value}]},
        "handed_over": {"status": {"$eq": S.HANDED_OVER.value}},
        "abusive": {"abuse": {"$in": ABUSIVE}},
        "done": {"status": {"$in": [s.value for s in FINISHED]}},
        "not_a_request": NOT_A_REQUEST,
    }
    if view == "my_departments":
        mine = [d for d in departments if d != "*"]
        return {} if "*" in departments or not mine else {"department": {"$in": mine}}
    return conditions.get(view, {})


def list_query(scope: Mapping, *, user_id: str, departments: tuple[str, ...], view: str, filters: Mapping[str, str],
               now: datetime) -> dict:
    """The query of the inbox list: a saved view, the filters chosen, narrowed by the person's scope."""
    parts: list[dict] = []
    chosen = VIEW_IDS.get(view, VIEW_IDS["all"])
    if chosen.open_only and "status" not in filters:
        parts.append({"status": {"$in": OPEN_VALUES}})
    if condition := view_condition(chosen.id, user_id=user_id, departments=departments, now=now):
        parts.append(condition)
    if chosen.id in WORK_VIEWS:
        parts.append(IS_WORK)
    parts.extend({name: {"$eq": value}} for name, value in filters.items() if name in FILTERS and value)
    parts.extend({name: condition} for name, condition in scope.items())
    return {"$and": parts} if parts else {}


def one_of(query: dict, key: str) -> dict:
    """`query`, narrowed to the conversation `key`."""
    return {"$and": [query, {"_id": {"$eq": key}}]} if query else {"_id": {"$eq": key}}


def same_author_query(scope: Mapping, conversation: Mapping) -> dict | None:
    """The same citizen's other conversations on this channel (None when the author is not known)."""
    author = (conversation.get("author") or {}).get("platform_id")
    if not author:
        return None
    return {"$and": [{"channel": {"$eq": conversation.get("channel")}}, {"author.platform_id": {"$eq": author}},
                     {"_id": {"$ne": conversation["_id"]}}, *({k: v} for k, v in scope.items())]}


def started_since_query(scope: Mapping, since: datetime) -> dict:
    return {"$and": [{"first_message_at": {"$gte": since}}, *({k: v} for k, v in scope.items())]}


def snippet(message: Mapping) -> str:
    return " ".join((message.get("text") or "").split())[:180]


class ConversationStore:
    def __init__(self, db) -> None:
        self.db = db  # a pymongo database (or, in tests, a mapping of collection name to collection)

    @property
    def conversations(self):
        return self.db["conversations"]

    @property
    def messages(self):
        return self.db["messages"]

    @property
    def replies(self):
        return self.db["replies"]

    @property
    def notes(self):
        return self.db["notes"]

    @property
    def timeline(self):
        return self.db["timeline"]

    @classmethod
    def connect(cls, client: AsyncMongoClient, database: str) -> "ConversationStore":
        return cls(client[database])

    # One conversation.

    async def get(self, key: str) -> dict | None:
        return await self.conversations.find_one({"_id": key})

    async def list_entry(self, key: str, fields: tuple[str, ...] = LIST_FIELDS) -> dict | None:
        return await self.conversations.find_one({"_id": key}, projection=dict.fromkeys(fields, True))

    async def routing_blocked(self, key: str) -> bool:
        doc = await self.conversations.find_one({"_id": key}, projection={"routing_blocked": True})
        return bool((doc or {}).get("routing_blocked"))

    async def view(self, doc: dict) -> ConversationView:
        return self._view(doc, [MessageView(id=m["_id"], **m) for m in await self.messages_of(doc["_id"])])

    @staticmethod
    def _view(doc: dict, messages: list[MessageView]) -> ConversationView:
        fields = {k: v for k, v in doc.items() if k not in ("_id", "message_count")}
        # Counted from the messages shown, so the two always agree (responder writes them one after the other).
        return ConversationView(id=doc["_id"], messages=messages, message_count=len(messages), **fields)

    async def messages_of(self, key: str, ids: list[str] | None = None) -> list[dict]:
        """The conversation's citizen messages, oldest first: by `_id` when their ids are known (a query by
        conversation scans the collection on FerretDB), else by conversation."""
        if ids:
            found = await asyncio.gather(*(self.messages.find_one({"_id": i}, projection={"raw_payload": False})
                                           for i in ids))
            if all(found):
                return sorted(found, key=lambda m: (m.get("sent_at") is None, m.get("sent_at"), m["_id"]))
        cursor = self.messages.find({"conversation_key": {"$eq": key}, **CITIZEN},
                                    projection={"raw_payload": False}).sort([("sent_at", ASCENDING)])
        return [m async for m in cursor]

    async def reply(self, reply_id: str) -> dict | None:
        return await self.replies.find_one({"_id": reply_id})

    async def replies_of(self, key: str) -> list[dict]:
        return [r async for r in self.replies.find({"conversation_key": key}).sort([("requested_at", ASCENDING)])]

    async def notes_of(self, key: str) -> list[dict]:
        return [n async for n in self.notes.find({"conversation_key": key}).sort([("at", ASCENDING)])]

    async def timeline_of(self, key: str, limit: int = 500) -> list[dict]:
        cursor = self.timeline.find({"conversation_key": key}).sort([("at", ASCENDING)]).limit(limit)
        return [e async for e in cursor]

    # Lists (straight from the database: the in-memory list answers these once it is loaded).

    async def page(self, *, filters: dict[str, str], page: int, page_size: int, scope: dict | None = None,
                   not_a_request: bool | None = None) -> tuple[list[ConversationView], int]:
        """The API's list: exact filters, newest first, with each conversation's messages; `not_a_request` True
        lists only conversations that are not a request, False only the others."""
        query = {field: {"$eq": value} for field, value in filters.items()}
        if not_a_request is not None:
            query.update(NOT_A_REQUEST if not_a_request else IS_WORK)
        for field, condition in (scope or {}).items():
            query[field] = {**query.get(field, {}), **condition} if field in query else condition
        docs, total = await self.list_page(query, SORTS["newest"], skip=(page - 1) * page_size, limit=page_size,
                                           fields=None)
        by_key: dict[str, list[MessageView]] = {d["_id"]: [] for d in docs}
        if by_key:
            found = self.messages.find({"conversation_key": {"$in": list(by_key)}, **CITIZEN},
                                       projection={"raw_payload": False}).sort([("sent_at", ASCENDING)])
            async for m in found:
                by_key[m["conversation_key"]].append(MessageView(id=m["_id"], **m))
        return [self._view(d, by_key[d["_id"]]) for d in docs], total

    async def list_page(self, query: dict, sort: list, *, skip: int, limit: int,
                        fields: tuple[str, ...] | None = LIST_FIELDS) -> tuple[list[dict], int]:
        projection = dict.fromkeys(fields, True) if fields else None
        cursor = self.conversations.find(query, projection=projection).sort(sort).skip(skip).limit(limit)
        return [d async for d in cursor], await self.conversations.count_documents(query)

    async def count(self, query: dict) -> int:
        return await self.conversations.count_documents(query)

    async def find_list(self, query: dict, *, sort: list | None = None, limit: int = 0,
                        fields: tuple[str, ...] = LIST_FIELDS) -> list[dict]:
        cursor = self.conversations.find(query, projection=dict.fromkeys(fields, True))
        if sort:
            cursor = cursor.sort(sort)
        return [d async for d in cursor.limit(limit)]

    async def of_keys(self, keys: list[str], scope: Mapping) -> list[dict]:
        """The list rows of these conversations that the scope allows."""
        query = {"$and": [{"_id": {"$in": keys}}, *({k: v} for k, v in scope.items())]}
        return await self.find_list(query)

    async def latest_messages(self, keys: list[str]) -> dict[str, dict]:
        """The newest citizen message of each conversation (text, time, abuse label)."""
        latest: dict[str, dict] = {}
        if keys:
            cursor = self.messages.find({"conversation_key": {"$in": keys}, **CITIZEN},
                                        projection={"conversation_key": True, "text": True, "sent_at": True,
                                                    "triage.abuse": True})
            async for m in cursor:
                seen = latest.get(m["conversation_key"])
                if seen is None or (m.get("sent_at") and seen.get("sent_at") and m["sent_at"] > seen["sent_at"]):
                    latest[m["conversation_key"]] = m
        return latest

    async def conversation_keys_of(self, message_ids: list[str]) -> list[str]:
        found = self.messages.find({"_id": {"$in": message_ids}}, projection={"conversation_key": True})
        return sorted({m["conversation_key"] async for m in found if m.get("conversation_key")})

    async def awaiting_approval(self, scope: Mapping, limit: int = 200) -> list[dict]:
        """Replies waiting for a supervisor, oldest first, each with its conversation (within scope)."""
        cursor = self.replies.find({"status": ReplyState.AWAITING_APPROVAL.value}).sort([("requested_at", ASCENDING)])
        replies = [r async for r in cursor.limit(limit)]
        rows = {c["_id"]: c for c in await self.of_keys(sorted({r["conversation_key"] for r in replies}), scope)}
        return [{**r, "conversation": rows[r["conversation_key"]]} for r in replies if r["conversation_key"] in rows]

    async def queue_counts(self, scope: dict) -> list[dict]:
        """Open conversations per department, within the caller's scope: waiting in the queue vs assigned (a
        conversation that is not a request is in no queue)."""
        pipeline = [
            {"$match": {**scope, "status": {"$in": OPEN_VALUES}, **IS_WORK}},
            {"$group": {"_id": {"department": "$department", "assignee": "$assignee"}, "n": {"$sum": 1}}},
        ]
        counts: dict[str | None, dict] = {}
        async for row in await self.conversations.aggregate(pipeline):
            dept = row["_id"].get("department")
            entry = counts.setdefault(dept, {"department": dept, "waiting": 0, "assigned": 0})
            entry["assigned" if row["_id"].get("assignee") else "waiting"] += row["n"]
        return sorted(counts.values(), key=lambda c: c["department"] or "")

    # What the in-memory list loads and follows.

    def scan_list(self, fields: tuple[str, ...] = LIST_FIELDS) -> AsyncIterator[dict]:
        return aiter(self.conversations.find({}, projection=dict.fromkeys(fields, True)))

    def scan_snippets(self) -> AsyncIterator[dict]:
        return aiter(self.messages.find(CITIZEN, projection=SNIPPET_FIELDS))

    async def conversations_started(self, since, until, scope: Mapping, fields: tuple[str, ...]) -> list[dict]:
        """Conversations that started in [since, until) within the person's scope, for the reports (a page
        someone waits for; it reads the range, capped at 200,000)."""
        query = {"$and": [{"first_message_at": {"$gte": since, "$lt": until}}, *({k: v} for k, v in scope.items())]}
        found = self.conversations.find(query, projection=dict.fromkeys(fields, True)).limit(200_000)
        return [d async for d in found]

    async def snippet_message(self, message_id: str) -> dict | None:
        return await self.messages.find_one({"_id": message_id}, projection=SNIPPET_FIELDS)
