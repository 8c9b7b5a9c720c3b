"""The signed-in person and the rules on what they may see and do, enforced on the server.

- agent: every department's conversations; replies, handovers, notes, claim/release, re-route, hide.
- department_staff: only their departments' conversations (403 on others', and never in lists or counts).
- supervisor: everything an agent does, plus approvals, assigning others, bans, audit, handovers, evidence.
- admin: everything.
Conversations of banned authors (`routing_blocked`) are shown to supervisors and admins only."""

from dataclasses import dataclass, field
from datetime import date

from civic_contracts import Actor, StaffRole
from civic_contracts.permissions import may_see, role_may

ROLES = ("agent", "department_staff", "supervisor", "admin")
PRIVILEGED = ("supervisor", "admin")
# What each role may do, from which state: the contracts' table (`civic_contracts.permissions`).


@dataclass(frozen=True)
class Principal:
    user_id: str
    name: str
    role: str
    departments: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    languages: tuple[str, ...] = ("en",)
    staff_since: date | None = None
    auth: str = "session"  # session | token
    session_id: str | None = field(default=None, repr=False)

    @classmethod
    def from_user(cls, user: dict, *, auth: str, session_id: str | None = None) -> "Principal":
        since = user.get("staff_since")
        return cls(
            user_id=user["_id"], name=user.get("name") or user["_id"], role=user["role"],
            departments=tuple(user.get("departments") or ()), accounts=tuple(user.get("accounts") or ()),
            languages=tuple(user.get("languages") or ("en",)),
            staff_since=date.fromisoformat(since) if isinstance(since, str) else since,
            auth=auth, session_id=session_id,
        )

    @property
    def privileged(self) -> bool:
        return self.role in PRIVILEGED

    @property
    def all_departments(self) -> bool:
        return self.role != "department_staff" or "*" in self.departments

    def actor(self) -> Actor:
        return Actor(user_id=self.user_id, name=self.name, role=StaffRole(self.role), departments=list(self.departments),
                     accounts=list(self.accounts), languages=list(self.languages), staff_since=self.staff_since)

    def scope(self) -> dict:
        """The query every conversation read is narrowed with."""
        query: dict = {}
        if not self.all_departments:
            query["department"] = {"$in": list(self.departments)}
        if not self.privileged:
            query["routing_blocked"] = {"$ne": True}
        return query

    def can_see(self, conversation: dict) -> bool:
        return may_see(self.role, self.departments, conversation)

    def may(self, action: str) -> bool:
        return role_may(self.role, action)
