"""Who a person is across channels, and what a legal hold covers: one definition for every service that keeps
records about citizens (responder's messages and conversations, connectors' service requests and threads), so
an erasure or a hold reaches the same person everywhere. Plain data and rules; no I/O."""

import hashlib
import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

CONTACT_KINDS = ("phone", "email")
_CHANNEL_PREFIX = re.compile(r"^(?P<channel>[a-z]+):(?P<value>.+)$")


def normalise_contact(contact: str) -> str:
    """An email address in lower case, a phone number without spaces, brackets or dashes."""
    contact = contact.strip()
    return contact.lower() if "@" in contact else re.sub(r"[\s()-]", "", contact)


class Person(BaseModel):
    """One person across channels: platform ids (PSIDs, user ids), phone numbers, email addresses and
    handles, each optionally limited to a channel (`sms:+447700900123`, `x:@sam`, `sam@example.org`)."""

    model_config = ConfigDict(frozen=True)

    ids: frozenset[str] = Field(description="Normalised platform ids, phone numbers and email addresses.")
    handles: frozenset[str] = Field(description="Handles without `@`, lower case.")
    phones: frozenset[str] = Field(default=frozenset(), description="The last ten digits of each phone number, "
                                   "so `07700 900123` and `+447700900123` are the same number.")

    @classmethod
    def parse(cls, values: list[str]) -> "Person":
        ids: set[str] = set()
        handles: set[str] = set()
        for raw in values:
            value = raw.strip()
            if match := _CHANNEL_PREFIX.match(value):
                value = match["value"]  # the channel prefix only says where the value came from
            if value.startswith("@"):
                handles.add(value[1:].lower())
                continue
            ids.add(normalise_contact(value))
            ids.add(value)
        phones = {tail for v in ids if (tail := phone_tail(v))}
        ids |= {e164 for v in list(ids) if (e164 := uk_e164(v))}  # stored numbers are in E.164
        return cls(ids=frozenset(v for v in ids if v), handles=frozenset(h for h in handles if h),
                   phones=frozenset(phones))

    def wrote(self, message: dict) -> bool:
        author = message.get("author") or {}
        platform_id = str(author.get("platform_id") or "")
        return (self.owns(platform_id) if platform_id else False) or (
            str(author.get("handle") or "").lstrip("@").lower() in self.handles)

    def owns(self, value: str) -> bool:
        """Whether a piece of personal data (a number or address found in text or a form) is this person's own."""
        return (value.strip() in self.ids or normalise_contact(value) in self.ids
                or (phone_tail(value) or "-") in self.phones)

    def keeps(self, value: str, kind: str) -> bool:
        """In the person's own words, what stays in their subject access bundle: everything except a contact
        detail (phone number, email address) that is not theirs, which is someone else's personal data."""
        return kind not in CONTACT_KINDS or self.owns(value)

    def tombstone_id(self) -> str:
        """A stable stand-in for the person's identifiers once erased (not reversible)."""
        digest = hashlib.sha256("|".join(sorted(self.ids | self.handles)).encode()).hexdigest()[:12]
        return f"erased:{digest}"


def phone_tail(value: str) -> str | None:
    """The last ten digits of something written as a phone number (starting `+` or `0`; digits, spaces,
    brackets, dashes), so a platform's numeric user id is never taken for one."""
    if not re.fullmatch(r"[+0(][\d\s()-]{9,19}", value.strip()):
        return None
    digits = re.sub(r"\D", "", value)
    return digits[-10:] if len(digits) >= 10 else None


def uk_e164(value: str) -> str | None:
    """`07700 900123` as `+447700900123`; None for anything else."""
    if phone_tail(value) is None:
        return None
    digits = re.sub(r"\D", "", value)
    if digits.startswith("0") and len(digits) == 11:
        return "+44" + digits[1:]
    return "+" + digits if value.strip().startswith("+") else None


class Hold(BaseModel):
    """A legal hold: suspends retention and erasure for what it covers."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Hold id.")
    conversation_key: str | None = Field(default=None, description="One conversation.")
    person: list[str] = Field(default_factory=list, description="A person's identifiers (see `Person`).")
    since: datetime | None = Field(default=None, description="Start of a held date range (messages sent from).")
    until: datetime | None = Field(default=None, description="End of a held date range (messages sent before).")
    reason: str = Field(min_length=1, description="Why (a claim, a complaint, an FOI request, an inquiry).")
    by: str = Field(description="Who placed it.")
    placed_at: datetime = Field(description="When.")

    def covers(self, message: dict) -> bool:
        """Whether this hold covers the stored message (`conversation_key`, `author`, `sent_at`)."""
        if self.conversation_key is not None and message.get("conversation_key") == self.conversation_key:
            return True
        if self.person and Person.parse(self.person).wrote(message):
            return True
        sent = message.get("sent_at")
        if (self.since or self.until) and sent is not None and not (self.conversation_key or self.person):
            return (self.since is None or sent >= self.since) and (self.until is None or sent < self.until)
        return False
