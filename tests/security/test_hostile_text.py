"""The hostile-text corpus (script, attribute and URL injection) in every field a citizen controls, sent
through the real webhooks and forms, rendered inert in every page that shows it: the inbox list row, the
conversation page and the public contact form. "Inert" is checked on the parsed HTML: no script element
but the app's own files, no event-handler attribute, no javascript: or data: link, no frame or object; and
the text itself is still there for the agent to read."""

import json
import time
import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from security_support import client_for, connectors_app
from support.agents import comment, direct_message, triaged
from support.channels import post_email, post_open311, post_x, session_accounts
from support.system import System

pytestmark = pytest.mark.integration
CORPUS = [
    '<script>alert("xss-1")</script>',
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)' x='",
    "javascript:alert(4)",
    '<a href="javascript:alert(5)">click</a>',
    "</textarea><svg onload=alert(6)>",
    "<iframe src=//evil.example/7></iframe>",
    '<meta http-equiv="refresh" content="0;url=//evil.example/8">',
]
HOSTILE = " ".join(CORPUS)


class Inertness(HTMLParser):
    """Collects what would make text active in a browser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.active: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and not (values.get("src") or "").startswith("/static/"):
            self.active.append(f"<script> {values}")
        if tag in ("iframe", "frame", "object", "embed", "base") or (tag == "meta" and "http-equiv" in values):
            self.active.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.active.append(f"{tag} {name}=")
            if name in ("href", "src", "action", "formaction", "xlink:href") and value and \
                    value.strip().lower().startswith(("javascript:", "vbscript:", "data:text")):
                self.active.append(f"{tag} {name}={value}")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def assert_inert(html: str, *, shows: str) -> None:
    parser = Inertness()
    parser.feed(html)
    assert parser.active == [], parser.active
    text = "".join(parser.text)
    assert shows in text, f"the citizen's text is not shown as text: {shows[:60]!r}"


async def test_citizen_text_is_inert_in_every_inbox_page(system: System) -> None:
    accounts = session_accounts(system.run_id)
    keys = []
    key, made = comment(system, f"Comment {HOSTILE}", name=f"Name {CORPUS[1]}")
    assert (await system.post_meta(made)).status_code == 200
    keys.append(key)
    key, made = direct_message(system, f"DM {HOSTILE}", sender=uuid.uuid4().hex[:12])
    assert (await system.post_meta(made)).status_code == 200
    keys.append(key)
    tweet = str(1_925_000_000_000_000_000 + uuid.uuid4().int % 10**15)
    assert (await post_x(system.connectors, {"for_user_id": accounts.x, "tweet_create_events": [{
        "id_str": tweet, "created_at": time.strftime("%a %b %d %H:%M:%S +0000 %Y", time.gmtime()),
        "text": f"@CivicCouncil {HOSTILE}",
        "user": {"id_str": "98765432", "screen_name": 'x"><script>alert(9)</script>', "name": CORPUS[2]}}]})).status_code == 200
    keys.append(f"x:{accounts.x}:{tweet}")
    root = f"{uuid.uuid4().hex}@mail.example.org"
    assert (await post_email(system.connectors, {
        "recipient": accounts.mailbox, "from": "jo@example.org", "subject": CORPUS[0], "stripped-text": f"Email {HOSTILE}",
        "message-headers": json.dumps([["Message-Id", f"<{root}>"], ["Subject", CORPUS[0]]])})).status_code == 200
    keys.append(f"email:{accounts.mailbox}:{root}")
    created = await post_open311(system.connectors, {
        "service_code": "highways", "address_string": CORPUS[1], "first_name": CORPUS[0], "last_name": CORPUS[2],
        "description": f"Form {HOSTILE}", "device_id": CORPUS[4]})
    assert created.status_code == 200, created.text
    keys.append(f"webform:{accounts.jurisdiction}:{created.json()[0]['service_request_id']}")

    admin = await system.sign_in("t-admin")
    for key in keys:
        await system.wait_for_conversation(key, until=triaged, timeout=90)
        page = await admin.get(f"/conversations/{key}")
        assert page.status_code == 200, key
        assert_inert(page.text, shows='<script>alert("xss-1")</script>')
        # a message that asks for nothing is in the "Not a request" view (with its buttons), not in "All open"
        stored = await system.apps["inbox"].state.store.get(key) or {}
        row = await admin.get("/inbox/row", params={"key": key, "view": "not_a_request" if stored.get("not_a_request")
                                                    else "all"})
        assert row.status_code == 200
        assert_inert(row.text, shows="alert(")
    inbox = await admin.get("/inbox", params={"sort": "newest"})
    assert_inert(inbox.text, shows="alert(")


async def test_a_hostile_media_url_is_refused_and_nothing_is_published() -> None:
    app = connectors_app()
    async with client_for(app) as c:
        for url in ("javascript:alert(1)", 'https://x.example/"><script>alert(1)</script>', "data:text/html,<b>"):
            response = await c.post("/open311/v2/requests.json", headers={"Content-Type": "application/x-www-form-urlencoded"},
                                    content=urlencode({"api_key": "test_open311_key", "service_code": "highways",
                                                       "address_string": "Mill Lane", "description": "Pothole",
                                                       "media_url": url}))
            assert response.status_code == 400 and "media_url" in response.text
    assert app.state.publisher.published == []


async def test_the_contact_form_shows_hostile_text_inert() -> None:
    app = connectors_app()
    async with client_for(app) as c:
        values = {"service_code": CORPUS[1], "description": HOSTILE, "address_string": CORPUS[2],
                  "first_name": CORPUS[0], "last_name": CORPUS[5], "email": CORPUS[1], "phone": CORPUS[3]}
        page = await c.post("/contact", content=urlencode(values), headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert page.status_code == 400
    assert_inert(page.text, shows='<script>alert("xss-1")</script>')
    assert app.state.publisher.published == []
