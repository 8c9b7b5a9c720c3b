"""The in-memory inbox list: loads, follows events by `_id` reads (coalesced per conversation), applies
events that arrive during a load after it, and answers the same query the database would."""

import asyncio
from datetime import UTC, datetime, timedelta

from inbox.adapters.conversations import LIST_FIELDS, ConversationStore
from inbox.auth.principal import Principal
from inbox.web import queries
from inbox.web.inbox_index import InboxIndex

NOW = datetime.now(UTC)


class Collection:
    def __init__(self, docs: list[dict], *, delay: float = 0.0) -> None:
        self.docs = {d["_id"]: d for d in docs}
        self.delay = delay
        self.reads = 0

    def find(self, query=None, projection=None):
        docs = list(self.docs.values())
        delay = self.delay

        async def iterate():
            for doc in docs:
                await asyncio.sleep(delay)
                yield dict(doc)
        return iterate()

    async def find_one(self, query, projection=None):
        self.reads += 1
        await asyncio.sleep(0)
        doc = self.docs.get(query["_id"])
        return dict(doc) if doc else None


def conversation(key: str, **fields) -> dict:
    return {"_id": key, "status": "new", "department": "waste", "urgency_rank": 0, "last_message_at": NOW, **fields}


def message(key: str, n: int, text: str) -> dict:
    return {"_id": f"{key}:{n}", "conversation_key": key, "platform_message_id": str(n), "text": text,
            "sent_at": NOW + timedelta(seconds=n), "triage": {"abuse": "none"}}


async def test_the_list_loads_follows_events_and_matches_the_query() -> None:
    conversations = Collection([conversation("a"), conversation("b", urgency_rank=2),
                                conversation("old", status="closed", last_message_at=NOW - timedelta(days=90))])
    messages = Collection([message("a", 1, "first"), message("a", 2, "second"), message("b", 1, "bins")])
    index = InboxIndex(ConversationStore({"conversations": conversations, "messages": messages}), fields=LIST_FIELDS)
    index.positioned()
    await asyncio.wait_for(index.ready.wait(), 5)
    assert sorted(index.entries) == ["a", "b"] and index.entries["a"]["_snippet"] == "second"
    agent = Principal(user_id="u", name="U", role="agent", departments=("*",))
    query = queries.list_query(agent, view="all", filters={}, now=NOW)
    assert [d["_id"] for d in index.select(query, queries.SORTS["urgent"])] == ["b", "a"]

    conversations.docs["c"] = conversation("c", department="highways", urgency_rank=1)
    messages.docs["c:1"] = message("c", 1, "pothole")
    before = conversations.reads
    for _ in range(5):
        index.on_event({"conversation_key": "c", "type": "message_received", "data": {"message_id": "c:1"}})
    assert await index.settled("c")
    assert conversations.reads - before <= 2 and index.entries["c"]["_snippet"] == "pothole"
    conversations.docs["c"]["message_count"] = 1
    index.on_event({"conversation_key": "c", "type": "assigned", "data": {}})
    assert await index.settled("c") and index.message_ids("c") == ["c:1"]
    assert [d["_id"] for d in index.select(query, queries.SORTS["urgent"])] == ["b", "c", "a"]

    del conversations.docs["b"]
    index.on_event({"conversation_key": "b", "type": "status_changed", "data": {}})
    assert await index.settled("b") and "b" not in index.entries


async def test_events_during_a_load_are_applied_after_it() -> None:
    conversations = Collection([conversation(f"k{i}") for i in range(20)], delay=0.01)
    index = InboxIndex(ConversationStore({"conversations": conversations, "messages": Collection([])}), fields=LIST_FIELDS)
    index.positioned()
    await asyncio.sleep(0.05)  # loading
    conversations.docs["k0"] = conversation("k0", status="assigned", assignee="u")
    index.on_event({"conversation_key": "k0", "type": "assigned", "data": {}})
    await asyncio.wait_for(index.ready.wait(), 5)
    assert await index.settled("k0")
    assert index.entries["k0"]["status"] == "assigned"
    await index.stop()
