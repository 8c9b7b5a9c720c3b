"""The FerretDB that deploy/infra.sh builds (deploy/ferretdb/civic.patch), on the real store the tests run."""

import asyncio
import uuid

import pytest
from pymongo import AsyncMongoClient, UpdateOne

pytestmark = pytest.mark.integration


async def test_an_update_command_of_many_updates_of_existing_documents_completes(infra) -> None:
    """As released, FerretDB v1 kept each update's cursor (one pooled connection of 100) open until the command
    ended: 150 updates of existing documents in one command stopped it for everyone."""
    mongo = AsyncMongoClient(infra.mongodb_uri, socketTimeoutMS=60000)
    db = mongo[f"ferretdb_build_{uuid.uuid4().hex[:8]}"]
    try:
        ids = [f"k{i}" for i in range(300)]
        await db.docs.insert_many([{"_id": i, "n": 0} for i in ids])
        result = await asyncio.wait_for(
            db.docs.bulk_write([UpdateOne({"_id": i}, {"$inc": {"n": 1}}) for i in ids], ordered=False), timeout=60)
        assert result.matched_count == 300 and result.modified_count == 300
        assert await db.docs.count_documents({"n": 1}) == 300
        assert (await db.docs.find_one({"_id": "k299"}))["n"] == 1
    finally:
        await mongo.drop_database(db.name)
        await mongo.close()
