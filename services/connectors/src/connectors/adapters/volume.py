"""Inbound volume per account and hour (`inbound_volume`, `_id` `<channel>:<account>:<YYYY-MM-DDTHH>` UTC,
`$inc` per message): read back by `_id` only, so what a check costs never grows with history."""

from datetime import datetime, timedelta

from pymongo.asynchronous.database import AsyncDatabase

WEEK = timedelta(days=7)


def bucket_id(channel: str, account: str, at: datetime) -> str:
    return f"{channel}:{account}:{at:%Y-%m-%dT%H}"


class VolumeStore:
    def __init__(self, db: AsyncDatabase) -> None:
        self.volume = db["inbound_volume"]

    async def add(self, channel: str, account: str, at: datetime, count: int = 1) -> None:
        await self.volume.update_one({"_id": bucket_id(channel, account, at)}, {"$inc": {"count": count}}, upsert=True)

    async def count(self, channel: str, account: str, hour: datetime) -> int:
        doc = await self.volume.find_one({"_id": bucket_id(channel, account, hour)})
        return int((doc or {}).get("count") or 0)

    async def usual(self, channel: str, account: str, hour: datetime, *, weeks: int) -> tuple[float, int]:
        """(mean count of the same hour of the week over the last `weeks` weeks that had any traffic, weeks seen)."""
        counts = [await self.count(channel, account, hour - WEEK * n) for n in range(1, weeks + 1)]
        seen = [c for c in counts if c > 0]
        return (sum(seen) / len(seen) if seen else 0.0), len(seen)
