"""The connectors' part of records management: what responder erases or lets go under the retention schedule,
the connectors erase or let go in their own collections too (`adapters/records.py` lists them).

Why events: responder is where an erasure is decided (refused under legal hold, audited) and where the
schedule and the holds live, whoever started it (the inbox API, `civic-inbox records`, the daily job). It
announces each through its outbox (`records.erased.v1` after an erasure, `records.retention.v1` after a real
retention run, with the cutoffs and the holds in force), so nothing is lost when Kafka or the connectors are
down: the connectors catch up from the topic (kept `records_topic_hours`, three days by default), and applying
an event twice changes nothing. A record of each (`records_runs`, keyed by the event's id) says what was done.

Erasure: the person's service requests (found by the conversations responder erased and by their email address
or phone number, in any spelling) keep their id, service, status and times, and lose everything else (name,
contacts, address, location, description, answers, notes); the description becomes the tombstone text. Email
headers they sent are deleted; conversation keys that named them are moved to their new keys in the ledger, the
thread index and outbound commands; a command's recipient becomes the stand-in.

Retention (cutoffs from responder's schedule): a service request is deleted with the message it became
(`messages`); a ledger entry and its thread index when the conversation has been quiet longer than
`conversations`; email headers after `messages`; finished outbound commands after `messages`; Twilio
first-seen times after `raw_payload`. Never what a hold covers."""

import logging

from civic_contracts.people import Hold, Person
from civic_contracts.records import PersonErased, RetentionApplied
from civic_contracts.topics import RECORDS_ERASED, RECORDS_RETENTION
from civic_eventing import Consumer
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from connectors.adapters.records import RecordsStore
from connectors.open311_status import request_id_of
from connectors.platforms.webform import conversation_key

log = logging.getLogger(__name__)


class RecordsFollower:
    def __init__(self, store: RecordsStore, *, jurisdiction: str) -> None:
        self.store = store
        self.jurisdiction = jurisdiction

    async def erased(self, event: PersonErased) -> None:
        person = Person.parse(event.person)
        by_conversation = {rid for change in event.conversations for key in (change.old, change.new)
                           if (rid := request_id_of(key, self.jurisdiction))}
        theirs = [d["_id"] for d in await self.store.requests_with_contacts()
                  if d["_id"] in by_conversation or any(person.owns(str(d.get(f) or "")) for f in ("email", "phone")
                                                        if d.get(f))]
        counts = {"service_requests": await self.store.anonymise_requests(theirs, tombstone=event.tombstone,
                                                                          at=event.at, request=event.request)}
        counts["email_headers"] = await self.store.delete_emails_from(sorted(i for i in person.ids if "@" in i))
        counts["rekeyed"] = 0
        for change in event.conversations:
            if change.new != change.old:
                counts["rekeyed"] += await self.store.rekey(change.old, change.new)
        counts["outbound_recipients"] = await self.store.replace_recipient(sorted(person.ids), event.stand_in)
        await self.store.record_run({"_id": event.id, "kind": "erasure", "request": event.request, "at": event.at,
                                     "counts": counts})
        log.info("records: erasure %s applied: %s", event.request, counts)

    async def retention(self, event: RetentionApplied) -> None:
        cut, holds = event.cutoffs, event.holds
        done: dict[str, int] = {}
        kept: dict[str, int] = {}

        def split(kind: str, docs: list[dict], held) -> list:
            due = [d["_id"] for d in docs if not held(d)]
            kept[kind] = len(docs) - len(due)
            return due

        if "messages" in cut:
            due = split("service_requests", await self.store.requests_before(cut["messages"]), self._request_held(holds))
            done["service_requests"] = await self.store.delete("requests", due)
            await self.store.start_email_clock(event.at)
            due = split("email_headers", await self.store.emails_saved_before(cut["messages"]),
                        lambda d: any(h.covers({"author": {"platform_id": d.get("sender")}}) for h in holds))
            done["email_headers"] = await self.store.delete("emails", due)
            due = split("outbox", await self.store.finished_commands_before(cut["messages"]),
                        lambda d: _covered(holds, (d.get("command") or {}).get("conversation_key")))
            done["outbox"] = await self.store.delete("outbox", due)
        if "conversations" in cut:
            due = split("conversation_ledger", await self.store.ledger_before(cut["conversations"]),
                        lambda d: _covered(holds, d["_id"], d.get("last_inbound_at")))
            done["conversation_ledger"] = await self.store.delete("ledger", due)
            done["thread_index"] = await self.store.delete_threads_of(due)
        if "raw_payload" in cut:
            done["first_seen"] = await self.store.delete_first_seen_before(cut["raw_payload"])
        await self.store.record_run({"_id": event.id, "kind": "retention", "at": event.at, "done": done,
                                     "kept_under_hold": kept})
        log.info("records: retention %s applied: %s (kept under hold: %s)", event.id, done, kept)

    def _request_held(self, holds: list[Hold]):
        def held(doc: dict) -> bool:
            key = conversation_key(self.jurisdiction, doc["_id"])
            contacts = [c for c in (doc.get("email"), doc.get("phone")) if c] or [None]
            return any(h.covers({"conversation_key": key, "author": {"platform_id": c},
                                 "sent_at": doc.get("requested_datetime")}) for h in holds for c in contacts)
        return held


def _covered(holds: list[Hold], key: str | None, at=None) -> bool:
    return any(h.covers({"conversation_key": key, "sent_at": at}) for h in holds)


def register(broker: KafkaBroker, *, group_id: str, follower: RecordsFollower) -> None:
    """One subscriber (one consumer group to join) for both records topics."""
    group = f"{group_id}-records"
    consumer = Consumer(broker, service="connectors", group=group)

    @broker.subscriber(RECORDS_ERASED.name, RECORDS_RETENTION.name, title="erase and retain connectors' records",
                       group_id=group, auto_offset_reset="earliest", ack_policy=AckPolicy.NACK_ON_ERROR)
    async def on_records(msg: KafkaMessage) -> None:
        if msg.raw_message.topic == RECORDS_ERASED.name:
            await consumer.handle(msg, PersonErased, follower.erased)
        else:
            await consumer.handle(msg, RetentionApplied, follower.retention)
