"""FOI export: the correspondence of a period (optionally one account or one department) as a disclosure
bundle. Citizens appear as "Correspondent 1, 2, …" (consistent within the bundle), the personal data triage
found in their text is redacted by its spans, and each redaction is logged (kind and position, never the
value). The organisation's own replies are disclosed; the names of its staff are not."""

import uuid
from datetime import datetime

from responder.adapters.mongo_records import RecordsStore
from responder.domain.records import redact
from responder.service.records.audit import records_audit
from responder.service.records.bundle import render_html
from responder.service.records.subject import deletion_item, version_item


async def foi_export(store: RecordsStore, *, since: datetime, until: datetime, now: datetime, actor: dict,
                     request: str, account: str | None = None, department: str | None = None) -> dict:
    query = store.sent_between(since, until)
    if account:
        query["account_id"] = {"$eq": account}
    messages = [m async for m in store.messages_where(query)]
    keys = sorted({m["conversation_key"] for m in messages})
    conversations = {c["_id"]: c for c in await store.conversations_by_keys(keys)}
    if department:
        keys = [k for k in keys if (conversations.get(k) or {}).get("department") == department]
        messages = [m for m in messages if m["conversation_key"] in set(keys)]
    replies = [r for r in await store.related("replies", keys) if r.get("status") == "sent" and r.get("text")]
    people: dict[str, str] = {}
    redactions: list[dict] = []
    sections = []
    for key in keys:
        conversation = conversations.get(key) or {}
        items = []
        for m in (m for m in messages if m["conversation_key"] == key):
            if m.get("erased"):
                text, log = m.get("text") or "", []
            else:
                text, log = redact(m.get("text") or "", (m.get("triage") or {}).get("pii") or [])
            redactions += [{"message_id": m["_id"], "what": entry["kind"], "start": entry["start"], "end": entry["end"]}
                           for entry in log]
            history = []
            for n, version in enumerate(m.get("versions") or [], start=1):  # earlier texts of an edited message
                earlier, log = redact(version.get("text") or "", version.get("pii") or [])
                redactions += [{"message_id": m["_id"], "version": n, "what": entry["kind"], "start": entry["start"],
                                "end": entry["end"]} for entry in log]
                history.append(version_item(version, earlier))
            who = _pseudonym(people, str((m.get("author") or {}).get("platform_id")))
            redactions.append({"message_id": m["_id"], "what": "correspondent's identity"})
            items.append({"at": m.get("sent_at"), "from": who, "channel": m.get("channel"), "text": text,
                          "message_id": m["_id"], "versions": history, "deleted": deletion_item(m)})
        for r in (r for r in replies if r["conversation_key"] == key):
            redactions.append({"message_id": r["_id"], "what": "name of the member of staff"})
            items.append({"at": r.get("sent_at") or r.get("requested_at"), "from": f"the organisation ({r.get('account_id')})",
                          "channel": r.get("channel"), "text": r["text"], "message_id": r["_id"]})
        items.sort(key=lambda i: i["at"] or now)
        # A conversation's key can hold the correspondent's number or address: the bundle numbers them instead.
        sections.append({"conversation": f"Conversation {len(sections) + 1}", "channel": conversation.get("channel"),
                         "department": conversation.get("department"), "status": conversation.get("status"),
                         "opened": conversation.get("first_message_at"), "items": items})
    bundle = {
        "_id": f"foi:{uuid.uuid4()}", "kind": "foi_export", "request": request, "made_at": now,
        "made_by": actor.get("user_id"), "scope": {"from": since, "to": until, "account": account, "department": department},
        "summary": {"conversations": len(sections), "messages": len(messages), "replies": len(replies),
                    "correspondents": len(people), "redactions": len(redactions)},
        "conversations": sections, "redactions": redactions,
    }
    await store.save_export({**bundle, "html": render_html(bundle)})
    await records_audit(store, entry_id=bundle["_id"], at=now, actor=actor, action="foi_export", reason=request,
                        details={"export_id": bundle["_id"], **bundle["summary"],
                                 "scope": {k: str(v) if v else None for k, v in bundle["scope"].items()}})
    return bundle


def _pseudonym(people: dict[str, str], author: str) -> str:
    if author not in people:
        people[author] = f"Correspondent {len(people) + 1}"
    return people[author]
