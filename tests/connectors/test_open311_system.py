"""A FixMyStreet-style Open311 client against the real stack (connectors, triage, responder and inbox on real
Kafka and FerretDB, Mailgun played by the sandbox): it discovers the services, posts one request in XML and
one in JSON, and later reads each as `closed` with the council's public reply, while the citizen who gave an
address is emailed; the request store keeps notes and status apart from private notes."""

import json
import uuid
from pathlib import Path
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from support.agents import act, wait_for
from support.channels import session_accounts
from support.system import System

pytestmark = [pytest.mark.integration, pytest.mark.e2e]
PAYLOADS = Path(__file__).parent / "payloads"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 - our own server's answers and our own fixtures


def triaged(conversation: dict) -> bool:
    return bool(conversation["department"] and conversation["messages"] and all(m["triage"] for m in conversation["messages"]))


async def test_fixmystreet_client_discovers_posts_and_reads_closed_with_the_reply(system: System) -> None:
    accounts = session_accounts(system.run_id)
    client = system.connectors
    discovery = parse_xml((await client.get("/open311/discovery.xml")).content)
    base = discovery.findtext("endpoints/endpoint/url")
    assert base.endswith("/open311/v2") and "text/xml" in [f.text for f in discovery.iter("format")]
    path = base[base.index("/open311"):]
    services = parse_xml((await client.get(f"{path}/services.xml")).content)
    highways = next(s for s in services if s.findtext("service_code") == "highways")
    assert highways.findtext("metadata") == "true"
    definition = parse_xml((await client.get(f"{path}/services/highways.xml")).content)
    assert "pothole" in [v.findtext("key") for v in definition.iter("value")]

    unique = uuid.uuid4().hex[:6]
    form = {**json.loads((PAYLOADS / "open311_fixmystreet_request.json").read_text()),
            "jurisdiction_id": accounts.jurisdiction, "email": f"fms-{unique}@example.net",
            "description": f"Pothole has opened up again near the crossing {unique}"}
    created_xml = await client.post(f"{path}/requests.xml", content=urlencode(form), headers=FORM)
    assert created_xml.status_code == 200, created_xml.text
    xml_id = parse_xml(created_xml.content).findtext("request/service_request_id")
    as_json = {**form, "email": "", "description": f"Street light flickering all night {unique}",
               "service_code": "street_lighting", "attribute[fault]": "flickering"}
    created_json = await client.post(f"{path}/requests.json", content=urlencode(as_json), headers=FORM)
    assert created_json.status_code == 200, created_json.text
    json_id = created_json.json()[0]["service_request_id"]

    agent = await system.sign_in("t-agent")
    replies = {xml_id: "We have booked a crew to fill it by Friday.", json_id: "The lamp has been replaced."}
    for request_id, finish in ((xml_id, "resolve"), (json_id, "close")):
        key = f"webform:{accounts.jurisdiction}:{request_id}"
        await system.wait_for_conversation(key, until=triaged, timeout=60)
        assert (await act(agent, key, "reply", {"text": replies[request_id]}))["status"] == "done"
        await wait_for(lambda rid=request_id: _field(client, path, rid, "status_notes"), timeout=45)
        assert (await act(agent, key, finish, {"note": "private: crew ref 7781"}))["status"] == "done"

    for request_id in (xml_id, json_id):
        closed = await wait_for(lambda rid=request_id: _closed(client, path, rid), timeout=45)
        assert closed.findtext("status_notes") == replies[request_id]
        assert closed.findtext("updated_datetime") > closed.findtext("requested_datetime")
        assert "7781" not in ElementTree.tostring(closed, encoding="unicode")  # private notes never shown
    [as_json_closed] = (await client.get(f"{path}/requests/{json_id}.json")).json()
    assert as_json_closed["status"] == "closed" and as_json_closed["status_notes"] == replies[json_id]
    listed = parse_xml((await client.get(f"{path}/requests.xml", params={
        "service_request_id": f"{xml_id},{json_id}", "status": "open"})).content)
    assert {r.findtext("status") for r in listed} == {"closed"}  # ids override every other filter

    async def emailed() -> list[dict]:
        sent = (await system.sandbox.get("/_sandbox/sent", params={"platform": "mailgun"})).json()
        return [s for s in sent if s["body"].get("to") == form["email"]]

    [notice] = await wait_for(emailed, timeout=30)
    assert notice["body"]["subject"] == f"Your report {xml_id} has been closed"
    assert replies[xml_id] in notice["body"]["text"] and notice["body"]["from"] == accounts.mailbox
    assert "7781" not in notice["body"]["text"]
    stored = await system.apps["connectors"].state.stores.requests.get(json_id)
    assert stored["conversation_status"] == "closed" and not stored.get("pending_notice")  # no address, no email


async def _field(client, path: str, request_id: str, name: str):
    [request] = (await client.get(f"{path}/requests/{request_id}.json")).json()
    return request[name]


async def _closed(client, path: str, request_id: str):
    root = parse_xml((await client.get(f"{path}/requests/{request_id}.xml")).content)
    request = root.find("request")
    return request if request.findtext("status") == "closed" else None
