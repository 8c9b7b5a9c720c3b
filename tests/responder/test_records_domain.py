"""Records rules without I/O: who a person is across channels, redaction by triage's spans, holds, the
schedule, and the bundle's HTML."""

from datetime import UTC, datetime, timedelta

from responder.domain.records import Hold, Person, RetentionSchedule, redact
from responder.service.records.bundle import render_html

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)


def test_a_person_is_found_by_any_identifier_on_any_channel() -> None:
    person = Person.parse(["messenger:7311946001", "sms:+447700900123", "@Sam_H", "Sam@Example.org"])
    assert person.wrote({"author": {"platform_id": "7311946001"}})
    assert person.wrote({"author": {"platform_id": "+44 7700 900123"}})
    assert person.wrote({"author": {"platform_id": "99", "handle": "@sam_h"}})
    assert person.wrote({"author": {"platform_id": "sam@example.org"}})
    assert not person.wrote({"author": {"platform_id": "7311946002", "handle": "someone"}})
    assert person.owns("07700 900123") and person.owns("+447700900123")
    assert not person.owns("07700 900987")
    # A platform's numeric user id is never read as a phone number.
    assert Person.parse(["7311946001"]).phones == frozenset()


def test_redaction_replaces_spans_keeps_the_persons_own_and_logs_no_values() -> None:
    text = "call me on 07700 900123 or my neighbour on 07700 900987"
    spans = [{"kind": "phone", "start": 11, "end": 23}, {"kind": "phone", "start": 43, "end": 55}]
    person = Person.parse(["sms:+447700900123"])
    redacted, log = redact(text, spans, keep=person.keeps)
    assert redacted == "call me on 07700 900123 or my neighbour on [phone redacted]"
    assert log == [{"kind": "phone", "start": 43, "end": 55}]
    address = [{"kind": "address", "start": 0, "end": 4}]
    assert redact("14 Kestrel Road", address, keep=person.keeps)[0] == "14 Kestrel Road"  # their own words
    everything, log = redact(text, spans)
    assert "07700" not in everything and len(log) == 2
    # Spans that do not fit the text (edited later) are ignored rather than cutting words in half.
    assert redact("short", [{"kind": "email", "start": 2, "end": 40}])[0] == "short"


def test_holds_cover_a_conversation_a_person_or_a_period() -> None:
    message = {"conversation_key": "sms:+447700900001:+447700900123", "author": {"platform_id": "+447700900123"},
               "sent_at": NOW}
    base = {"id": "h", "reason": "claim", "by": "t-admin", "placed_at": NOW}
    assert Hold(**base, conversation_key=message["conversation_key"]).covers(message)
    assert Hold(**base, person=["07700 900123"]).covers(message)
    assert Hold(**base, since=NOW - timedelta(days=1), until=NOW + timedelta(days=1)).covers(message)
    assert not Hold(**base, since=NOW + timedelta(days=1)).covers(message)
    assert not Hold(**base, conversation_key="other").covers(message)


def test_the_schedule_gives_a_cutoff_per_record_kind() -> None:
    schedule = RetentionSchedule(raw_payload_days=30, audit_days=2555)
    cut = schedule.cutoffs(NOW)
    assert cut["raw_payload"] == NOW - timedelta(days=30)
    assert cut["audit"] == NOW - timedelta(days=2555)
    assert set(cut) >= {"conversations", "messages", "attachments", "evidence", "exports"}


def test_the_bundle_page_escapes_citizen_text() -> None:
    bundle = {"kind": "subject_access", "request": "SAR-<1>", "made_at": NOW, "summary": {"conversations": 1},
              "conversations": [{"channel": "sms", "department": "waste", "status": "new", "opened": NOW,
                                 "items": [{"at": NOW, "from": "you", "text": '<script>alert("x")</script>',
                                            "attachments": 0}]}],
              "redactions": []}
    page = render_html(bundle)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "SAR-&lt;1&gt;" in page and '<html lang="en">' in page
