"""Helpers of the agents' API tests: citizens' messages to this session's Facebook Page (whose replies the
session's connectors really send, to the sandbox), and staff actions followed to their outcome."""

import asyncio
import time
import uuid

import httpx

from support.channels import session_accounts
from support.system import System


def page(system: System) -> str:
    return session_accounts(system.run_id).page


def comment(system: System, text: str, *, author: str | None = None, name: str = "Sam Hughes",
            at: int | None = None) -> tuple[str, dict]:
    """A top-level comment on one of the Page's posts (written at `at`, epoch seconds; default now):
    (conversation key, signed webhook payload)."""
    page_id = page(system)
    author = author or str(uuid.uuid4().int % 10**10)
    post = f"{page_id}_{uuid.uuid4().hex[:10]}"
    comment_id = f"{post}_{uuid.uuid4().hex[:8]}"
    now = at + 2 if at is not None else int(time.time())
    payload = {"object": "page", "entry": [{"id": page_id, "time": now, "changes": [{"field": "feed", "value": {
        "item": "comment", "verb": "add", "comment_id": comment_id, "post_id": post, "parent_id": post,
        "from": {"id": author, "name": name}, "message": text, "created_time": now - 2,
        "permalink_url": f"https://www.facebook.com/{page_id}/posts/1?comment_id={comment_id}"}}]}]}
    return f"facebook:{page_id}:{comment_id}", payload


def direct_message(system: System, text: str, *, sender: str) -> tuple[str, dict]:
    page_id = page(system)
    now = int(time.time() * 1000)
    payload = {"object": "page", "entry": [{"id": page_id, "time": now, "messaging": [{
        "sender": {"id": sender}, "recipient": {"id": page_id}, "timestamp": now,
        "message": {"mid": f"m_{uuid.uuid4().hex}", "text": text}}]}]}
    return f"messenger:{page_id}:{sender}", payload


def triaged(conversation: dict) -> bool:
    return bool(conversation["department"] and conversation["messages"] and all(m["triage"] for m in conversation["messages"]))


async def arrive(system: System, made: tuple[str, dict], *, timeout: float = 60) -> dict:
    """Post the webhook and wait until the conversation is stored and triaged (as an admin sees it)."""
    key, payload = made
    response = await system.post_meta(payload)
    assert response.status_code == 200, response.text
    return await system.wait_for_conversation(key, until=triaged, timeout=timeout)


async def follow(client: httpx.AsyncClient, command_id: str, *, timeout: float = 30) -> dict:
    """Poll `GET /api/commands/{id}` until responder has carried the command out (done or rejected)."""
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        response = await client.get(f"/api/commands/{command_id}")
        response.raise_for_status()
        state = response.json()
        if state["status"] in ("done", "rejected"):
            return state
        await asyncio.sleep(0.1)
    raise AssertionError(f"command {command_id} not carried out within {timeout}s: {state}")


async def act(client: httpx.AsyncClient, key: str, action: str, body: dict | None = None, **kwargs) -> dict:
    """POST a staff action on a conversation, expect 202, and follow it to its outcome."""
    response = await client.post(f"/api/conversations/{key}/{action}", json=body or {}, **kwargs)
    assert response.status_code == 202, response.text
    return await follow(client, response.json()["command_id"])


async def detail(client: httpx.AsyncClient, key: str) -> dict:
    response = await client.get(f"/api/conversations/{key}")
    response.raise_for_status()
    return response.json()


async def wait_for(check, *, timeout: float = 30, every: float = 0.2):
    """Call `check()` (async) until it returns something truthy; returns it."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(every)
    raise AssertionError(f"not as expected within {timeout}s; last: {last}")
