"""Whether a conversation is work or "not a request", from the intent triage gives each message; free of I/O.

A conversation whose messages ask for nothing (thanks, praise, opinion, news, a conversation between other
people, spam) carries triage's reason in `not_a_request`: it is in no department's queue, has no SLA clocks and
is not assigned automatically; the inbox lists it in its own view, where one click closes it with "no reply
needed". A later message that is a request (or a question, or an emergency) clears it: the conversation is work
again from then (`work_since`). A thank-you on a conversation that is still open work changes nothing (the
request is still there); after the citizen has been answered it is not a request, and the answer stays where it
was routed."""

from civic_contracts import TriageResult
from civic_contracts.conversation import ANSWERED
from civic_contracts.triage import IntentKind

NOT_ACTIONABLE = IntentKind.NOT_ACTIONABLE.value


def was_work(conversation: dict) -> bool:
    """Whether the conversation has been work: an actionable intent, a handover's side, or routed before intents
    existed."""
    if conversation.get("handover_role") or conversation.get("case_reference"):
        return True
    intent = conversation.get("intent")
    if intent is None:
        return conversation.get("department") is not None and not conversation.get("not_a_request")
    return intent != NOT_ACTIONABLE


def answered_before(conversation: dict, message_id: str) -> bool:
    """Whether the message came after the citizen was answered (the conversation is answered, or this very
    message reopened it)."""
    return conversation.get("status") in ANSWERED or (conversation.get("reopened_by") == message_id
                                                      and conversation.get("reopened_from") in ANSWERED)


def intent_update(current: dict, result: TriageResult) -> dict:
    """Fields to set on the conversation for this triage result's intent ({} when nothing changes)."""
    if result.intent is None:
        return {}  # a triage that does not decide intent: the conversation stays as it is
    kind = result.intent.kind.value
    if kind != NOT_ACTIONABLE:
        update: dict = {"intent": kind}
        if current.get("not_a_request"):
            update.update(not_a_request=None, work_since=current.get("last_inbound_at") or result.classified_at)
        return update
    if was_work(current) and not answered_before(current, result.message_id):
        return {}  # "thanks, but ..." on open work: the request is still there
    return {"intent": kind, "not_a_request": result.intent.reason or "not_actionable"}


def keeps_department(current: dict, result: TriageResult) -> bool:
    """A message that asks for nothing does not move a conversation that has been work (to `general`)."""
    return result.intent is not None and result.intent.kind.value == NOT_ACTIONABLE and was_work(current)
