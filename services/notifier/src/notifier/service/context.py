"""What every notifier use case works with: the store, the publisher, the three media, the links' key and
the clock (injectable, so tests can move time)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from notifier.adapters.chat import ChatWebhook
from notifier.adapters.kafka import Publisher
from notifier.adapters.mailgun import MailgunEmail
from notifier.adapters.mongo import AlertStore
from notifier.adapters.twilio import TwilioSms
from notifier.config import Contact

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(kw_only=True)
class Notifier:
    store: AlertStore
    publisher: Publisher
    sms: TwilioSms
    email: MailgunEmail
    chat: ChatWebhook
    public_url: str
    inbox_url: str
    link_secret: str
    ack_timeout_seconds: float
    admins: list[Contact] = field(default_factory=list)
    ops: list[Contact] = field(default_factory=list)
    clock: Clock = system_clock
    accounts: frozenset[str] = frozenset()  # empty: every account

    def serves(self, conversation_key: str) -> bool:
        """Whether the alert is about one of the accounts this notifier serves (`security:<channel>:<account>` too)."""
        if not self.accounts:
            return True
        parts = conversation_key.split(":", 2)
        if len(parts) != 3:
            return False
        return (parts[2] if parts[0] == "security" else parts[1]) in self.accounts

    def now(self) -> datetime:
        return self.clock()
