"""The in-memory list's postings and sort orders answer every view, filter and scope exactly as the plain
query would (MongoDB's semantics, evaluated by `matching`), in order and with the same total, while entries
change under them."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from inbox.adapters.conversations import FILTERS, SORTS, VIEWS
from inbox.auth.principal import Principal
from inbox.web import matching, queries
from inbox.web.list_index import Postings
from inbox.web.list_page import page
from inbox.web.sort_order import SortOrder

NOW = datetime(2026, 1, 14, 11, 0, tzinfo=UTC)
PEOPLE = [
    Principal(user_id="ann", name="Ann", role="agent", departments=("*",)),
    Principal(user_id="sue", name="Sue", role="supervisor", departments=("*",)),
    Principal(user_id="hal", name="Hal", role="department_staff", departments=("highways", "waste")),
]


def random_doc(rng: random.Random, i: int) -> dict:
    at = NOW - timedelta(minutes=rng.randint(0, 5000))
    doc = {"_id": f"k{i:04d}", "status": rng.choice(["new", "needs_review", "assigned", "waiting_on_citizen", "replied",
                                                      "handed_over", "resolved", "closed"]),
           "department": rng.choice(["highways", "waste", "housing", None]), "channel": rng.choice(["sms", "x", "email"]),
           "urgency": rng.choice(["normal", "high", "critical"]), "sentiment": rng.choice(["negative", "neutral"]),
           "language": rng.choice(["en", "cy"]), "abuse": rng.choice(["none", "none", "threat"]),
           "needs_review": rng.random() < 0.2, "last_message_at": at, "first_message_at": at,
           "author": {"platform_id": f"p{rng.randint(0, 30)}"},
           "sla": {"first_response": {"warn_at": at + timedelta(minutes=rng.randint(-600, 600))},
                   "resolution": {"warn_at": at + timedelta(minutes=rng.randint(0, 900))}}}
    if rng.random() < 0.3:
        doc["sla"]["first_response"]["met_at"] = at
    doc["urgency_rank"] = {"normal": 0, "high": 1, "critical": 2}[doc["urgency"]]
    if rng.random() < 0.4:
        doc["assignee"] = rng.choice(["ann", "sue", None])
    if rng.random() < 0.1:
        doc["routing_blocked"] = True
    if doc["department"] is None:
        del doc["department"]
    return doc


class Entries:
    def __init__(self, docs: list[dict]) -> None:
        self.entries = {d["_id"]: d for d in docs}
        self.postings = Postings()
        self.postings.rebuild(self.entries)
        self.orders = {name: SortOrder(spec) for name, spec in SORTS.items()}
        for order in self.orders.values():
            order.rebuild(self.entries)

    def put(self, doc: dict) -> None:
        self.entries[doc["_id"]] = doc
        self.postings.put(doc["_id"], doc)
        for order in self.orders.values():
            order.put(doc["_id"], doc)

    def remove(self, key: str) -> None:
        del self.entries[key]
        self.postings.remove(key)
        for order in self.orders.values():
            order.remove(key)


def queries_to_try(rng: random.Random) -> list[dict]:
    out = []
    for person in PEOPLE:
        for view in VIEWS:
            filters = {name: rng.choice(["sms", "highways", "high", "negative", "cy", "new", "closed"])
                       for name in rng.sample(FILTERS, rng.randint(0, 2))}
            out.append(queries.list_query(person, view=view.id, filters=filters, now=NOW))
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_pages_and_totals_match_the_plain_query_as_entries_change(seed: int) -> None:
    rng = random.Random(seed)
    state = Entries([random_doc(rng, i) for i in range(250)])
    for round_ in range(3):
        ordered = {sort: matching.sort_docs(list(state.entries.values()), spec) for sort, spec in SORTS.items()}
        for query in queries_to_try(rng):
            for sort in SORTS:
                want = [d["_id"] for d in ordered[sort] if matching.matches(d, query)]
                rows, total = page(query, state.orders[sort].keys(), state.entries, state.postings, start=0, size=None)
                assert ([d["_id"] for d in rows], total) == (want, len(want))
                rows, total = page(query, state.orders[sort].keys(), state.entries, state.postings, start=5, size=7)
                assert ([d["_id"] for d in rows], total) == (want[5:12], len(want))
                rows, total = page(query, state.orders[sort].keys(), state.entries, state.postings, start=2, size=9,
                                   rank=state.orders[sort].rank)  # few matches: sorted directly
                assert ([d["_id"] for d in rows], total) == (want[2:11], len(want))
        # The SLA view as time passes (its warning times are kept up to date between page views), and back.
        for minutes in (-300, 0, 200, 200, 700, -100):
            query = queries.list_query(PEOPLE[1], view="sla_risk", filters={}, now=NOW + timedelta(minutes=minutes))
            want = [d["_id"] for d in ordered["urgent"] if matching.matches(d, query)]
            rows, total = page(query, state.orders["urgent"].keys(), state.entries, state.postings, start=0, size=None)
            assert ([d["_id"] for d in rows], total) == (want, len(want))
        # Change a third of the entries (a status, a department, an assignee, new activity), drop some, add some.
        for key in rng.sample(sorted(state.entries), 80):
            state.put({**random_doc(rng, int(key[1:])), "_id": key})
        for key in rng.sample(sorted(state.entries), 20):
            state.remove(key)
        for i in range(20):
            state.put(random_doc(rng, 1000 + 100 * round_ + i))


def test_booleans_and_numbers_are_posted_apart() -> None:
    postings = Postings(("needs_review",))
    postings.put("a", {"needs_review": True})
    postings.put("b", {"needs_review": 1})
    postings.put("c", {})

    def keys(condition) -> set[str]:
        return set(postings.keys(postings.answer("needs_review", condition)))
    assert keys(True) == {"a"} and keys(None) == {"c"} and keys({"$ne": True}) == {"b", "c"}
    assert postings.answer("needs_review", {"$gt": 0}) is None  # not a posting question
    postings.remove("a")
    postings.put("d", {"needs_review": True})  # takes the freed slot
    assert keys(True) == {"d"} and keys({"$nin": [True, None]}) == {"b"}
