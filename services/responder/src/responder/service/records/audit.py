"""Every records action goes on the audit log, like every staff action."""

from datetime import datetime

from responder.adapters.mongo_ledger import audit_entry
from responder.adapters.mongo_records import RecordsStore


async def records_audit(store: RecordsStore, *, entry_id: str, at: datetime, actor: dict, action: str,
                        details: dict, reason: str | None = None, outcome: str = "done",
                        conversation_key: str | None = None) -> None:
    await store.append_audit(audit_entry(
        entry_id=entry_id, at=at, actor=actor, action=action, conversation_key=conversation_key, account_id=None,
        outcome=outcome, reason=reason, details=details,
    ))
