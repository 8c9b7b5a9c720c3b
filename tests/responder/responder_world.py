"""The world responder's use-case tests run in: real MongoDB-wire server, an in-memory publisher (what would go
to Kafka is recorded), an injected clock, and shortcuts to feed messages and commands."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from civic_contracts import Actor, InboundMessage, InboxCommand, StaffRole, TriageResult
from responder.service import commands, intake
from responder.service.context import Responder

PAGE = "104729113"
# Wednesday 14 January 2026, 11:00 in London: business hours.
WEDNESDAY_11AM = datetime(2026, 1, 14, 11, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Recorder:
    """Stands in for the Kafka publisher."""

    sent: list = field(default_factory=list)  # outbound commands
    events: list = field(default_factory=list)
    alerts: list = field(default_factory=list)
    corrections: list = field(default_factory=list)

    async def event(self, e) -> None:
        self.events.append(e)

    async def duty_alert(self, a) -> None:
        self.alerts.append(a)

    async def correction(self, c) -> None:
        self.corrections.append(c)

    def types(self, key: str | None = None) -> list[str]:
        return [e.type.value for e in self.events if key is None or e.conversation_key == key]


class OutboundRecorder(Recorder):
    async def outbound(self, command) -> None:
        self.sent.append(command)


@dataclass
class World:
    r: Responder
    clock: Clock
    published: OutboundRecorder
    db: object

    async def message(self, text: str, *, key: str | None = None, kind: str = "public_comment",
                      channel: str = "facebook", author: str = "7311946001", name: str = "Sam Hughes",
                      at: datetime | None = None) -> InboundMessage:
        key = key or f"{channel}:{PAGE}:{uuid.uuid4().hex[:12]}"
        pid = uuid.uuid4().hex[:16]
        message = InboundMessage(
            id=f"{channel}:{PAGE}:{pid}", channel=channel, account_id=PAGE, platform_message_id=pid,
            conversation_key=key, kind=kind, author={"platform_id": author, "name": name}, text=text,
            sent_at=at or self.clock.now, received_at=at or self.clock.now, permalink=f"https://example.test/{pid}",
            raw_payload="{}",
        )
        await intake.on_message(self.r, message)
        return message

    async def triage(self, message: InboundMessage, *, department: str = "highways", urgency: str = "normal",
                     abuse: str = "none", language: str = "en", needs_review: bool = False,
                     intent: dict | None = None) -> dict:
        await intake.on_triage(self.r, TriageResult(
            message_id=message.id, conversation_key=message.conversation_key, department=department, urgency=urgency,
            sentiment={"label": "neutral", "score": 0.0}, abuse=abuse, language=language, confidence=0.9,
            needs_review=needs_review, explanation={"summary": "test"}, classifier_version="test-1",
            classified_at=self.clock.now, intent=intent,
        ))
        return await self.r.conversations.get(message.conversation_key)

    async def conversation(self, text: str = "Pothole on Albion Street", **triage) -> dict:
        message = await self.message(text, **{k: triage.pop(k) for k in ("kind", "channel", "author", "key") if k in triage})
        return await self.triage(message, **triage)

    async def run(self, actor: Actor, key: str | None, body: dict, *, command_id: str | None = None):
        command = InboxCommand(id=command_id or str(uuid.uuid4()), conversation_key=key, actor=actor,
                               issued_at=self.clock.now, body=body)
        outcome = await commands.execute(self.r, command)
        return command, outcome

    async def add_user(self, user_id: str, role: str, departments: list[str], **extra) -> None:
        await self.db["users"].insert_one({"_id": user_id, "name": user_id.title(), "role": role,
                                           "departments": departments, "active": True, **extra})


def actor(user_id: str = "ann", role: str = "agent", departments: list[str] | None = None,
          accounts: list[str] | None = None, staff_since: date | None = None, languages: list[str] | None = None) -> Actor:
    return Actor(user_id=user_id, name=user_id.title(), role=StaffRole(role), departments=departments or ["*"],
                 accounts=accounts if accounts is not None else ["*"], staff_since=staff_since,
                 languages=languages or ["en"])


