"""How a platform call ended, in the sender's terms. Platform modules turn HTTP answers into these."""

from dataclasses import dataclass
from datetime import datetime


class SendError(Exception):
    """A send that did not go out; `code` and `message` are the platform's (or ours, for refusals)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code, self.message = code, message


class RateLimited(SendError):
    """The platform throttled the account: pause its sends until `until`, then retry."""

    def __init__(self, code: str, message: str, *, until: datetime) -> None:
        super().__init__(code, message)
        self.until = until


class Transient(SendError):
    """A temporary failure (5xx, timeout, Meta codes 1/2): retry with backoff, a bounded number of times."""


class Rejected(SendError):
    """The platform refused for good (bad request, permission, deleted target): the send fails."""

    def __init__(self, code: str, message: str, *, credentials: bool = False) -> None:
        super().__init__(code, message)
        self.credentials = credentials


class AwaitingReconnect(SendError):
    """The account's token cannot be renewed until an admin connects it again: wait (retry at `until`), without
    counting a failure per send or pausing the account."""

    def __init__(self, code: str, message: str, *, until: datetime) -> None:
        super().__init__(code, message)
        self.until = until


class OutsideWindow(SendError):
    """The messaging window is closed (and no tag or template applies): refused, nothing sent."""


@dataclass(frozen=True)
class Sent:
    platform_message_id: str | None
