"""What responder writes on a conversation's timeline reads in the reader's language: responder stores each
event's phrase (template and values) beside its English summary, and the inbox says it from `locales/`. Every
phrase responder can write has its Welsh; older events (summary only) still show their summary."""

import ast
import asyncio
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import responder
from civic_contracts import Phrase, permissions
from inbox.web import i18n, labels, phrases
from markupsafe import escape
from support.system import System
from web_support import arrive, messenger

RESPONDER = Path(responder.__file__).resolve().parent
RULES = [Path(permissions.__file__), RESPONDER / "domain" / "freeze.py"]  # where refusals' fixed sentences come from
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def responder_phrases() -> set[str]:
    """Every template responder passes to `Phrase.of` (or to a helper that builds one, like freeze's `_on`)."""
    found: set[str] = set()
    for module in RESPONDER.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            builds = (isinstance(func, ast.Attribute) and func.attr == "of" and isinstance(func.value, ast.Name)
                      and func.value.id == "Phrase") or (isinstance(func, ast.Name) and func.id == "_on")
            if builds:
                found.update(s for arg in node.args for s in _strings(arg))
    return found


def test_every_phrase_responder_writes_has_its_welsh() -> None:
    welsh = i18n.catalog("cy")
    said = responder_phrases()
    assert len(said) > 40 and "message edited on %(channel)s (%(by)s)" in said
    assert not sorted(t for t in said if t not in welsh), "no Welsh for some of responder's phrases"
    for english in said:
        assert sorted(PLACEHOLDER.findall(english)) == sorted(PLACEHOLDER.findall(welsh[english])), english
    words = [*labels.BY.values(), *labels.PURPOSES.values(), *labels.REPLY_STATUSES.values(),
             *labels.STRATEGIES.values(), *labels.CLOCKS.values()]
    assert not [w for w in words if w not in welsh], "no Welsh for some of the phrases' words"


def fixed_reasons() -> set[str]:
    """The sentences responder refuses with as they are (`refused("...")`, and those the permission rules return)."""
    found: set[str] = set()
    for module in RESPONDER.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "refused" and node.args:
                found.update(_strings(node.args[0]))
    for module in RULES:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Return) and node.value is not None:
                found.update(s for s in _strings(node.value) if " " in s)
            if isinstance(node, ast.Tuple):  # ("refuse", why)
                found.update(s for e in node.elts for s in _strings(e) if " " in s)
    return found


def test_every_fixed_refusal_has_its_welsh() -> None:
    welsh = i18n.catalog("cy")
    reasons = fixed_reasons()
    assert len(reasons) > 20 and "only a supervisor may approve or reject a reply" in reasons
    assert not sorted(r for r in reasons if r not in welsh)


def _in(language: str, event: dict) -> str:
    token = i18n.current.set(language)
    try:
        return phrases.said(event)
    finally:
        i18n.current.reset(token)


def test_a_phrase_reads_in_the_readers_language_and_old_events_keep_their_summary() -> None:
    closed = Phrase.of("%(actor)s: %(status)s, %(close_reason)s (not a request: %(not_a_request)s)",
                       actor="Ann", status="closed", close_reason="no_reply_needed", not_a_request="thanks")
    assert closed.english() == "Ann: closed, no reply needed (not a request: thanks)"  # the stored summary
    event = {"summary": closed.english(), "phrase": closed.model_dump()}
    assert _in("cy", event) == "Ann: ar gau, dim angen ateb (nid cais: diolch)"
    assert _in("en", event) == "Ann: closed, no reply needed (not a request: thanks)"
    edited = Phrase.of("message edited on %(channel)s (%(by)s)", channel="facebook", by="author")
    assert _in("cy", {"summary": edited.english(), "phrase": edited.model_dump()}) == \
        "neges wedi'i golygu ar Facebook (ei awdur)"
    assert _in("cy", {"summary": "message edited on facebook (author)"}) == "message edited on facebook (author)"
    broken = {"summary": "as stored", "phrase": {"template": "%(missing)s went", "params": {}}}
    assert _in("cy", broken) == "as stored"  # a phrase the catalog cannot fill shows the stored summary
    refusal = Phrase.of("%(action)s refused: %(reason)s", action="assign",
                        reason=Phrase.of("%(name)s is on leave", name="Siân"))
    assert refusal.english() == "assign refused: Siân is on leave"
    assert _in("cy", {"summary": refusal.english(), "phrase": refusal.model_dump()}) == \
        "gwrthodwyd assign: mae Siân ar wyliau"
    fixed = Phrase.of("%(action)s refused: %(reason)s", action="approve_reply",
                      reason="only a supervisor may approve or reject a reply")
    assert _in("cy", {"summary": fixed.english(), "phrase": fixed.model_dump()}) == \
        "gwrthodwyd approve_reply: dim ond goruchwyliwr gaiff gymeradwyo neu wrthod ateb"
    names = Phrase.of("%(actor)s added a note", actor="<b>Ann</b>")
    assert _in("cy", {"summary": "", "phrase": names.model_dump()}) == "Ychwanegodd <b>Ann</b> nodyn"  # escaped by the page


@pytest.mark.integration
@pytest.mark.e2e
async def test_a_welsh_reader_sees_the_timeline_in_welsh(system: System) -> None:
    arrived = await arrive(system, messenger(system, "Diolch yn fawr am drwsio'r golau stryd"))
    key = arrived["id"]
    same = await system.inbox.post(f"/api/conversations/{key}/reroute", json={"department": arrived["department"]})
    assert same.status_code == 202, same.text  # refused by responder: already routed so
    closed = await system.inbox.post(f"/api/conversations/{key}/close", json={"reason": "no_reply_needed"})
    assert closed.status_code == 202, closed.text
    for _ in range(200):
        timeline = (await system.inbox.get(f"/api/conversations/{key}")).json()["timeline"]
        if {"status_changed", "command_rejected"} <= {e["type"] for e in timeline}:
            break
        await asyncio.sleep(0.1)
    change = next(e for e in timeline if e["type"] == "status_changed")
    assert change["summary"] == "Test Admin: closed, no reply needed" or change["summary"].startswith(
        "Test Admin: closed, no reply needed (not a request:")  # the English summary stays for the audit and export
    assert change["phrase"]["params"]["close_reason"] == "no_reply_needed"
    old = {"_id": f"legacy:{uuid.uuid4().hex}", "conversation_key": key, "type": "note_added",
           "at": datetime.now(UTC), "summary": "Old Agent added a note", "data": {}}
    await system.apps["responder"].state.responder.ledger.timeline.insert_one(old)  # written before phrases existed
    reader = await system.sign_in("t-agent")
    reader.cookies.set(i18n.COOKIE, "cy")
    page = (await reader.get(f"/conversations/{key}")).text
    assert '<html lang="cy">' in page
    assert "neges ar Messenger" in page and "brysbennu: " in page
    assert "Test Admin: ar gau, dim angen ateb" in page
    assert "message on messenger" not in page and ": closed, no reply needed" not in page
    assert escape("mae'r sgwrs eisoes wedi'i chyfeirio felly") in page  # the refusal's reason, in Welsh
    assert "Old Agent added a note" in page
    english = (await system.inbox.get(f"/conversations/{key}")).text
    assert "message on Messenger" in english and "Test Admin: closed, no reply needed" in english
