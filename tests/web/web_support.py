"""Helpers of the web tests: citizens' messages through the signed Meta webhook, and screenshots."""

import json
import time
import uuid
from pathlib import Path

from support.channels import session_accounts
from support.system import System

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"


def shot(name: str) -> str:
    return str(ARTIFACTS / f"{name}.png")


def page_id(system: System) -> str:
    return session_accounts(system.run_id).page


def messenger(system: System, text: str, *, sender: str | None = None) -> tuple[str, dict]:
    PAGE_ID = page_id(system)  # noqa: N806
    sender = sender or uuid.uuid4().hex[:12]
    now = int(time.time() * 1000)
    payload = {"object": "page", "entry": [{"id": PAGE_ID, "time": now, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": PAGE_ID}, "timestamp": now,
        "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text}}]}]}
    return f"messenger:{PAGE_ID}:{sender}", payload


def feed_comment(system: System, text: str, *, author: str = "7311946001", name: str = "Sam Hughes") -> tuple[str, dict]:
    PAGE_ID = page_id(system)  # noqa: N806
    post = f"{PAGE_ID}_{uuid.uuid4().hex[:10]}"
    comment = f"{post}_{uuid.uuid4().hex[:8]}"
    payload = {"object": "page", "entry": [{"id": PAGE_ID, "time": int(time.time()), "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": comment, "post_id": post, "parent_id": post,
        "from": {"id": author, "name": name}, "message": text, "created_time": int(time.time()) - 5}}]}]}
    return f"facebook:{PAGE_ID}:{comment}", payload


def triaged(conversation: dict) -> bool:
    messages = conversation["messages"]
    return bool(conversation["department"] and messages and all(m["triage"] for m in messages))


async def arrive(system: System, made: tuple[str, dict]) -> dict:
    """Post the message and wait until it is stored and triaged; the conversation as the API shows it."""
    key, payload = made
    response = await system.post_meta(payload)
    assert response.status_code == 200, response.text
    return await system.wait_for_conversation(key, until=triaged, timeout=240)


def dump(value) -> str:
    return json.dumps(value, indent=2, default=str)


async def stored(system: System, *, department: str, text: str = "A message", abuse: str = "none",
                 channel: str = "messenger", kind: str = "private_message", pii: list[dict] | None = None,
                 account: str = "test", **fields) -> str:
    """A conversation written straight into the session's database, as responder would store it (for tests
    of what the pages show and to whom, without waiting for the pipeline). On `account` "test" responder does not
    act on it (not one of its accounts); on the session's Page (`page_id(system)`) it carries out commands."""
    from datetime import UTC, datetime

    from civic_contracts import TriageResult

    db = system.apps["inbox"].state.store.db
    key = f"{channel}:{account}:{uuid.uuid4().hex[:12]}"
    now = datetime.now(UTC)
    await db["conversations"].insert_one({
        "_id": key, "channel": channel, "account_id": account, "kind": kind, "status": "new",
        "department": department, "urgency": "normal", "urgency_rank": 0, "sentiment": "neutral", "abuse": abuse,
        "language": "en", "author": {"platform_id": uuid.uuid4().hex[:8], "name": "Jo Test"}, "first_message_at": now,
        "last_message_at": now, "message_count": 1, "rev": 1, **fields})
    await db["messages"].insert_one({
        "_id": f"{key}:m1", "conversation_key": key, "platform_message_id": "m1", "channel": channel,
        "kind": kind, "author": {"platform_id": "x", "name": "Jo Test"}, "text": text, "sent_at": now,
        "triage": TriageResult(
            message_id=f"{key}:m1", conversation_key=key, department=department, urgency="normal", abuse=abuse,
            sentiment={"label": "neutral", "score": 0.0}, language="en", pii=pii or [], confidence=0.9,
            explanation={"summary": "Stored by a test."}, classifier_version="test", classified_at=now,
        ).model_dump(mode="python")})
    # As responder does after every write: an event, which the web app's in-memory list follows.
    app = system.apps["inbox"]
    app.state.live.publish({"id": f"{key}:m1:received", "conversation_key": key, "type": "message_received",
                            "at": now.isoformat(), "department": department, "summary": f"message on {channel}",
                            "data": {"message_id": f"{key}:m1"}})
    if app.state.inbox_index is not None and app.state.inbox_index.ready.is_set():
        await app.state.inbox_index.settled(key)
    return key
