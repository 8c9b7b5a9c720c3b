"""Kept counters (loads, queues, abuse per author) and their repair; the outbox (a publish Kafka did not take
is sent later by the relay, nothing lost, a repeat keeps its id); and a triage result redelivered after a
crash between the state write and the publish still yields its event. Real FerretDB."""

from datetime import timedelta

import pytest
from civic_contracts import TriageResult
from responder.adapters.kafka import OutboxPublisher
from responder.adapters.mongo_counters import contributions
from responder.adapters.mongo_outbox import Outbox
from responder.service import intake, jobs
from responder_world import OutboundRecorder, World, actor

# The relay takes entries created strictly before its cut-off, and the store keeps milliseconds: a cut-off a second
# ahead takes everything, even what was written in this same millisecond.
EVERYTHING = timedelta(seconds=-1)

pytestmark = pytest.mark.integration


async def stored_counts(world: World) -> dict[str, int]:
    await world.r.conversations.counters.flush()
    return {k: n for k, n in (await world.r.conversations.counters.all()).items() if n}


async def test_counters_follow_assignment_and_resolution_and_the_repair_fixes_drift(world: World) -> None:
    for user in ("pat", "rhi"):
        await world.add_user(user, "department_staff", ["parks_trees"])
    convos = [await world.conversation(department="parks_trees") for _ in range(3)]  # capacity 2 each
    await world.conversation(department="highways")  # manual: waits in its queue
    assert sorted(c.get("assignee") or "-" for c in convos) == ["pat", "rhi", "rhi"] or \
        sorted(c.get("assignee") or "-" for c in convos) == ["pat", "pat", "rhi"]
    loads = await world.r.conversations.counters.loads(["pat", "rhi"])
    assert sorted(loads.values()) == [1, 2]
    counts = await stored_counts(world)
    assert counts["queue:parks_trees:assigned"] == 3 and counts["queue:highways:waiting"] == 1
    busiest = max(loads, key=loads.get)
    mine = [c for c in convos if c.get("assignee") == busiest]
    await world.run(actor(busiest, role="department_staff", departments=["parks_trees"]), mine[0]["_id"],
                    {"action": "resolve"})
    counts = await stored_counts(world)
    assert counts[f"load:{busiest}"] == 1 and counts["queue:parks_trees:assigned"] == 2
    truth = dict(counts)

    # Drift: a lost increment, a counter that went missing, a stale one for somebody with no work.
    counters = world.db["counts"]
    await counters.update_one({"_id": f"load:{busiest}"}, {"$set": {"n": 7}})
    await counters.delete_one({"_id": "queue:highways:waiting"})
    await counters.insert_one({"_id": "load:ghost", "n": 3})
    fixed = await jobs.repair_counters(world.r)
    assert fixed == {f"load:{busiest}": 1, "queue:highways:waiting": 1, "load:ghost": 0}
    assert await stored_counts(world) == truth
    assert await jobs.repair_counters(world.r) == {}  # nothing left to fix


async def test_the_repair_leaves_a_counter_that_moved_while_it_counted(world: World) -> None:
    """A counter changed by a conversation write during the recount is not overwritten with a stale value."""
    convo = await world.conversation(department="highways")
    await world.db["counts"].update_one({"_id": "queue:highways:waiting"}, {"$set": {"n": 5}}, upsert=True)

    async def recount_while_a_conversation_moves():
        from responder.adapters.mongo_counters import count_conversations

        truth = await count_conversations(world.r.conversations.conversations)
        await world.run(actor("ann"), convo["_id"], {"action": "claim"})  # moves the highways counters
        return truth

    fixed = await world.r.conversations.counters.repair(recount_while_a_conversation_moves)
    assert "queue:highways:waiting" not in fixed
    assert (await jobs.repair_counters(world.r)).get("queue:highways:waiting") == 0  # the next repair fixes it


def test_what_a_conversation_counts_for() -> None:
    assert contributions({"status": "assigned", "assignee": "ann", "department": "waste"}) == {
        "load:ann", "queue:waste:assigned"}
    assert contributions({"status": "new", "assignee": None, "department": None}) == {"queue:-:waiting"}
    assert contributions({"status": "resolved", "assignee": "ann", "department": "waste"}) == set()


async def test_abuse_per_author_is_a_counter_once_per_message_and_repaired(world: World) -> None:
    first = await world.message("You are all useless idiots", author="troll-1")
    await world.triage(first, abuse="offensive")
    second = await world.message("Idiots, the lot of you", author="troll-1", key=first.conversation_key)
    convo = await world.triage(second, abuse="offensive")
    await world.triage(second, abuse="offensive")  # delivered again
    assert convo["author_abuse_count"] == 2
    author = world.db["author_abuse"]
    assert (await author.find_one({"_id": "facebook:troll-1"}))["count"] == 2
    await author.update_one({"_id": "facebook:troll-1"}, {"$set": {"count": 9}})
    assert (await jobs.repair_counters(world.r)) == {"abuse:facebook:troll-1": 2}
    assert (await author.find_one({"_id": "facebook:troll-1"}))["count"] == 2


class FlakyKafka(OutboundRecorder):
    """Kafka that refuses the first `failures` events."""

    def __init__(self, failures: int) -> None:
        super().__init__()
        self.failures = failures

    async def event(self, e) -> None:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("Kafka did not acknowledge")
        await super().event(e)


async def test_an_event_kafka_refused_after_the_state_write_is_published_by_the_relay(world: World) -> None:
    kafka = FlakyKafka(failures=1)
    outbox = Outbox(world.r.conversations.client, world.db.name)
    world.r.publisher = OutboxPublisher(kafka, outbox)
    message = await world.message("Streetlight out on Bridge Road")
    assert await world.r.conversations.get(message.conversation_key) is not None  # the state was written
    assert kafka.events == [] and await outbox.size() == 1  # its event was not: it waits in the outbox
    convo = await world.triage(message, department="highways")
    assert kafka.types(convo["_id"]) == ["routed"]  # later events are not held up

    assert await jobs.relay_outbox(world.r, older_than=EVERYTHING) == 1
    assert kafka.types(convo["_id"]) == ["routed", "message_received"] and await outbox.size() == 0
    assert kafka.events[-1].id == f"{message.id}:received"
    assert await jobs.relay_outbox(world.r, older_than=EVERYTHING) == 0  # sent once: nothing more to relay

    # A send that reached Kafka but whose "sent" mark was lost is sent again under the same id: harmless.
    await outbox.put(f"event:{message.id}:received", "event", kafka.events[-1].model_dump(mode="json"))
    await jobs.relay_outbox(world.r, older_than=EVERYTHING)
    assert [e.id for e in kafka.events].count(f"{message.id}:received") == 2
    assert len({e.id for e in kafka.events}) == 2


async def test_the_relay_keeps_an_entry_while_kafka_is_down(world: World) -> None:
    kafka = FlakyKafka(failures=2)
    outbox = Outbox(world.r.conversations.client, world.db.name)
    world.r.publisher = OutboxPublisher(kafka, outbox)
    await world.message("Bins not collected on Elm Street")
    with pytest.raises(ConnectionError):
        await jobs.relay_outbox(world.r, older_than=EVERYTHING)
    [entry] = [e async for e in world.db["outbox"].find({})]
    assert entry["attempts"] == 1 and "ConnectionError" in entry["last_error"]
    assert await jobs.relay_outbox(world.r, older_than=EVERYTHING) == 1 and await outbox.size() == 0


class CrashOnRouted(OutboundRecorder):
    """The process stops right after the routing was stored, before its event is published."""

    crashed = False

    async def event(self, e) -> None:
        if e.type.value == "routed" and not self.crashed:
            self.crashed = True
            raise SystemError("process killed")
        await super().event(e)


async def test_a_triage_result_delivered_again_after_a_crash_still_yields_its_event(world: World) -> None:
    world.r.publisher = kafka = CrashOnRouted()
    message = await world.message("Flooding under the railway bridge")
    result = TriageResult(
        message_id=message.id, conversation_key=message.conversation_key, department="highways", urgency="high",
        sentiment={"label": "negative", "score": -0.5}, abuse="none", language="en", confidence=0.9,
        needs_review=False, explanation={"summary": "test"}, classifier_version="test-1", classified_at=world.clock.now,
    )
    with pytest.raises(SystemError):
        await intake.on_triage(world.r, result)
    assert (await world.r.conversations.get(message.conversation_key))["department"] == "highways"
    assert "routed" not in kafka.types()
    world.r.recent = type(world.r.recent)()  # a restarted process remembers nothing
    await intake.on_triage(world.r, result)  # Kafka delivers it again: the offset was never committed
    assert kafka.types(message.conversation_key).count("routed") == 1
    await intake.on_triage(world.r, result)  # and once applied, a further delivery changes nothing
    assert kafka.types(message.conversation_key).count("routed") == 1
