"""Conversation states and what moves them; free of I/O."""

from civic_contracts import Actor, TriageResult

URGENCY_RANK = {"normal": 0, "high": 1, "critical": 2}

NEW = "new"
NEEDS_REVIEW = "needs_review"
ASSIGNED = "assigned"
WAITING_ON_CITIZEN = "waiting_on_citizen"
REPLIED = "replied"
HANDED_OVER = "handed_over"
RESOLVED = "resolved"
CLOSED = "closed"
STATUSES = (NEW, NEEDS_REVIEW, ASSIGNED, WAITING_ON_CITIZEN, REPLIED, HANDED_OVER, RESOLVED, CLOSED)
# Back-compatible names.
STATUS_NEW, STATUS_NEEDS_REVIEW = NEW, NEEDS_REVIEW
# States a triage result may still move: once a person has the conversation, routing is theirs.
UNTOUCHED = (NEW, NEEDS_REVIEW)
FINISHED = (RESOLVED, CLOSED)
OPEN = tuple(s for s in STATUSES if s not in FINISHED)
# A citizen writing again puts these back in front of a person.
ANSWERED = (REPLIED, WAITING_ON_CITIZEN, RESOLVED, CLOSED)

# Which states each staff action may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "reply": tuple(s for s in STATUSES if s != CLOSED),
    "approve_reply": STATUSES,
    "reject_reply": STATUSES,
    "handover": tuple(s for s in OPEN if s != HANDED_OVER),
    "assign": tuple(s for s in STATUSES if s != CLOSED),
    "claim": tuple(s for s in STATUSES if s != CLOSED),
    "release": tuple(s for s in STATUSES if s != CLOSED),
    "reroute": tuple(s for s in STATUSES if s != CLOSED),
    "hide_comment": STATUSES,
    "ban_author": STATUSES,
    "note": STATUSES,
    "resolve": OPEN,
    "close": tuple(s for s in STATUSES if s != CLOSED),
    "replying": tuple(s for s in STATUSES if s != CLOSED),
}
# Actions only a supervisor or admin may take.
SUPERVISOR_ONLY = ("approve_reply", "reject_reply", "ban_author")
PRIVILEGED = ("supervisor", "admin")


def may_use_account(accounts, account_id: str) -> bool:
    """May someone with these platform accounts (`*`: all) act from `account_id`?"""
    return "*" in accounts or account_id in accounts


def refusal(actor: Actor, action: str, conversation: dict) -> str | None:
    """Why `actor` may not take `action` on `conversation` now; None when they may."""
    if action in SUPERVISOR_ONLY and actor.role.value not in PRIVILEGED:
        return f"{action} needs a supervisor"
    if actor.role.value == "department_staff":
        mine = set(actor.departments)
        if "*" not in mine and conversation.get("department") not in mine:
            return "the conversation belongs to another department"
        if action in ("hide_comment",):
            return f"{action} needs an agent or a supervisor"
    status = conversation.get("status", NEW)
    if status not in ALLOWED_FROM.get(action, STATUSES):
        return f"cannot {action.replace('_', ' ')} a conversation that is {status.replace('_', ' ')}"
    return None


def status_when_unassigned(conversation: dict) -> str:
    return NEEDS_REVIEW if conversation.get("needs_review") else NEW


def status_on_citizen_message(conversation: dict) -> str | None:
    """The status a new citizen message moves the conversation to, or None to leave it."""
    if conversation.get("status") not in ANSWERED:
        return None
    return ASSIGNED if conversation.get("assignee") else status_when_unassigned(conversation)


def routing_update(current: dict | None, result: TriageResult) -> dict:
    """Fields to set on a conversation when one of its messages has been triaged (the status is moved
    separately, and only while the conversation is untouched).

    Department, sentiment and language follow the newest result unless a person re-routed it; urgency only
    ever rises (a critical message keeps its conversation critical); abuse is remembered once seen."""
    current = current or {}
    rank = URGENCY_RANK[result.urgency.value]
    update: dict = {
        "sentiment": result.sentiment.label.value,
        "language": result.language,
        "triage_confidence": result.confidence,
    }
    if not current.get("rerouted"):
        update["department"] = result.department
        update["needs_review"] = result.needs_review
    if rank > current.get("urgency_rank", -1):
        update["urgency"] = result.urgency.value
        update["urgency_rank"] = rank
    if result.abuse.value != "none":
        update["abuse"] = result.abuse.value
    elif "abuse" not in current:
        update["abuse"] = "none"
    return update
