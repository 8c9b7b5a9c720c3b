"""What every responder use case works with: the stores, the publisher, the policy, the calendar and the
clock (injectable, so tests can move time), plus the outcome a staff action returns."""

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from civic_contracts import ConversationEvent, ConversationEventType, Phrase

from responder.adapters.kafka import Publisher
from responder.adapters.mongo import ConversationStore
from responder.adapters.mongo_cases import CaseStore
from responder.adapters.mongo_ledger import Ledger, audit_entry
from responder.adapters.mongo_moderation import ModerationStore
from responder.adapters.mongo_records import RecordsStore
from responder.adapters.mongo_replies import ReplyStore
from responder.adapters.mongo_staff import StaffStore
from responder.domain.calendar import BusinessCalendar
from responder.domain.policy import Policy
from responder.service import unit

Clock = Callable[[], datetime]
SYSTEM_ACTOR = {"user_id": "system", "name": "Civic Inbox", "role": "system"}
# Conversation fields an audit entry shows before and after.
AUDITED_FIELDS = (
    "status", "assignee", "department", "urgency", "needs_review", "routing_blocked", "case_reference",
    "handover_id", "reply_count", "rerouted", "not_a_request", "closed_reason",
)


class Recent:
    """A bounded memory of what this process already handled (message ids, triage decisions), so replayed
    history and duplicate deliveries cost nothing; the database stays the authority."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._items: OrderedDict[str, object] = OrderedDict()

    def get(self, key: str) -> object | None:
        return self._items.get(key)

    def put(self, key: str, value: object = True) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class KeyedLocks:
    """One asyncio lock per conversation: responder's consumers (messages, triage, commands, statuses) and its
    periodic job write the same conversation document. FerretDB v1 does not apply concurrent updates of one
    document atomically (concurrent `$inc`s and conditional updates are lost or both win), so the writes of
    one conversation are serialised here; across processes, Kafka's partitioning by conversation does it for
    each topic (see the README on running several replicas)."""

    def __init__(self) -> None:
        self._locks: dict[str, list] = {}

    @asynccontextmanager
    async def __call__(self, key: str) -> AsyncIterator[None]:
        entry = self._locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(key, None)


async def _staff(staff: StaffStore) -> tuple[list[dict], set[str]]:
    return await staff.active_users(), await staff.on_leave()


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Outcome:
    """What a staff action did: accepted (`ok`) or refused with a reason, the state before and after, and the
    result the person sees when they follow their command."""

    ok: bool = True
    reason: str | None = None
    summary: str = ""
    account_id: str | None = None
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    result: dict = field(default_factory=dict)
    reason_phrase: Phrase | None = None  # the reason for readers of other languages (`Phrase`)


def refused(reason: str | Phrase, **result) -> Outcome:
    """A refusal; a `Phrase` reason reads in each reader's language on the timeline (its English is `reason`)."""
    if isinstance(reason, Phrase):
        return Outcome(ok=False, reason=reason.english(), summary=reason.english(), result=result, reason_phrase=reason)
    return Outcome(ok=False, reason=reason, summary=reason, result=result)


def snapshot(conversation: dict | None) -> dict:
    return {k: (conversation or {}).get(k) for k in AUDITED_FIELDS}


def changes(before: dict | None, after: dict | None) -> tuple[dict, dict]:
    """The audited fields that changed, as (before, after)."""
    b, a = snapshot(before), snapshot(after)
    changed = [k for k in AUDITED_FIELDS if b[k] != a[k]]
    return {k: b[k] for k in changed}, {k: a[k] for k in changed}


@dataclass(kw_only=True)
class Responder:
    conversations: ConversationStore
    ledger: Ledger
    replies: ReplyStore
    cases: CaseStore
    staff: StaffStore
    moderation: ModerationStore
    publisher: Publisher
    policy: Policy
    calendar: BusinessCalendar
    clock: Clock = system_clock
    replying_seconds: int = 300
    recent: Recent = field(default_factory=Recent)
    accounts: frozenset[str] = frozenset()  # empty: every account
    lock: KeyedLocks = field(default_factory=KeyedLocks)
    records: RecordsStore | None = None  # legal holds, exports (records management)

    def serves(self, conversation_key: str | None) -> bool:
        """Whether the conversation is on one of the official accounts this responder serves."""
        if not self.accounts or conversation_key is None:
            return True
        parts = conversation_key.split(":", 2)
        return len(parts) == 3 and parts[1] in self.accounts

    def now(self) -> datetime:
        return self.clock()

    async def emit(
        self,
        *,
        event_id: str,
        type: ConversationEventType,
        summary: str | Phrase,
        conversation_key: str | None,
        conversation: dict | None = None,
        actor_id: str | None = None,
        command_id: str | None = None,
        data: dict | None = None,
    ) -> ConversationEvent:
        """Publish the event and record it on the conversation's timeline (after it is safe: sent, or in the
        outbox; the timeline entry marks the step as done for a redelivery). Inside a batch both happen once
        for the whole batch, at its end (`service/unit.py`)."""
        event = ConversationEvent(
            id=event_id,
            conversation_key=conversation_key,
            type=type,
            at=self.now(),
            actor_id=actor_id,
            command_id=command_id,
            status=(conversation or {}).get("status"),
            department=(conversation or {}).get("department"),
            summary=summary.english() if isinstance(summary, Phrase) else summary,
            phrase=summary if isinstance(summary, Phrase) else None,  # each reader's language (`Phrase`)
            data={k: v if v is None or isinstance(v, str | int | float | bool) else str(v) for k, v in (data or {}).items()},
        )
        if (batch := unit.current()) is not None:
            batch.add_event(event)
            return event
        await unit.deliver(self, [event])
        return event

    async def staff_now(self) -> tuple[list[dict], set[str]]:
        """(active staff accounts, who is on leave): assignment weighs them for every triage result."""
        return await self.read_once("staff", lambda: _staff(self.staff))

    async def read_once(self, name: str, load: Callable[[], Awaitable[object]]) -> object:
        """`load()`, read once per batch inside one (its records share the one read, concurrent ones included;
        a change shows from the next batch), otherwise read now."""
        batch = unit.current()
        if batch is None:
            return await load()
        shared = batch.read.get(name)
        if shared is None or (shared.done() and (shared.cancelled() or shared.exception() is not None)):
            shared = batch.read[name] = asyncio.ensure_future(load())  # a failed read is tried again
        return await asyncio.shield(shared)

    def recalls(self, key: str) -> object | None:
        """What this process noted as handled under `key` (in the batch being processed, or before)."""
        if (batch := unit.current()) is not None and key in batch.remembered:
            return batch.remembered[key]
        return self.recent.get(key)

    def remember(self, key: str, value: object = True) -> None:
        """Note in `recent` that this process handled `key` (at the end of the batch, inside one)."""
        if (batch := unit.current()) is not None:
            batch.remember(key, value)
        else:
            self.recent.put(key, value)

    async def audit_system(
        self, *, entry_id: str, action: str, conversation: dict | None, conversation_key: str | None,
        before: dict | None = None, after: dict | None = None, details: dict | None = None,
        account_id: str | None = None, reason: str | None = None,
    ) -> None:
        """An audit entry for something responder did by itself (assignment, SLA, a platform's answer)."""
        entry = audit_entry(
            entry_id=entry_id, at=self.now(), actor=SYSTEM_ACTOR, action=action, conversation_key=conversation_key,
            account_id=account_id or (conversation or {}).get("account_id"), outcome="done", reason=reason,
            before=before, after=after, details=details,
        )
        if (batch := unit.current()) is not None:
            batch.add_audit(entry)
        else:
            await self.ledger.append(entry)
