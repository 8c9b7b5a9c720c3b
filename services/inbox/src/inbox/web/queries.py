"""Read-only queries behind the web pages, over the collections responder writes (through the inbox's one
MongoDB client). Every query is narrowed by the person's scope (`Principal.scope()`) before it runs; values
are passed as values, never built into query text. No `$lookup`/`$facet`: joins happen here."""

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from civic_contracts import AbuseLabel, ConversationStatus, ReplyState, Urgency
from civic_contracts.conversation import FINISHED, OPEN
from pymongo import ASCENDING, DESCENDING

from inbox.auth.principal import Principal
from inbox.web import matching

ABUSIVE = [a.value for a in AbuseLabel if a != AbuseLabel.NONE]
LIST_FIELDS = ("channel", "account_id", "kind", "status", "department", "urgency", "urgency_rank", "sentiment", "abuse",
               "language", "needs_review", "author", "first_message_at", "last_message_at", "message_count", "assignee",
               "assignee_name", "sla", "case_reference", "routing_blocked", "replying", "handover_role")
FILTERS = ("channel", "department", "urgency", "sentiment", "language", "status")
SORTS = {
    "newest": [("last_message_at", DESCENDING), ("_id", ASCENDING)],
    "urgent": [("urgency_rank", DESCENDING), ("last_message_at", DESCENDING), ("_id", ASCENDING)],
}


@dataclass(frozen=True)
class View:
    id: str
    title: str
    open_only: bool = True


VIEWS = (
    View("all", "All open"), View("mine", "Mine"), View("unassigned", "Unassigned"),
    View("my_departments", "My departments"), View("urgent", "Critical and high"), View("sla_risk", "SLA at risk"),
    View("needs_review", "Needs review"), View("handed_over", "Handed over"), View("abusive", "Abusive"),
    View("done", "Recently resolved and closed", open_only=False),
)
VIEW_IDS = {v.id: v for v in VIEWS}


def view_condition(view: str, principal: Principal, now: datetime) -> dict:
    """The condition of a saved view, for this person, now."""
    if view == "mine":
        return {"assignee": {"$eq": principal.user_id}}
    if view == "unassigned":
        return {"assignee": None}
    if view == "my_departments":
        mine = [d for d in principal.departments if d != "*"]
        return {} if "*" in principal.departments or not mine else {"department": {"$in": mine}}
    if view == "urgent":
        return {"urgency": {"$in": [Urgency.CRITICAL.value, Urgency.HIGH.value]}}
    if view == "sla_risk":
        return {"$or": [{"sla.first_response.met_at": None, "sla.first_response.warn_at": {"$lte": now}},
                        {"sla.resolution.met_at": None, "sla.resolution.warn_at": {"$lte": now}}]}
    if view == "needs_review":
        return {"$or": [{"needs_review": True}, {"status": ConversationStatus.NEEDS_REVIEW.value}]}
    if view == "handed_over":
        return {"status": {"$eq": ConversationStatus.HANDED_OVER.value}}
    if view == "abusive":
        return {"abuse": {"$in": ABUSIVE}}
    if view == "done":
        return {"status": {"$in": [s.value for s in FINISHED]}}
    return {}


def list_query(principal: Principal, *, view: str, filters: dict[str, str], now: datetime) -> dict:
    parts: list[dict] = []
    chosen = VIEW_IDS.get(view, VIEW_IDS["all"])
    if chosen.open_only and "status" not in filters:
        parts.append({"status": {"$in": [s.value for s in OPEN]}})
    if condition := view_condition(chosen.id, principal, now):
        parts.append(condition)
    parts.extend({name: {"$eq": value}} for name, value in filters.items() if name in FILTERS and value)
    parts.extend({name: condition} for name, condition in principal.scope().items())
    return {"$and": parts} if parts else {}


@dataclass
class Row:
    doc: dict
    snippet: str = ""
    snippet_abuse: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.doc["_id"]


async def inbox_rows(db, principal: Principal, *, view: str, filters: dict[str, str], sort: str, page: int,
                     page_size: int, now: datetime | None = None, only_key: str | None = None,
                     index=None) -> tuple[list[Row], int]:
    """One page of the inbox list (or the one row `only_key`, if it is in this view) and the total: from the
    in-memory `index` when it is loaded, else from the database."""
    now = now or datetime.now(UTC)
    query = list_query(principal, view=view, filters=filters, now=now)
    if only_key is not None:
        query = {"$and": [query, {"_id": {"$eq": only_key}}]} if query else {"_id": {"$eq": only_key}}
    if index is not None and index.ready.is_set() and (only_key is None or await index.settled(only_key)):
        if only_key is not None:
            found = index.one(only_key, query)
        else:
            found = index.select(query, SORTS.get(sort, SORTS["newest"]))
        start = (page - 1) * page_size
        return [Row(d, d.get("_snippet", ""), d.get("_snippet_abuse")) for d in found[start:start + page_size]], len(found)
    projection = dict.fromkeys(LIST_FIELDS, True)
    if only_key is not None:  # one row: read it by `_id` and match here (a filtered find may scan)
        doc = await db["conversations"].find_one({"_id": only_key}, projection=projection)
        if doc is None or not matching.matches(doc, query):
            return [], 0
        cached = index.entries.get(only_key) if index is not None else None
        if cached is not None and "_snippet" in cached:
            return [Row(doc, cached["_snippet"], cached.get("_snippet_abuse"))], 1
        return await with_snippets(db, [doc]), 1
    cursor = db["conversations"].find(query, projection=projection).sort(SORTS.get(sort, SORTS["newest"]))
    docs = [d async for d in cursor.skip((page - 1) * page_size).limit(page_size)]
    total = await db["conversations"].count_documents(query)
    return await with_snippets(db, docs), total


async def with_snippets(db, docs: list[dict]) -> list[Row]:
    """Rows with the newest citizen message of each conversation (text and its abuse label)."""
    rows = {d["_id"]: Row(d) for d in docs}
    if rows:
        latest: dict[str, dict] = {}
        cursor = db["messages"].find(
            {"conversation_key": {"$in": list(rows)}, "platform_message_id": {"$exists": True}},
            projection={"conversation_key": True, "text": True, "sent_at": True, "triage.abuse": True},
        )
        async for m in cursor:
            seen = latest.get(m["conversation_key"])
            if seen is None or (m.get("sent_at") and seen.get("sent_at") and m["sent_at"] > seen["sent_at"]):
                latest[m["conversation_key"]] = m
        for key, m in latest.items():
            rows[key].snippet = " ".join((m.get("text") or "").split())[:180]
            rows[key].snippet_abuse = ((m.get("triage") or {}).get("abuse")) or None
    return list(rows.values())


async def messages_of(db, key: str, index=None) -> list[dict]:
    """The conversation's citizen messages, oldest first: read by `_id` when the in-memory list knows their
    ids (a query by conversation scans the collection on FerretDB), else by conversation."""
    ids = index.message_ids(key) if index is not None else None
    if ids:
        found = await asyncio.gather(*(db["messages"].find_one({"_id": i}, projection={"raw_payload": False}) for i in ids))
        if all(found):
            return sorted(found, key=lambda m: (m.get("sent_at") is None, m.get("sent_at"), m["_id"]))
    cursor = db["messages"].find({"conversation_key": {"$eq": key}, "platform_message_id": {"$exists": True}},
                                 projection={"raw_payload": False}).sort([("sent_at", ASCENDING)])
    return [m async for m in cursor]


async def earlier_conversations(db, principal: Principal, conversation: dict, limit: int = 10,
                                index=None) -> list[dict]:
    """The same citizen's other conversations on this channel, newest first (from the in-memory list when it
    is loaded: open ones and those of the last weeks)."""
    author = (conversation.get("author") or {}).get("platform_id")
    if not author:
        return []
    query = {"$and": [{"channel": {"$eq": conversation.get("channel")}}, {"author.platform_id": {"$eq": author}},
                      {"_id": {"$ne": conversation["_id"]}}, *({k: v} for k, v in principal.scope().items())]}
    if index is not None and index.ready.is_set():
        return index.select(query, SORTS["newest"])[:limit]
    cursor = db["conversations"].find(query, projection=dict.fromkeys(LIST_FIELDS, True))
    return [c async for c in cursor.sort([("last_message_at", DESCENDING)]).limit(limit)]


async def awaiting_approval(db, principal: Principal, limit: int = 200) -> list[dict]:
    """Replies waiting for a supervisor, oldest first, each with its conversation (within scope)."""
    replies = [r async for r in db["replies"].find({"status": ReplyState.AWAITING_APPROVAL.value}).sort([("requested_at", ASCENDING)]).limit(limit)]
    keys = sorted({r["conversation_key"] for r in replies})
    scope = [{k: v} for k, v in principal.scope().items()]
    query = {"$and": [{"_id": {"$in": keys}}, *scope]}
    conversations = {c["_id"]: c async for c in db["conversations"].find(query, projection=dict.fromkeys(LIST_FIELDS, True))}
    return [{**r, "conversation": conversations[r["conversation_key"]]} for r in replies if r["conversation_key"] in conversations]


async def staff_choices(users) -> list[dict]:
    return [u for u in await users.all_users() if u.get("active") is not False]
