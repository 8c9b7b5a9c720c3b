"""A batch's unit of work: what the records of one Kafka batch emit is gathered in memory and written once,
at the end of the batch, before its offsets are committed.

Per record, intake writes only the state itself (the message, the conversation). The events, audit entries
and counter moves of the whole batch then take a fixed number of round trips instead of a few each:
1. the events go to the outbox in one `insert_many` (from here none is lost: the relay sends what is left);
2. their timeline entries in one `insert_many`, and the audit entries in another. A timeline entry is the
   mark that its record was handled (a redelivered message or triage result whose event is on the timeline
   changes nothing), so it is written only once its event is safe in the outbox;
3. the events are handed to Kafka in order and their acknowledgements awaited, then removed from the outbox
   in one write;
4. the counters moved by the batch are flushed; what this process remembers as handled (`Recent`) is only
   updated now, so a batch read again after a failure is carried out again.

A failure in any step propagates: the batch is retried and then read again from Kafka (every step is
idempotent: the ids are stable, duplicates are skipped). Records outside a batch (staff commands, tests
calling intake directly) write and publish as they go (`Responder.emit`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from civic_contracts import ConversationEvent

_CURRENT: ContextVar["Unit | None"] = ContextVar("responder_unit", default=None)


def current() -> "Unit | None":
    """The unit of the batch being processed in this task, if any."""
    return _CURRENT.get()


class Unit:
    def __init__(self) -> None:
        self.events: dict[str, ConversationEvent] = {}
        self.audit: dict[str, dict] = {}
        self.remembered: dict[str, object] = {}
        self.read: dict[str, object] = {}  # what the batch read once for all its records (the staff list)

    @contextmanager
    def active(self) -> Iterator["Unit"]:
        """Make this the unit of everything processed in this task (and the tasks it starts)."""
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)

    def add_event(self, event: ConversationEvent) -> None:
        self.events.setdefault(event.id, event)

    def add_audit(self, entry: dict) -> None:
        self.audit.setdefault(entry["_id"], entry)

    def remember(self, key: str, value: object = True) -> None:
        """Handled in this batch: remembered by the process (`Recent`) once the batch is written."""
        self.remembered[key] = value

    async def finish(self, r) -> None:
        """Write what the batch gathered (see the module's docstring); `r` is the `Responder`."""
        await deliver(r, list(self.events.values()), audit=list(self.audit.values()))
        await r.conversations.counters.flush()
        for key, value in self.remembered.items():
            r.recent.put(key, value)


async def deliver(r, events: list[ConversationEvent], *, audit: list[dict] = ()) -> None:
    """Make the events safe, record them on the timeline (with the audit entries), and publish them. With an
    outbox (`hold_events`): outbox, timeline, Kafka, in that order; without one, an event is safe only once
    Kafka took it, so Kafka comes before the timeline."""
    hold = getattr(r.publisher, "hold_events", None)
    if hold is not None and events:
        await hold(events)
    elif events:
        for event in events:
            await r.publisher.event(event)
    if events:
        await r.ledger.record_events(events)
    if audit:
        await r.ledger.append_many(audit)
    if hold is not None and events:
        await r.publisher.send_events(events)
