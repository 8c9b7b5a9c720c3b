"""The sign-in throttle, shared by the API (`POST /api/auth/login`) and the web form (`POST /login`), and by
every replica (its counters live in MongoDB).

Two counters, each a fixed window of `window` seconds:
- per (username, address): `per_account_address` attempts. A password-guessing run against one account from
  one address stops there, while the account's owner, signing in from anywhere else, is not locked out: an
  attacker cannot pause an account for everyone, however long they keep trying.
- per address, across every username: `per_address` attempts that did not succeed (a successful sign-in gives
  its attempt back, so an office behind one address is not throttled by its own staff). Password spraying (one
  guess at many accounts) from one address stops there. IPv6 addresses count by their /64.

Attempts are counted before the password is checked, so a burst of concurrent guesses cannot slip past the
limit while the first ones are being verified. Unknown and known usernames are counted and answered alike
(401, then 429 with Retry-After), so the answers do not tell which usernames exist. Counter ids are hashes:
what people type in the username field (sometimes a password) is never stored.

FerretDB applies concurrent updates of one document less strictly than MongoDB (see README); a counter may
then lose a few increments under a burst, which loosens a limit slightly but never locks anyone out."""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection


def _key(kind: str, *parts: str) -> str:
    return f"{kind}:" + hashlib.sha256("\x00".join(parts).encode()).hexdigest()


@dataclass
class SignInThrottle:
    counters: AsyncCollection
    per_account_address: int = 5
    per_address: int = 30
    window: timedelta = timedelta(minutes=15)

    @staticmethod
    def keys(username: str, address: str) -> tuple[str, str]:
        return _key("pair", username.strip().lower(), address), _key("address", address)

    async def _count(self, key: str, now: datetime) -> tuple[int, datetime]:
        doc = await self.counters.find_one_and_update(
            {"_id": key, "until": {"$gt": now}}, {"$inc": {"n": 1}}, return_document=ReturnDocument.AFTER)
        if doc is None:  # no window open for this key: start one
            doc = {"_id": key, "n": 1, "until": now + self.window}
            await self.counters.replace_one({"_id": key}, doc, upsert=True)
        until = doc["until"] if doc["until"].tzinfo else doc["until"].replace(tzinfo=UTC)
        return doc["n"], until

    async def admit(self, username: str, address: str, *, now: datetime | None = None) -> float | None:
        """Counts one attempt; None when it may go ahead, else the seconds until one may."""
        now = now or datetime.now(UTC)
        pair, everyone = self.keys(username, address)
        waits = []
        for key, limit in ((pair, self.per_account_address), (everyone, self.per_address)):
            count, until = await self._count(key, now)
            if count > limit:
                waits.append((until - now).total_seconds())
        return max(1.0, *waits) if waits else None

    async def succeeded(self, username: str, address: str) -> None:
        """A correct password: the pair starts afresh and the address gets its attempt back."""
        pair, everyone = self.keys(username, address)
        await self.counters.delete_one({"_id": pair})
        await self.counters.update_one({"_id": everyone, "n": {"$gt": 0}}, {"$inc": {"n": -1}})

    async def reset(self, address: str, username: str | None = None) -> None:
        """Clears an address's counters (and one username's from it): for support staff, and tests."""
        pair, everyone = self.keys(username or "", address)
        await self.counters.delete_many({"_id": {"$in": [pair, everyone] if username is not None else [everyone]}})
