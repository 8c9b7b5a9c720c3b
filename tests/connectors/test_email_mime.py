"""Mailgun deliveries whose subject is only in `message-headers`, and routes that forward the raw message
(`body-mime`), read with the standard library's `email` package into text and attachments."""

import json
import time
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from connectors.config import Settings
from connectors.formdata import Form
from connectors.main import create_app
from connectors.platforms import PayloadError, email
from connectors.platforms.email_mime import html_text, read_mime, strip_quoted
from support.connector_fakes import FakePublisher, FakeStores

PAYLOADS = Path(__file__).parent / "payloads"
MAILBOX = "contact@council.example.gov.uk"


def form(name: str, **changes) -> Form:
    fields = {**json.loads((PAYLOADS / f"{name}.json").read_text()), **changes}
    return Form(fields={k: [v] for k, v in fields.items() if v is not None})


def test_subject_only_in_message_headers_is_kept() -> None:
    m, headers = email.parse(form("email_mailgun_subject_in_headers"), raw="")
    assert headers.subject == "Mould in bathroom - repair request"
    assert m.text.startswith("Mould in bathroom - repair request\n\nHi,")


def test_the_routes_own_subject_wins_over_the_header() -> None:
    _, headers = email.parse(form("email_mailgun_subject_in_headers", subject="Re: mould"), raw="")
    assert headers.subject == "Re: mould"


def test_body_mime_gives_text_attachments_and_threading_headers() -> None:
    m, headers = email.parse(form("email_mailgun_mime"), raw="")
    assert m.platform_message_id == "CAB0verflow-7@mail.example.org"
    assert m.conversation_key == f"email:{MAILBOX}:CAB0verflow-1@mail.example.org"  # the first reference
    assert m.in_reply_to == "reply-4411@council.example.gov.uk"
    assert m.text == ("Overflowing bins on Stryd y Felin – photos\n\nStill overflowing this morning – photos attached. "
                      "The foxes have had the bags open.\n\nAled")  # quoted earlier message cut
    assert [(a.type, a.name) for a in m.attachments] == [("image/jpeg", "bins-1.jpg"),
                                                           ("application/pdf", "collection-calendar.pdf")]
    assert m.sent_at.isoformat() == "2026-11-21T08:41:07+00:00"
    assert headers.references == ("CAB0verflow-1@mail.example.org", "reply-4411@council.example.gov.uk")


def test_body_mime_alone_gives_subject_sender_and_html_text() -> None:
    m, headers = email.parse(form("email_mailgun_mime_html_only"), raw="")
    assert headers.subject == "Damp in the back bedroom" and headers.sender == "sian.h@example.net"
    assert m.author.name == "Siân Hughes" and m.platform_message_id == "html-only-0042@example.net"
    assert m.text == "Damp in the back bedroom\n\nThe damp in the back bedroom is back & spreading.\n\nFlat 3, 18 Church Road.\nSiân"
    assert "alert" not in m.text and "color" not in m.text and m.attachments == []


def test_mime_helpers() -> None:
    assert strip_quoted("Yes please.\n\nOn Mon, 1 Dec 2026, Council wrote:\n> Shall we?\n> x") == "Yes please."
    assert strip_quoted("Line one\n> not a reply header but quoted at the end") == "Line one"
    assert strip_quoted("On Monday I wrote: to you\nand more") == "On Monday I wrote: to you\nand more"
    assert html_text("<p>a&nbsp;b</p><p>c</p>") == "a\xa0b\n\nc"
    with pytest.raises(PayloadError, match="no MIME headers"):
        read_mime("just some words")


async def test_a_signed_mime_route_delivery_is_published_not_empty() -> None:
    app = create_app(Settings(meta_app_secret="s", meta_verify_token="t", mailgun_signing_key="test_signing_key"))
    app.state.publisher, app.state.stores = FakePublisher(), FakeStores()
    fields = json.loads((PAYLOADS / "email_mailgun_mime.json").read_text())
    fields["timestamp"], fields["token"] = str(int(time.time())), "mime-token-1"
    fields["signature"] = email.sign(fields["timestamp"], fields["token"], "test_signing_key")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://connectors.test") as client:
        response = await client.post("/webhooks/email", content=urlencode(fields),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text
    [m] = app.state.publisher.published
    assert "foxes" in m.text and len(m.attachments) == 2 and app.state.publisher.letters == []
    assert "CAB0verflow-7@mail.example.org" in app.state.stores.emails.saved  # kept for threading the reply
