"""The notifier's rules without I/O: escalation levels, signed links, what a person is told (never the
citizen's words), SMS replies, and the Slack and Teams payloads."""

from datetime import UTC, datetime, timedelta

from civic_contracts import DutyAlert
from civic_contracts.conversation_events import OnDuty
from notifier.adapters.chat import slack_payload, teams_payload
from notifier.domain.levels import everyone, levels_of
from notifier.domain.links import ack_link, valid
from notifier.domain.replies import parse_ack
from notifier.domain.texts import duty_notice
from notifier.service.duty import alert_document, short_code

NOW = datetime(2026, 12, 4, 22, 0, tzinfo=UTC)


def alert(**changes) -> DutyAlert:
    base = dict(id="duty:facebook:1:2:critical_message", conversation_key="facebook:1:2", department="social_care",
                urgency="critical", reason="critical_message", in_business_hours=False, raised_at=NOW,
                on_duty=[OnDuty(name="Officer", contact="pager:1", phone="+447700900102", email="o@council.example")],
                escalation=[OnDuty(name="Head", contact="h", phone="+447700900104"),
                            OnDuty(name="Officer", contact="pager:1"),
                            OnDuty(name="Control room", contact="c", email="cr@council.example")])
    return DutyAlert(**{**base, **changes})


def test_levels_go_from_the_people_on_duty_to_the_fallback_without_repeating_anyone() -> None:
    levels = levels_of(alert())
    assert [[p["name"] for p in level] for level in levels] == [["Officer"], ["Head"], ["Control room"]]
    assert [p["name"] for p in everyone(levels)] == ["Officer", "Head", "Control room"]
    doc = alert_document(alert(), NOW, timeout_seconds=600)
    assert [(p["name"], p["level"], p["who"]) for p in doc["people"]] == [("Officer", 0, 0), ("Head", 1, 1), ("Control room", 2, 2)]
    assert doc["holders"] == ["Officer"] and doc["levels"] == 3
    assert doc["delivering"] and doc["next_escalation_at"] == NOW + timedelta(minutes=10)


def test_the_sms_code_is_stable_per_alert() -> None:
    assert short_code("a") == short_code("a") and len(short_code("a")) == 4
    assert short_code("a") != short_code("b")


def test_a_link_is_valid_only_for_its_alert_and_person_and_key() -> None:
    link = ack_link("https://alerts.example/", "k", "duty:x:y", 1)
    assert link.startswith("https://alerts.example/alerts/duty%3Ax%3Ay/ack?who=1&sig=")
    sig = link.split("sig=")[1]
    assert valid("k", "duty:x:y", 1, sig)
    assert not valid("k", "duty:x:y", 0, sig) and not valid("k", "duty:x:z", 1, sig) and not valid("other", "duty:x:y", 1, sig)
    assert not valid("", "duty:x:y", 1, sig)


def test_what_a_person_is_told_has_the_link_urgency_and_department_only() -> None:
    doc = alert_document(alert(), NOW, timeout_seconds=600)
    notice = duty_notice(doc, level=1, inbox_url="https://inbox.example", ack_link="https://a/ack")
    assert notice.title == "CRITICAL duty alert (escalated, level 1): social care"
    assert notice.link == "https://inbox.example/conversations/facebook%3A1%3A2"
    sms = notice.sms()
    assert f"reply ACK {doc['code']}" in sms and "https://a/ack" in sms and len(sms) < 320


def test_sms_replies() -> None:
    assert parse_ack("ACK") == (True, None)
    assert parse_ack("ack 4821") == (True, "4821")
    assert parse_ack(" Ok 4821. ") == (True, "4821")
    assert parse_ack("4821") == (True, "4821")
    assert parse_ack("who is this?") == (False, None)
    assert parse_ack("") == (False, None)


def test_slack_and_teams_payloads_follow_their_formats() -> None:
    notice = duty_notice(alert_document(alert(), NOW, timeout_seconds=600), level=0, inbox_url="https://i", ack_link="https://a")
    slack = slack_payload(notice)
    assert slack["text"] and [b["type"] for b in slack["blocks"]] == ["header", "section", "actions"]
    assert [e["url"] for e in slack["blocks"][2]["elements"]] == [notice.link, "https://a"]
    teams = teams_payload(notice)
    assert teams["type"] == "message"
    [attachment] = teams["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"]["type"] == "AdaptiveCard"
    assert [a["type"] for a in attachment["content"]["actions"]] == ["Action.OpenUrl", "Action.OpenUrl"]
