"""A Facebook comment edited, then removed by its author, through signed webhooks, real Kafka and FerretDB: both
versions and the deletion on the conversation (API and page, escaped), the redelivered edit harmless, the edit
classified again by triage."""

import html
import uuid

import pytest
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
PAGE = "104729113"
AUTHOR = "7311946077"


def feed(verb: str, comment: str, post: str, *, text: str | None = None, at: int = 1763718000) -> dict:
    value = {"item": "comment", "verb": verb, "comment_id": comment, "post_id": post, "parent_id": post,
             "from": {"id": AUTHOR, "name": "Sam Hughes"}, "created_time": 1763717990}
    if text is not None:
        value["message"] = text
    return {"object": "page", "entry": [{"id": PAGE, "time": at, "changes": [{"field": "feed", "value": value}]}]}


def one(conversation: dict) -> dict:
    [message] = conversation["messages"]
    return message


async def test_an_edited_then_removed_comment_keeps_both_versions(system: System) -> None:
    post = f"{PAGE}_{uuid.uuid4().hex[:10]}"
    comment = f"{post}_{uuid.uuid4().hex[:8]}"
    key = f"facebook:{PAGE}:{comment}"
    first = "The streetlight outside 4 Elm Road has been out for a week."
    second = ("The streetlight outside 4 Elm Road has been out for a week <b>and</b> the lamp post is leaning. "
              "Call me on 07700 900123.")
    assert (await system.post_meta(feed("add", comment, post, text=first))).status_code == 200
    await system.wait_for_conversation(key, until=lambda c: bool(c["messages"]))

    edit = feed("edited", comment, post, text=second, at=1763718600)
    for _ in range(2):  # Meta retries: the same edit twice is one version
        assert (await system.post_meta(edit)).status_code == 200
    convo = await system.wait_for_conversation(key, until=lambda c: bool(c["messages"] and one(c).get("versions")))
    message = one(convo)
    assert message["text"] == second and message["edited_at"]
    assert [v["text"] for v in message["versions"]] == [first]
    assert message["versions"][0]["replaced_by"] == "author"
    # Triage classified the edit again: its personal data spans describe the new text.
    convo = await system.wait_for_conversation(key, until=lambda c: any(
        p["kind"] == "phone" for p in ((one(c).get("triage") or {}).get("pii") or [])))

    assert (await system.post_meta(feed("remove", comment, post, at=1763719200))).status_code == 200
    convo = await system.wait_for_conversation(key, until=lambda c: bool(c["messages"] and one(c).get("deleted")))
    message = one(convo)
    assert message["deleted"]["by"] == "author" and message["text"] == second  # archived, not destroyed
    assert len(message["versions"]) == 1

    page = await system.inbox.get(f"/conversations/{key}")
    assert page.status_code == 200
    body = page.text
    assert "Deleted by its author on" in body
    assert html.escape(first, quote=False) in body or html.escape(first) in body
    assert "&lt;b&gt;and&lt;/b&gt;" in body and "<b>and</b>" not in body  # citizen text escaped
    assert "earlier versions (1)" in body

    detail = await system.inbox.get(f"/api/conversations/{key}")
    assert detail.status_code == 200
    types = [e["type"] for e in detail.json()["timeline"]]
    assert "message_edited" in types and "message_deleted" in types
