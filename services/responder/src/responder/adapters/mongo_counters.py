"""Counters kept up to date as conversations change, instead of counting on every message.

Counting on the hot path (an agent's open conversations for least-loaded assignment, a department's queue)
scans the `conversations` collection on FerretDB's SQLite backend, so each message would cost more as the
history grows. Instead every conversation write reports (before, after) here; the counters it moves are
adjusted in memory and written once per batch (`flush`: one `$inc` per counter, by `_id`). Readers add
what is not flushed yet.

Counter ids (collection `counts`, field `n`):
- `load:<user id>`: open conversations assigned to that person;
- `queue:<department>:waiting` / `queue:<department>:assigned`: open conversations of a department without
  / with an assignee (`-` for conversations not routed yet); a conversation that is not a request is in none.

A crash between a conversation write and the flush, or concurrent writers on a store without atomic
updates, can make a counter drift; `repair` recomputes them from the conversations (a scan: it runs from
the periodic job, not per message) and corrects those that are off, skipping any counter that moved while
it was counting, so it never overwrites a concurrent change with a stale count.
"""

from collections import Counter
from collections.abc import Awaitable, Callable

from pymongo import AsyncMongoClient

from responder.domain.states import FINISHED

PREFIXES = ("load:", "queue:")


def contributions(conversation: dict | None) -> set[str]:
    """The counters a conversation in this state adds one to."""
    if (not conversation or conversation.get("status") in FINISHED or conversation.get("status") is None
            or conversation.get("not_a_request")):  # not a request: in no queue
        return set()
    department = conversation.get("department") or "-"
    assignee = conversation.get("assignee")
    if assignee:
        return {f"load:{assignee}", f"queue:{department}:assigned"}
    return {f"queue:{department}:waiting"}


class Counters:
    def __init__(self, client: AsyncMongoClient, database: str) -> None:
        self.counts = client[database]["counts"]
        self.pending: Counter[str] = Counter()
        self._touched: set[str] | None = None  # counters moved while a repair is counting

    def changed(self, before: dict | None, after: dict | None) -> None:
        """Record that a conversation went from `before` to `after` (either may be None)."""
        was, now = contributions(before), contributions(after)
        for key in now - was:
            self.pending[key] += 1
        for key in was - now:
            self.pending[key] -= 1
        if self._touched is not None:
            self._touched.update(was ^ now)

    async def flush(self) -> None:
        """Write what moved since the last flush: one `$inc` per counter, by `_id`."""
        moves = {k: n for k, n in self.pending.items() if n}
        self.pending.clear()
        for key, n in moves.items():
            try:
                await self.counts.find_one_and_update({"_id": key}, {"$inc": {"n": n}}, upsert=True)
            except Exception:
                self.pending[key] += n  # kept for the next flush
                raise

    async def get(self, key: str) -> int:
        doc = await self.counts.find_one({"_id": key})
        return int((doc or {}).get("n") or 0) + self.pending.get(key, 0)

    async def loads(self, user_ids: list[str]) -> dict[str, int]:
        """Open conversations per person, in one read (an `$in` on `_id` scans on FerretDB, but `counts` only
        holds a few documents per person and department)."""
        if not user_ids:
            return {}
        keys = [f"load:{u}" for u in user_ids]
        stored = {d["_id"]: int(d.get("n") or 0) async for d in self.counts.find({"_id": {"$in": keys}})}
        return {u: stored.get(k, 0) + self.pending.get(k, 0) for u, k in zip(user_ids, keys, strict=True)}

    async def all(self) -> dict[str, int]:
        return {d["_id"]: int(d.get("n") or 0) async for d in self.counts.find({})}

    async def repair(self, count: Callable[[], Awaitable[dict[str, int]]]) -> dict[str, int]:
        """Recompute the counters with `count()` (the true values, from a scan) and correct those that are off
        and did not move meanwhile; returns {counter: corrected value}."""
        self._touched = set()
        try:
            await self.flush()
            before = await self.all()
            truth = await count()
            await self.flush()
            after = await self.all()
            fixed: dict[str, int] = {}
            for key in set(truth) | set(after):
                if key in self._touched or before.get(key) != after.get(key) or self.pending.get(key):
                    continue  # it moved while we counted: the next repair looks again
                if after.get(key, 0) != truth.get(key, 0):
                    await self.counts.find_one_and_update({"_id": key}, {"$set": {"n": truth.get(key, 0)}}, upsert=True)
                    fixed[key] = truth.get(key, 0)
            return fixed
        finally:
            self._touched = None


async def count_conversations(conversations) -> dict[str, int]:
    """The true value of every counter, from a scan of the conversations (only the fields that count)."""
    truth: Counter[str] = Counter()
    cursor = conversations.find({"status": {"$nin": list(FINISHED)}},
                                projection={"status": True, "assignee": True, "department": True,
                                            "not_a_request": True})
    async for conversation in cursor:
        truth.update(contributions(conversation))
    return dict(truth)
