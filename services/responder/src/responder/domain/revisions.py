"""How a reported edit or deletion changes a stored message, without losing what it said before: pure logic.

An edit moves the current text, with the time it was written, who replaced it and triage's personal data spans
for it, into `versions` (`civic_contracts.MessageVersion`) and makes the new text current; an edit reported
after a later one (platforms do not promise order) is kept as a version without changing the current text. A
deletion is a mark (`civic_contracts.MessageDeletion`): the record and its text stay for staff, until retention
or erasure takes them. Every applied change's id is kept, so a redelivery changes nothing."""

import hashlib
from datetime import UTC, datetime

from civic_contracts import MessageDeletion, MessageRevision, MessageVersion, RevisedBy, RevisionKind


def who(revision: MessageRevision, message: dict) -> RevisedBy:
    """The author when the platform names the message's own author; the account when it names the account."""
    actor = revision.actor_id
    if actor and actor == str((message.get("author") or {}).get("platform_id")):
        return RevisedBy.AUTHOR
    if actor and actor == message.get("account_id"):
        return RevisedBy.ACCOUNT
    return revision.by


def plan(message: dict, revision: MessageRevision, *, by: RevisedBy) -> dict | None:
    """The update of the stored message for this revision, or None when there is nothing to do (already applied,
    already deleted, erased, or an edit to the text it already has)."""
    if message.get("erased") or revision.id in (message.get("revision_ids") or []):
        return None
    done = {"$addToSet": {"revision_ids": revision.id}}
    if revision.kind is RevisionKind.DELETED:
        if message.get("deleted"):
            return None
        mark = MessageDeletion(at=revision.revised_at, by=by, revision_id=revision.id)
        return {"$set": {"deleted": mark.model_dump(mode="python")}, **done}
    text = revision.text or ""
    known = [message.get("text")] + [v.get("text") for v in message.get("versions") or []]
    if text in known:
        return done  # the text it has, or had: a repeated or stale report
    current_since = message.get("edited_at") or message.get("sent_at")
    if current_since is not None and _aware(revision.revised_at) < _aware(current_since):
        # An older edit reported after a newer one: history, not the current text.
        late = MessageVersion(text=text, written_at=revision.revised_at, replaced_at=None, replaced_by=by,
                              revision_id=revision.id)
        return {"$push": {"versions": late.model_dump(mode="python")}, **done}
    earlier = MessageVersion(text=message.get("text") or "", written_at=current_since or revision.revised_at,
                             replaced_at=revision.revised_at, replaced_by=by, revision_id=revision.id,
                             pii=(message.get("triage") or {}).get("pii") or [])
    fields = {"text": text, "edited_at": revision.revised_at}
    if message.get("triage"):
        fields["triage.pii"] = []  # its spans were the earlier text's; triage finds the new text's again
    return {"$set": fields,
            "$push": {"versions": earlier.model_dump(mode="python")}, **done}


def digest(text: str) -> str:
    """The marker of an edit without a platform edit number (the same as the connectors')."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
