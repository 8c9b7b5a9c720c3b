"""Email through Mailgun: the signature vector, freshness, mapping and RFC 5322 threading."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from civic_contracts import Channel, MessageKind
from connectors.formdata import Form, parse_form
from connectors.platforms import PayloadError, email

PAYLOADS = Path(__file__).parent / "payloads"
MAILBOX = "contact@council.example.gov.uk"


def load(name: str) -> Form:
    return Form(fields={k: [v] for k, v in json.loads((PAYLOADS / f"{name}.json").read_text()).items()})


def test_signature_matches_published_vector() -> None:
    expected = "19de21893314278bd10cea1b3688bcba0a0674c82b9b46d16beec2d0cf161543"
    assert email.sign("1700000000", "abc123token", "test_signing_key") == expected
    assert email.signature_valid("1700000000", "abc123token", expected, "test_signing_key")


def test_signature_rejects_forged_and_missing() -> None:
    good = email.sign("1700000000", "abc123token", "test_signing_key")
    assert not email.signature_valid("1700000001", "abc123token", good, "test_signing_key")
    assert not email.signature_valid("1700000000", "abc123token", good, "other_key")
    assert not email.signature_valid("1700000000", "abc123token", None, "test_signing_key")
    assert not email.signature_valid(None, "abc123token", good, "test_signing_key")


def test_freshness_window() -> None:
    now = datetime.fromtimestamp(1700000000, tz=UTC)
    assert email.fresh("1700000000", now, 300) and email.fresh("1699999750", now, 300)
    assert not email.fresh("1699999000", now, 300) and not email.fresh("1700001000", now, 300)
    assert not email.fresh("yesterday", now, 300)


def test_new_email_starts_a_thread_named_after_its_message_id() -> None:
    m, headers = email.parse(load("email_mailgun_inbound"), raw="raw")
    assert m.channel is Channel.EMAIL and m.kind is MessageKind.EMAIL
    assert m.id == f"email:{MAILBOX}:CAFm0uld-1@mail.example.org"
    assert m.conversation_key == f"email:{MAILBOX}:CAFm0uld-1@mail.example.org"
    assert m.author.platform_id == "jo.bloggs@example.org" and m.author.name == "Jo Bloggs"
    assert m.text.startswith("Mould in bathroom - repair request\n\nHi,") and "quoted older text" not in m.text
    assert m.sent_at.isoformat() == "2026-11-20T09:15:00+00:00"
    assert headers.subject == "Mould in bathroom - repair request" and headers.sender == "jo.bloggs@example.org"


def test_reply_joins_the_thread_of_the_first_reference() -> None:
    m, headers = email.parse(load("email_mailgun_reply"), raw="raw")
    assert m.conversation_key == f"email:{MAILBOX}:CAFm0uld-1@mail.example.org"
    assert m.in_reply_to == "20261120.council-reply-2@council.example.gov.uk"
    assert headers.references == ("CAFm0uld-1@mail.example.org", "20261120.council-reply-2@council.example.gov.uk")


def test_reply_headers_follow_rfc_5322() -> None:
    first = email.EmailHeaders("a@x", (), (), "Bins", "jo@example.org", MAILBOX)
    assert email.reply_headers(first) == {"In-Reply-To": "<a@x>", "References": "<a@x>", "Subject": "Re: Bins"}
    only_parent = email.EmailHeaders("b@x", ("a@x",), (), "Re: Bins", "jo@example.org", MAILBOX)
    assert email.reply_headers(only_parent)["References"] == "<a@x> <b@x>"
    assert email.reply_headers(only_parent)["Subject"] == "Re: Bins"
    deep = email.EmailHeaders("c@x", ("b@x",), ("a@x", "b@x"), "RE: Bins", "jo@example.org", MAILBOX)
    assert email.reply_headers(deep) == {"In-Reply-To": "<c@x>", "References": "<a@x> <b@x> <c@x>", "Subject": "RE: Bins"}


def test_message_ids_are_read_from_folded_headers_with_comments() -> None:
    assert email.message_ids("<a@x>\r\n (comment) <b@y>") == ["a@x", "b@y"]
    assert email.message_ids(None) == []


def test_without_message_id_a_stable_id_is_made_from_the_content() -> None:
    form = load("email_mailgun_inbound")
    form.fields["message-headers"] = ['[["Subject", "Mould"]]']
    first, _ = email.parse(form, raw="")
    again, _ = email.parse(form, raw="")
    assert first.id == again.id and first.platform_message_id.endswith("@civic-inbox.invalid")


def test_email_without_sender_or_recipient_is_unparseable() -> None:
    with pytest.raises(PayloadError, match="recipient or a sender"):
        email.parse(Form(fields={"subject": ["hi"]}), raw="")
    with pytest.raises(PayloadError, match="message-headers"):
        email.parse(Form(fields={"recipient": [MAILBOX], "from": ["a@b.c"], "message-headers": ["{not json"]}), raw="")


def test_multipart_delivery_fields_and_attachments() -> None:
    body = (b"--B\r\nContent-Disposition: form-data; name=\"recipient\"\r\n\r\n" + MAILBOX.encode() +
            b"\r\n--B\r\nContent-Disposition: form-data; name=\"from\"\r\n\r\nJo <jo@example.org>\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"body-plain\"\r\n\r\nPhoto of the fly-tipping\r\n"
            b"--B\r\nContent-Disposition: form-data; name=\"attachment-1\"; filename=\"tip.jpg\"\r\n"
            b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\r\n--B--\r\n")
    m, _ = email.parse(parse_form(body, "multipart/form-data; boundary=B"), raw="")
    assert m.text == "Photo of the fly-tipping"
    assert [(a.type, a.name) for a in m.attachments] == [("image/jpeg", "tip.jpg")]
