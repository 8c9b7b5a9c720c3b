"""Who may do what to a conversation, from which state: one table, checked by the inbox before it queues a
command (to answer 403/409 at once) and by responder again when it carries the command out.

- Roles: `ACTIONS[action].roles`; department staff act on their own departments' conversations only.
- States: `ACTIONS[action].from_statuses`; a closed conversation takes notes, moderation and approvals only.
- Collisions: someone else said they are writing a reply (`writing_now`), or a reply was requested after the
  person opened the conversation (`seen_reply_count`).
- Approval: a supervisor decides on a reply written by someone else."""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from civic_contracts.commands import StaffRole
from civic_contracts.conversation import OPEN, STATUSES, ConversationStatus


class StaffAction(StrEnum):
    """What a person can ask the system to do (the `action` of an `InboxCommand` body)."""

    REPLY = "reply"
    APPROVE_REPLY = "approve_reply"
    REJECT_REPLY = "reject_reply"
    HANDOVER = "handover"
    ASSIGN = "assign"  # someone else than yourself: a supervisor only (checked with the body)
    CLAIM = "claim"
    RELEASE = "release"
    REROUTE = "reroute"
    HIDE_COMMENT = "hide_comment"
    BAN_AUTHOR = "ban_author"
    NOTE = "note"
    RESOLVE = "resolve"
    CLOSE = "close"
    REPLYING = "replying"
    SET_ABSENCE = "set_absence"  # not about one conversation; someone else's: a supervisor only
    FREEZE = "freeze"  # stop outbound on one account or every account
    UNFREEZE = "unfreeze"  # lifted when a second admin (not the one who asked) asks too
    # Records management (`civic_contracts.records`): administrators only.
    RECORDS_HOLD = "records_hold"
    RECORDS_RELEASE_HOLD = "records_release_hold"
    SUBJECT_ACCESS = "subject_access"
    ERASE_PERSON = "erase_person"
    FOI_EXPORT = "foi_export"
    RETENTION_RUN = "retention_run"


R = StaffRole
PRIVILEGED: tuple[StaffRole, ...] = (R.SUPERVISOR, R.ADMIN)
EVERYONE: tuple[StaffRole, ...] = tuple(StaffRole)  # every person, and responder itself
NOT_CLOSED: tuple[ConversationStatus, ...] = tuple(s for s in STATUSES if s != ConversationStatus.CLOSED)


class ActionRule(BaseModel):
    """Who may take one action, and from which conversation states."""

    model_config = ConfigDict(frozen=True)

    roles: frozenset[StaffRole] = Field(description="Roles that may take it.")
    from_statuses: frozenset[ConversationStatus] = Field(description="Conversation states it may start from.")


def _rule(roles: Iterable[StaffRole], statuses: Iterable[ConversationStatus]) -> ActionRule:
    return ActionRule(roles=frozenset(roles), from_statuses=frozenset(statuses))


A = StaffAction
ACTIONS: dict[StaffAction, ActionRule] = {
    A.REPLY: _rule(EVERYONE, NOT_CLOSED),
    A.APPROVE_REPLY: _rule(PRIVILEGED, STATUSES),
    A.REJECT_REPLY: _rule(PRIVILEGED, STATUSES),
    A.HANDOVER: _rule(EVERYONE, (s for s in OPEN if s != ConversationStatus.HANDED_OVER)),
    A.ASSIGN: _rule(EVERYONE, NOT_CLOSED),
    A.CLAIM: _rule(EVERYONE, NOT_CLOSED),
    A.RELEASE: _rule(EVERYONE, NOT_CLOSED),
    A.REROUTE: _rule(EVERYONE, NOT_CLOSED),
    A.HIDE_COMMENT: _rule((r for r in EVERYONE if r != R.DEPARTMENT_STAFF), STATUSES),
    A.BAN_AUTHOR: _rule(PRIVILEGED, STATUSES),
    A.NOTE: _rule(EVERYONE, STATUSES),
    A.RESOLVE: _rule(EVERYONE, OPEN),
    A.CLOSE: _rule(EVERYONE, NOT_CLOSED),
    A.REPLYING: _rule(EVERYONE, NOT_CLOSED),
    A.SET_ABSENCE: _rule(EVERYONE, STATUSES),
    A.FREEZE: _rule((R.ADMIN,), STATUSES),
    A.UNFREEZE: _rule((R.ADMIN,), STATUSES),
    **{a: _rule((R.ADMIN,), STATUSES) for a in (A.RECORDS_HOLD, A.RECORDS_RELEASE_HOLD, A.SUBJECT_ACCESS, A.ERASE_PERSON,
                                              A.FOI_EXPORT, A.RETENTION_RUN)},
}


def is_privileged(role: str) -> bool:
    return role in PRIVILEGED


def role_may(role: str, action: str) -> bool:
    """Whether the role may take the action at all (unknown actions: nobody)."""
    rule = ACTIONS.get(action)
    return rule is not None and role in rule.roles


def supervisor_only(action: str) -> bool:
    rule = ACTIONS.get(action)
    return rule is not None and rule.roles <= set(PRIVILEGED)


def role_refusal(role: str, action: str) -> str | None:
    """Why the role may not take the action; None when it may."""
    if role_may(role, action):
        return None
    return f"{action} needs a supervisor" if supervisor_only(action) else f"{action} needs an agent or a supervisor"


def may_start_from(action: str, status: str | None) -> bool:
    """Whether the action may start from a conversation in `status` (no status: new)."""
    rule = ACTIONS.get(action)
    return (status or ConversationStatus.NEW) in (rule.from_statuses if rule is not None else STATUSES)


def in_departments(role: str, departments: Iterable[str], department: str | None) -> bool:
    """Whether someone with this role and these departments (`*`: all) works on a conversation of `department`."""
    if role != R.DEPARTMENT_STAFF:
        return True
    mine = set(departments)
    return "*" in mine or department in mine


def may_see(role: str, departments: Iterable[str], conversation: Mapping) -> bool:
    """Whether they may see the conversation: their department's, and a banned author's only if privileged."""
    if not in_departments(role, departments, conversation.get("department")):
        return False
    return is_privileged(role) or not conversation.get("routing_blocked")


def refusal(role: str, departments: Iterable[str], action: str, conversation: Mapping) -> str | None:
    """Why someone may not take `action` on `conversation` (a stored document) now; None when they may.
    Supervisor-only actions are refused for the role first; department staff then hear about the department
    before anything else about a conversation that is not theirs."""
    if supervisor_only(action) and not is_privileged(role):
        return role_refusal(role, action)
    if not in_departments(role, departments, conversation.get("department")):
        return "the conversation belongs to another department"
    if (why := role_refusal(role, action)) is not None:
        return why
    status = conversation.get("status") or ConversationStatus.NEW
    if not may_start_from(action, status):
        return f"cannot {action.replace('_', ' ')} a conversation that is {str(status).replace('_', ' ')}"
    return None


def writing_now(replying: Mapping | None, user_id: str, now: datetime, window_seconds: float) -> Mapping | None:
    """Someone other than `user_id` who said they are writing a reply, recently enough to count."""
    if not replying or replying.get("user_id") == user_id:
        return None
    if replying["since"] + timedelta(seconds=window_seconds) < now:
        return None
    return replying


def approval_refusal(role: str, user_id: str, requested_by: str) -> str | None:
    """Why this person may not approve or reject a reply written by `requested_by`; None when they may."""
    if not is_privileged(role):
        return "only a supervisor may approve or reject a reply"
    if user_id == requested_by:
        return "a reply is approved by someone other than its author"
    return None
