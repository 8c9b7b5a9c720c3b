"""A year of history, written straight into the store with bulk inserts, in the shape responder writes: the one
place that knows that shape for the benchmarks (`bench_pipeline.py` preloads with it, `bench_inbox_render.py`
seeds with it, and a test reads the result back through responder's own store).

Each message goes through the contracts (`InboundMessage`, `TriageResult`) and responder's own rules
(`routing_update`, the SLA plan), then is stored as `ConversationStore.store_message` and `store_triage` store
it (`responder/adapters/mongo.py`): the message document is the message without `id`, with `counted`, its
triage result and `intake_done`; the conversation document is keyed by the conversation key, with the routing
fields, a status and the SLA clocks, checked against the contract `StoredConversation`. Most of a year's
conversations are finished; some are open."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from civic_contracts import Author, Channel, InboundMessage, MessageKind, TriageResult
from civic_contracts.conversation import StoredConversation
from pymongo import AsyncMongoClient
from responder.adapters.mongo_counters import Counters
from responder.config import load_policy
from responder.domain import sla
from responder.domain.calendar import BusinessCalendar
from responder.domain.states import routing_update
from stack import PAGE_ID

NAMES = ["Sam Hughes", "Priya Shah", "Gareth Jones", "Chloe Evans", "Tom Okafor", "Aisha Khan", "Dylan Price",
         "Megan Lloyd", "Oliver Reid", "Fatima Begum", "Rhys Morgan", "Hannah Wood"]
TEXTS = [("highways", "There's a pothole the size of a dustbin lid on Station Road by the Co-op."),
         ("waste", "Our bins weren't collected on Tuesday. Whole street is the same, Orchard Way."),
         ("street_lighting", "Street light outside number 22 Elm Grove keeps flickering on and off all night."),
         ("parking", "How do I renew my residents parking permit? The website keeps timing out."),
         ("housing", "Black mould coming back in the bedroom of our council flat, my son's asthma is getting worse."),
         ("general", "What time does the council office in town open on Saturdays?"),
         ("parks_trees", "A big branch has come down in Victoria Park near the play area."),
         ("environmental_health_asb", "Neighbours playing loud music until 3am every night, we have a newborn.")]
# A year's conversations: mostly finished, some open, a few with a person now.
STATUSES = ["closed"] * 50 + ["resolved"] * 30 + ["replied"] * 6 + ["waiting_on_citizen"] * 3 + ["new"] * 6 + \
    ["assigned"] * 3 + ["needs_review", "handed_over"]
AGENTS = [f"agent{i}" for i in range(1, 21)]
BATCH = 1000


@dataclass
class Preloaded:
    conversations: int
    messages: int
    seconds: float
    facebook_threads: list[str]  # comment ids of facebook conversations on PAGE_ID (new replies can join them)


def comment_payload(thread: str, comment: str, author_id: str, name: str, text: str, at: int) -> dict:
    """A Facebook Page feed comment webhook (sandbox.webhooks.feed_comment's shape, with chosen ids)."""
    post = thread.split("_")[0] + "_" + thread.split("_")[1]
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": at, "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": comment, "post_id": post, "parent_id": thread if comment != thread else post,
        "from": {"id": author_id, "name": name}, "message": text, "created_time": at, "is_hidden": False,
        "permalink_url": f"https://www.facebook.com/{PAGE_ID}/posts/{post.split('_')[1]}?comment_id={comment.split('_')[2]}",
    }}]}]}


def message_document(message: InboundMessage, result: TriageResult) -> dict:
    """The message as `store_message` then `store_triage` leave it, intake done."""
    doc = message.model_dump(mode="python", exclude={"id", "received_at"})
    doc.update(_id=message.id, channel=message.channel.value, kind=message.kind.value, counted=True,
               received_at=message.received_at, triage=result.model_dump(mode="python"), intake_done=True)
    return doc


def conversation_document(messages: list[InboundMessage], results: list[TriageResult], status: str, rng: random.Random,
                          *, policy, calendar, now: datetime | None = None) -> dict:
    first, last = messages[0], messages[-1]
    doc: dict = {"_id": first.conversation_key, "status": status, "author": first.author.model_dump(),
                 "channel": first.channel.value, "account_id": first.account_id, "kind": first.kind.value,
                 "first_message_at": first.sent_at, "last_message_at": last.sent_at, "message_count": len(messages),
                 "last_inbound_id": last.id, "last_inbound_at": last.sent_at, "rev": 2 * len(messages)}
    for result in results:
        doc.update(routing_update(doc, result))
    doc["sla"] = sla.plan(policy=policy, calendar=calendar, start=first.sent_at, department=doc.get("department"),
                          urgency=doc.get("urgency"))
    if status in ("assigned", "replied", "waiting_on_citizen", "resolved", "closed", "handed_over"):
        doc.update(assignee=rng.choice(AGENTS), assigned_at=first.sent_at + timedelta(minutes=20))
        doc["sla"]["first_response"]["met_at"] = first.sent_at + timedelta(hours=2)
    if status in ("replied", "waiting_on_citizen", "resolved", "closed"):
        doc["answered_at"] = doc["last_reply_at"] = last.sent_at + timedelta(hours=2)
    if status in ("resolved", "closed"):
        doc["resolved_at"] = last.sent_at + timedelta(days=1)
        doc["sla"]["resolution"]["met_at"] = doc["resolved_at"]
    if status == "closed":
        doc["closed_at"] = last.sent_at + timedelta(days=8)
    # Over the year responder's periodic job raised every SLA warning and breach as it fell due and flagged it:
    # flag them as it does (without this, a preloaded history is a backlog of thousands of findings that the job
    # works through 500 at a time, competing with the pipeline it is meant to measure).
    for finding in sla.findings(doc["sla"], now or datetime.now(UTC)):
        doc["sla"][finding.clock]["breached" if finding.kind == "breach" else "warned"] = True
    return StoredConversation.from_document(doc).to_document()  # the contract's shape, checked


def _triage(message: InboundMessage, department: str, rng: random.Random) -> TriageResult:
    urgency = rng.choices(["normal", "high", "critical"], [90, 9, 1])[0]
    return TriageResult.model_validate({
        "message_id": message.id, "conversation_key": message.conversation_key, "department": department,
        "urgency": urgency, "sentiment": {"label": rng.choice(["negative", "neutral", "positive"]), "score": 0.0},
        "abuse": rng.choices(["none", "offensive", "threat"], [97, 2, 1])[0], "language": "en", "confidence": 0.8,
        "needs_review": False, "explanation": {"summary": "history", "model": "bench"}, "classifier_version": "bench",
        "classified_at": message.received_at})


def generate(conversations: int, messages: int, *, seed: int = 42, now: datetime | None = None,
             statuses: list[str] | None = None, first: int = 0) -> Iterator[tuple[dict, list[dict], str | None]]:
    """(conversation document, its message documents, its facebook comment thread id or None), oldest first.
    Messages are spread over the conversations (at least one each), sent over the past year; `first` numbers
    the conversations on from an earlier preload."""
    rng = random.Random(seed + first)
    now = now or datetime.now(UTC)
    policy = load_policy()
    calendar = BusinessCalendar(policy.business_hours)
    extra = max(0, messages - conversations)
    for n in range(conversations):
        i = first + n
        count = 1 + (extra * (n + 1) // conversations - extra * n // conversations)
        start = now - timedelta(days=365) + timedelta(seconds=n * 365 * 86400 // max(conversations, 1))
        author_id = str(10**9 + rng.randrange(conversations))  # some citizens write more than once
        name = rng.choice(NAMES)
        department, text = rng.choice(TEXTS)
        thread = f"{PAGE_ID}_{10**9 + i}_{10**11 + i}"
        msgs, results = [], []
        for j in range(count):
            at = start + timedelta(minutes=30 * j)
            comment = thread if j == 0 else f"{PAGE_ID}_{10**9 + i}_{2 * 10**11 + i * 100 + j}"
            raw = json.dumps(comment_payload(thread, comment, author_id, name, text, int(at.timestamp())))
            message = InboundMessage(
                id=f"facebook:{PAGE_ID}:{comment}", channel=Channel.FACEBOOK, account_id=PAGE_ID,
                platform_message_id=comment, conversation_key=f"facebook:{PAGE_ID}:{thread}",
                kind=MessageKind.PUBLIC_COMMENT, author=Author(platform_id=author_id, name=name), text=text, sent_at=at,
                received_at=at + timedelta(seconds=1), in_reply_to=None if j == 0 else thread, raw_payload=raw)
            msgs.append(message)
            results.append(_triage(message, department, rng))
        status = rng.choice(statuses or STATUSES)
        conversation = conversation_document(msgs, results, status, rng, policy=policy, calendar=calendar, now=now)
        yield conversation, [message_document(m, r) for m, r in zip(msgs, results, strict=True)], thread


async def preload(client: AsyncMongoClient, database: str, *, conversations: int, messages: int, seed: int = 42,
                  statuses: list[str] | None = None, first: int = 0) -> Preloaded:
    """Bulk-insert the history (unordered `insert_many` of 1,000 documents at a time), and move responder's
    counters (agents' loads, department queues) by what it adds, through responder's own `Counters`."""
    db = client[database]
    counters = Counters(client, database)
    started = time.perf_counter()
    conv_batch: list[dict] = []
    msg_batch: list[dict] = []
    threads: list[str] = []
    written = 0
    for conversation, docs, thread in generate(conversations, messages, seed=seed, statuses=statuses, first=first):
        conv_batch.append(conversation)
        counters.changed(None, conversation)
        msg_batch.extend(docs)
        if thread is not None:
            threads.append(thread)
        if len(msg_batch) >= BATCH:
            await db["messages"].insert_many(msg_batch, ordered=False)
            written += len(msg_batch)
            msg_batch = []
        if len(conv_batch) >= BATCH:
            await db["conversations"].insert_many(conv_batch, ordered=False)
            conv_batch = []
    if msg_batch:
        await db["messages"].insert_many(msg_batch, ordered=False)
        written += len(msg_batch)
    if conv_batch:
        await db["conversations"].insert_many(conv_batch, ordered=False)
    await counters.flush()
    return Preloaded(conversations, written, time.perf_counter() - started, threads)
