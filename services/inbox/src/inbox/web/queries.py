"""What the web pages list, for one person: the inbox page (from the in-memory list when it is loaded, else
from the store), rows with their newest message, the conversation's messages and the citizen's earlier
conversations. The queries themselves are the store's (`inbox/adapters/conversations.py`), narrowed by the
person's scope (`Principal.scope()`)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from inbox.adapters import conversations as store_queries
from inbox.adapters.conversations import SORTS, VIEW_IDS, VIEWS, ConversationStore, snippet
from inbox.auth.principal import Principal
from inbox.web import matching

__all__ = ["SORTS", "VIEWS", "VIEW_IDS", "FILTERS", "Row", "list_query", "inbox_rows"]
FILTERS = store_queries.FILTERS


def list_query(principal: Principal, *, view: str, filters: dict[str, str], now: datetime) -> dict:
    """The inbox list's query for this person: their view, filters and scope."""
    return store_queries.list_query(principal.scope(), user_id=principal.user_id, departments=principal.departments,
                                    view=view, filters=filters, now=now)


@dataclass
class Row:
    doc: dict
    snippet: str = ""
    snippet_abuse: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.doc["_id"]


async def inbox_rows(store: ConversationStore, principal: Principal, *, view: str, filters: dict[str, str], sort: str,
                     page: int, page_size: int, now: datetime | None = None, only_key: str | None = None,
                     index=None) -> tuple[list[Row], int]:
    """One page of the inbox list (or the one row `only_key`, if it is in this view) and the total: from the
    in-memory `index` when it is loaded, else from the database."""
    now = now or datetime.now(UTC)
    query = list_query(principal, view=view, filters=filters, now=now)
    order = SORTS.get(sort, SORTS["newest"])
    if only_key is not None:
        query = store_queries.one_of(query, only_key)
    if index is not None and index.ready.is_set() and (only_key is None or await index.settled(only_key)):
        if only_key is not None:
            found, total = index.one(only_key, query), None
        else:
            found, total = index.page(query, order, start=(page - 1) * page_size, size=page_size)
        rows = [Row(d, d.get("_snippet", ""), d.get("_snippet_abuse")) for d in found]
        return rows, len(rows) if total is None else total
    if only_key is not None:  # one row: read it by `_id` and match here (a filtered find may scan)
        doc = await store.list_entry(only_key)
        if doc is None or not matching.matches(doc, query):
            return [], 0
        cached = index.entries.get(only_key) if index is not None else None
        if cached is not None and "_snippet" in cached:
            return [Row(doc, cached["_snippet"], cached.get("_snippet_abuse"))], 1
        return await with_snippets(store, [doc]), 1
    docs, total = await store.list_page(query, order, skip=(page - 1) * page_size, limit=page_size)
    return await with_snippets(store, docs), total


async def view_count(store: ConversationStore, principal: Principal, view: str, *, now: datetime | None = None,
                     index=None) -> int:
    """How many conversations a saved view holds for this person (no filters)."""
    query = list_query(principal, view=view, filters={}, now=now or datetime.now(UTC))
    if index is not None and index.ready.is_set():
        return index.page(query, SORTS["newest"], start=0, size=0)[1]
    return await store.count(query)


async def with_snippets(store: ConversationStore, docs: list[dict]) -> list[Row]:
    """Rows with the newest citizen message of each conversation (text and its abuse label)."""
    rows = {d["_id"]: Row(d) for d in docs}
    for key, m in (await store.latest_messages(list(rows))).items():
        rows[key].snippet = snippet(m)
        rows[key].snippet_abuse = ((m.get("triage") or {}).get("abuse")) or None
    return list(rows.values())


async def messages_of(store: ConversationStore, key: str, index=None) -> list[dict]:
    """The conversation's citizen messages, oldest first (by `_id` when the in-memory list knows their ids)."""
    return await store.messages_of(key, index.message_ids(key) if index is not None else None)


async def earlier_conversations(store: ConversationStore, principal: Principal, conversation: dict, limit: int = 10,
                                index=None) -> list[dict]:
    """The same citizen's other conversations on this channel, newest first (from the in-memory list when it
    is loaded: open ones and those of the last weeks)."""
    query = store_queries.same_author_query(principal.scope(), conversation)
    if query is None:
        return []
    if index is not None and index.ready.is_set():
        return index.page(query, SORTS["newest"], start=0, size=limit)[0]
    return await store.find_list(query, sort=SORTS["newest"], limit=limit)


async def awaiting_approval(store: ConversationStore, principal: Principal, limit: int = 200) -> list[dict]:
    """Replies waiting for a supervisor, oldest first, each with its conversation (within scope)."""
    return await store.awaiting_approval(principal.scope(), limit)


async def staff_choices(users) -> list[dict]:
    return [u for u in await users.all_users() if u.get("active") is not False]
