"""What the stand-ins remember: every call they accepted (queryable), armed faults, and the polled feeds."""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime


@dataclass
class Fault:
    """Make the next `count` matching calls to `platform` fail with `kind`."""

    platform: str
    kind: str  # rate_limit | server_error | token_expired | quota
    count: int = 1
    match: str | None = None  # substring of the path (e.g. an account id); None: any call
    retry_after_seconds: int = 0

    def as_dict(self) -> dict:
        return {"platform": self.platform, "kind": self.kind, "count": self.count, "match": self.match,
                "retry_after_seconds": self.retry_after_seconds}


@dataclass
class State:
    sent: list[dict] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    mentions: dict[str, list[dict]] = field(default_factory=dict)  # account -> v2 posts, oldest first
    users: dict[str, dict] = field(default_factory=dict)  # X user id -> v2 user
    threads: dict[str, list[dict]] = field(default_factory=dict)  # YouTube channel -> CommentThreads, oldest first
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next_id(self) -> int:
        return next(self._ids)

    def take_fault(self, platform: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.platform == platform and fault.count > 0 and (fault.match is None or fault.match in path):
                fault.count -= 1
                if fault.count == 0:
                    self.faults.remove(fault)
                return fault
        return None

    def record(self, platform: str, method: str, path: str, body: object, *, result_id: str | None,
               account: str | None = None) -> dict:
        entry = {"seq": self.next_id(), "platform": platform, "method": method, "path": path, "account": account,
                 "body": body, "id": result_id, "at": datetime.now(UTC).isoformat()}
        self.sent.append(entry)
        return entry
