"""Records management of the connectors' own collections: a person's data erased, and the retention schedule
applied, after responder did the same to its records (`records.erased.v1`, `records.retention.v1`; see
`connectors/records.py`). What the connectors keep about people: web-form service requests (name, email,
phone, address, description), email headers (the sender's address), the conversation ledger and thread index
(keyed by conversation keys, which can hold a phone number or a platform id), outbound commands (recipient)
and when a Twilio message was first seen.

Admin operations, rare and never on a message's path: the filters here may scan (FerretDB). Every value from
an event is compared with `$eq`/`$in`, never interpreted as a query."""

from datetime import datetime

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from connectors.adapters.outbox import FAILED, REFUSED, SENT

# A service request's fields that describe the person or what they wrote; all go when they are erased.
PERSONAL = ("email", "phone", "first_name", "last_name", "device_id", "account_id", "address_string", "address_id",
            "lat", "long", "media_url", "attributes", "status_notes", "pending_notice")
FINISHED = (SENT, FAILED, REFUSED)


class RecordsStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.requests = db["service_requests"]
        self.emails = db["email_headers"]
        self.ledger = db["conversation_ledger"]
        self.threads = db["thread_index"]
        self.outbox = db["outbox"]
        self.first_seen = db["first_seen"]
        self.runs = db["records_runs"]

    # Finding.

    async def requests_with_contacts(self) -> list[dict]:
        """Every service request not erased yet, with only its id and the citizen's contact details."""
        cursor = self.requests.find({"erased": None}, projection={"_id": True, "email": True, "phone": True})
        return [d async for d in cursor]

    async def requests_before(self, cutoff: datetime) -> list[dict]:
        projection = {"_id": True, "email": True, "phone": True, "requested_datetime": True}
        return [d async for d in self.requests.find({"requested_datetime": {"$lt": cutoff}}, projection=projection)]

    async def ledger_before(self, cutoff: datetime) -> list[dict]:
        return [d async for d in self.ledger.find({"last_inbound_at": {"$lt": cutoff}})]

    async def emails_saved_before(self, cutoff: datetime) -> list[dict]:
        return [d async for d in self.emails.find({"saved_at": {"$lt": cutoff}}, projection={"_id": True, "sender": True})]

    async def finished_commands_before(self, cutoff: datetime) -> list[dict]:
        query = {"created_at": {"$lt": cutoff}, "state": {"$in": list(FINISHED)}}
        return [d async for d in self.outbox.find(query, projection={"_id": True, "command.conversation_key": True})]

    # Changing.

    async def anonymise_requests(self, ids: list[str], *, tombstone: str, at: datetime, request: str) -> int:
        if not ids:
            return 0
        update = {"$set": {**dict.fromkeys(PERSONAL), "description": tombstone, "answers": [],
                           "erased": {"at": at, "request": request}}}
        return (await self.requests.update_many({"_id": {"$in": ids}}, update)).modified_count

    async def delete(self, collection: str, ids: list) -> int:
        if not ids:
            return 0
        return (await getattr(self, collection).delete_many({"_id": {"$in": ids}})).deleted_count

    async def delete_emails_from(self, senders: list[str]) -> int:
        if not senders:
            return 0
        return (await self.emails.delete_many({"sender": {"$in": senders}})).deleted_count

    async def start_email_clock(self, at: datetime) -> None:
        """Headers saved before `saved_at` was recorded count from the first retention run that sees them."""
        await self.emails.update_many({"saved_at": None}, {"$set": {"saved_at": at}})

    async def delete_first_seen_before(self, cutoff: datetime) -> int:
        return (await self.first_seen.delete_many({"at": {"$lt": cutoff}})).deleted_count

    async def delete_threads_of(self, keys: list[str]) -> int:
        if not keys:
            return 0
        return (await self.threads.delete_many({"conversation_key": {"$in": keys}})).deleted_count

    async def rekey(self, old: str, new: str) -> int:
        """Moves the ledger entry, the thread index and outbound commands from conversation `old` to `new` (the
        old key holds the person's number or id). Not atomic: a redelivered event completes it."""
        moved = 0
        entry = await self.ledger.find_one({"_id": {"$eq": old}})
        if entry is not None:
            try:
                await self.ledger.insert_one({**entry, "_id": new})
            except DuplicateKeyError:
                pass
            moved += (await self.ledger.delete_one({"_id": {"$eq": old}})).deleted_count
        moved += (await self.threads.update_many({"conversation_key": {"$eq": old}},
                                                 {"$set": {"conversation_key": new}})).modified_count
        moved += (await self.outbox.update_many({"command.conversation_key": {"$eq": old}},
                                                {"$set": {"command.conversation_key": new}})).modified_count
        return moved

    async def replace_recipient(self, ids: list[str], stand_in: str) -> int:
        if not ids:
            return 0
        return (await self.outbox.update_many({"command.recipient_id": {"$in": ids}},
                                              {"$set": {"command.recipient_id": stand_in}})).modified_count

    async def record_run(self, run: dict) -> None:
        await self.runs.replace_one({"_id": run["_id"]}, run, upsert=True)
