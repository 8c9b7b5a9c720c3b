"""Conversation rules, free of I/O: what a message or a triage result changes in a conversation."""

from civic_contracts import TriageResult

URGENCY_RANK = {"normal": 0, "high": 1, "critical": 2}

STATUS_NEW = "new"
STATUS_NEEDS_REVIEW = "needs_review"
# States a triage result may still move: once a person has the conversation, routing is theirs.
UNTOUCHED = (STATUS_NEW, STATUS_NEEDS_REVIEW)


def routing_update(current: dict | None, result: TriageResult) -> dict:
    """Fields to set on a conversation when one of its messages has been triaged.

    Department, sentiment and language follow the newest result; urgency only ever rises (a critical
    message keeps its conversation critical); abuse is remembered once seen."""
    current = current or {}
    rank = URGENCY_RANK[result.urgency.value]
    update: dict = {
        "department": result.department,
        "sentiment": result.sentiment.label.value,
        "language": result.language,
        "needs_review": result.needs_review,
        "triage_confidence": result.confidence,
    }
    if rank >= current.get("urgency_rank", -1):
        update["urgency"] = result.urgency.value
        update["urgency_rank"] = rank
    if result.abuse.value != "none":
        update["abuse"] = result.abuse.value
    elif "abuse" not in current:
        update["abuse"] = "none"
    status = current.get("status", STATUS_NEW)
    if status in UNTOUCHED:
        update["status"] = STATUS_NEEDS_REVIEW if result.needs_review else STATUS_NEW
    return update
