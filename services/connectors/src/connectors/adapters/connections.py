"""Connected accounts and the OAuth flows in progress, in MongoDB (tokens only ever stored sealed).

`account_connections`: `_id` `<platform>:<account>`; sealed access and refresh tokens, when the access token
expires, `state` (`connected` | `reconnect_required`), who connected it and when, the last refresh and error,
and `version` (bumped by every refresh, so a replica that lost a race for a rotated refresh token can tell).
`oauth_flows`: `_id` the `state` parameter; platform, sealed PKCE verifier, who started it, when (a flow is
good for ten minutes and used once)."""

from datetime import UTC, datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

CONNECTED, RECONNECT = "connected", "reconnect_required"
FLOW_LIFETIME = timedelta(minutes=10)


class Connections:
    def __init__(self, db: AsyncDatabase) -> None:
        self.accounts = db["account_connections"]
        self.flows = db["oauth_flows"]

    async def start_flow(self, state: str, *, platform: str, verifier: str | None, requested_by: str) -> datetime:
        now = datetime.now(UTC)
        await self.flows.insert_one({"_id": state, "platform": platform, "verifier": verifier,
                                     "requested_by": requested_by, "created_at": now})
        return now + FLOW_LIFETIME

    async def take_flow(self, state: str, platform: str) -> dict | None:
        """The flow of `state`, once (it is deleted), if it is for `platform` and still fresh."""
        doc = await self.flows.find_one_and_delete({"_id": {"$eq": state}})
        if doc is None or doc["platform"] != platform or doc["created_at"] < datetime.now(UTC) - FLOW_LIFETIME:
            return None
        return doc

    async def prune_flows(self) -> None:
        await self.flows.delete_many({"created_at": {"$lt": datetime.now(UTC) - FLOW_LIFETIME}})

    async def save(self, platform: str, account: str, *, name: str, access: str, refresh: str | None,
                   expires_at: datetime | None, scope: str | None, connected_by: str, also: list[str]) -> dict:
        now = datetime.now(UTC)
        doc = {"_id": f"{platform}:{account}", "platform": platform, "account_id": account, "name": name,
               "access_token": access, "refresh_token": refresh, "expires_at": expires_at, "scope": scope,
               "state": CONNECTED, "connected_by": connected_by, "connected_at": now, "refreshed_at": None,
               "last_error": None, "also": also, "version": 1}
        try:
            await self.accounts.insert_one(doc)
        except DuplicateKeyError:
            current = await self.accounts.find_one({"_id": doc["_id"]}) or {}
            doc["version"] = int(current.get("version") or 0) + 1
            await self.accounts.replace_one({"_id": doc["_id"]}, doc)
        return doc

    async def all(self) -> list[dict]:
        return [doc async for doc in self.accounts.find({}).sort("_id", 1).limit(1000)]

    async def get(self, platform: str, account: str) -> dict | None:
        return await self.accounts.find_one({"_id": {"$eq": f"{platform}:{account}"}})

    async def renewed(self, doc: dict, *, access: str, refresh: str | None, expires_at: datetime | None) -> dict | None:
        """Stores a refresh's result if nobody refreshed since `doc` was read; the document after, else None."""
        fields = {"access_token": access, "refresh_token": refresh, "expires_at": expires_at, "state": CONNECTED,
                  "refreshed_at": datetime.now(UTC), "last_error": None, "version": doc["version"] + 1}
        result = await self.accounts.update_one({"_id": doc["_id"], "version": doc["version"]}, {"$set": fields})
        if result.matched_count != 1:
            return None
        after = await self.accounts.find_one({"_id": doc["_id"]})
        return after if after and after.get("version") == fields["version"] else None

    async def needs_reconnect(self, doc: dict, error: str) -> None:
        await self.accounts.update_one({"_id": doc["_id"], "version": doc["version"]},
                                       {"$set": {"state": RECONNECT, "last_error": error[:300]}})

    async def failed_refresh(self, doc: dict, error: str) -> None:
        await self.accounts.update_one({"_id": doc["_id"]}, {"$set": {"last_error": error[:300]}})
