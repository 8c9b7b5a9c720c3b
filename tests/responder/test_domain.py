"""Responder's pure rules: personal data and tone checks, approval, delivery, canned responses, duty rota,
assignment picks, states."""

from datetime import UTC, date, datetime

import pytest
from civic_contracts import Actor, StaffRole
from responder.config import load_policy
from responder.domain import assignment, canned, checks, delivery, duty, states
from responder.domain.approval import approval_reasons, may_approve
from responder.domain.calendar import BusinessCalendar

POLICY = load_policy()
CALENDAR = BusinessCalendar(POLICY.business_hours)
WEDNESDAY_NOON = datetime(2026, 1, 14, 12, 0, tzinfo=UTC)


def agent(**kw) -> Actor:
    return Actor(user_id=kw.pop("user_id", "ann"), name="Ann", role=StaffRole(kw.pop("role", "agent")), **kw)


@pytest.mark.parametrize(("text", "kinds"), [
    ("ring 07700 900123", ["phone"]),
    ("ring +44 7700 900123", ["phone"]),
    ("ring 020 7946 0018", ["phone"]),
    ("write to a.b@example.org", ["email"]),
    ("at SW1A 1AA", ["postcode"]),
    ("NI AB123456C", ["national_insurance_number"]),
    ("card 4111-1111-1111-1111", ["card_number"]),
    ("order 4111 1111 1111 1112", []),  # fails the Luhn check
    ("call 0306 999 0123 or customer.services@council.example", []),  # our own published contacts
    ("reference CI-2026-000123 on 14/01/2026", []),
])
def test_personal_data(text: str, kinds: list[str]) -> None:
    assert checks.personal_data(text, POLICY.checks.allowed_public_contacts) == kinds


def test_luhn() -> None:
    assert checks.luhn_ok("4111111111111111") and not checks.luhn_ok("4111111111111112")


def test_checks_cover_banned_phrases_tone_language_and_accounts() -> None:
    found = checks.check_reply("PLEASE CALM DOWN, THIS IS NOT OUR PROBLEM!!", public=True, conversation_language="cy",
                               account_id="104729113", actor_accounts=["17841400000000001"], rules=POLICY.checks)
    assert sorted({f.check for f in found}) == ["account", "banned_phrase", "language", "tone"]
    assert checks.check_reply("Diolch, rydym wedi anfon hyn at y tîm.", public=True, conversation_language="cy",
                              account_id="104729113", actor_accounts=["*"], rules=POLICY.checks) == []
    assert checks.looks_welsh("Thank you / Diolch yn fawr, mae'r tîm ar y ffordd") is True
    assert checks.looks_welsh("Thank you, the team is on its way") is False


def test_approval_rules() -> None:
    saturday = datetime(2026, 1, 17, 12, 0, tzinfo=UTC)
    rules = POLICY.approval
    assert approval_reasons(rules=rules, actor=agent(), public=True, abusive_thread=False, at=WEDNESDAY_NOON,
                            calendar=CALENDAR) == []
    assert approval_reasons(rules=rules, actor=agent(), public=False, abusive_thread=True, at=saturday,
                            calendar=CALENDAR) == ["outside business hours"]
    new = agent(staff_since=date(2026, 1, 1))
    assert approval_reasons(rules=rules, actor=new, public=True, abusive_thread=True, at=WEDNESDAY_NOON,
                            calendar=CALENDAR) == ["public reply on an abusive thread", "staff in their first 4 weeks"]
    assert approval_reasons(rules=rules, actor=agent(role="supervisor"), public=True, abusive_thread=True, at=saturday,
                            calendar=CALENDAR) == []
    assert may_approve(agent(role="supervisor", user_id="sue"), "ann") is None
    assert may_approve(agent(role="supervisor", user_id="sue"), "sue") is not None
    assert may_approve(agent(user_id="bob"), "ann") is not None


def test_delivery_of_replies_and_private_threads() -> None:
    comment = {"_id": "facebook:1:c", "channel": "facebook", "account_id": "1", "kind": "public_comment",
               "author": {"platform_id": "u1"}}
    last = {"platform_message_id": "c_2"}
    public = delivery.reply_delivery(comment, last, private=False, account_id=None)
    assert (public.action.value, public.target_id, public.public) == ("public_reply", "c_2", True)
    private = delivery.private_thread(comment, last, private_channel="messenger", contact=None, default_account="1")
    assert (private.action.value, private.recipient_id, private.private_channel) == ("private_reply", "u1", "messenger")
    with pytest.raises(delivery.DeliveryError):
        delivery.private_thread(comment, last, private_channel="x", contact=None, default_account="1")
    sms = delivery.private_thread(comment, last, private_channel="sms", contact="07700 900 123", default_account="+44")
    assert (sms.channel, sms.action.value, sms.recipient_id) == ("sms", "direct_message", "07700900123")
    dm = delivery.reply_delivery({**comment, "channel": "messenger", "kind": "private_message"}, last, private=False,
                                 account_id=None)
    assert (dm.action.value, dm.recipient_id) == ("direct_message", "u1")
    assert delivery.case_reference("CI", 2026, 123) == "CI-2026-000123"
    assert delivery.find_case_reference("CI", "about ci-2026-000123, thanks") == "CI-2026-000123"


def test_canned_responses_render_in_english_and_welsh() -> None:
    ack = POLICY.canned("acknowledge")
    assert canned.render(ack, "en", {"name": "Sam", "department": "waste"}).startswith("Thanks Sam, we've passed this")
    assert canned.render(ack, "cy", {"name": "Sam", "department": "waste"}).startswith("Diolch Sam")
    with pytest.raises(canned.CannedError, match="needs: department"):
        canned.render(ack, "en", {"name": "Sam"})
    assert canned.render(ack, "en", {"name": "{department}", "department": "x"}).startswith("Thanks {department}")


def test_duty_rota() -> None:
    in_hours, people = duty.on_duty(POLICY.duty_rota, WEDNESDAY_NOON, CALENDAR)
    assert in_hours and people[0].name == "Customer services duty manager"
    _, night = duty.on_duty(POLICY.duty_rota, datetime(2026, 1, 15, 2, 0, tzinfo=UTC), CALENDAR)  # Thursday 02:00
    assert night[0].name == "Out-of-hours duty officer (weeknights)"
    _, christmas = duty.on_duty(POLICY.duty_rota, datetime(2026, 12, 25, 12, 0, tzinfo=UTC), CALENDAR)  # Friday
    assert christmas[0].name == "Emergency control room"  # a bank holiday daytime: no shift covers it


def test_assignment_picks() -> None:
    people = [assignment.Candidate("b", 2, 1), assignment.Candidate("a", 2, 2),
              assignment.Candidate("c", 3, 0, ("en", "cy"))]
    room = assignment.eligible(people, language="en")
    assert [c.user_id for c in room] == ["b", "c"]
    assert [assignment.round_robin(room, t).user_id for t in (1, 2, 3)] == ["b", "c", "b"]
    assert assignment.least_loaded(room).user_id == "c"
    assert [c.user_id for c in assignment.eligible(people, language="cy")] == ["c"]
    assert assignment.round_robin([], 1) is None


def test_state_rules() -> None:
    staff = agent(role="department_staff", departments=["waste"])
    assert states.refusal(staff, "note", {"department": "highways", "status": "new"}) is not None
    assert states.refusal(staff, "note", {"department": "waste", "status": "new"}) is None
    assert states.refusal(agent(), "ban_author", {"status": "new"}) == "ban_author needs a supervisor"
    assert states.refusal(agent(), "reply", {"status": "closed"}) is not None
    assert states.status_on_citizen_message({"status": "replied", "assignee": "ann"}) == "assigned"
    assert states.status_on_citizen_message({"status": "resolved"}) == "new"
    assert states.status_on_citizen_message({"status": "assigned"}) is None
