"""The stored conversation as a contract: a stored document round-trips through the model unchanged, the
status set is defined once, and the permission table decides as the inbox and responder always did."""

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from civic_contracts import ConversationStatus, ReplyState, StaffAction, StoredConversation
from civic_contracts import permissions as table
from civic_contracts.conversation import ANSWERED, FINISHED, OPEN, UNTOUCHED

ROOT = Path(__file__).resolve().parents[2]
AT = datetime(2026, 1, 14, 11, 0, tzinfo=UTC)
# Every field responder writes, as it writes them (see `responder/adapters/mongo.py` and `responder/service/`).
FULL = {
    "_id": "facebook:104729113:104729113_55_66", "rev": 7, "status": "handed_over", "channel": "facebook",
    "account_id": "104729113", "kind": "public_comment",
    "author": {"platform_id": "7311946001", "name": "Sam Hughes", "handle": None},
    "first_message_at": AT, "last_message_at": AT + timedelta(minutes=3), "message_count": 2,
    "department": "highways", "urgency": "high", "urgency_rank": 1, "sentiment": "negative", "language": "en",
    "triage_confidence": 0.91, "needs_review": False, "abuse": "none", "rerouted": True,
    "rerouted_by": {"user_id": "ann", "name": "Ann"}, "rerouted_at": AT, "assignee": "ann", "assignee_name": "Ann",
    "assigned_at": AT, "replying": None, "reply_ids": ["r1"], "reply_count": 1, "last_reply_requested_at": AT,
    "last_reply_at": AT, "answered_at": AT, "reopened_at": AT, "reopen_count": 1, "resolved_at": AT, "closed_at": AT,
    "routing_blocked": False, "author_abuse_count": 0, "duty_alerts": {"critical_message": AT},
    "sla": {"start": AT, "target": {"urgency": "high", "department": "highways", "calendar": "business"},
            "first_response": {"minutes": 120, "due": AT, "warn_at": AT, "met_at": AT, "warned": True},
            "resolution": {"minutes": 2400, "due": AT, "warn_at": AT}},
    "case_reference": "CI-2026-000001", "handover_id": "c1", "handover_role": "public", "handed_over_at": AT,
    "linked_conversations": ["messenger:104729113:7311946001"],
}


def test_a_stored_document_round_trips_through_the_model() -> None:
    model = StoredConversation.from_document(FULL)
    assert model.model_extra == {}, "every field responder writes is in the model"
    assert model.to_document() == FULL
    assert model.status == ConversationStatus.HANDED_OVER and model.sla.first_response.met_at == AT
    # A fresh conversation: only what its first message set, and readers see the documented defaults.
    first = {"_id": "sms:x:1", "status": "new", "rev": 1, "message_count": 1}
    fresh = StoredConversation.from_document(first)
    assert fresh.to_document() == first
    assert (fresh.needs_review, fresh.reply_count, fresh.linked_conversations, fresh.assignee) == (False, 0, [], None)


def test_unknown_fields_are_kept_and_bad_values_refused() -> None:
    assert StoredConversation.from_document({**FULL, "later_field": 1}).to_document()["later_field"] == 1
    with pytest.raises(ValueError):
        StoredConversation.from_document({**FULL, "status": "archived"})


def test_the_status_sets() -> None:
    assert [s.value for s in ConversationStatus] == [
        "new", "needs_review", "assigned", "waiting_on_citizen", "replied", "handed_over", "resolved", "closed"]
    assert set(OPEN) | set(FINISHED) == set(ConversationStatus) and not set(OPEN) & set(FINISHED)
    assert set(UNTOUCHED) <= set(OPEN) and ConversationStatus.RESOLVED in ANSWERED
    assert {s.value for s in ReplyState} == {"blocked", "awaiting_approval", "approved", "sending", "sent", "failed",
                                            "waiting", "rejected"}


STATUS_WORDS = ("waiting_on_citizen", "handed_over", "needs_review")


def _literal_status_sets(path: Path) -> list[int]:
    """Lines of `path` with a tuple, list or set literal that spells out two or more conversation statuses."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            if len(words & {s.value for s in ConversationStatus}) >= 2:
                found.append(node.lineno)
    return found


def test_no_service_spells_out_the_status_set() -> None:
    offenders = {}
    for package in ("services/responder/src", "services/inbox/src"):
        for path in (ROOT / package).rglob("*.py"):
            if lines := _literal_status_sets(path):
                offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {}, "import the statuses from civic_contracts.conversation"


def test_the_responder_states_are_the_contract_enum() -> None:
    from responder.domain import states

    assert states.STATUSES == tuple(ConversationStatus)
    for name in ("NEW", "NEEDS_REVIEW", "ASSIGNED", "WAITING_ON_CITIZEN", "REPLIED", "HANDED_OVER", "RESOLVED", "CLOSED"):
        assert isinstance(getattr(states, name), ConversationStatus)


def conversation(status: str = "new", department: str = "highways", **fields) -> dict:
    return {"_id": "k", "status": status, "department": department, **fields}


@pytest.mark.parametrize(("role", "departments", "action", "doc", "expected"), [
    ("agent", ["*"], "reply", conversation(), None),
    ("agent", ["*"], "reply", conversation("closed"), "cannot reply a conversation that is closed"),
    ("agent", ["*"], "note", conversation("closed"), None),
    ("agent", ["*"], "approve_reply", conversation(), "approve_reply needs a supervisor"),
    ("supervisor", ["*"], "approve_reply", conversation("closed"), None),
    ("agent", ["*"], "ban_author", conversation(), "ban_author needs a supervisor"),
    ("admin", [], "ban_author", conversation(), None),
    ("agent", ["*"], "handover", conversation("handed_over"), "cannot handover a conversation that is handed over"),
    ("agent", ["*"], "handover", conversation("replied"), None),
    ("agent", ["*"], "resolve", conversation("resolved"), "cannot resolve a conversation that is resolved"),
    ("agent", ["*"], "close", conversation("resolved"), None),
    ("department_staff", ["waste"], "reply", conversation(), "the conversation belongs to another department"),
    ("department_staff", ["highways"], "reply", conversation(), None),
    ("department_staff", ["*"], "claim", conversation("assigned"), None),
    ("department_staff", ["highways"], "hide_comment", conversation(), "hide_comment needs an agent or a supervisor"),
    ("department_staff", ["waste"], "hide_comment", conversation(), "the conversation belongs to another department"),
    ("department_staff", ["waste"], "approve_reply", conversation(), "approve_reply needs a supervisor"),
    ("agent", ["*"], "reroute", {"_id": "k"}, None),  # no status yet: new
])
def test_the_permission_table_decides(role, departments, action, doc, expected) -> None:
    assert table.refusal(role, departments, action, doc) == expected


def test_every_action_has_a_rule_and_the_role_table_matches_the_inbox_roles() -> None:
    assert set(table.ACTIONS) == set(StaffAction)
    assert [a for a in StaffAction if table.supervisor_only(a)] == [
        "approve_reply", "reject_reply", "ban_author", "freeze", "unfreeze", "records_hold", "records_release_hold",
        "subject_access", "erase_person", "foi_export", "retention_run"]
    assert table.role_may("admin", "erase_person") and not table.role_may("supervisor", "subject_access")
    assert table.role_may("admin", "freeze") and not table.role_may("supervisor", "unfreeze")
    assert not table.role_may("department_staff", "hide_comment") and table.role_may("agent", "hide_comment")
    assert not table.role_may("admin", "no_such_action")


def test_visibility_collision_and_approval() -> None:
    assert table.may_see("department_staff", ["highways"], conversation())
    assert not table.may_see("department_staff", ["waste"], conversation())
    assert not table.may_see("agent", ["*"], conversation(routing_blocked=True))
    assert table.may_see("supervisor", ["*"], conversation(routing_blocked=True))
    replying = {"user_id": "bob", "name": "Bob", "since": AT}
    assert table.writing_now(replying, "ann", AT + timedelta(seconds=299), 300) == replying
    assert table.writing_now(replying, "ann", AT + timedelta(seconds=301), 300) is None
    assert table.writing_now(replying, "bob", AT, 300) is None
    assert table.approval_refusal("supervisor", "sue", "ann") is None
    assert table.approval_refusal("supervisor", "sue", "sue") == "a reply is approved by someone other than its author"
    assert table.approval_refusal("agent", "ann", "bob") == "only a supervisor may approve or reject a reply"
