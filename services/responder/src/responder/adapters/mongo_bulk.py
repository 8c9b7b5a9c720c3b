"""Writes of many documents in one round trip. FerretDB runs an `insert_many` as one SQLite transaction, whereas
the updates of a bulk write run one by one; so a batch's new documents go in with one `insert_many`."""

from pymongo.errors import BulkWriteError

DUPLICATE_KEY = 11000


async def insert_new(collection, documents: list[dict]) -> int:
    """Insert the documents in one unordered `insert_many`; those whose `_id` is already there are left as they
    are (a redelivery). Returns how many were new; any other write error propagates."""
    if not documents:
        return 0
    try:
        return len((await collection.insert_many(documents, ordered=False)).inserted_ids)
    except BulkWriteError as exc:
        errors = exc.details.get("writeErrors") or []
        if any(e.get("code") != DUPLICATE_KEY for e in errors):
            raise
        return int(exc.details.get("nInserted") or 0)
