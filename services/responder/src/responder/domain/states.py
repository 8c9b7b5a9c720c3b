"""What moves a conversation from state to state; free of I/O. The states themselves and who may act from
which state are the contracts' (`civic_contracts.conversation`, `civic_contracts.permissions`)."""

from civic_contracts import Actor, ConversationStatus, TriageResult
from civic_contracts import permissions as table
from civic_contracts.conversation import ANSWERED, FINISHED, OPEN, STATUSES, UNTOUCHED, URGENCY_RANK
from civic_contracts.permissions import PRIVILEGED

from responder.domain.intent import intent_update, keeps_department

S = ConversationStatus
NEW, NEEDS_REVIEW, ASSIGNED, WAITING_ON_CITIZEN = S.NEW, S.NEEDS_REVIEW, S.ASSIGNED, S.WAITING_ON_CITIZEN
REPLIED, HANDED_OVER, RESOLVED, CLOSED = S.REPLIED, S.HANDED_OVER, S.RESOLVED, S.CLOSED
__all__ = ["ANSWERED", "FINISHED", "OPEN", "PRIVILEGED", "STATUSES", "UNTOUCHED", "URGENCY_RANK"]


def may_use_account(accounts, account_id: str) -> bool:
    """May someone with these platform accounts (`*`: all) act from `account_id`?"""
    return "*" in accounts or account_id in accounts


def refusal(actor: Actor, action: str, conversation: dict) -> str | None:
    """Why `actor` may not take `action` on `conversation` now (the contracts' permission table); None when
    they may."""
    return table.refusal(actor.role.value, actor.departments, action, conversation)


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
    ever rises (a critical message keeps its conversation critical); abuse is remembered once seen; whether it is
    work or not a request follows `responder.domain.intent`."""
    current = current or {}
    rank = URGENCY_RANK[result.urgency.value]
    update: dict = {
        "sentiment": result.sentiment.label.value,
        "language": result.language,
        "triage_confidence": result.confidence,
    }
    if not current.get("rerouted") and not keeps_department(current, result):
        update["department"] = result.department
        update["needs_review"] = result.needs_review
    if rank > current.get("urgency_rank", -1):
        update["urgency"] = result.urgency.value
        update["urgency_rank"] = rank
    if result.abuse.value != "none":
        update["abuse"] = result.abuse.value
    elif "abuse" not in current:
        update["abuse"] = "none"
    update.update(intent_update(current, result))
    return update
