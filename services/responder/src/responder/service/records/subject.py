"""Subject access: everything held about one person across channels (their messages, the conversations
they are in, the organisation's replies to them, linked handovers), with other people's personal data
redacted and a log of each redaction. The bundle is returned as data; `bundle.write` renders it."""

import uuid
from datetime import datetime

from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import Person, redact
from responder.service.records.audit import records_audit
from responder.service.records.bundle import render_html

WITHHELD = "[message from another person withheld]"


async def subject_access(store: RecordsStore, person_values: list[str], *, now: datetime, actor: dict,
                         request: str) -> dict:
    """The subject access bundle for the person these identifiers name; written to the audit log."""
    person = Person.parse(person_values)
    own = [m async for m in store.messages_where(store.by_author(sorted(person.ids), sorted(person.handles)))]
    handovers = await store.handovers_for(sorted(person.ids))
    keys = sorted({m["conversation_key"] for m in own}
                  | {h["conversation_key"] for h in handovers}
                  | {h["private"]["conversation_key"] for h in handovers if (h.get("private") or {}).get("conversation_key")})
    conversations = {c["_id"]: c for c in await store.conversations_by_keys(keys)}
    messages = await store.related("messages", keys)
    replies = await store.related("replies", keys)
    redactions: list[dict] = []
    sections = []
    for key in keys:
        conversation = conversations.get(key) or {"_id": key}
        items = [_message_item(m, person, redactions) for m in messages if m["conversation_key"] == key]
        items += [_reply_item(r, redactions) for r in replies if r["conversation_key"] == key and r.get("text")]
        items.sort(key=lambda i: i["at"] or now)
        sections.append({
            "conversation": key, "channel": conversation.get("channel"), "department": conversation.get("department"),
            "status": conversation.get("status"), "opened": conversation.get("first_message_at"),
            "case_references": sorted(h["case_reference"] for h in handovers if key in (
                h.get("conversation_key"), (h.get("private") or {}).get("conversation_key"))),
            "items": items,
        })
    bundle = {
        "_id": f"sar:{uuid.uuid4()}", "kind": "subject_access", "request": request, "made_at": now,
        "made_by": actor.get("user_id"), "person": sorted(person_values),
        "summary": {"conversations": len(sections), "messages_by_person": len(own),
                    "channels": sorted({m["channel"] for m in own}), "redactions": len(redactions)},
        "conversations": sections, "redactions": redactions,
    }
    await store.save_export({**bundle, "html": render_html(bundle)})
    await records_audit(store, entry_id=bundle["_id"], at=now, actor=actor, action="subject_access",
                        reason=request, details={"export_id": bundle["_id"], **bundle["summary"]})
    return bundle


def _message_item(message: dict, person: Person, redactions: list[dict]) -> dict:
    spans = (message.get("triage") or {}).get("pii") or []
    history: list[dict] = []
    if person.wrote(message):
        text, log = redact(message.get("text") or "", spans, keep=person.keeps)
        author = "you"
        for entry in log:
            redactions.append({"message_id": message["_id"], "what": f"third party {entry['kind']}",
                               "start": entry["start"], "end": entry["end"]})
        for n, version in enumerate(message.get("versions") or [], start=1):  # earlier texts of an edited message
            earlier, log = redact(version.get("text") or "", version.get("pii") or [], keep=person.keeps)
            redactions += [{"message_id": message["_id"], "version": n, "what": f"third party {entry['kind']}",
                            "start": entry["start"], "end": entry["end"]} for entry in log]
            history.append(version_item(version, earlier))
    else:
        text, author = WITHHELD, "another person"
        redactions.append({"message_id": message["_id"], "what": "another person's message and identity"})
    return {"at": message.get("sent_at"), "from": author, "channel": message.get("channel"), "text": text,
            "message_id": message["_id"], "attachments": len(message.get("attachments") or []),
            "versions": history, "deleted": deletion_item(message)}


def version_item(version: dict, text: str) -> dict:
    """An earlier version of a message in a bundle: its (redacted) text, when it was written and replaced, by whom."""
    return {"text": text, "written_at": version.get("written_at"), "replaced_at": version.get("replaced_at"),
            "replaced_by": version.get("replaced_by")}


def deletion_item(message: dict) -> dict | None:
    deleted = message.get("deleted")
    return {"at": deleted.get("at"), "by": deleted.get("by")} if deleted else None


def _reply_item(reply: dict, redactions: list[dict]) -> dict:
    if reply.get("requested_by") or reply.get("actor"):
        redactions.append({"message_id": reply["_id"], "what": "name of the member of staff"})
    return {"at": reply.get("sent_at") or reply.get("requested_at"), "from": "the organisation",
            "channel": reply.get("channel"), "text": reply.get("text") or "", "message_id": reply["_id"],
            "status": reply.get("status"), "account": reply.get("account_id"), "attachments": 0}
